"""Dates follow Indian conventions in every language: day first ("09 Nov 2026", or 09/11/2026 where space is
short), never the US month-first order; wrong month names in Django's own catalogues are put right."""
from datetime import date, datetime, timedelta

import pytest
from django import forms
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from beneficiaries.models import Beneficiary
from tests.factories import make_household, make_person

LANGUAGES = [code for code, _name in settings.LANGUAGES]  # every language the portal offers


@pytest.mark.parametrize("language", LANGUAGES)
def test_short_dates_are_day_first_in_every_language(language):
    with translation.override(language):
        assert date_format(date(1998, 5, 10), "SHORT_DATE_FORMAT") == "10/05/1998"
        assert date_format(timezone.make_aware(datetime(1998, 5, 10, 14, 5)), "SHORT_DATETIME_FORMAT") == \
            "10/05/1998 14:05"


def test_english_dates_read_09_nov_2026():
    with translation.override("en"):
        assert date_format(date(2026, 11, 9)) == "09 Nov 2026"
        assert date_format(date(2026, 11, 9), "MONTH_DAY_FORMAT") == "9 November"
        assert date_format(timezone.make_aware(datetime(2026, 11, 9, 9, 30)), "DATETIME_FORMAT") == "09 Nov 2026, 09:30"


@pytest.mark.parametrize("language, expected", [("hi", "09 नव॰ 2026"), ("ur", "09 نومبر 2026"), ("mr", "09 नोव्हें 2026"),
                                                ("bn", "09 নভে. 2026"), ("ta", "09 நவ 2026"),
                                                ("ml", "09 നവം 2026"), ("kn", "09 ನವೆಂ 2026")])
def test_dates_in_other_languages_are_day_month_year(language, expected):
    with translation.override(language):
        assert date_format(date(2026, 11, 9)) == expected


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != "en"])
def test_every_language_writes_the_day_then_its_own_month_name(language):
    """A language added to settings.LANGUAGES gets day-month-year and its own month names (poshan/formats/<code>/)."""
    with translation.override(language):
        day, month, year = date_format(date(2026, 11, 9)).split(" ")
        assert (day, year) == ("09", "2026")
        assert month.strip(".") not in ("Nov", "November") and not month.isascii()
        assert date_format(date(2026, 11, 9), "F") != "November"


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_typed_date_is_read_day_first(language):
    """Where a browser shows a plain text box for a date, 05/10/1998 is 5 October, not 10 May."""
    with translation.override(language):
        field = forms.DateField()
        assert field.clean("05/10/1998") == date(1998, 10, 5)
        assert field.clean("1998-10-05") == date(1998, 10, 5)
        assert forms.DateInput().format_value(date(1998, 10, 5)) == "1998-10-05"  # what <input type=date> needs


def test_hindi_month_and_day_names_are_spelt_right():
    """Django's Hindi catalogue has दिसमबर, नवमबर, सितमबर (no halant) and गुरूवार; the project's catalogue wins."""
    with translation.override("hi"):
        full = [date_format(date(2026, m, 1), "F") for m in range(1, 13)]
        assert full[8:] == ["सितंबर", "अक्टूबर", "नवंबर", "दिसंबर"]
        assert date_format(date(2026, 12, 9), "d F Y") == "09 दिसंबर 2026"
        assert date_format(date(2026, 12, 9)) == "09 दिस॰ 2026"
        assert date_format(date(2026, 12, 3), "l") == "गुरुवार"
        assert date_format(date(2026, 12, 9), "N") == "दिस॰"
    assert not any(bad in " ".join(full) for bad in ("मब", "दिसमबर"))


def test_person_page_and_due_list_show_day_first_dates_in_english(users, login, world):
    household = make_household(world.awc1, head_name="Suresh Yadav")
    mother = make_person(household, name="Meena", dob=date(1998, 5, 10))
    today = timezone.localdate()
    child = make_person(household, name="Aarti", enrol_as="child", dob=today - timedelta(days=400))
    weighed = today.replace(day=1) - timedelta(days=20)
    Beneficiary.objects.filter(pk=child.pk).update(last_weighed_on=weighed)
    client = login(users.aww)
    client.cookies["django_language"] = "en"

    person = client.get(reverse("beneficiaries:detail", args=[mother.pk])).content.decode()
    assert "10 May 1998" in person and "05/10/1998" not in person

    due = client.get(reverse("beneficiaries:due")).content.decode()
    assert f"last weighed {date_format(weighed, 'd M Y')}" in due
    assert weighed.strftime("%m/%d/%Y") not in due
