"""The three file forms (JSON Lines, JSON, CSV) read into items: one JSON object each, with
the line it starts on, or the text of what could not be read and why.

Nothing here knows the record fields; `contract.py` checks them.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from publisher.fields import kind

_BOM = b"\xef\xbb\xbf"
_WHITESPACE = " \t\n\r"
_NOT_UTF8 = "bytes that are not UTF-8 (shown as \\xNN); save the file as UTF-8"
_CSV_TRUE = frozenset({"true", "yes", "1"})
_CSV_FALSE = frozenset({"false", "no", "0"})


@dataclass(frozen=True)
class Item:
    """One record-shaped thing: `data` when it was read, else `raw` text and `error`."""

    line: int
    data: dict[str, Any] | None = None
    raw: str | None = None
    error: str = ""
    # True when the text cannot hold a lone surrogate (decoded UTF-8 with no \u escape),
    # which spares the record a costly check.
    plain: bool = False


def loads(text: str) -> Any:
    """json.loads without NaN and Infinity, which are not JSON and could not be written back."""
    return json.loads(text, parse_constant=_no_constant)


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not valid JSON; write a number or a string")


# --- JSON Lines ---------------------------------------------------------------------------


def read_jsonl(path: Path) -> Iterator[Item]:
    with path.open("rb") as handle:
        for number, chunk in enumerate(handle, start=1):
            if number == 1:
                chunk = chunk.removeprefix(_BOM)
            chunk = chunk.rstrip(b"\r\n")
            try:
                line = chunk.decode("utf-8")
            except UnicodeDecodeError as error:
                where = f"at byte {error.start + 1} of the line"
                raw = chunk.decode("utf-8", "backslashreplace")
                yield Item(number, raw=raw, error=f"the line has {_NOT_UTF8} ({where})")
                continue
            if line.strip():
                yield from _jsonl_items(number, line)


def _jsonl_items(number: int, line: str) -> list[Item]:
    try:
        value = loads(line)
    except json.JSONDecodeError as error:
        problem = f"the line is not valid JSON: {error.msg} (column {error.colno})"
        return [Item(number, raw=line, error=f"{problem}; fix the line (was it cut short?)")]
    except ValueError as error:
        return [Item(number, raw=line, error=f"the line is not valid JSON: {error}")]
    if (
        isinstance(value, dict)
        and "errors" in value
        and ("record" in value or "raw" in value)
    ):
        return _unwrap(number, value)
    if not isinstance(value, dict):
        return [Item(number, raw=line, error=_not_an_object(value))]
    return [Item(number, data=value, plain="\\u" not in line)]


def _not_an_object(value: Any) -> str:
    return f'{kind(value)} is not a record; a record is a JSON object like {{"id": "v1", ...}}'


def _unwrap(number: int, entry: dict[str, Any]) -> list[Item]:
    """A line of a rejects file fed back: read its (fixed) record, or the records of a
    whole JSON file that was rejected because it did not parse."""
    record, raw = entry.get("record"), entry.get("raw")
    if isinstance(record, dict):
        return [Item(number, data=record)]
    if record is None and isinstance(raw, str):
        try:
            value = loads(raw)
        except ValueError as error:
            how = "fix it into a JSON object, or put it back in the file it came from"
            return [Item(number, raw=raw, error=f"the raw text is still not JSON ({error}); {how}")]
        if isinstance(value, dict) and isinstance(value.get("records"), list):
            value = value["records"]
        values = value if isinstance(value, list) else [value]
        return [
            Item(number, data=v) if isinstance(v, dict) else Item(number, raw=raw, error=_not_an_object(v))
            for v in values
        ]
    how = 'give "record" as a JSON object, or "raw" as the text of one'
    text = json.dumps(entry, ensure_ascii=False)
    return [Item(number, raw=text, error=f"this rejects-file line holds no record; {how}")]


# --- JSON ---------------------------------------------------------------------------------


def read_json(path: Path) -> Iterator[Item]:
    """An array of records, or {"records": [...]}; a file that does not parse is one item."""
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raw = data.decode("utf-8", "backslashreplace")
        yield Item(
            line, raw=raw, error=f"the file has {_NOT_UTF8} (line {line}); {_WHOLE}"
        )
        return
    try:
        document = loads(text)
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        problem = f"the file is not valid JSON: {error.msg} ({where})"
        yield Item(error.lineno, raw=text, error=f"{problem}; {_WHOLE}")
        return
    except ValueError as error:
        yield Item(1, raw=text, error=f"the file is not valid JSON: {error}; {_WHOLE}")
        return
    start = _records_start(text, document)
    if start is None:
        problem = 'a .json file holds an array of records, or {"records": [...]}'
        yield Item(1, raw=text, error=f"{problem}; {_WHOLE}")
        return
    yield from _array_items(text, start)


_WHOLE = "the whole file was rejected: fix it and give it again"


def _skip(text: str, index: int) -> int:
    while index < len(text) and text[index] in _WHITESPACE:
        index += 1
    return index


def _records_start(text: str, document: Any) -> int | None:
    """Where the array of records starts: the document, or its `records` member."""
    if isinstance(document, list):
        return _skip(text, 0)
    if not isinstance(document, dict) or not isinstance(document.get("records"), list):
        return None
    decoder = json.JSONDecoder()
    index, found = _skip(text, _skip(text, 0) + 1), 0
    while text[index] != "}":
        key, index = decoder.raw_decode(text, index)
        index = _skip(text, _skip(text, index) + 1)  # past the colon
        if key == "records":
            found = index  # the last one wins, as in json.loads
        index = _skip(text, decoder.raw_decode(text, index)[1])
        if text[index] == ",":
            index = _skip(text, index + 1)
    return found


def _array_items(text: str, start: int) -> Iterator[Item]:
    """Each element of the array at `start`, with the line it starts on."""
    decoder = json.JSONDecoder()
    index = _skip(text, start + 1)
    line, counted = 1, 0
    plain = "\\u" not in text
    while text[index] != "]":
        line += text.count("\n", counted, index)
        counted = index
        value, end = decoder.raw_decode(text, index)
        if isinstance(value, dict):
            yield Item(line, data=value, plain=plain)
        else:
            yield Item(line, raw=text[index:end], error=_not_an_object(value))
        index = _skip(text, end)
        if text[index] == ",":
            index = _skip(text, index + 1)


# --- CSV ----------------------------------------------------------------------------------


class _Lines:
    """Feeds csv.reader decoded physical lines and remembers those of the current row, so
    that a row knows the line it starts on, its text, and whether it had bad bytes."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.number = 0
        self.pending: list[str] = []
        self.bad = False

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        chunk = next(self.handle)
        self.number += 1
        if self.number == 1:
            chunk = chunk.removeprefix(_BOM)
        try:
            text = chunk.decode("utf-8")
        except UnicodeDecodeError:
            text = chunk.decode("utf-8", "backslashreplace")
            self.bad = True
        self.pending.append(text)
        return text

    def take(self) -> tuple[int, str, bool]:
        """The current row's first line, text and bad-bytes flag; starts the next row."""
        start = self.number - len(self.pending) + 1
        raw, bad = "".join(self.pending).rstrip("\r\n"), self.bad
        self.pending, self.bad = [], False
        return start, raw, bad


