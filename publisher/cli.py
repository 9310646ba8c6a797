"""The `publisher` command: a thin layer over the functions the tests call.

Exit codes: 0 all good, 1 some records rejected, 2 usage error, 3 store unavailable.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from publisher.build import BuildReport, build
from publisher.errors import PublisherError
from publisher.links_cli import links
from publisher.querying import check_base
from publisher.settings import SETTINGS, Settings, load_settings

FormatChoice = click.Choice(["table", "csv", "json", "tsv"])
# Where `store` goes, the settings of a remote store go too.
STORE_SETTINGS = ("store", "store_name", "store_files", "store_user", "store_password", "store_update_url", "store_gsp_url",
                  "store_bulk_dir", "store_sql", "store_bulk_loaders")


def setting_options(*names: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Add the named settings as options; their defaults come from PUBLISHER_* or SETTINGS."""
    if "store" in names:
        names = names + STORE_SETTINGS

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        for setting in reversed([s for s in SETTINGS if s.name in names]):
            kind: Any = click.Choice(setting.choices) if setting.choices else setting.type
            shown = "" if setting.name == "store_password" else f"; default {setting.default}"
            help_text = f"{setting.help} [env {setting.env}{shown}]"
            command = click.option(setting.option, setting.name, type=kind, default=None, help=help_text)(command)
        return command

    return decorate


def explicit_base(options: dict[str, Any]) -> str | None:
    """--base or PUBLISHER_BASE when the user gave one, else None (not the default)."""
    given = options.get("base") or os.environ.get("PUBLISHER_BASE")
    return str(given) if given else None


def settings_from(options: dict[str, Any]) -> Settings:
    return load_settings(**{k: v for k, v in options.items() if k in {s.name for s in SETTINGS}})


