"""Linked-data resources with content negotiation (the resources issue fills this in)."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("resources", __name__)