def read_csv(path: Path) -> Iterator[Item]:
    """A header row, then one record a row; list cells stay `;`-joined text."""
    with path.open("rb") as handle:
        lines = _Lines(handle)
        reader = csv.reader(lines, strict=True)
        header: list[str] | None = None
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as error:
                start, raw, _ = lines.take()
                how = "check its quotes: a cell holding a comma or a line break must be quoted"
                yield Item(
                    start, raw=raw, error=f"the row is not valid CSV ({error}); {how}"
                )
                if header is None:
                    return
                continue
            start, raw, bad = lines.take()
            if bad:
                yield Item(start, raw=raw, error=f"the row has {_NOT_UTF8}")
                if header is None:
                    return
            elif not any(cell.strip() for cell in row):
                continue
            elif header is None:
                header = [name.strip() for name in row]
                problem = _header_problem(header)
                if problem:
                    yield Item(
                        start, raw=raw, error=f"{problem}; the file was not read"
                    )
                    return
            else:
                yield _csv_item(header, row, start, raw)


def _header_problem(header: list[str]) -> str | None:
    if len(header) == 1 and ";" in header[0]:
        return "the header is one cell holding ';': columns must be separated by commas"
    named = [name for name in header if name]
    repeated = sorted({name for name in named if named.count(name) > 1})
    if repeated:
        return f"the header names {', '.join(repeated)} more than once"
    return None


def _csv_item(header: list[str], row: list[str], start: int, raw: str) -> Item:
    if len(row) != len(header):
        problem = f"the row has {len(row)} cells, the header has {len(header)}"
        how = (
            "add the missing cells (empty ones too) or quote cells that contain a comma"
        )
        return Item(start, raw=raw, error=f"{problem}; {how}")
    record: dict[str, Any] = {}
    for name, cell in zip(header, row, strict=True):
        if name and cell.strip():
            record[name] = cell.strip()
    deleted = record.get("deleted")
    if isinstance(deleted, str) and deleted.lower() in _CSV_TRUE | _CSV_FALSE:
        record["deleted"] = (
            deleted.lower() in _CSV_TRUE
        )  # JSON's form, so rejects read back
    return Item(start, data=record, plain=True)
