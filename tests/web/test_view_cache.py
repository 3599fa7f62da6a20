"""The graph views the app keeps are bounded: one page per view, target and language.

Requests for ever new ``lang=`` values used to add a ~1 MB page each; now every
value other than ``en`` is Vietnamese and shares one entry, and the cache keeps
the most recently used pages only (real server on 127.0.0.1, bundled corpus).
"""

from __future__ import annotations

import httpx
import pytest

from .conftest import serve

pytestmark = pytest.mark.server


def test_language_values_share_one_page_and_the_cache_is_bounded(corpus_store, monkeypatch):
    from obligraph.viz.web import app as app_mod

    monkeypatch.setattr(app_mod, "VIEW_CACHE_SIZE", 2)
    web = app_mod.create_app(corpus_store)
    views = web.state.cache.views
    for url in serve(web):
        for n in range(12):
            res = httpx.get(url + "/view/overlap", params={"lang": f"x{n}"}, timeout=120)
            assert res.status_code == 200 and 'lang="vi"' in res.text
        assert list(views) == [("overlap", "all", "vi")]
        english = httpx.get(url + "/view/overlap", params={"lang": "en"}, timeout=120)
        assert english.status_code == 200 and 'lang="en"' in english.text
        httpx.get(url + "/view/indicator", timeout=120).raise_for_status()
        # the least recently used page (overlap in Vietnamese) went first
        assert list(views) == [("overlap", "all", "en"), ("indicator", "all", "vi")]
        again = httpx.get(url + "/view/overlap", params={"lang": "en"}, timeout=120)
        assert again.text == english.text
        assert list(views) == [("indicator", "all", "vi"), ("overlap", "all", "en")]
