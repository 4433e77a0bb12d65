"""Ids read from query strings and forms (kept for its importers; the strict reader is poshan.core.params)."""
from __future__ import annotations

from .params import MAX_ID, parse_id

__all__ = ["MAX_ID", "parse_id"]
