"""Pages of a list whose filter is the costly part: the filter run once, not once to count and again to read."""
from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet


def page_by_keys(queryset: QuerySet, number, per_page: int) -> Page:
    """The page `number` of `queryset`, as `Paginator(queryset, per_page).get_page(number)` gives it.

    Django's paginator counts the rows (one pass of the filter) and then reads the page (a second pass, sorted).
    Here the primary keys of every matching row are read once, in the queryset's order, counted and sliced in
    Python; the page's rows are then read by key with the queryset's joins and prefetches (its filter kept, a
    pk lookup away). For lists bounded by the user's area (a sector's children), not a nation's rows."""
    keys = list(queryset.prefetch_related(None).values_list("pk", flat=True))
    page = Paginator(keys, per_page).get_page(number)
    rows = {row.pk: row for row in queryset.filter(pk__in=page.object_list)} if page.object_list else {}
    page.object_list = [rows[key] for key in page.object_list if key in rows]
    return page
