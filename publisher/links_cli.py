"""`publisher links suggest` and `publisher links accept`: the commands over `linking` and
`link_accept`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from publisher.querying import published


@click.group("links")
def links() -> None:
    """Link published people and institutions to library authorities.

    `suggest` proposes, from the authority files, identifiers for the people and institutions
    published without any; a librarian marks the right ones in its `accept` column; `accept`
    writes them back into the authority files, and the next `publisher build` publishes them
    as owl:sameAs and schema:sameAs links (listed in the linkset dump dumps/links.nt.gz).
    """


@links.command("suggest")
@click.argument("authority_files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--store", default=None, help="Directory of the published store [env PUBLISHER_STORE; default var/store].")
@click.option("-o", "--output", type=click.Path(path_type=Path), help="CSV file to write (default: standard output).")
@click.option("--threshold", type=click.FloatRange(0, 1), default=0.85, show_default=True,
              help="Lowest score proposed (1 = the names are the same).")
@click.option("--per-entity", type=click.IntRange(min=1), default=3, show_default=True,
              help="Most candidates proposed for one person or institution.")
def suggest_command(authority_files: tuple[Path, ...], store: str | None, output: Path | None, threshold: float,
                    per_entity: int) -> None:
    """Propose authority rows for the published people and institutions that have no identifier.

    AUTHORITY_FILES are people.* and institutions.* files (or directories holding them).
    Candidates are their rows none of whose identifiers is published. The CSV has one row per
    (entity, candidate): the entity's IRI and published name, where a person spoke from, the
    candidate's name, file, line and identifiers, a score in [0, 1] and its evidence in words,
    and an empty `accept` column: write `yes` there for the right ones, then run `links accept`.
    Best first; people are compared by name only (the people file has no affiliation column),
    institutions also by the institutions their speakers spoke for.
    """
    from publisher.linking import suggest_links, write_suggestions

    found = suggest_links(published(_settings(store)), authority_files, threshold, per_entity)
    for warning in found.warnings:
        click.echo(f"warning: {warning}", err=True)
    if output is None:
        write_suggestions(found.suggestions, sys.stdout)
    else:
        _write_atomically(output, lambda out: write_suggestions(found.suggestions, out))
    linked = len({s.entity.iri for s in found.suggestions})
    click.echo(f"{found.entities} people and institutions published without identifier, {found.candidates} authority "
               f"rows attached to nobody: {len(found.suggestions)} suggestions for {linked} of them", err=True)


@links.command("accept")
@click.argument("suggestions", type=click.Path(path_type=Path, exists=True, dir_okay=False))
@click.argument("authority_files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--store", default=None, help="Directory of the published store [env PUBLISHER_STORE; default var/store].")
def accept_command(suggestions: Path, authority_files: tuple[Path, ...], store: str | None) -> None:
    """Write the rows of SUGGESTIONS marked accepted into AUTHORITY_FILES.

    `accept` holds yes (also y, x, 1, true, oui) or is left empty (or no). A person's
    published name is added as a new row of the people file with the candidate's identifiers;
    an institution's published label is added to the candidate row's alt_labels. No row is
    removed or moved; each file is replaced at once, and only when every row is valid: a bad
    row is reported as file:line: field: reason and nothing is written. Then run
    `publisher build` to publish the links.
    """
    from publisher.link_accept import accept

    outcome = accept(suggestions, authority_files, published(_settings(store)))
    for note in outcome.notes:
        click.echo(f"note: {note}", err=True)
    click.echo(f"{outcome.accepted} links accepted: {', '.join(str(p) for p in outcome.written) or 'nothing'} written",
               err=True)


def _settings(store: str | None) -> Any:
    from publisher.settings import load_settings

    return load_settings(store=store)


def _write_atomically(path: Path, write: Any) -> None:
    from publisher.link_accept import replace_file

    replace_file(path, write)
