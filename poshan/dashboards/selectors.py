"""What a dashboard page shows, read from the rollups only, scoped to the user's area."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import connection
from django.http import Http404
from django.utils import timezone

from anganwadi.models import Location
from anganwadi.selectors import locations_visible_to, user_area
from poshan.core.dates import add_months, last_of_month
from poshan.core.roles import Level, child_level

from . import indicators
from .indicators import BY_KEY, INDICATORS, TABLE_COLUMNS, Value, compute
from .models import AreaMonth, NutritionMonth

TREND_MONTHS = 12
TOP_N = 5


def is_complete(row: AreaMonth | None) -> bool:
    """The month's figures were counted after its last day (so it is a whole month, not a month to date)."""
    if row is None:
        return False
    return timezone.localtime(row.refreshed_at).date() > last_of_month(row.month)


@dataclass(frozen=True)
class Filters:
    month: date
    sex: str = ""
    band: str = ""
    indicator: str = "stunting"


@dataclass
class Place:
    """One place's figures for the month (and the month before, for the change)."""

    level: str
    location: Location | None
    area: AreaMonth | None = None
    nutrition: NutritionMonth | None = None
    previous_area: AreaMonth | None = None
    previous_nutrition: NutritionMonth | None = None

    @property
    def comparable(self) -> bool:
        """Both months counted after they ended: only then is a change against last month like with like."""
        return is_complete(self.area) and is_complete(self.previous_area)

    def value(self, key: str) -> Value:
        indicator = BY_KEY[key]
        comparable = self.comparable
        if indicator.source == "nutrition":
            return compute(indicator, self.nutrition, self.previous_nutrition if comparable else None)
        return compute(indicator, self.area, self.previous_area if comparable else None)

    @property
    def figures_as_of(self):
        return self.area.refreshed_at if self.area is not None else None

    @property
    def name(self) -> str:
        return self.location.name if self.location else "India"


@dataclass
class Dashboard:
    place: Place
    filters: Filters
    groups: list[tuple[str, list[Value]]]
    children: list[Place]
    child_level: str | None
    trend: list[tuple[date, float | None]]
    top: list[tuple[Place, Value]] = field(default_factory=list)
    bottom: list[tuple[Place, Value]] = field(default_factory=list)
    breadcrumb: list[Location] = field(default_factory=list)


def resolve_place(user, location_id: int | None) -> tuple[str, Location | None]:
    """The user's own area, or a place inside it; anything above or beside it is not found."""
    area = user_area(user)
    if area is None:
        raise Http404
    if location_id is None:
        return area.level, area.location
    location = locations_visible_to(user).filter(pk=location_id).first()
    if location is None:
        raise Http404
    return location.level, location


def _key(level: str, location: Location | None) -> dict:
    return {"level": level, "location": location}


def rollup_version(level: str, location: Location | None, month: date) -> tuple:
    """What changes whenever the rollup rows a page of this place and month reads change: a refresh replaces
    the place's rows for the month (new ids, new time of counting) together with the rows below it, and the
    twelve months of the trend are the place's own rows. One indexed read of at most twelve rows, in plain SQL:
    read on every dashboard request, and the ORM's building of an aggregate cost three times its execution."""
    first = add_months(month, -(TREND_MONTHS - 1))
    place = "location_id IS NULL" if location is None else "location_id = %s"
    with connection.cursor() as cursor:
        cursor.execute(_VERSION_SQL.format(table=AreaMonth._meta.db_table, place=place),
                       [level, *([] if location is None else [location.pk]), first, month])
        return tuple(cursor.fetchone())


_VERSION_SQL = ("SELECT COUNT(*), MAX(id), MAX(refreshed_at) FROM {table} "
                "WHERE level = %s AND {place} AND month >= %s AND month <= %s")


def dashboard(*, user, location_id: int | None, filters: Filters, place: tuple | None = None) -> Dashboard:
    """The page's figures; `place` = resolve_place's answer when the caller has it already."""
    level, location = place or resolve_place(user, location_id)
    month, previous = filters.month, add_months(filters.month, -1)
    first = add_months(month, -(TREND_MONTHS - 1))
    areas = {row.month: row for row in AreaMonth.objects.filter(**_key(level, location), month__gte=first,
                                                                month__lte=month)}
    nutrition = {row.month: row for row in NutritionMonth.objects.filter(
        **_key(level, location), sex=filters.sex, band=filters.band, month__gte=first, month__lte=month)}
    place = Place(level, location, areas.get(month), nutrition.get(month), areas.get(previous),
                  nutrition.get(previous))
    groups: dict[str, list[Value]] = {}
    for indicator in INDICATORS:
        groups.setdefault(str(indicator.group), []).append(place.value(indicator.key))
    chosen = BY_KEY.get(filters.indicator, BY_KEY["stunting"])
    trend_rows = nutrition if chosen.source == "nutrition" else areas
    trend = [(m, compute(chosen, trend_rows.get(m)).value) for m in (add_months(first, i) for i in range(TREND_MONTHS))]
    below = child_level(level)
    children = _children(level, location, month, previous, filters) if below else []
    ranked = sorted(((c, c.value(chosen.key)) for c in children if c.value(chosen.key).value is not None),
                    key=lambda pair: pair[1].value, reverse=chosen.higher_is_bad)
    return Dashboard(
        place=place, filters=filters, groups=list(groups.items()), children=children, child_level=below,
        trend=trend, top=ranked[:TOP_N], bottom=list(reversed(ranked[-TOP_N:])) if len(ranked) > TOP_N else [],
        breadcrumb=_breadcrumb(user, location),
    )


def _children(level: str, location: Location | None, month: date, previous: date, filters: Filters) -> list[Place]:
    if level == Level.NATION:
        where = {"level": Level.STATE}
    else:
        where = {"parent": location}
    places: dict[int, Place] = {}
    for row in AreaMonth.objects.filter(month__in=[month, previous], **where).select_related("location"):
        place = places.setdefault(row.location_id, Place(row.level, row.location))
        if row.month == month:
            place.area = row
        else:
            place.previous_area = row
    nutrition = NutritionMonth.objects.filter(month__in=[month, previous], sex=filters.sex, band=filters.band, **where)
    for row in nutrition:
        place = places.get(row.location_id)
        if place is None:
            continue
        if row.month == month:
            place.nutrition = row
        else:
            place.previous_nutrition = row
    return sorted((p for p in places.values() if p.area is not None), key=lambda p: p.name)


def _breadcrumb(user, location: Location | None) -> list[Location]:
    if location is None:
        return []
    ids = [getattr(location, f"{lvl}_id") for lvl in ("state", "district", "project", "sector")]
    visible = {loc.pk: loc for loc in locations_visible_to(user).filter(pk__in=[i for i in ids if i])}
    return [visible[i] for i in ids if i in visible]


def table_columns() -> list[indicators.Indicator]:
    return [BY_KEY[key] for key in TABLE_COLUMNS]
