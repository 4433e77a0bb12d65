"""The indicators every dashboard shows: numerator, denominator, percentage, change, colour band."""
from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

GOOD, FAIR, POOR = "ok", "warn", "bad"


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    group: str
    numerator: str
    denominator: str | None = None  # None: a plain count
    source: str = "area"  # "area" (AreaMonth) or "nutrition" (NutritionMonth, filterable by sex and age band)
    # Band limits on the percentage: (first limit, second limit). higher_is_bad: below the first is good.
    bands: tuple[float, float] | None = None
    higher_is_bad: bool = False
    per_day: bool = False  # a ratio shown as "per day" rather than a percentage
    # Why this figure may differ from the list it summarises (shown under it), and that list's URL name.
    note: str = ""
    list_url: str = ""

    def band(self, percent: float | None) -> str:
        if percent is None or self.bands is None:
            return ""
        low, high = self.bands
        if self.higher_is_bad:
            return GOOD if percent < low else FAIR if percent < high else POOR
        return POOR if percent < low else FAIR if percent < high else GOOD


FOLLOW_UP_NOTE = _("Counted from this month's weighings. The follow-up list also keeps children from earlier "
                   "months until their case is closed, so it can show more.")
COVERAGE = (60.0, 80.0)  # below 60 % poor, 60–80 fair, 80 and above good
SERVICES, PEOPLE, NUTRITION, THR, WORKERS = (_("Centre services"), _("Beneficiaries"), _("Nutrition"),
                                              _("Take-home ration"), _("Workers"))
EQUIPMENT = _("Equipment")

