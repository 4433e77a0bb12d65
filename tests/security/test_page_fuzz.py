"""Fuzzing the HTML pages: hostile query strings on every daily and dashboard page, as an AWW and as a DPO.

Every query parameter a page reads (the names its views read from request.GET, and every field of the GET filter
forms) is sent with values hypothesis draws from hostile strings, huge and negative numbers, and dates at the ends
of the calendar. No answer may be a 5xx: an unreadable value is a 400 that says what to change
(poshan.core.params), a page the role may not open a 403.

Bounded (PAGE_FUZZ_EXAMPLES per page and role, derandomized so CI and a developer see the same cases: about a
minute on 2 cores); set PAGE_FUZZ_EXAMPLES=200 for a longer run by hand.
"""
from __future__ import annotations

import os
from datetime import timedelta

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from anganwadi.allowance.forms import PeriodForm
from anganwadi.forms import FindCentreForm
from beneficiaries.forms import RegisterFilterForm
from grievances.forms import GrievanceFilterForm, MonthForm
from poshan.core.forms import AuditFilterForm
from tests.factories import make_household, make_person
from training.forms import CountsForm, LibraryFilterForm

PAGE_FUZZ_EXAMPLES = int(os.environ.get("PAGE_FUZZ_EXAMPLES", "8"))

PAGES = [
    "/", "/area/", "/staff/", "/centre/today/", "/audit/",
    "/beneficiaries/", "/beneficiaries/due/", "/beneficiaries/new/", "/beneficiaries/moves/",
    "/beneficiaries/attendance/", "/beneficiaries/summary/",
    "/growth/", "/growth/follow-up/", "/growth/rising/", "/growth/runs/",
    "/thr/", "/thr/stock/", "/thr/register/", "/thr/supervision/", "/thr/report/",
    "/grievances/", "/grievances/desk/", "/grievances/figures/", "/grievances/notifications/",
    "/training/", "/training/workers/", "/training/sessions/", "/training/trained/",
    "/allowance/", "/allowance/approve/", "/allowance/figures/", "/equipment/",
    "/dashboard/", "/dashboard/exports/", "/registers/",
]
READ_BY_VIEWS = ["awc", "band", "category", "child", "date", "household", "indicator", "level", "location", "month",
                 "nominee", "page", "parent", "q", "reason", "role", "sex", "show", "status", "period", "limit",
                 "offset", "code"]
FILTER_FORMS = [PeriodForm, FindCentreForm, RegisterFilterForm, GrievanceFilterForm, AuditFilterForm,
                LibraryFilterForm, CountsForm]


def _form_fields(form_class) -> list[str]:
    try:
        form = form_class()
    except TypeError:  # a form that needs the user or choices: its declared fields are enough
        return list(form_class.base_fields)
    return list(form.fields)


PARAMS = sorted({*READ_BY_VIEWS, *(name for form in FILTER_FORMS for name in _form_fields(form)), "month_from",
                 "month_to"})

HOSTILE = [
    "0001-01", "9999-12", "0000-00", "2026-13", "2026-00", "-2026-01", "0001-01-01", "9999-12-31", "2026-02-30",
    "31/12/9999", "01/01/0001", "१२", "२०२६-११", "²", "٣", "9" * 30, "-1", "0", "-9223372036854775809",
    "9223372036854775808", "1e9", "NaN", "inf", "\x00", "a\x00b", "abc", "' OR 1=1 --", "<script>x</script>",
    "%00", "\u202e", "\u200b", " ", "[]", "{}", "null", "true", "..", "../../etc/passwd",
]
VALUES = st.one_of(
    st.sampled_from(HOSTILE),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.dates().map(lambda d: d.isoformat()),
    st.dates().map(lambda d: d.strftime("%Y-%m")),
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=24),
)
QUERIES = st.dictionaries(st.sampled_from(PARAMS), VALUES, min_size=1, max_size=4)


@pytest.fixture
def people(world, users):
    today = timezone.localdate()
    household = make_household(world.awc1, actor=users.aww, mobile="9812312345")
    make_person(household, actor=users.aww, name="Sita", enrol_as="pregnant", age_years=24,
                lmp=today - timedelta(days=60))
    make_person(household, actor=users.aww, name="Mohan", sex="M", dob=today - timedelta(days=4 * 365),
                enrol_as="child")


# Sent first on every page, in every parameter at once: the values a probe once turned into 500s.
SWEEP = ["0001-01", "9999-12", "0001-01-01", "9999-12-31", "9" * 30, "abc", "a\x00b", "१२"]


def _fuzz_page(client, url: str, failures: list[str]) -> None:
    for value in SWEEP:
        status = client.get(url, dict.fromkeys(PARAMS, value)).status_code
        if status >= 500:
            failures.append(f"{url} every parameter={value!r} → {status}")

    @settings(max_examples=PAGE_FUZZ_EXAMPLES, deadline=None, database=None, derandomize=True,
              suppress_health_check=list(HealthCheck))
    @given(query=QUERIES)
    def fuzz(query):
        status = client.get(url, query).status_code
        if status >= 500:
            failures.append(f"{url} {query!r} → {status}")

    fuzz()


@pytest.mark.parametrize("role", ["aww", "dpo"])
def test_no_page_answers_a_server_error_to_hostile_query_strings(role, people, users, login):
    client = login(getattr(users, role))
    client.raise_request_exception = False  # a crash is recorded as its 500 and the fuzzing goes on
    failures: list[str] = []
    for url in PAGES:
        _fuzz_page(client, url, failures)
    assert failures == [], "server errors:\n" + "\n".join(failures[:40])
