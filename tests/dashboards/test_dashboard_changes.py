"""The dashboard page: changes compare like with like, the page says when its figures were counted, and a count
that differs from the list it summarises says why."""
from datetime import date, datetime, timezone as dt_timezone

import pytest
import time_machine
from django.urls import reverse

from poshan.core.roles import Level
from poshan.dashboards.models import AreaMonth, NutritionMonth

TODAY = date(2026, 12, 4)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-12-04 06:00:00+00:00", tick=False):
        yield


def _row(world, month: date, refreshed: datetime, **counts):
    defaults = dict(awcs=2, days_open=40, beneficiaries=100, pregnant=10)
    AreaMonth.objects.create(month=month, level=Level.SECTOR, location=world.sector1, parent=world.project1,
                             refreshed_at=refreshed, **{**defaults, **counts})
    NutritionMonth.objects.create(month=month, level=Level.SECTOR, location=world.sector1, parent=world.project1,
                                  children=50, weighed=40, sam=1)


def utc(*args):
    return datetime(*args, tzinfo=dt_timezone.utc)


def _cards(html: str) -> dict[str, str]:
    """Indicator label → the text of its card (value, n / d, change)."""
    import html as html_module
    import re

    cards = {}
    for block in re.findall(r'<div class="ind [^"]*">(.*?)</div>\s*(?=<div class="ind |</div>)', html, re.S):
        label = re.search(r'<div class="ind-label">(.*?)</div>', block).group(1)
        cards[label] = html_module.unescape(re.sub(r"<[^>]+>", " ", block))
    return cards


def page(client, month: str) -> str:
    return client.get(reverse("dashboards:home"), {"month": month}).content.decode()


def test_two_complete_months_show_the_change(world, users, login):
    _row(world, date(2026, 10, 1), utc(2026, 11, 1, 20, 40), days_open=30)
    _row(world, date(2026, 11, 1), utc(2026, 12, 1, 20, 40), days_open=40)
    cards = _cards(page(login(users.supervisor), "2026-11"))
    assert "▲ 5.0" in cards["Days open per AWC this month"]  # 20 against 15 per AWC


def test_a_month_to_date_is_not_compared_with_a_whole_month(world, users, login):
    _row(world, date(2026, 11, 1), utc(2026, 12, 1, 20, 40), days_open=44)
    _row(world, date(2026, 12, 1), utc(2026, 12, 4, 5, 0), days_open=6)  # 4 days of December
    html = page(login(users.supervisor), "2026-12")
    cards = _cards(html)
    assert "▼" not in cards["Days open per AWC this month"] and "▲" not in cards["Days open per AWC this month"]
    assert not any("▲" in text or "▼" in text for text in cards.values())
    assert "Changes against last month are shown only when both months are complete." in html


def test_a_month_counted_before_it_ended_is_not_compared_either(world, users, login):
    _row(world, date(2026, 10, 1), utc(2026, 10, 29, 20, 40), days_open=30)  # last counted on 30 October
    _row(world, date(2026, 11, 1), utc(2026, 12, 1, 20, 40), days_open=44)
    cards = _cards(page(login(users.supervisor), "2026-11"))
    assert "▲" not in cards["Days open per AWC this month"]


def test_no_arrow_when_last_month_had_nothing(world, users, login):
    _row(world, date(2026, 10, 1), utc(2026, 11, 1, 20, 40), beneficiaries=0, pregnant=0)
    _row(world, date(2026, 11, 1), utc(2026, 12, 1, 20, 40), beneficiaries=106, pregnant=12)
    cards = _cards(page(login(users.supervisor), "2026-11"))
    assert "106" in cards["Beneficiaries registered"] and "▲" not in cards["Beneficiaries registered"]
    assert "▲" not in cards["Pregnant women"]


def test_the_page_says_when_its_figures_were_counted_and_how_to_get_fresher_ones(world, users, login):
    _row(world, date(2026, 11, 1), utc(2026, 12, 1, 20, 40))  # 02:10 on 2 December in India
    html = page(login(users.supervisor), "2026-11")
    assert "Figures as of 2 Dec 2026, 02:10." in html
    assert "counted again every night" in html and "ask your state office" in html
    state_html = page(login(users.state), "2026-11")
    assert reverse("dashboards:refresh") in state_html


def test_sam_says_why_it_can_differ_from_the_follow_up_list(world, users, login):
    _row(world, date(2026, 11, 1), utc(2026, 12, 1, 20, 40))
    cards = _cards(page(login(users.supervisor), "2026-11"))
    sam = cards["Severe acute malnutrition (SAM)"]
    assert "Counted from this month's weighings" in sam and "earlier months" in sam
    html = page(login(users.supervisor), "2026-11")
    assert f'href="{reverse("growth:followups")}"' in html
