"""The dashboard page's body, rendered once per rollup version and kept in the cache.

The body (figures, charts, ranking, the table one level down) depends on the rollup rows it reads, so it is
kept under a key naming everything that changes what it shows: the user's own area (the breadcrumb and every
link are cut to it, so two areas never share an entry), the place shown, the month and filters, the language
and time zone, what the user's role may see on it (the refresh link, the follow-up lists), the version of the
place's rollup rows over the page's twelve months, and the ten minutes the section on malnutrition cases was
counted in (it reads the cases live: poshan/dashboards/cases.py). A refresh replaces those rows (new ids, new
time of counting), so the next request renders the page again; nothing has to be deleted. The page around it
(menu, messages, CSRF token) is rendered per request and never cached.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.utils import timezone, translation

from poshan.wording.catalogue import version as wording_version  # approved wording corrections

# An upper bound on how long a body is kept (a renamed place shows its new name within this time at most).
TIMEOUT = 60 * 60


def body_key(*, area_location_id: int | None, level: str, location_id: int | None, filters, query: str,
             variant: tuple, version: tuple) -> str:
    parts = (area_location_id, level, location_id, filters.month.isoformat(), filters.sex, filters.band,
             filters.indicator, query, translation.get_language(), wording_version(),
             timezone.get_current_timezone_name(), variant, version)
    return "dashboards:body:" + hashlib.sha256(repr(parts).encode()).hexdigest()


def cached(key: str, render: Callable[[], dict]) -> dict:
    """The cached parts of the page under `key`, rendered (and kept) when missing."""
    parts = cache.get(key)
    if parts is None:
        parts = render()
        cache.set(key, parts, TIMEOUT)
    return parts
