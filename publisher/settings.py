"""Every setting, declared once: its name, default and help.

The CLI options, the `PUBLISHER_*` environment variables and the README's settings table
all come from `SETTINGS`; a test checks the README against it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field, fields, replace
from typing import Any

from publisher.errors import UsageError


@dataclass(frozen=True)
class Setting:
    name: str
    default: Any
    help: str
    type: type = str
    choices: tuple[str, ...] = ()

    @property
    def env(self) -> str:
        return "PUBLISHER_" + self.name.upper()

    @property
    def option(self) -> str:
        return "--" + self.name.replace("_", "-")


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "store", "var/store",
        "Where the published graph lives: a directory (the embedded Oxigraph store, created if missing) or a SPARQL "
        "store's URL: oxigraph+http://HOST:PORT/, virtuoso+http://HOST:PORT/ or sparql+http://HOST/PATH (see "
        "'Remote store').",
    ),
    Setting("store_name", "catalogue",
            "Name of the catalogue in a remote store (its graphs are urn:x-publisher:NAME:…): several share one server."),
    Setting("store_files", "var/store-files",
            "With a remote store: the directory of each version's manifest, ledger and dumps; every web host must "
            "see the same one (NFS or the like)."),
    Setting("store_user", "", "User a remote store's updates and Graph Store writes authenticate as (digest or basic)."),
    Setting("store_password", "", "Password of --store-user; prefer the environment variable, never logged nor printed."),
    Setting("store_update_url", "", "A sparql+http store's SPARQL Update endpoint."),
    Setting("store_gsp_url", "", "A sparql+http store's Graph Store HTTP Protocol endpoint."),
    Setting("store_bulk_dir", "",
            "With a virtuoso+http store: load each version with Virtuoso's bulk loader (ld_add, rdf_loader_run) from "
            "N-Triples files the build writes here, instead of Graph Store posts. Virtuoso must read it at the same "
            "path: list it in DirsAllowed of its virtuoso.ini. Needs --store-sql."),
    Setting("store_sql", "",
            "With --store-bulk-dir: Virtuoso's SQL port as HOST:PORT ([Parameters] ServerPort, 1111 by default), "
            "reached with isql-vt as --store-user and --store-password."),
    Setting("store_bulk_loaders", 1, "With --store-bulk-dir: rdf_loader_run() sessions Virtuoso runs at once.", int),
    Setting("base", "http://127.0.0.1:5000/", "Base IRI of every published resource; must end with '/'."),
    Setting("rejects", "rejects.jsonl", "Where `build` and `validate` write rejected records, whole, with their reasons."),
    Setting("workers", 0, "Processes that map and validate records; 0 means one per CPU core.", int),
    Setting(
        "validator", "oxigraph", "SHACL engine: 'oxigraph' (shapes compiled to SPARQL, fast) or 'pyshacl' (the reference).",
        str, ("oxigraph", "pyshacl"),
    ),
    Setting("extra_shapes", "", "A Turtle file or a directory of them: local SHACL rules checked on top of shapes/."),
    Setting(
        "keep_versions", 2,
        "Published versions kept on disk (the current one included), for readers still on an older one.", int,
    ),
    Setting("license", "https://creativecommons.org/licenses/by/4.0/", "Licence IRI of the dataset as a whole."),
    Setting("title", "Vidéos de la recherche en sciences de gestion", "Title of the dataset."),
    Setting("host", "127.0.0.1", "Address `serve` listens on (0.0.0.0 for every interface)."),
    Setting("port", 5000, "Port `serve` listens on.", int),
    Setting("pointer_interval", 1.0,
            "With a remote store: seconds each web process keeps the version pointer it read before asking the store "
            "again (0: at every request); a republish reaches every process within this time. The embedded store's "
            "pointer is read at every request.", float),
    Setting("sparql_timeout", 30.0, "Seconds a SPARQL query may run before it is stopped (its worker process is killed).",
            float),
    Setting("sparql_rows", 10000, "Most rows (or triples) a SPARQL answer holds; a longer one is cut and says so.", int),
    Setting("sparql_workers", 2, "Query worker processes per web process: how many queries run at once.", int),
    Setting("sparql_services", "", "Comma-separated endpoint IRIs a query may call with SERVICE (none by default)."),
    Setting("sparql_cache_mb", 128, "Memory each web process gives to cached SPARQL answers; 0 turns the cache off.", int),
    Setting("max_request_bytes", 65536, "Largest request body accepted (a larger one gets 413).", int),
    Setting("oai_page_size", 100, "Records or identifiers in each page of an OAI-PMH list (then a resumptionToken).", int),
    Setting("admin_email", "admin@example.org", "Address OAI-PMH's Identify gives harvesters to write to."),
)


@dataclass(frozen=True)
class Settings:
    store: str = "var/store"
    store_name: str = "catalogue"
    store_files: str = "var/store-files"
    store_user: str = ""
    store_password: str = field(default="", repr=False)
    store_update_url: str = ""
    store_gsp_url: str = ""
    store_bulk_dir: str = ""
    store_sql: str = ""
    store_bulk_loaders: int = 1
    base: str = "http://127.0.0.1:5000/"
    rejects: str = "rejects.jsonl"
    workers: int = 0
    validator: str = "oxigraph"
    extra_shapes: str = ""
    keep_versions: int = 2
    license: str = "https://creativecommons.org/licenses/by/4.0/"
    title: str = "Vidéos de la recherche en sciences de gestion"
    host: str = "127.0.0.1"
    port: int = 5000
    pointer_interval: float = 1.0
    sparql_timeout: float = 30.0
    sparql_rows: int = 10000
    sparql_workers: int = 2
    sparql_services: str = ""
    sparql_cache_mb: int = 128
    max_request_bytes: int = 65536
    oai_page_size: int = 100
    admin_email: str = "admin@example.org"

    def __post_init__(self) -> None:
        if not self.base.endswith("/") or "://" not in self.base:
            raise UsageError(f"--base must be an absolute IRI ending with '/', got {self.base!r}")
        if self.validator not in ("oxigraph", "pyshacl"):
            raise UsageError(f"--validator must be 'oxigraph' or 'pyshacl', got {self.validator!r}")
        if self.keep_versions < 1:
            raise UsageError("--keep-versions must be at least 1")
        if self.workers < 0:
            raise UsageError("--workers must be 0 (one per core) or more")
        if self.oai_page_size < 1:
            raise UsageError("--oai-page-size must be at least 1")
        if not re.fullmatch(r"\S+@(\S+\.)+\S+", self.admin_email):
            raise UsageError(f"--admin-email must be an e-mail address, got {self.admin_email!r}")
        if not 0 <= self.port <= 65535:
            raise UsageError(f"--port must be between 0 and 65535, got {self.port}")
        if self.sparql_timeout <= 0 or self.sparql_rows < 1 or self.sparql_workers < 1 or self.max_request_bytes < 1024:
            raise UsageError("--sparql-timeout must be positive, --sparql-rows and --sparql-workers at least 1, "
                             "--max-request-bytes at least 1024")
        if not re.fullmatch(r"[A-Za-z0-9_.-]+", self.store_name):
            raise UsageError(f"--store-name must be letters, digits, '_', '.' or '-', got {self.store_name!r}")
        if not 0 <= self.pointer_interval <= 3600:
            raise UsageError(f"--pointer-interval must be between 0 and 3600 seconds, got {self.pointer_interval:g}")
        if bool(self.store_bulk_dir) != bool(self.store_sql):
            raise UsageError("--store-bulk-dir and --store-sql go together: Virtuoso's bulk loader needs the directory "
                             "it reads and its SQL port; give both, or neither for Graph Store posts")
        if self.store_bulk_loaders < 1:
            raise UsageError("--store-bulk-loaders must be at least 1")
        if self.sparql_cache_mb < 0:
            raise UsageError("--sparql-cache-mb must be 0 (no cache) or more")

    @property
    def remote_store(self) -> bool:
        """A SPARQL store's URL rather than a directory."""
        return "+http" in self.store.split("://", 1)[0]

    @property
    def allowed_services(self) -> frozenset[str]:
        return frozenset(iri.strip() for iri in self.sparql_services.split(",") if iri.strip())

    @property
    def worker_count(self) -> int:
        return self.workers or os.cpu_count() or 1


