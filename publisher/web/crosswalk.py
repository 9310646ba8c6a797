"""Crosswalks from a published record to the metadata formats of OAI-PMH: oai_dc, rdf
(the record's own statements of the profile, as RDF/XML) and marcxml (MARC 21).

docs/oai.md documents each mapping field by field. Every value goes through lxml or pymarc
as data, never pasted into markup; characters XML cannot carry are dropped.
"""

from __future__ import annotations

import mimetypes
import re
from dataclasses import dataclass

import pymarc
import pyoxigraph as ox
from lxml import etree

from publisher.entities import Institution
from publisher.mapping import Mapper, as_ntriples
from publisher.terms import PREFIXES, Iris
from publisher.web.oai_index import Resolved

XML_NS = "http://www.w3.org/XML/1998/namespace"
XSI = "http://www.w3.org/2001/XMLSchema-instance"
OAI_DC = "http://www.openarchives.org/OAI/2.0/oai_dc/"
DC = "http://purl.org/dc/elements/1.1/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
MARC = "http://www.loc.gov/MARC21/slim"
DCMI_MOVING_IMAGE = "MovingImage"


@dataclass(frozen=True)
class MetadataFormat:
    prefix: str
    schema: str
    namespace: str


FORMATS = {
    f.prefix: f
    for f in (
        MetadataFormat("oai_dc", "http://www.openarchives.org/OAI/2.0/oai_dc.xsd", OAI_DC),
        MetadataFormat("rdf", "http://www.openarchives.org/OAI/2.0/rdf.xsd", RDF),
        MetadataFormat("marcxml", "http://www.loc.gov/standards/marcxml/schema/MARC21slim.xsd", MARC),
    )
}

# Characters XML 1.0 cannot carry (C0 controls but tab and line breaks, lone surrogates, U+FFFE/F).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def text(value: str) -> str:
    return _NOT_XML.sub("", value)


def has_non_xml(value: str) -> bool:
    return _NOT_XML.search(value) is not None


def metadata(prefix: str, r: Resolved, iris: Iris) -> etree._Element:
    if prefix == "oai_dc":
        return oai_dc(r, iris)
    if prefix == "rdf":
        return rdf(r, iris)
    return marcxml(r, iris)


# --- oai_dc --------------------------------------------------------------------------------


def family_given(family: str, given: str) -> str:
    """The catalogue's inverted form of a person's name: `Rival, Madina`."""
    return f"{family}, {given}" if given else family


def institutions_of(r: Resolved) -> list[Institution]:
    return list({id(i): i for i in r.institutions if i is not None}.values())


