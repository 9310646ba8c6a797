"""OAI-PMH responses fetched from a live server and validated offline against the official schemas."""

from __future__ import annotations

import http.client
from functools import cache
from pathlib import Path
from urllib.parse import urlencode

from lxml import etree

from tests.conftest import LiveServer

SCHEMAS = Path(__file__).resolve().parent / "schemas"
NS = {
    "oai": "http://www.openarchives.org/OAI/2.0/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "oai_dc": "http://www.openarchives.org/OAI/2.0/oai_dc/",
    "marc": "http://www.loc.gov/MARC21/slim",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "id": "http://www.openarchives.org/OAI/2.0/oai-identifier",
}


class _LocalSchemas(etree.Resolver):
    """Answers a schema's remote schemaLocation with the copy of the same name in tests/schemas/."""

    def resolve(self, url, public_id, context):  # type: ignore[no-untyped-def]
        local = SCHEMAS / url.rsplit("/", 1)[-1]
        if local.is_file():
            return self.resolve_filename(str(local), context)
        raise AssertionError(f"a schema asks for {url}, which has no local copy")


@cache
def oai_schema() -> etree.XMLSchema:
    parser = etree.XMLParser(no_network=True)
    parser.resolvers.add(_LocalSchemas())
    return etree.XMLSchema(etree.parse(str(SCHEMAS / "all.xsd"), parser))


def validated(body: bytes) -> etree._Element:
    root = etree.fromstring(body)
    schema = oai_schema()
    assert schema.validate(root), schema.error_log
    return root


def oai(server: LiveServer, method: str = "GET", **params: str) -> etree._Element:
    """One OAI-PMH request (keyword `from_` means `from`); answered 200, as XML that validates."""
    query = urlencode({k.rstrip("_"): v for k, v in params.items()})
    connection = http.client.HTTPConnection(server.url.split("/")[2], timeout=30)
    try:
        if method == "POST":
            connection.request("POST", "/oai", body=query, headers={"Content-Type": "application/x-www-form-urlencoded"})
        else:
            connection.request("GET", "/oai?" + query)
        response = connection.getresponse()
        body = response.read()
    finally:
        connection.close()
    assert response.status == 200, body
    assert response.headers["Content-Type"].split(";")[0] == "text/xml"
    return validated(body)


def error_code(root: etree._Element) -> str | None:
    error = root.find("oai:error", NS)
    return None if error is None else error.get("code")


def pages(server: LiveServer, verb: str, **params: str) -> list[etree._Element]:
    """Every page of a list, following resumption tokens; checks cursor and completeListSize."""
    out = [oai(server, verb=verb, **params)]
    seen = 0
    while True:
        page = out[-1]
        assert error_code(page) is None, etree.tostring(page)
        seen += len(page.findall(f"oai:{verb}/" + ("oai:header" if verb == "ListIdentifiers" else "oai:record"), NS))
        token = page.find(f"oai:{verb}/oai:resumptionToken", NS)
        if token is None:
            assert len(out) == 1, "a resumed list ends with an empty resumptionToken"
            return out
        assert int(token.get("completeListSize")) >= seen
        if not token.text:
            assert int(token.get("completeListSize")) == seen
            return out
        out.append(oai(server, verb=verb, resumptionToken=token.text))
        assert out[-1].find(f"oai:{verb}/oai:resumptionToken", NS).get("cursor") == str(seen)
