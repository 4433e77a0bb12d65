"""Refresh a month's rollups: AWC rows in chunks, then each level above summed in the database."""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import connections, router, transaction
from django.db.models import F
from django.db.models.functions import Least
from django.utils import timezone

from anganwadi.models import Location
from poshan.core.roles import Level

from ..models import AREA_COUNTS, NUTRITION_COUNTS, AreaMonth, NutritionMonth, RollupRun
from .collect import (
    area_figures,
    figures_day,
    nutrition_figures,
    served_before_registration,
)
from .members import register_figures

AWC_CHUNK = 1_000
UPPER_LEVELS = (Level.SECTOR, Level.PROJECT, Level.DISTRICT, Level.STATE)
PARENT_OF = {Level.AWC: "sector", Level.SECTOR: "project", Level.PROJECT: "district", Level.DISTRICT: "state",
             Level.STATE: None}


AREA_COLUMNS = ("month", "level", "location", "parent", "refreshed_at", *AREA_COUNTS)
NUTRITION_COLUMNS = ("month", "level", "location", "parent", "sex", "band", *NUTRITION_COUNTS)
INSERT_BATCH = 2_000


def _awc_rows(awcs: list[Location], month: date, today: date) -> tuple[list[tuple], list[tuple]]:
    """The chunk's AreaMonth and NutritionMonth rows as tuples in AREA_COLUMNS / NUTRITION_COLUMNS order."""
    ids = [a.pk for a in awcs]
    on = figures_day(month, today)
    also = served_before_registration(ids, on)
    register, children = register_figures(ids, on, also)
    area = area_figures(ids, month, today, register)
    nutrition = nutrition_figures(ids, month, on, also, children)
    connection = connections[router.db_for_write(AreaMonth)]
    day = connection.ops.adapt_datefield_value(month)
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    area_rows = [(day, Level.AWC, a.pk, a.sector_id, now, *(area[a.pk].get(c, 0) for c in AREA_COUNTS)) for a in awcs]
    combos: dict[tuple[int, str, str], list[int]] = {}
    for (awc, sex, band), counts in nutrition.items():
        values = [counts.get(name, 0) for name in NUTRITION_COUNTS]
        for key in ((awc, sex, band), (awc, "", band), (awc, sex, ""), (awc, "", "")):
            target = combos.get(key)
            combos[key] = values.copy() if target is None else [a + b for a, b in zip(target, values)]
    parent = {a.pk: a.sector_id for a in awcs}
    nutrition_rows = [(day, Level.AWC, awc, parent[awc], sex, band, *counts)
                      for (awc, sex, band), counts in combos.items()]
    return area_rows, nutrition_rows


