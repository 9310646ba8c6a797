"""OAI-PMH 2.0 at /oai: the six verbs, sets by theme and by institution, oai_dc, rdf and marcxml.

Datestamps are the records' change times (`modified` in the ledger) and withdrawal times
(the manifest), with second granularity; withdrawn records stay listed as deleted.

Resumption tokens are stateless: the request's arguments and the (datestamp, id) of the last
item sent, base64url-encoded. Lists are sorted by (datestamp, id) and a republication only
appends (a changed or withdrawn record gets a later datestamp), so a token issued before a
republication still resumes where it stopped, and the harvest still sees every record.
Every bad request is an OAI-PMH error with HTTP 200, as the protocol says.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Sequence
from datetime import UTC, datetime

from flask import Blueprint, Response, request
from lxml import etree
from werkzeug.datastructures import MultiDict

from publisher.store.version import PublishedVersion
from publisher.terms import Iris
from publisher.web import crosswalk
from publisher.web.derived import per_app
from publisher.web.oai_index import Item, OaiIndex
from publisher.web.versions import settings, version

bp = Blueprint("oai", __name__)

OAI = "http://www.openarchives.org/OAI/2.0/"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
OAI_IDENTIFIER = "http://www.openarchives.org/OAI/2.0/oai-identifier"
OAI_IDENTIFIER_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai-identifier.xsd"
XSI = crosswalk.XSI
GRANULARITY = "YYYY-MM-DDThh:mm:ssZ"

# verb -> (required arguments, optional arguments); a resumptionToken stands alone.
VERBS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "Identify": (frozenset(), frozenset()),
    "ListMetadataFormats": (frozenset(), frozenset({"identifier"})),
    "ListSets": (frozenset(), frozenset()),
    "GetRecord": (frozenset({"identifier", "metadataPrefix"}), frozenset()),
    "ListIdentifiers": (frozenset({"metadataPrefix"}), frozenset({"from", "until", "set"})),
    "ListRecords": (frozenset({"metadataPrefix"}), frozenset({"from", "until", "set"})),
}
TOKEN_ARGS = ("metadataPrefix", "set", "from", "until")
RESUMABLE = {"ListIdentifiers", "ListRecords", "ListSets"}
SPEC = re.compile(r"[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*\Z")  # setSpec and metadataPrefix
DOMAIN = re.compile(r"[a-zA-Z][a-zA-Z0-9\-]*(\.[a-zA-Z][a-zA-Z0-9\-]*)+\Z")
DAY = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
SECOND = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z\Z")


class OaiError(Exception):
    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def index(v: PublishedVersion) -> OaiIndex:
    return per_app("oai", OaiIndex).get(v)


@bp.route("/oai", methods=["GET", "POST"])
def endpoint() -> Response:
    params = request.form if request.method == "POST" else request.args
    v = version()
    base = v.manifest.base
    root = etree.Element(f"{{{OAI}}}OAI-PMH", nsmap={None: OAI, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{OAI} {OAI_SCHEMA}")
    etree.SubElement(root, f"{{{OAI}}}responseDate").text = _now()
    echo = etree.SubElement(root, f"{{{OAI}}}request")
    echo.text = base + "oai"
    try:
        verb, args = _arguments(params)
        for name, value in args.items():  # echoed only once the request is known to be well formed
            echo.set(name, value)
        answer = Protocol(index(v), Iris(base), repository_id(base))
        root.append(getattr(answer, verb)(args))
    except OaiError as error:
        element = etree.SubElement(root, f"{{{OAI}}}error", code=error.code)
        element.text = error.message
    body = etree.tostring(root, xml_declaration=True, encoding="UTF-8")
    return Response(body, content_type="text/xml; charset=utf-8", headers={"Access-Control-Allow-Origin": "*"})


def _now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _arguments(params: MultiDict[str, str]) -> tuple[str, dict[str, str]]:
    verbs = params.getlist("verb")
    if len(verbs) != 1 or verbs[0] not in VERBS:
        raise OaiError("badVerb", "verb is missing, repeated or not an OAI-PMH verb" if len(verbs) != 1
                       else f"{verbs[0]!r} is not an OAI-PMH verb")
    verb = verbs[0]
    args: dict[str, str] = {}
    for name in params:
        if name == "verb":
            continue
        values = params.getlist(name)
        if len(values) > 1:
            raise OaiError("badArgument", f"{name!r} is given more than once")
        if crosswalk.has_non_xml(name + values[0]):  # could be neither echoed nor answered
            raise OaiError("badArgument", "an argument holds characters XML cannot carry")
        args[name] = values[0]
    required, optional = VERBS[verb]
    if "resumptionToken" in args and verb in RESUMABLE:
        if len(args) > 1:
            raise OaiError("badArgument", "resumptionToken is an exclusive argument")
        return verb, {"verb": verb, **args}
    unknown = sorted(set(args) - required - optional)
    if unknown:
        raise OaiError("badArgument", f"{verb} does not take {', '.join(map(repr, unknown))}")
    missing = sorted(required - set(args))
    if missing:
        raise OaiError("badArgument", f"{verb} needs {', '.join(missing)}")
    for name in ("metadataPrefix", "set"):
        if name in args and not SPEC.match(args[name]):
            raise OaiError("badArgument", f"{name} {args[name]!r} is not a valid value")
    _window(args)  # checks from and until
    return verb, {"verb": verb, **args}


def _window(args: dict[str, str]) -> tuple[str | None, str | None]:
    """`from` and `until` as inclusive second-granularity bounds."""
    start, until = args.get("from"), args.get("until")
    bounds: list[str | None] = []
    for value, day_end in ((start, False), (until, True)):
        if value is None:
            bounds.append(None)
        elif DAY.match(value) and _is_date(value, "%Y-%m-%d"):
            bounds.append(value + ("T23:59:59Z" if day_end else "T00:00:00Z"))
        elif SECOND.match(value) and _is_date(value, "%Y-%m-%dT%H:%M:%SZ"):
            bounds.append(value)
        else:
            raise OaiError("badArgument", f"{value!r} is not a date (YYYY-MM-DD) or a time (YYYY-MM-DDThh:mm:ssZ)")
    if start is not None and until is not None:
        if len(start) != len(until):
            raise OaiError("badArgument", "from and until must have the same granularity")
        if bounds[0] > bounds[1]:  # type: ignore[operator]
            raise OaiError("badArgument", "from is later than until")
    return bounds[0], bounds[1]


def _is_date(value: str, pattern: str) -> bool:
    try:
        datetime.strptime(value, pattern)
    except ValueError:
        return False
    return True


def repository_id(base: str) -> str:
    """The oai-identifier repository name: the base's host when it is a domain name."""
    host = base.split("/")[2].split(":")[0]
    return host if DOMAIN.match(host) else "publisher.invalid"


