"""The SPARQL 1.1 Protocol endpoint at ``/sparql``, driven by SPARQLWrapper over a real server.

Formats (JSON, XML, CSV, TSV; Turtle for CONSTRUCT), read-only without a token,
updates with the token, clean 400s for malformed and over-long queries, the time
limit (503) and the result cap (``X-Obligraph-Truncated``).
"""

from __future__ import annotations

import csv
import io
import urllib.error
import xml.etree.ElementTree as ET

import httpx
import pytest
from SPARQLWrapper import CSV, JSON, POST, TSV, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed, Unauthorized

pytestmark = pytest.mark.server

TOKEN = "test-token-7f3a"  # tests/web/conftest.py UPDATE_TOKEN
OB = "https://w3id.org/obligraph/ontology#"
UNIT = "https://w3id.org/obligraph/id/unit/cuc-tre-em"
SKOS = "http://www.w3.org/2004/02/skos/core#"
LEAD_TASKS = f"""PREFIX ob: <{OB}>
SELECT ?task ?text WHERE {{
  ?a ob:unit <{UNIT}> ; ob:role ob:LeadRole ; ob:task ?task .
  ?task ob:text ?text . ?task ob:inDocument <https://w3id.org/obligraph/id/doc/qd/406-qd-ldtbxh/2020>
}} ORDER BY ?task"""


def wrapper(site: str, query: str, fmt: str = JSON) -> SPARQLWrapper:
    sw = SPARQLWrapper(site + "/sparql")
    sw.setQuery(query)
    sw.setReturnFormat(fmt)
    sw.setTimeout(30)
    return sw


def lead_texts(site: str) -> list[str]:
    result = wrapper(site, LEAD_TASKS).queryAndConvert()
    assert result["head"]["vars"] == ["task", "text"]
    return [b["text"]["value"] for b in result["results"]["bindings"]]


def test_select_as_json(site):
    # 406 annex row 1.a (line 121), led by Cục Trẻ em
    texts = lead_texts(site)
    assert any(t.startswith("Xây dựng tài liệu và hướng dẫn cho cha mẹ") for t in texts)


def test_select_as_xml_csv_tsv_agree_with_json(site):
    texts = sorted(lead_texts(site))
    xml_doc = wrapper(site, LEAD_TASKS, XML).queryAndConvert()
    ns = {"s": "http://www.w3.org/2005/sparql-results#"}
    root = ET.fromstring(xml_doc.toxml()) if hasattr(xml_doc, "toxml") else xml_doc
    xml_texts = [lit.text for lit in root.findall(".//s:binding[@name='text']/s:literal", ns)]
    assert sorted(xml_texts) == texts

    raw_csv = wrapper(site, LEAD_TASKS, CSV).queryAndConvert()
    rows = list(csv.DictReader(io.StringIO(raw_csv.decode("utf-8"))))
    assert sorted(r["text"] for r in rows) == texts

    raw_tsv = wrapper(site, LEAD_TASKS, TSV).queryAndConvert().decode("utf-8")
    lines = raw_tsv.rstrip("\n").split("\n")
    assert lines[0] == "?task\t?text"
    assert len(lines) - 1 == len(texts)
    assert all(line.split("\t")[0].startswith("<https://") for line in lines[1:])


def test_ask_and_construct(site):
    ask = wrapper(site, f"ASK {{ <{UNIT}> a <http://www.w3.org/ns/org#Organization> }}")
    assert ask.queryAndConvert()["boolean"] is True
    construct = wrapper(
        site,
        f"CONSTRUCT {{ <{UNIT}> ?p ?o }} WHERE {{ <{UNIT}> ?p ?o }}",
        TURTLE,
    )
    graph = construct.queryAndConvert()
    body = graph.decode("utf-8") if isinstance(graph, bytes) else graph.serialize()
    assert "Cục Trẻ em" in body