def oai_dc(r: Resolved, iris: Iris) -> etree._Element:
    rec = r.record
    root = etree.Element(f"{{{OAI_DC}}}dc", nsmap={"oai_dc": OAI_DC, "dc": DC, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{OAI_DC} {FORMATS['oai_dc'].schema}")

    def add(name: str, value: str, lang: str | None = None) -> None:
        element = etree.SubElement(root, f"{{{DC}}}{name}")
        element.text = text(value)
        if lang:
            element.set(f"{{{XML_NS}}}lang", lang)

    add("title", rec.title, rec.language)
    for person in r.people:
        add("creator", family_given(person.family, person.given))
    for theme in r.themes:
        add("subject", theme.label, theme.language)
    for keyword in rec.keywords:
        add("subject", keyword, rec.language)
    if rec.description is not None:
        add("description", rec.description, rec.language)
    if rec.published is not None:
        add("date", rec.published)
    add("type", DCMI_MOVING_IMAGE)
    media_type = mimetypes.guess_type(rec.content_url)[0] if rec.content_url else None
    if media_type:
        add("format", media_type)
    if rec.duration is not None:
        add("format", rec.duration)
    add("language", rec.language)
    add("identifier", iris.video(rec.id))
    if rec.url is not None:
        add("identifier", rec.url)
    if rec.license is not None:
        add("rights", rec.license)
    for institution in institutions_of(r):
        add("relation", iris.organization(institution.slug))
    return root


# --- rdf -----------------------------------------------------------------------------------


def rdf(r: Resolved, iris: Iris) -> etree._Element:
    """The record's statements exactly as the graph publishes them, in RDF/XML."""
    ntriples = as_ntriples(Mapper(iris, r.registry).video(r.record, r.modified))
    triples = [q.triple for q in ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES)]
    data = ox.serialize(triples, format=ox.RdfFormat.RDF_XML, prefixes=PREFIXES)
    assert data is not None
    return etree.fromstring(data)


# --- marcxml -------------------------------------------------------------------------------

MARC_LANGUAGES = {
    "fr": "fre", "en": "eng", "es": "spa", "de": "ger", "it": "ita", "pt": "por", "nl": "dut",
    "ar": "ara", "zh": "chi", "ja": "jpn", "ru": "rus", "pl": "pol", "ro": "rum", "el": "gre",
}
_DURATION = re.compile(r"PT(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?\Z")


def marc_language(tag: str) -> str:
    return MARC_LANGUAGES.get(tag.split("-")[0], "und")


def hhmmss(duration: str) -> str | None:
    """306 $a: an xsd:duration (`PT1H2M3S`) as HHMMSS; None beyond 99 hours."""
    found = _DURATION.match(duration)
    if found is None:
        return None
    hours, minutes, seconds = (int(part or 0) for part in found.groups())
    return f"{hours:02d}{minutes:02d}{seconds:02d}" if hours < 100 else None


def _field(tag: str, ind: str, *subfields: tuple[str, str | None]) -> pymarc.Field:
    return pymarc.Field(
        tag=tag,
        indicators=pymarc.Indicators(ind[0], ind[1]),
        subfields=[pymarc.Subfield(code, text(value)) for code, value in subfields if value],
    )


def marc_record(r: Resolved, iris: Iris) -> pymarc.Record:
    rec = r.record
    marc = pymarc.Record(leader="     ngm a22     7i 4500", force_utf8=True)
    stamp = r.modified.replace("-", "").replace(":", "").replace("T", "").rstrip("Z")
    year = (rec.published or "")[:4]
    minutes = hhmmss(rec.duration or "")
    running = f"{min(int(minutes[:2]) * 60 + int(minutes[2:4]), 999):03d}" if minutes else "---"
    fixed = f"{stamp[2:8]}{'s' if year else 'n'}{year or '    '}    xx {running}        o   vl{marc_language(rec.language)} d"
    marc.add_field(
        pymarc.Field(tag="001", data=rec.id),
        pymarc.Field(tag="005", data=f"{stamp}.0"),
        pymarc.Field(tag="008", data=fixed),
        _field("024", "7 ", ("a", iris.video(rec.id)), ("2", "uri")),
        _field("024", "8 ", ("a", rec.id)),
        _field("041", "  ", ("a", marc_language(rec.language))),
    )
    for n, (person, institution) in enumerate(zip(r.people, r.institutions, strict=True)):
        marc.add_field(_field(
            "100" if n == 0 else "700", "1 ",
            ("a", family_given(person.family, person.given)),
            ("e", "speaker"),
            ("u", institution.name if institution else None),
            ("0", iris.person(person.slug)),
            *(("1", value) for value in sorted(person.ids.values())),
        ))
    marc.add_field(_field("245", "10", ("a", rec.title)))
    if rec.published:
        marc.add_field(_field("264", " 1", ("c", rec.published[:4])))
    if minutes:
        marc.add_field(_field("306", "  ", ("a", minutes)))
    if rec.description:
        marc.add_field(_field("520", "  ", ("a", rec.description)))
    if rec.license:
        marc.add_field(_field("540", "  ", ("u", rec.license)))
    for theme in r.themes:
        marc.add_field(_field("650", " 7", ("a", theme.label), ("0", iris.theme(theme.slug)), ("2", "local")))
    for keyword in rec.keywords:
        marc.add_field(_field("653", "  ", ("a", keyword)))
    for institution in institutions_of(r):
        marc.add_field(_field("710", "2 ", ("a", institution.name), ("0", iris.organization(institution.slug))))
    if rec.url:
        marc.add_field(_field("856", "40", ("u", rec.url), ("z", "Page of the video on the source platform")))
    if rec.content_url:
        marc.add_field(_field("856", "40", ("u", rec.content_url), ("z", "Video file")))
    marc.add_field(_field("856", "42", ("u", iris.video(rec.id)), ("z", "Linked-data description")))
    return marc


def marcxml(r: Resolved, iris: Iris) -> etree._Element:
    """The pymarc record as MARCXML, written with lxml: the same elements as `pymarc.record_to_xml`,
    without its round trip through xml.etree, bytes and a parse back into lxml."""
    marc = marc_record(r, iris)
    root = etree.Element(f"{{{MARC}}}record", nsmap={None: MARC, "xsi": XSI})
    root.set(f"{{{XSI}}}schemaLocation", f"{MARC} {FORMATS['marcxml'].schema}")
    etree.SubElement(root, f"{{{MARC}}}leader").text = str(marc.leader)
    for field in marc.fields:
        if field.is_control_field():
            etree.SubElement(root, f"{{{MARC}}}controlfield", tag=field.tag).text = field.data
            continue
        data = etree.SubElement(root, f"{{{MARC}}}datafield", tag=field.tag, ind1=field.indicator1, ind2=field.indicator2)
        for subfield in field.subfields:
            etree.SubElement(data, f"{{{MARC}}}subfield", code=subfield.code).text = subfield.value
    return root
