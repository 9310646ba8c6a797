"""A generated catalogue whose authority files no longer match some of its people and
institutions: their rows are written under another form of the name, as librarians' files do
(`Rival, M.`, `Madina Rival`, a typo, an acronym...). Used to measure `links suggest`."""

from __future__ import annotations

import csv
import json
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from publisher.demo import write_demo_data
from publisher.name_match import acronym
from publisher.names import parse_name, recase_family
from publisher.terms import fold


@dataclass
class Perturbed:
    directory: Path
    people: dict[str, str] = field(default_factory=dict)  # folded name as the records write it -> row name now
    institutions: dict[str, str] = field(default_factory=dict)  # folded label as written -> row label now


def _initials(given: str) -> str:
    return " ".join("-".join(part[0] + "." for part in word.split("-") if part) for word in given.split())


def _typo(word: str, rng: random.Random) -> str:
    letters = fold(word).upper()
    at = rng.randrange(1, len(letters) - 2)
    if rng.random() < 0.5:
        return letters[:at] + letters[at + 1:]  # a letter dropped
    return letters[:at] + letters[at + 1] + letters[at] + letters[at + 2:]  # two swapped


PERSON_VARIANTS: dict[str, Callable[[str, str, random.Random], str]] = {
    "family, initials": lambda f, g, r: f"{recase_family(f)}, {_initials(g)}",
    "initials family": lambda f, g, r: f"{_initials(g)} {recase_family(f)}",
    "given family": lambda f, g, r: f"{g} {recase_family(f)}",
    "family, given": lambda f, g, r: f"{recase_family(f)}, {g}",
    "no accent, a typo": lambda f, g, r: f"{_typo(f, r)} {fold(g).title()}",
    "hyphens and particles": lambda f, g, r: f"{f.replace('-', ' ')} {g.replace('-', ' ')}".replace("DE ", "").strip(),
}


def perturb(directory: Path, videos: int, seed: int, share: float = 0.3) -> Perturbed:
    write_demo_data(directory, videos, seed=seed)
    rng = random.Random(f"perturb:{seed}")
    out = Perturbed(directory)
    with_inline_ids, labels_written = _written(directory / "videos.jsonl")
    people = _read(directory / "people.csv")
    for row in people:
        if fold(row["name"]) in with_inline_ids or rng.random() >= share:
            continue
        name, _ = parse_name(row["name"])
        variant = rng.choice(sorted(PERSON_VARIANTS))
        if variant == "no accent, a typo" and len(name.family) < 5:
            variant = "family, initials"
        new = PERSON_VARIANTS[variant](name.family, name.given, rng)
        if fold(new) != fold(row["name"]):
            out.people[fold(row["name"])] = new
            row["name"] = new
    _write(directory / "people.csv", people)
    rows = _read(directory / "institutions.csv")
    for row in rows:
        used = fold(row["label"]) in labels_written
        if not used or not any(row[k] for k in ("ror", "idref", "isni", "wikidata")) or rng.random() >= share:
            continue
        new = _institution_variant(row, rng)
        written = {fold(v) for v in (row["label"], *row["alt_labels"].split(";")) if v} & labels_written
        if new is None or fold(new) in labels_written:
            continue
        for label in written:
            out.institutions[label] = new
        row["label"] = new
        row["alt_labels"] = ";".join(a for a in row["alt_labels"].split(";") if a and fold(a) not in labels_written)
        if fold(row["name"]) in labels_written:
            row["name"] = ""
    _write(directory / "institutions.csv", rows)
    return out


def _institution_variant(row: dict[str, str], rng: random.Random) -> str | None:
    label = row["label"]
    if "-" in label and " " not in label:  # a lab: LIRSA-CNAM
        acronym_part, _, short = label.partition("-")
        return rng.choice([f"{acronym_part} ({short})", f"{short} - {acronym_part}", f"{acronym_part} {short}"])
    letters = acronym(label).upper()
    if len(label.split()) >= 3 and len(letters) >= 3 and rng.random() < 0.5:
        return letters
    words = label.split()
    if len(words) >= 2:
        return f"{words[-1]}, {' '.join(words[:-1])}"
    return None


def _written(records: Path) -> tuple[set[str], set[str]]:
    """Folded names of speakers who carry ids in some record; folded labels written."""
    names, labels = set(), set()
    with records.open(encoding="utf-8") as lines:
        for line in lines:
            for speaker in json.loads(line)["speakers"]:
                name = speaker["name"]
                written = name if isinstance(name, str) else f"{name['family'].upper()} {name['given']}"
                if speaker.get("ids"):
                    names.add(fold(written))
                if speaker.get("institution"):
                    labels.add(fold(speaker["institution"]))
    return names, labels


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _write(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