# --- tokens --------------------------------------------------------------------------------


def make_token(args: dict[str, str], last: Item) -> str:
    state: dict[str, object] = {k: args[k] for k in TOKEN_ARGS if k in args}
    state["after"] = [last.datestamp, last.id]
    data = json.dumps(state, separators=(",", ":"), ensure_ascii=False).encode("utf-8")
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def read_token(token: str) -> tuple[dict[str, str], tuple[str, str]]:
    bad = OaiError("badResumptionToken", "the resumptionToken is not one this repository issued")
    try:
        state = json.loads(base64.urlsafe_b64decode(token + "=" * (-len(token) % 4)))
    except (ValueError, binascii.Error):
        raise bad from None
    if not isinstance(state, dict):
        raise bad
    after = state.pop("after", None)
    args = {k: v for k, v in state.items() if k in TOKEN_ARGS and isinstance(v, str)}
    if not (isinstance(after, list) and len(after) == 2 and all(isinstance(x, str) for x in after)) \
            or len(args) != len(state) or "metadataPrefix" not in args \
            or not all(SPEC.match(args[k]) for k in ("metadataPrefix", "set") if k in args):
        raise bad
    try:
        _window(args)
    except OaiError:
        raise bad from None
    return args, (after[0], after[1])


# --- the verbs -----------------------------------------------------------------------------


