// Unit picker of the named-query forms: suggests unit names from /units.json as you type.
(function () {
  "use strict";
  for (const input of document.querySelectorAll('input[data-kind="unit"]')) {
    const list = document.getElementById(input.getAttribute("list"));
    let pending = 0;
    input.addEventListener("input", function () {
      const q = input.value.trim();
      const ticket = ++pending;
      if (q.length < 2) { return; }
      fetch("/units.json?q=" + encodeURIComponent(q))
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (names) {
          if (ticket !== pending) { return; }
          list.replaceChildren(...names.map(function (n) {
            const o = document.createElement("option");
            o.value = n;
            return o;
          }));
          input.dataset.suggested = String(names.length);
        });
    });
  }
})();
