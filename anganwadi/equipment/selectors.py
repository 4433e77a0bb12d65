"""Reads of the centres' equipment, from the user's scope; and per-AWC working devices on a day (for figures)."""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import OuterRef, Prefetch, QuerySet, Subquery

from ..models import Location
from ..selectors import awcs_visible_to
from .models import INFRASTRUCTURE_FIELDS, Condition, Device, DeviceKind, DeviceReport, Infrastructure

KINDS: tuple[str, ...] = tuple(DeviceKind.values)
# The AreaMonth column counting AWCs with a working device of each kind.
WORKING_COLUMN: dict[str, str] = {
    DeviceKind.SMARTPHONE: "phone_working",
    DeviceKind.INFANT_SCALE: "infant_scale_working",
    DeviceKind.MOTHER_CHILD_SCALE: "mother_child_scale_working",
    DeviceKind.INFANTOMETER: "infantometer_working",
    DeviceKind.STADIOMETER: "stadiometer_working",
}


def equipment_awcs(user) -> QuerySet[Location]:
    """The AWCs whose equipment the user may see, with their devices and building in two more queries."""
    return (awcs_visible_to(user).order_by("name", "pk")
            .prefetch_related(Prefetch("devices", queryset=Device.objects.select_related("issued_to")))
            .select_related("infrastructure"))


@dataclass
class CentreEquipment:
    awc: Location
    devices: dict[str, Device | None]
    infrastructure: Infrastructure | None
    reports: list[DeviceReport] = field(default_factory=list)

    @property
    def rows(self) -> list[tuple[str, str, Device | None]]:
        return [(kind, DeviceKind(kind).label, self.devices.get(kind)) for kind in KINDS]


def centre_equipment(awc: Location, *, history: int = 10) -> CentreEquipment:
    """One centre's devices (None where none was recorded), building, and the latest condition reports."""
    devices = {d.kind: d for d in Device.objects.filter(awc=awc).select_related("issued_to")}
    infrastructure = Infrastructure.objects.filter(awc=awc).first()
    reports = list(DeviceReport.objects.filter(awc=awc).select_related("device", "recorded_by")
                   .order_by("-on", "-id")[:history])
    return CentreEquipment(awc, {kind: devices.get(kind) for kind in KINDS}, infrastructure, reports)


def centre_rows(awcs: list[Location]) -> list[CentreEquipment]:
    """Rows of a page of `equipment_awcs` (uses the prefetched devices)."""
    rows = []
    for awc in awcs:
        devices = {d.kind: d for d in awc.devices.all()}
        rows.append(CentreEquipment(awc, {kind: devices.get(kind) for kind in KINDS},
                                    getattr(awc, "infrastructure", None)))
    return rows


def conditions_on(awc_ids, on: date) -> dict[int, dict[str, str]]:
    """awc → {device kind: its condition on `on`} (by the latest report up to that day); one query.

    `awc_ids` may be a list or a queryset of ids. A device not yet reported by then is absent.
    """
    latest = (DeviceReport.objects.filter(device=OuterRef("pk"), on__lte=on).order_by("-on", "-id")
              .values("condition")[:1])
    rows = (Device.objects.filter(awc_id__in=awc_ids).annotate(then=Subquery(latest))
            .exclude(then=None).values_list("awc_id", "kind", "then"))
    result: dict[int, dict[str, str]] = defaultdict(dict)
    for awc_id, kind, condition in rows:
        result[awc_id][kind] = condition
    return dict(result)


def working_on(awc_ids, on: date) -> dict[int, dict[str, int]]:
    """awc → {AreaMonth column: 1 if the AWC had a working device of that kind on `on`} (AWCs with any)."""
    result = {}
    for awc_id, kinds in conditions_on(awc_ids, on).items():
        result[awc_id] = {WORKING_COLUMN[kind]: int(condition == Condition.WORKING) for kind, condition in kinds.items()}
    return result


def infrastructure_of(awc_ids) -> dict[int, dict[str, bool]]:
    return {row["awc_id"]: row for row in Infrastructure.objects.filter(awc_id__in=awc_ids)
            .values("awc_id", *INFRASTRUCTURE_FIELDS)}


EXPORT_CHUNK = 2_000
EXPORT_HEADERS: tuple[str, ...] = (
    "awc_code", "awc_name", *KINDS, "phone_make", "phone_imei", "phone_issued_on", *INFRASTRUCTURE_FIELDS)


def export_rows(awc_ids, on: date):
    """One row per AWC: each device's condition on `on` ("" when none was recorded by then), the phone's
    make, masked IMEI and issue date, and the building's five answers. Memory stays flat (chunks of AWCs)."""
    last = 0
    awcs = Location.objects.filter(pk__in=awc_ids).order_by("pk")
    while True:
        chunk = list(awcs.filter(pk__gt=last).values_list("pk", "code", "name")[:EXPORT_CHUNK])
        if not chunk:
            return
        ids = [pk for pk, _code, _name in chunk]
        conditions = conditions_on(ids, on)
        phones = {d.awc_id: d for d in Device.objects.filter(awc_id__in=ids, kind=DeviceKind.SMARTPHONE)}
        buildings = infrastructure_of(ids)
        for pk, code, name in sorted(chunk, key=lambda row: row[1]):
            kinds = conditions.get(pk, {})
            phone = phones.get(pk)
            building = buildings.get(pk, {})
            yield (code, name, *(kinds.get(kind, "") for kind in KINDS), phone.make if phone else "",
                   phone.imei_masked if phone else "", phone.issued_on or "" if phone else "",
                   *("yes" if building.get(f) else ("no" if building else "") for f in INFRASTRUCTURE_FIELDS))
        last = chunk[-1][0]