def test_tsv_escapes_tabs_and_newlines(update_site):
    """Regression: TSV answers were a 500 (rdflib has no TSV serializer)."""
    insert = rf"INSERT DATA {{ <urn:tsv> <{OB}text> 'a\tb\nc \"d\"'@vi }}"
    r = httpx.post(
        update_site + "/sparql",
        data={"update": insert},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert r.status_code == 204, r.text
    tsv = httpx.get(
        update_site + "/sparql",
        params={"query": f"SELECT ?t WHERE {{ <urn:tsv> <{OB}text> ?t }}"},
        headers={"Accept": "text/tab-separated-values"},
    )
    assert tsv.status_code == 200
    assert tsv.headers["content-type"].startswith("text/tab-separated-values")
    assert tsv.text == "?t\n" + r'"a\tb\nc \"d\""@vi' + "\n"


def test_post_forms_of_the_protocol(site):
    """Regression: form POSTs (YASGUI's and SPARQLWrapper's) were a 500 without
    python-multipart (now a dependency): url-encoded and multipart forms both answer."""
    url = site + "/sparql"
    q = f"ASK {{ <{UNIT}> ?p ?o }}"
    direct = httpx.post(url, content=q, headers={"Content-Type": "application/sparql-query"})
    form = httpx.post(url, data={"query": q})
    multipart = httpx.post(url, files={"query": (None, q)})
    assert direct.json()["boolean"] is True and form.json()["boolean"] is True
    assert multipart.json()["boolean"] is True
    bad = httpx.post(url, content=q, headers={"Content-Type": "text/plain"})
    assert bad.status_code == 415


def test_read_only_without_a_token(site):
    sw = wrapper(site, f"PREFIX ob: <{OB}> INSERT DATA {{ <urn:x> ob:text 'x' }}")
    sw.setMethod(POST)
    with pytest.raises(urllib.error.HTTPError) as err:
        sw.query()
    assert err.value.code == 403
    assert "read-only" in err.value.read().decode()
    # nothing was written
    assert wrapper(site, "ASK { <urn:x> ?p ?o }").queryAndConvert()["boolean"] is False


def test_update_with_the_token(update_site):
    insert = f"PREFIX ob: <{OB}> INSERT DATA {{ <urn:obligraph:test> ob:text 'Trẻ em' }}"
    no_token = wrapper(update_site, insert)
    no_token.setMethod(POST)
    with pytest.raises(Unauthorized) as err:  # 401
        no_token.query()
    assert "missing or wrong bearer token" in str(err.value)

    wrong = wrapper(update_site, insert)
    wrong.setMethod(POST)
    wrong.addCustomHttpHeader("Authorization", "Bearer nope")
    with pytest.raises(Unauthorized):
        wrong.query()

    sw = wrapper(update_site, insert)
    sw.setMethod(POST)
    sw.addCustomHttpHeader("Authorization", f"Bearer {TOKEN}")
    assert sw.query().response.status == 204
    check = wrapper(update_site, f"SELECT ?t WHERE {{ <urn:obligraph:test> <{OB}text> ?t }}")
    rows = check.queryAndConvert()["results"]["bindings"]
    assert [r["t"]["value"] for r in rows] == ["Trẻ em"]
    # updates by GET are refused even with the token
    r = httpx.get(
        update_site + "/sparql",
        params={"update": insert},
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    assert r.status_code == 405


def test_malformed_query_is_a_clean_400(site):
    with pytest.raises(QueryBadFormed) as err:
        wrapper(site, "SELECT ?x WHERE { ?x ").query()
    assert "malformed or failed query" in str(err.value)
    r = httpx.get(site + "/sparql", params={"query": "SELEC nothing"})
    assert r.status_code == 400
    assert r.headers["content-type"].startswith("text/plain")
    assert r.text.startswith("malformed or failed query")
    assert "Traceback" not in r.text


def test_missing_and_double_parameters(site):
    assert httpx.get(site + "/sparql").status_code == 400
    both = httpx.get(site + "/sparql", params={"query": "ASK {}", "update": "CLEAR ALL"})
    assert both.status_code == 400 and "not both" in both.text
    dataset = httpx.get(site + "/sparql", params={"query": "ASK {}", "default-graph-uri": "x"})
    assert dataset.status_code == 400 and "GRAPH" in dataset.text


def test_over_long_query_is_a_clean_400(limited_site, site):
    long_query = "ASK { ?s ?p ?o } #" + "x" * 1200  # the limited site allows 1,000 characters
    with pytest.raises(QueryBadFormed) as err:
        wrapper(limited_site, long_query).query()
    assert "query too long" in str(err.value)
    post = httpx.post(limited_site + "/sparql", data={"query": long_query})
    assert post.status_code == 400 and "the limit is 1000" in post.text
    # on the default site (20,000 characters) a long GET of Vietnamese text must still reach
    # the endpoint and get its 400, not a bare connection error from the HTTP layer
    huge = "ASK { ?s ?p ?o } #" + "trẻ em " * 4000
    r = httpx.get(site + "/sparql", params={"query": huge}, timeout=30)
    assert r.status_code == 400 and "query too long" in r.text


def test_time_limit_is_a_clean_503(limited_site):
    r = httpx.get(limited_site + "/sparql", params={"query": "ASK { ?s ?p ?o } # slow"})
    assert r.status_code == 503
    assert "time limit of 0.5 s" in r.text
    # the server still answers afterwards
    assert httpx.get(limited_site + "/sparql", params={"query": "ASK {}"}).status_code == 200


def test_result_cap_cuts_and_says_so(limited_site, site):
    query = "SELECT ?s WHERE { ?s ?p ?o } LIMIT 50"
    r = httpx.get(limited_site + "/sparql", params={"query": query})
    assert r.status_code == 200
    assert len(r.json()["results"]["bindings"]) == 5
    assert r.headers["x-obligraph-truncated"] == "true"
    assert r.headers["x-obligraph-result-cap"] == "5"
    full = httpx.get(site + "/sparql", params={"query": query})
    assert len(full.json()["results"]["bindings"]) == 50
    assert full.headers["x-obligraph-truncated"] == "false"
    graph = httpx.get(
        limited_site + "/sparql",
        params={"query": "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 50"},
        headers={"Accept": "application/n-triples"},
    )
    assert graph.headers["x-obligraph-truncated"] == "true"
    assert len([x for x in graph.text.splitlines() if x.strip()]) == 5


def test_csv_answer_is_utf8(site):
    r = httpx.get(
        site + "/sparql",
        params={"query": f"SELECT DISTINCT ?l WHERE {{ <{UNIT}> <{SKOS}prefLabel> ?l }}"},
        headers={"Accept": "text/csv"},
    )
    assert r.headers["content-type"] == "text/csv; charset=utf-8"
    assert r.content.decode("utf-8").splitlines() == ["l", "Cục Trẻ em"]
