"""The dataset as a whole: VoID/DCAT description, dumps, sitemap (the resources issue fills this in)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("dataset", __name__)
