"""Typed errors, each carrying the exit code the CLI maps it to (and later an HTTP status)."""

from __future__ import annotations


class PublisherError(Exception):
    exit_code = 1
    http_status = 500


class UsageError(PublisherError):
    """Bad command-line use or unusable input path: exit 2."""

    exit_code = 2
    http_status = 400


class StoreUnavailable(PublisherError):
    """The store cannot be opened or reached: exit 3."""

    exit_code = 3
    http_status = 503


class StoreTimeout(StoreUnavailable):
    """A remote store did not answer within the time allowed."""


class BuildInProgress(PublisherError):
    """Another build holds the store's build lock."""

    exit_code = 2


class ShapesError(PublisherError):
    """The SHACL shapes themselves are broken or use what the validator does not support."""

    exit_code = 2