class Protocol:
    def __init__(self, index: OaiIndex, iris: Iris, repository: str) -> None:
        self.index = index
        self.iris = iris
        self.repository = repository

    def _e(self, parent: etree._Element | None, name: str, text: str | None = None, **attrs: str) -> etree._Element:
        element = etree.Element(f"{{{OAI}}}{name}", attrs) if parent is None else \
            etree.SubElement(parent, f"{{{OAI}}}{name}", attrs)
        if text is not None:
            element.text = text
        return element

    def identifier(self, record_id: str) -> str:
        return f"oai:{self.repository}:{record_id}"

    def Identify(self, args: dict[str, str]) -> etree._Element:  # noqa: N802 (the protocol's names)
        out = self._e(None, "Identify")
        self._e(out, "repositoryName", settings().title)
        self._e(out, "baseURL", self.iris.base + "oai")
        self._e(out, "protocolVersion", "2.0")
        self._e(out, "adminEmail", settings().admin_email)
        self._e(out, "earliestDatestamp", self.index.earliest)
        self._e(out, "deletedRecord", "persistent")
        self._e(out, "granularity", GRANULARITY)
        description = self._e(out, "description")
        ident = etree.SubElement(description, f"{{{OAI_IDENTIFIER}}}oai-identifier", nsmap={None: OAI_IDENTIFIER})
        ident.set(f"{{{XSI}}}schemaLocation", f"{OAI_IDENTIFIER} {OAI_IDENTIFIER_SCHEMA}")
        sample = next((i.id for i in self.index.items if not i.deleted), "innovation-publique")
        for name, value in (("scheme", "oai"), ("repositoryIdentifier", self.repository), ("delimiter", ":"),
                            ("sampleIdentifier", self.identifier(sample))):
            etree.SubElement(ident, f"{{{OAI_IDENTIFIER}}}{name}").text = value
        return out

    def _item(self, identifier: str) -> Item:
        prefix = f"oai:{self.repository}:"
        position = self.index.position.get(identifier[len(prefix):]) if identifier.startswith(prefix) else None
        if position is None:
            raise OaiError("idDoesNotExist", f"{identifier!r} is not an identifier of this repository")
        return self.index.items[position]

    def ListMetadataFormats(self, args: dict[str, str]) -> etree._Element:  # noqa: N802
        if "identifier" in args and self._item(args["identifier"]).deleted:
            raise OaiError("noMetadataFormats", f"{args['identifier']} was withdrawn: no metadata is disseminated")
        out = self._e(None, "ListMetadataFormats")
        for fmt in crosswalk.FORMATS.values():
            element = self._e(out, "metadataFormat")
            self._e(element, "metadataPrefix", fmt.prefix)
            self._e(element, "schema", fmt.schema)
            self._e(element, "metadataNamespace", fmt.namespace)
        return out

    def ListSets(self, args: dict[str, str]) -> etree._Element:  # noqa: N802
        if "resumptionToken" in args:
            raise OaiError("badResumptionToken", "ListSets is answered whole; it issues no resumptionToken")
        out = self._e(None, "ListSets")
        for oai_set in self.index.sets:
            element = self._e(out, "set")
            self._e(element, "setSpec", oai_set.spec)
            self._e(element, "setName", crosswalk.text(oai_set.name))
        return out

    def _prefix(self, args: dict[str, str]) -> str:
        prefix = args["metadataPrefix"]
        if prefix not in crosswalk.FORMATS:
            raise OaiError("cannotDisseminateFormat", f"{prefix!r} is not a metadata format of this repository "
                           f"(ListMetadataFormats lists them)")
        return prefix

    def GetRecord(self, args: dict[str, str]) -> etree._Element:  # noqa: N802
        item = self._item(args["identifier"])
        prefix = self._prefix(args)
        out = self._e(None, "GetRecord")
        self._records(out, [item], prefix)
        return out

    def ListIdentifiers(self, args: dict[str, str]) -> etree._Element:  # noqa: N802
        return self._list("ListIdentifiers", args)

    def ListRecords(self, args: dict[str, str]) -> etree._Element:  # noqa: N802
        return self._list("ListRecords", args)

    def _list(self, verb: str, args: dict[str, str]) -> etree._Element:
        last: tuple[str, str] | None = None
        if "resumptionToken" in args:
            args, last = read_token(args["resumptionToken"])
        prefix = self._prefix(args)
        start, until = _window(args)
        spec = args.get("set")
        positions: Sequence[int] = self.index.select(spec, start, until) if spec is None or self.index.has_set(spec) else []
        cursor = 0 if last is None else self.index.after(positions, last)
        size = settings().oai_page_size
        page = [self.index.items[p] for p in positions[cursor:cursor + size]]
        if not page:
            raise OaiError("noRecordsMatch", "no record matches these arguments" if last is None
                           else "no record remains after this resumptionToken")
        out = self._e(None, verb)
        if verb == "ListRecords":
            self._records(out, page, prefix)
        else:
            for item in page:
                self._header(out, item)
        more = cursor + len(page) < len(positions)
        if more or last is not None:
            # an empty token closes a resumed list
            self._e(out, "resumptionToken", make_token(args, page[-1]) if more else None,
                    completeListSize=str(len(positions)), cursor=str(cursor))
        return out

    def _header(self, parent: etree._Element, item: Item) -> None:
        header = self._e(parent, "header", status="deleted") if item.deleted else self._e(parent, "header")
        self._e(header, "identifier", self.identifier(item.id))
        self._e(header, "datestamp", item.datestamp)
        for spec in item.sets:
            self._e(header, "setSpec", spec)

    def _records(self, parent: etree._Element, items: list[Item], prefix: str) -> None:
        for item, resolved in zip(items, self.index.resolved(items), strict=True):
            record = self._e(parent, "record")
            self._header(record, item)
            if resolved is not None:
                self._e(record, "metadata").append(crosswalk.metadata(prefix, resolved, self.iris))

