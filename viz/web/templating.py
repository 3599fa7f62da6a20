"""How every page is rendered: a Jinja2 template with the labels of the page's language.

:func:`make_page` gives the ``page(request, template, status, **context)`` function the
page routers share. The language is ``en`` when the address says ``lang=en``, Vietnamese
otherwise; ``link`` keeps the language on the page's own links and ``switch_href`` is the
same page in the other language.

>>> page_lang_of({"lang": "en"}), page_lang_of({"lang": "fr"}), page_lang_of({})
('en', 'vi', 'vi')
>>> with_lang("/unit/x#register", "en"), with_lang("/q?a=1", "en"), with_lang("/q", "vi")
('/unit/x?lang=en#register', '/q?a=1&lang=en', '/q')
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from obligraph.viz.web.i18n import labels
from obligraph.viz.web.labels import install as install_labels

#: The page templates (``web_*.html``).
TEMPLATES = Path(__file__).resolve().parent.parent / "templates"

#: ``page(request, template, status=200, **context)``: the HTML response of a page.
PageFn = Callable[..., HTMLResponse]


def page_lang_of(params: Mapping[str, str]) -> str:
    """``en`` when the address asks for English, else ``vi``."""
    return "en" if params.get("lang") == "en" else "vi"


def with_lang(path: str, lang: str) -> str:
    """``path`` (maybe with a query and an anchor) keeping the page's language."""
    if lang != "en":
        return path
    base, _, anchor = path.partition("#")
    joined = base + ("&" if "?" in base else "?") + "lang=en"
    return joined + ("#" + anchor if anchor else "")


def switch_href(request: Request, lang: str) -> str:
    """The same page in the other language."""
    other = dict(request.query_params)
    if lang == "en":
        other.pop("lang", None)
    else:
        other["lang"] = "en"
    return request.url.path + (
        "?" + "&".join(f"{k}={quote(v)}" for k, v in other.items()) if other else ""
    )


def make_page(templates: Jinja2Templates | None = None) -> PageFn:
    """The ``page`` function over ``templates`` (default: :data:`TEMPLATES`, with the
    labels of :mod:`obligraph.viz.web.labels` installed)."""
    if templates is None:
        templates = Jinja2Templates(directory=str(TEMPLATES))
        install_labels(templates.env)  # codes shown as labels of the page's language; no "None"

    def page(request: Request, name: str, status: int = 200, **ctx: Any) -> HTMLResponse:
        lang = page_lang_of(request.query_params)
        ctx.update(
            request=request,
            t=labels(lang),
            lang=lang,
            link=lambda path: with_lang(path, lang),
            switch_href=switch_href(request, lang),
        )
        return templates.TemplateResponse(request, name, ctx, status_code=status)

    return page


def not_found(page: PageFn, request: Request, what: str) -> HTMLResponse:
    """The 404 page naming ``what`` was not found."""
    return page(request, "web_error.html", 404, message=what, code=404)