def settings_table() -> str:
    """The README's settings table (a test keeps the README equal to it)."""
    rows = ["| option | environment | default | meaning |", "| --- | --- | --- | --- |"]
    for s in SETTINGS:
        default = f"`{s.default}`" if s.default != "" else "(none)"
        rows.append(f"| `{s.option}` | `{s.env}` | {default} | {s.help} |")
    return "\n".join(rows)


def load_settings(env: Mapping[str, str] | None = None, **given: Any) -> Settings:
    """Defaults, overridden by `PUBLISHER_*` variables, overridden by explicit values (not None)."""
    env = os.environ if env is None else env
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        if setting.env in env:
            values[setting.name] = _convert(setting, env[setting.env])
        if given.get(setting.name) is not None:
            values[setting.name] = given[setting.name]
    return replace(Settings(), **values)


def _convert(setting: Setting, text: str) -> Any:
    if setting.type in (int, float):
        try:
            return setting.type(text)
        except ValueError:
            kind = "an integer" if setting.type is int else "a number"
            raise UsageError(f"{setting.env} must be {kind}, got {text!r}") from None
    return text


assert [s.name for s in SETTINGS] == [f.name for f in fields(Settings)]
assert all(s.default == f.default for s, f in zip(SETTINGS, fields(Settings), strict=True))