INDICATORS: tuple[Indicator, ...] = (
    Indicator("open_today", _("AWCs open today"), SERVICES, "awcs_open_today", "awcs", bands=COVERAGE),
    Indicator("days_open", _("Days open per AWC this month"), SERVICES, "days_open", "awcs", per_day=True),
    Indicator("attendance", _("Average daily attendance (children per AWC)"), SERVICES, "attendance_total",
              "attendance_days", per_day=True),
    Indicator("hcm_21", _("Children 3–6 with 21+ days of hot cooked meal"), SERVICES, "hcm_21", "preschool",
              bands=COVERAGE),
    Indicator("pse_21", _("Children 3–6 with 21+ days of pre-school education"), SERVICES, "pse_21", "preschool",
              bands=COVERAGE),
    Indicator("home_visits", _("Home visits done vs due"), SERVICES, "visits_done", "visits_due", bands=COVERAGE),
    Indicator("beneficiaries", _("Beneficiaries registered"), PEOPLE, "beneficiaries"),
    Indicator("pregnant", _("Pregnant women"), PEOPLE, "pregnant"),
    Indicator("lactating", _("Lactating mothers"), PEOPLE, "lactating"),
    Indicator("child_0_6m", _("Children 0–6 months"), PEOPLE, "child_0_6m"),
    Indicator("child_6m_3y", _("Children 6 months–3 years"), PEOPLE, "child_6m_3y"),
    Indicator("child_3_6y", _("Children 3–6 years"), PEOPLE, "child_3_6y"),
    Indicator("adolescent", _("Adolescent girls"), PEOPLE, "adolescent"),
    Indicator("underage_mothers", _("Mothers under 18 (pregnant or lactating)"), PEOPLE, "underage_mothers"),
    Indicator("aadhaar", _("Aadhaar-seeded"), PEOPLE, "aadhaar_seeded", "beneficiaries", bands=COVERAGE),
    Indicator("face_enrolled", _("Face-enrolled (THR)"), PEOPLE, "face_enrolled", "thr_entitled", bands=COVERAGE),
    Indicator("weighing", _("Weighing efficiency"), NUTRITION, "weighed", "children", "nutrition", bands=COVERAGE),
    Indicator("height", _("Height measurement efficiency"), NUTRITION, "height_measured", "children", "nutrition",
              bands=COVERAGE),
    Indicator("underweight", _("Underweight (moderate + severe)"), NUTRITION, "underweight_n", "underweight_d",
              "nutrition", bands=(20.0, 35.0), higher_is_bad=True),
    Indicator("stunting", _("Stunting (moderate + severe)"), NUTRITION, "stunting_n", "stunting_d", "nutrition",
              bands=(25.0, 38.0), higher_is_bad=True),
    Indicator("wasting", _("Wasting (moderate + severe)"), NUTRITION, "wasting_n", "wasting_d", "nutrition",
              bands=(5.0, 7.0001), higher_is_bad=True),
    Indicator("sam", _("Severe acute malnutrition (SAM)"), NUTRITION, "sam", source="nutrition",
              note=FOLLOW_UP_NOTE, list_url="growth:followups"),
    Indicator("mam", _("Moderate acute malnutrition (MAM)"), NUTRITION, "mam", source="nutrition"),
    Indicator("faltering", _("Children growth-faltering"), NUTRITION, "faltering", source="nutrition",
              note=FOLLOW_UP_NOTE, list_url="growth:followups"),
    Indicator("thr_distributed", _("THR distributed / entitled"), THR, "thr_distributed", "thr_entitled",
              bands=COVERAGE),
    Indicator("thr_face", _("THR verified by face"), THR, "thr_face", "thr_distributed", bands=COVERAGE),
    Indicator("thr_otp", _("THR verified by OTP"), THR, "thr_otp", "thr_distributed"),
    Indicator("thr_nominee", _("THR to a nominee"), THR, "thr_nominee", "thr_distributed"),
    Indicator("thr_override", _("THR by supervisor override"), THR, "thr_override", "thr_distributed"),
    Indicator("grievances_open", _("Grievances open"), WORKERS, "grievances_open"),
    Indicator("grievances_overdue", _("Grievances overdue"), WORKERS, "grievances_overdue", "grievances_open",
              bands=(10.0, 25.0), higher_is_bad=True),
    Indicator("phone_working", _("AWCs with a working smartphone"), EQUIPMENT, "phone_working", "awcs",
              bands=COVERAGE),
    Indicator("infant_scale_working", _("AWCs with a working infant weighing scale"), EQUIPMENT,
              "infant_scale_working", "awcs", bands=COVERAGE),
    Indicator("mother_child_scale_working", _("AWCs with a working mother-and-child scale"), EQUIPMENT,
              "mother_child_scale_working", "awcs", bands=COVERAGE),
    Indicator("infantometer_working", _("AWCs with a working infantometer"), EQUIPMENT, "infantometer_working",
              "awcs", bands=COVERAGE),
    Indicator("stadiometer_working", _("AWCs with a working stadiometer"), EQUIPMENT, "stadiometer_working",
              "awcs", bands=COVERAGE),
)
BY_KEY = {i.key: i for i in INDICATORS}
TABLE_COLUMNS = ("weighing", "underweight", "stunting", "wasting", "hcm_21", "thr_distributed", "aadhaar")


@dataclass(frozen=True)
class Value:
    indicator: Indicator
    numerator: int
    denominator: int | None
    value: float | None  # percent, per-day ratio, or the count
    change: float | None  # against last month, same unit
    band: str

    @property
    def is_percent(self) -> bool:
        return self.indicator.denominator is not None and not self.indicator.per_day


def compute(indicator: Indicator, row, previous=None) -> Value:
    """The value, and its change against `previous` — pass `previous` only when the two months are comparable
    (both complete): a month to date against a whole month is not. No change where last month had nothing."""
    numerator = getattr(row, indicator.numerator, 0) if row is not None else 0
    if indicator.denominator is None:
        value = float(numerator)
        denominator = None
    else:
        denominator = getattr(row, indicator.denominator, 0) if row is not None else 0
        scale = 1 if indicator.per_day else 100
        value = round(scale * numerator / denominator, 1) if denominator else None
    change = None
    if previous is not None and value is not None:
        before = compute(indicator, previous).value
        # Nothing to compare with: last month's ratio had no denominator, or last month's count was zero.
        nothing = before is None or (indicator.denominator is None and before == 0)
        change = None if nothing else round(value - before, 1)
    return Value(indicator, numerator, denominator, value, change, indicator.band(value))
