"""Figures are grouped the Indian way (12,34,567) in every language of the portal; big figures on the dashboards
read in lakh and crore in the reader's language; what a machine reads (form inputs, CSV exports, the API) stays
a plain number."""
import csv
import io
from datetime import date, datetime, timezone as dt_timezone

import pytest
import time_machine
from django import forms
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils import translation
from django.utils.formats import number_format

from poshan.core.roles import Level
from poshan.dashboards.models import AreaMonth

LANGUAGES = [code for code, _name in settings.LANGUAGES]  # every language the portal offers


def render(source: str, **context) -> str:
    return Template("{% load indian_numbers %}" + source).render(Context(context))


@pytest.mark.parametrize("language", LANGUAGES)
def test_grouping_is_indian_in_every_language(language):
    with translation.override(language):
        assert number_format(1234567, force_grouping=True) == "12,34,567"
        assert number_format(123456789, force_grouping=True) == "12,34,56,789"
        assert render("{{ n|indian }}", n=1234567) == "12,34,567"
        assert render("{{ n|indian }}", n=1234567.25) == "12,34,567.25"
        assert render("{{ n|indian }}", n=999) == "999"
        assert render("{{ n|indian }}", n=None) == "—"


@pytest.mark.parametrize("language, lakh, crore", [
    ("en", "12.3 lakh", "1.2 crore"), ("hi", "12.3 लाख", "1.2 करोड़"), ("ur", "12.3 لاکھ", "1.2 کروڑ"),
    ("mr", "12.3 लाख", "1.2 कोटी"), ("bn", "12.3 লাখ", "1.2 কোটি"), ("ta", "12.3 லட்சம்", "1.2 கோடி"),
    ("ml", "12.3 ലക്ഷം", "1.2 കോടി"), ("kn", "12.3 ಲಕ್ಷ", "1.2 ಕೋಟಿ")])
def test_big_figures_read_in_lakh_and_crore(language, lakh, crore):
    with translation.override(language):
        assert render("{{ n|lakh_crore }}", n=1234567) == lakh
        assert render("{{ n|lakh_crore }}", n=12345678) == crore
        assert render("{{ n|lakh_crore }}", n=99999) == "99,999"  # below a lakh: the figure itself
        assert render("{{ n|lakh_crore }}", n=None) == "—"
    with translation.override("en"):
        assert render("{{ n|lakh_crore }}", n=500000) == "5 lakh"
        assert render("{{ n|lakh_crore }}", n=9996000) == "1 crore"  # 99.96 lakh rounds to a crore, not "100 lakh"
        assert render("{{ n|lakh_crore }}", n=123456789012) == "12,345.7 crore"


@pytest.mark.parametrize("language", LANGUAGES)
def test_form_inputs_show_and_accept_plain_numbers(language):
    class Form(forms.Form):
        count = forms.IntegerField()
        weight = forms.DecimalField(decimal_places=2)

    with translation.override(language):
        form = Form(initial={"count": 1234567, "weight": "1234.50"})
        html = str(form["count"]) + str(form["weight"])
        assert 'value="1234567"' in html and 'value="1234.50"' in html
        bound = Form({"count": "1234567", "weight": "1234.5"})
        assert bound.is_valid() and bound.cleaned_data["count"] == 1234567
        assert render("{{ n }}", n=1234567) == "1234567"  # ids in links and data attributes stay plain


@pytest.fixture
def frozen():
    with time_machine.travel("2026-12-04 06:00:00+00:00", tick=False):
        yield


@pytest.fixture
def big_month(world, frozen):
    AreaMonth.objects.create(month=date(2026, 11, 1), level=Level.SECTOR, location=world.sector1,
                             parent=world.project1, refreshed_at=datetime(2026, 12, 1, 20, 40, tzinfo=dt_timezone.utc),
                             awcs=2, days_open=40, beneficiaries=1234567, pregnant=10)
    AreaMonth.objects.create(month=date(2026, 11, 1), level=Level.AWC, location=world.awc1, parent=world.sector1,
                             refreshed_at=datetime(2026, 12, 1, 20, 40, tzinfo=dt_timezone.utc),
                             awcs=1, days_open=20, beneficiaries=1234567, pregnant=10)


@pytest.mark.parametrize("language, lakh", [("en", "12.3 lakh"), ("hi", "12.3 लाख")])
def test_dashboard_shows_indian_figures(world, users, login, big_month, language, lakh):
    client = login(users.supervisor)
    client.cookies["django_language"] = language
    response = client.get(reverse("dashboards:home"), {"month": "2026-11"}, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    html = response.content.decode()
    assert "12,34,567" in html and lakh in html
    assert "1,234,567" not in html


def test_exports_keep_plain_numbers(world, users, login, big_month):
    client = login(users.dpo)
    client.cookies["django_language"] = "hi"
    response = client.post(reverse("dashboards:export"), {"kind": "summary", "file_format": "csv",
                                                          "month_from": "2026-11", "month_to": "2026-11"},
                           HTTP_ACCEPT_LANGUAGE="hi")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows and rows[0]["beneficiaries"] == "1234567"
