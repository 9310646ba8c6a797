"""Static files of a version (the dumps), served with the HTTP a download manager expects:
Content-Length, a strong ETag (the file's sha256), Last-Modified, conditional requests and
single byte ranges (werkzeug's `send_file` implements 304, 206 and 416)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from flask import Response, send_file

CORS = {"Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": "ETag, Last-Modified, Content-Length, Content-Range"}
CACHE_CONTROL = "public, max-age=300, must-revalidate"


def send_version_file(path: Path, media_type: str, sha256: str, modified: datetime) -> Response:
    """`path` byte for byte. A dump goes out as application/gzip, without Content-Encoding, so
    that clients keep the bytes the published checksum is of instead of decoding them."""
    response = send_file(path, mimetype=media_type, conditional=True, etag=sha256, last_modified=modified, max_age=300)
    response.headers["Accept-Ranges"] = "bytes"
    response.headers["Cache-Control"] = CACHE_CONTROL
    response.headers.update(CORS)
    return response