def _insert(model, columns: tuple[str, ...], rows: list[tuple]) -> None:
    """Rows given as tuples, in multi-row INSERTs: at a chunk's thousands of rows, building and preparing model
    instances for bulk_create cost more than the statements themselves."""
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    names = ", ".join(quote(model._meta.get_field(c).column) for c in columns)
    one = "(" + ", ".join(["%s"] * len(columns)) + ")"
    size = min(INSERT_BATCH, (connection.features.max_query_params or INSERT_BATCH * len(columns)) // len(columns))
    with connection.cursor() as cursor:
        for i in range(0, len(rows), size):
            batch = rows[i:i + size]
            cursor.execute(f"INSERT INTO {quote(model._meta.db_table)} ({names}) VALUES {', '.join([one] * len(batch))}",
                           [value for row in batch for value in row])


ROLLUP_WORK_MEM = "64MB"


def _roomy_sorts(model) -> None:
    """On PostgreSQL, sorts and hashes of this transaction in memory: a chunk's grouped scans (~100,000 memberships,
    ~80,000 measurements ranked per child, ~500,000 attendance rows) spilled to disk at the default 4 MB. (How
    the chunk's reads are planned otherwise is every connection's: DB_RANDOM_PAGE_COST, poshan.settings.)"""
    connection = connections[router.db_for_write(model)]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL work_mem = %s", [ROLLUP_WORK_MEM])


def _replace_nutrition(month: date, ids: list[int], rows: list[tuple]) -> None:
    """The chunk's NutritionMonth rows made equal to `rows`, writing only what differs.

    A month is counted again every night and every half hour, and most of a chunk's (AWC, sex, band) rows come out
    as they were: those are left alone (read in one statement), the others deleted and inserted. The AreaMonth
    row of each AWC is always written again (its time of counting is the pages' rollup version)."""
    wanted = {(row[2], row[4], row[5]): (row[3], *row[6:]) for row in rows}  # (location, sex, band) → parent, counts
    existing = (NutritionMonth.objects.filter(month=month, level=Level.AWC, location_id__in=ids)
                .values_list("pk", "location_id", "parent_id", "sex", "band", *NUTRITION_COUNTS))
    stale, kept = [], set()
    for pk, location, parent, sex, band, *counts in existing:
        key = (location, sex, band)
        if key in kept or wanted.get(key) != (parent, *counts):
            stale.append(pk)
        else:
            kept.add(key)
    for i in range(0, len(stale), INSERT_BATCH):
        NutritionMonth.objects.filter(pk__in=stale[i:i + INSERT_BATCH]).delete()
    _insert(NutritionMonth, NUTRITION_COLUMNS, [row for row in rows if (row[2], row[4], row[5]) not in kept])


@transaction.atomic
def refresh_awcs(month: date, awcs: Iterable[Location], *, today: date | None = None) -> int:
    """Replace the AWC rows of these AWCs for the month (idempotent)."""
    today = today or timezone.localdate()
    awcs = list(awcs)
    _roomy_sorts(AreaMonth)
    area_rows, nutrition_rows = _awc_rows(awcs, month, today)
    ids = [a.pk for a in awcs]
    AreaMonth.objects.filter(month=month, level=Level.AWC, location_id__in=ids).delete()
    _insert(AreaMonth, AREA_COLUMNS, area_rows)
    _replace_nutrition(month, ids, nutrition_rows)
    return len(awcs)


def _sum_up(model, month: date, level: str, child_level: str, counts: tuple[str, ...], keys: tuple[str, ...]):
    """Rows of `level` = sums of the rows one level down, grouped through the locations' ancestor ids: one
    INSERT … SELECT in the database (portable SQL), no rows through Python."""
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    column = {name: quote(model._meta.get_field(name).column) for name in ("month", "level", "location", "parent",
                                                                             *keys, *counts)}
    place, pk = quote(Location._meta.db_table), quote(Location._meta.pk.column)
    sums = ", ".join(f"COALESCE(SUM(r.{column[c]}), 0)" for c in counts)
    key_columns = "".join(f", r.{column[k]}" for k in keys)
    names = [column[n] for n in ("month", "level", "location", "parent", *keys, *counts)]
    values = [connection.ops.adapt_datefield_value(month), level]
    extra = ""
    if model is AreaMonth:
        names.append(quote(model._meta.get_field("refreshed_at").column))
        extra = ", %s"
    if level != Level.NATION:
        group = f"l.{quote(Location._meta.get_field(level).column)}"
        parent = f"p.{quote(Location._meta.get_field(PARENT_OF[level]).column)}" if PARENT_OF[level] else "NULL"
        source = (f"FROM {quote(model._meta.db_table)} r JOIN {place} l ON l.{pk} = r.{column['location']} "
                  f"LEFT JOIN {place} p ON p.{pk} = {group} ")
        select = f"SELECT %s, %s, {group}, {parent}{key_columns}, {sums}{extra} {source}"
        tail = f" GROUP BY {group}{', ' + parent if PARENT_OF[level] else ''}{key_columns}"
    else:
        select = f"SELECT %s, %s, NULL, NULL{key_columns}, {sums}{extra} FROM {quote(model._meta.db_table)} r "
        tail = f" GROUP BY r.{column['level']}{key_columns}"  # one group, or none when there are no AWC rows
    params = values + ([connection.ops.adapt_datetimefield_value(timezone.now())] if extra else [])
    sql = (f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(names)}) {select}"
           f"WHERE r.{column['month']} = %s AND r.{column['level']} = %s{tail}")
    model.objects.filter(month=month, level=level).delete()
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, connection.ops.adapt_datefield_value(month), child_level])