class PublisherGroup(click.Group):
    """Turns the package's typed errors into a message and their exit code, at one boundary."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except PublisherError as problem:
            click.echo(f"error: {problem}", err=True)
            ctx.exit(problem.exit_code)


@click.group(cls=PublisherGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(package_name="publisher")
def main() -> None:
    """Publish a catalogue of research videos as validated linked data."""


@main.command("build")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@setting_options("store", "base", "rejects", "workers", "validator", "extra_shapes", "keep_versions", "license", "title")
@click.option("--full", is_flag=True, help="Republish from scratch: forget what was published before.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar and no summary; rejections are still printed.")
@click.option("--timings", is_flag=True, help="Also print, as JSON, the seconds each step took.")
def build_command(inputs: tuple[Path, ...], full: bool, quiet: bool, timings: bool, **options: Any) -> None:
    """Read, map, validate and publish INPUTS (files or directories) as a new version.

    The new version is prepared aside and replaces the published one only when complete.
    Rejected records are printed as file:line: field: reason and written whole, with their
    reasons, to the rejects file; fix them there and feed that file back.
    """
    settings = settings_from(options)
    report = _run(lambda progress: build(inputs, settings, full=full, on_progress=progress), quiet)
    _print_report(report, settings, quiet, "published")
    if timings:
        click.echo("time: " + json.dumps({k: round(v, 3) for k, v in report.seconds.items()}), err=True)
    sys.exit(report.exit_code)


@main.command("validate")
@click.argument("inputs", nargs=-1, required=True, type=click.Path(path_type=Path))
@setting_options("store", "base", "rejects", "workers", "validator", "extra_shapes")
@click.option("--quiet", "-q", is_flag=True, help="Print only the rejections.")
def validate_command(inputs: tuple[Path, ...], quiet: bool, **options: Any) -> None:
    """Check INPUTS as `build` would on top of what is published, without publishing anything."""
    settings = settings_from(options)
    report = _run(lambda progress: build(inputs, settings, check_only=True, on_progress=progress), quiet)
    _print_report(report, settings, quiet, "valid")
    sys.exit(report.exit_code)


def _run(step: Callable[[Callable[[int, int], None] | None], BuildReport], quiet: bool) -> BuildReport:
    from tqdm import tqdm

    bar: Any = None

    def progress(done: int, total: int) -> None:
        nonlocal bar
        if bar is None:
            bar = tqdm(total=total, unit="record", disable=quiet or total < 5000, file=sys.stderr)
        bar.update(done - bar.n)

    try:
        return step(progress)
    finally:
        if bar is not None:
            bar.close()


def _print_report(report: BuildReport, settings: Settings, quiet: bool, verb: str) -> None:
    for rejection in report.rejections:
        for error in rejection.errors:
            click.echo(f"{rejection.source}:{rejection.line}: {error.field or '-'}: {error.message}", err=True)
    if quiet:
        return
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    click.echo(
        f"records read: {report.records_read}, {verb}: {report.published} "
        f"(new {report.new}, replaced {report.replaced}, unchanged {report.unchanged}), "
        f"withdrawn: {report.withdrawn}, rejected: {report.rejected}, triples: {report.triples}"
    )
    if report.version:
        click.echo(f"version {report.version} published in {settings.store}")
    if report.rejections:
        click.echo(f"rejected records written to {settings.rejects}: fix them there and run this command on that file")


@main.command("query")
@click.argument("query", required=False)
@setting_options("store", "base")
@click.option("--named", metavar="NAME", help="Run the question NAME of queries/ (see --list).")
@click.option(
    "--param", "params", multiple=True, metavar="NAME=VALUE",
    help="A parameter of a question (with --named or a .rq file of the library); repeat for several.",
)
@click.option("--list", "list_questions", is_flag=True, help="List the questions of queries/ with their parameters.")
@click.option("--format", "fmt", type=FormatChoice, default="table", show_default=True, help="Output format.")
def query_command(
    query: str | None, named: str | None, params: tuple[str, ...], list_questions: bool, fmt: str, **options: Any
) -> None:
    """Run a SPARQL QUERY (text, or a .rq file) or a named question on the published graph.

    Relative IRIs in the query (`<video/innovation-publique>`) resolve against --base, by
    default the base the store was published with. Parameters are bound as values, never
    pasted into the query text.
    """
    from publisher import named_queries
    from publisher.querying import print_results, run_query

    if list_questions:
        _list_questions(named_queries.load_queries())
        return
    settings = settings_from(options)
    given = _parameters(params)
    if named is not None:
        results = named_queries.run_named(settings, named, given)
    elif query is None:
        raise click.UsageError("give a QUERY, a .rq file, --named NAME or --list")
    elif query.endswith(".rq"):
        path = Path(query)
        results = named_queries.run_file(settings, path, given) if given else run_query(
            settings, path.read_text(encoding="utf-8"), explicit_base(options)
        )
    else:
        results = run_query(settings, query, explicit_base(options))
    print_results(results, fmt, sys.stdout)


def _parameters(pairs: tuple[str, ...]) -> dict[str, str]:
    given = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name:
            raise click.BadParameter(f"{pair!r}: write NAME=VALUE", param_hint="--param")
        given[name.strip()] = value
    return given


def _list_questions(questions: dict[str, Any]) -> None:
    for name, question in sorted(questions.items()):
        params = ", ".join(f"{p.name} ({p.type}, default {p.default})" for p in question.params)
        click.echo(f"{name}: {question.title}" + (f"  [{params}]" if params else ""))


@main.command("dump")
@setting_options("store", "base")
@click.option(
    "--format", "fmt", type=click.Choice(["nt", "ttl", "jsonld", "rdfxml"]), default="nt",
    show_default=True, help="RDF format.",
)
@click.option("-o", "--output", type=click.Path(path_type=Path), help="File to write (default: standard output).")
def dump_command(fmt: str, output: Path | None, **options: Any) -> None:
    """Write the whole published graph in one RDF format.

    With --base, check first that the store was published under that base.
    """
    from publisher.querying import dump

    settings = settings_from(options)
    expected = explicit_base(options)
    if expected is not None:
        check_base(settings, expected)
    if output is None:
        dump(settings, fmt, sys.stdout.buffer)
    else:
        with output.open("wb") as out:
            dump(settings, fmt, out)


@main.command("serve")
@setting_options("store", "base", "host", "port", "pointer_interval", "sparql_timeout", "sparql_rows", "sparql_workers",
                 "sparql_services", "sparql_cache_mb", "max_request_bytes", "oai_page_size", "admin_email")
@click.option(
    "--workers", "gunicorn_workers", type=click.IntRange(min=0), default=0, show_default=True,
    help="0: Werkzeug's threaded server; N: gunicorn with N worker processes.",
)
def serve_command(gunicorn_workers: int, **options: Any) -> None:
    """Serve the published store over HTTP: resources in HTML, Turtle, JSON-LD, N-Triples and
    RDF/XML, browse and search pages, the SPARQL endpoint /sparql and the questions of queries/
    at /api/queries. New publications are served without a restart.

    With --base, check first that the store was published under that base.
    """
    from publisher.web.serving import serve

    settings = settings_from(options)
    expected = explicit_base(options)
    if expected is not None:
        check_base(settings, expected)
    serve(settings, gunicorn_workers)


@main.command("demo-data")
@click.option("--videos", type=click.IntRange(min=1), required=True, help="How many video records to generate.")
@click.option(
    "-o", "--output", type=click.Path(path_type=Path), default=Path("demo-data"), show_default=True,
    help="Directory to write into.",
)
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed: the same seed gives the same files.")
@click.option(
    "--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True,
    help="Format of the video records.",
)
def demo_data_command(videos: int, output: Path, seed: int, fmt: str) -> None:
    """Generate a realistic, fictional catalogue (videos, institutions, people)."""
    from publisher.demo import write_demo_data

    counts = write_demo_data(output, videos, seed=seed, fmt=fmt)
    click.echo(", ".join(f"{name}: {n}" for name, n in counts.items()) + f" written to {output}")


main.add_command(links)


def run() -> None:
    main()


__all__ = ["main", "run"]
