// Glue between the page and YASGUI (the editor itself is the npm package @zazuko/yasgui,
// served from viz/web/node_modules): point it at our /sparql endpoint, keep every request on
// this host, and load a named query when its link is clicked.
(function () {
  "use strict";
  var endpoint = window.location.origin + "/sparql";
  // Only completers that work offline: no LOV (property/class) or prefix.cc look-ups.
  Yasgui.Yasqe.defaults.autocompleters = ["variables", "prefixes"];
  Yasgui.Yasqe.defaults.prefixCcApi = null;
  // Show values simply ("14", not "14"^^xsd:integer; no <...> around IRIs): the table's
  // own "Simple view" switch, on unless the user turns it off.
  var table = Yasgui.Yasr.plugins.table.prototype, draw = table.draw;
  table.draw = function (config) {
    return draw.call(this, Object.assign({compact: true}, this.persistentConfig, config || {}));
  };
  var queries = JSON.parse(document.getElementById("named-query-data").textContent);
  var yasgui = new Yasgui(document.getElementById("yasgui"), {
    requestConfig: {endpoint: endpoint, method: "POST"},
    copyEndpointOnNewTab: true,
    persistenceId: null,
    populateFromUrl: false,
    endpointCatalogueOptions: {getData: function () { return [{endpoint: endpoint}]; }},
  });
  window.obligraphYasgui = yasgui;
  var tab = yasgui.getTab();
  tab.setEndpoint(endpoint);
  if (queries.length) tab.getYasqe().setValue(queries[0].query);
  document.querySelectorAll("#named-queries a[data-query]").forEach(function (a) {
    a.addEventListener("click", function (ev) {
      ev.preventDefault();
      var q = queries.find(function (x) { return x.name === a.dataset.query; });
      var current = yasgui.getTab();
      current.setEndpoint(endpoint);
      current.getYasqe().setValue(q.query);
      document.querySelectorAll("#named-queries a").forEach(function (b) {
        b.classList.toggle("active", b === a);
      });
    });
  });
})();