@transaction.atomic
def refresh_upper_levels(month: date) -> None:
    """Sector, project, district, state and nation rows for the month, from the AWC rows."""
    for level in (*UPPER_LEVELS, Level.NATION):
        _sum_up(AreaMonth, month, level, Level.AWC, AREA_COUNTS, ())
        _sum_up(NutritionMonth, month, level, Level.AWC, NUTRITION_COUNTS, ("sex", "band"))


def _run_awcs(run: RollupRun, awc_ids: list[int] | None = None):
    """The active AWCs a run recounts: every one, or only some (the incremental refresh), or one area's."""
    awcs = Location.objects.filter(level=Level.AWC, is_active=True).order_by("pk")
    if awc_ids is not None:
        awcs = awcs.filter(pk__in=awc_ids)
    if run.location_id is not None:
        area = run.location
        awcs = awcs.filter(pk=area.pk) if area.level == Level.AWC else awcs.filter(**{f"{area.level}_id": area.pk})
    return awcs.only("pk", "sector_id")


def _fail(run_id: int, exc: BaseException) -> None:
    RollupRun.objects.filter(pk=run_id).update(status=RollupRun.Status.FAILED, error=str(exc)[:2000],
                                               finished_at=timezone.now())


def _finish(run_id: int) -> None:
    RollupRun.objects.filter(pk=run_id).update(status=RollupRun.Status.DONE, finished_at=timezone.now())


def plan_chunks(run: RollupRun, *, chunk: int | None = None) -> list[tuple[int, int]]:
    """The run's AWCs cut into id ranges of at most `chunk` (AWC_CHUNK) AWCs (first id, last id), for chunk tasks."""
    chunk = chunk or AWC_CHUNK
    ids = list(_run_awcs(run).values_list("pk", flat=True))
    run.awcs_total = len(ids)
    run.save(update_fields=["awcs_total"])
    return [(ids[i], ids[min(i + chunk, len(ids)) - 1]) for i in range(0, len(ids), chunk)]


def refresh_chunk(run_id: int, first_id: int, last_id: int, *, today: date | None = None) -> int:
    """One chunk task's work: the AWC rows of the run's AWCs with ids first_id..last_id (idempotent: rows are
    replaced; progress never passes the total when a chunk runs twice)."""
    run = RollupRun.objects.select_related("location").get(pk=run_id)
    try:
        awcs = list(_run_awcs(run).filter(pk__gte=first_id, pk__lte=last_id))
        refresh_awcs(run.month, awcs, today=today)
    except Exception as exc:
        _fail(run_id, exc)
        raise
    RollupRun.objects.filter(pk=run_id).update(awcs_done=Least(F("awcs_done") + len(awcs), F("awcs_total")))
    return len(awcs)


def finish_chunks(run_id: int) -> RollupRun:
    """After every chunk: the levels above, summed from the AWC rows; the run is done."""
    run = RollupRun.objects.get(pk=run_id)
    try:
        refresh_upper_levels(run.month)
    except Exception as exc:
        _fail(run_id, exc)
        raise
    _finish(run_id)
    run.refresh_from_db()
    return run


def refresh_month(month: date, *, trigger: str, today: date | None = None, awc_ids: list[int] | None = None,
                  run: RollupRun | None = None, location: Location | None = None) -> RollupRun:
    """The whole month (or only some AWCs: the incremental refresh, or one area's — the run's location) in this
    process, recording progress on a run row. The levels above are always summed again from every AWC row.
    (A queued refresh fans the same chunks out over the workers instead: tasks.refresh_month_task.)"""
    month = month.replace(day=1)
    run = run or RollupRun.objects.create(month=month, trigger=trigger, location=location)
    awcs = _run_awcs(run, awc_ids)
    run.awcs_total = awcs.count()
    run.save(update_fields=["awcs_total"])
    try:
        last = 0
        while True:
            chunk = list(awcs.filter(pk__gt=last)[:AWC_CHUNK])
            if not chunk:
                break
            refresh_awcs(month, chunk, today=today)
            last = chunk[-1].pk
            RollupRun.objects.filter(pk=run.pk).update(awcs_done=run.awcs_done + len(chunk))
            run.awcs_done += len(chunk)
        refresh_upper_levels(month)
    except Exception as exc:
        _fail(run.pk, exc)
        raise
    _finish(run.pk)
    run.refresh_from_db()
    return run
