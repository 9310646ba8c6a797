"""Fictional authority data for `demo.py`: identifiers and the institutions file.

Identifiers have valid shapes and check characters, so that they exercise the publisher's
checks, but they are INVENTED: they are not meant to point at anybody, and must never be
published as real links. Wikidata ids are drawn above Q990000000, where no item exists today.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass

from publisher import demo_vocab as vocab
from publisher.authorities import CROCKFORD, mod11_2, ppn_check, ror_check
from publisher.terms import fold, make_slug

KIND = "_kind"  # internal column: university, school, iae or lab




# --- fictional identifiers -------------------------------------------------------------

def _digits(rng: random.Random, count: int) -> str:
    return f"{rng.randrange(10 ** count):0{count}d}"


def orcid(rng: random.Random) -> str:
    body = f"0000000{rng.choice('123')}{_digits(rng, 7)}"
    full = body + mod11_2(body)
    short = "-".join(full[i : i + 4] for i in range(0, 16, 4))
    return f"https://orcid.org/{short}" if rng.random() < 0.1 else short


def isni(rng: random.Random) -> str:
    body = "0000000" + _digits(rng, 8)
    full = body + mod11_2(body)
    return " ".join(full[i : i + 4] for i in range(0, 16, 4)) if rng.random() < 0.3 else full


def idref(rng: random.Random) -> str:
    body = _digits(rng, 8)
    return body + ppn_check(body)


def ror(rng: random.Random) -> str:
    body = "0" + "".join(rng.choice(CROCKFORD) for _ in range(6))
    return body + ror_check(body)


def wikidata(rng: random.Random) -> str:
    return f"Q{rng.randrange(990_000_000, 999_999_999)}"


def viaf(rng: random.Random) -> str:
    return str(rng.randrange(10_000_000, 9_999_999_999))


# --- institutions ----------------------------------------------------------------------

@dataclass
class _Labels:
    """Folded labels and variants already used: two institutions must never fold together."""

    taken: set[str]

    def claim(self, label: str) -> bool:
        key = fold(label)
        if key in self.taken:
            return False
        self.taken.add(key)
        return True


_ID_RATES = {  # kind -> (ror, wikidata, idref, isni, url)
    "university": (0.7, 0.6, 0.5, 0.3, 0.9),
    "school": (0.7, 0.6, 0.5, 0.3, 0.9),
    "iae": (0.2, 0.3, 0.3, 0.1, 0.6),
    "lab": (0.15, 0.1, 0.3, 0.1, 0.4),
}


def _institution_row(rng: random.Random, labels: _Labels, kind: str, label: str, name: str,
                     parent: str = "", alt_labels: Iterable[str] = ()) -> dict[str, str]:
    row = {"label": label, "name": name}
    alts = [alt for alt in alt_labels if labels.claim(alt)]
    if alts:
        row["alt_labels"] = ";".join(alts)
    if parent:
        row["parent"] = parent
    ror_rate, wikidata_rate, idref_rate, isni_rate, url_rate = _ID_RATES[kind]
    if rng.random() < url_rate:
        row["url"] = f"https://{make_slug(label)}.example.org/"
    for field, rate, make in (("ror", ror_rate, ror), ("idref", idref_rate, idref),
                              ("isni", isni_rate, isni), ("wikidata", wikidata_rate, wikidata)):
        if rng.random() < rate:
            row[field] = make(rng)
    row[KIND] = kind
    return row


def _iae(city: str) -> tuple[str, str, str]:
    """Label, full name and short variant of the IAE of a city (`IAE d’Orléans`)."""
    of_city = f"d’{city}" if city[:1] in "AEIOUÉÈÊ" else f"de {city}"
    return f"IAE {of_city}", f"Institut d’administration des entreprises {of_city}", f"IAE {city}"


def institution_rows(seed: int) -> list[dict[str, str]]:
    """About 245 institutions: universities, schools, their IAE and labs (with parents)."""
    rng = random.Random(f"demo-institutions:{seed}")
    labels = _Labels(set())
    for label in [u[0] for u in vocab.UNIVERSITIES] + [s[0] for s in vocab.SCHOOLS]:
        labels.claim(label)
    rows = [_institution_row(rng, labels, "university", label, name, alt_labels=alts)
            for label, _short, name, _city, alts in vocab.UNIVERSITIES]
    rows += [_institution_row(rng, labels, "school", label, name, parent)
             for label, name, parent in vocab.SCHOOLS]
    for parent, _short, _name, city, _alts in vocab.UNIVERSITIES:
        if city:
            label, name, variant = _iae(city)
            if labels.claim(label):
                rows.append(_institution_row(rng, labels, "iae", label, name, parent, [variant]))
    rows += _lab_rows(rng, labels)
    return rows


def _lab_rows(rng: random.Random, labels: _Labels, count: int = 140) -> list[dict[str, str]]:
    parents = [(u[0], u[1]) for u in vocab.UNIVERSITIES]
    parents += [(s[0], s[0]) for s in vocab.SCHOOLS[:12]]
    anchors = [(vocab.LABS[0], parents[0]), (vocab.LABS[1], parents[1])]  # LIRSA-CNAM, DRM-Dauphine
    rows: list[dict[str, str]] = []
    while len(rows) < count:
        (acronym, long_name), (parent, short) = (
            anchors[len(rows)] if len(rows) < len(anchors)
            else (rng.choice(vocab.LABS), rng.choice(parents)))
        label = f"{acronym}-{short}"
        if not labels.claim(label):
            continue
        alts = [f"{acronym} ({short})"] if rng.random() < 0.3 else []
        rows.append(_institution_row(rng, labels, "lab", label, f"{long_name}, {parent}",
                                     parent, alts))
    return rows


def generate_institutions(seed: int = 0) -> list[dict[str, str]]:
    """Authority rows (`institutions.csv` fields; absent fields left out). Fictional ids."""
    return [{k: v for k, v in row.items() if k != KIND} for row in institution_rows(seed)]
