"""Read in sunlight, heard by a screen reader: axe-core (WCAG 2.1 A and AA) finds nothing on the daily
pages in English and Hindi; text a worker reads outdoors has a contrast of 7:1 or more (axe's
AAA contrast rule); growth-chart labels are at least 12 px as rendered on the phone; every
aria-describedby points to an element that exists (the measure form's help texts)."""
from __future__ import annotations

import pytest
from django.urls import reverse

from .conftest import ROOT
from .steps import sign_in

pytestmark = pytest.mark.browser

AXE = ROOT / "tests" / "e2e" / "vendor" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
OUTDOOR_CONTRAST = ["color-contrast-enhanced"]  # 7:1 (WCAG 1.4.6, AAA): text read in sunlight
CHART_LABEL_PX = 12

RUN_AXE = """async ({tags, rules}) => {
  const found = [];
  for (const options of [{runOnly: {type: 'tag', values: tags}}, {runOnly: {type: 'rule', values: rules}}]) {
    const result = await axe.run(document, {...options, resultTypes: ['violations']});
    for (const v of result.violations) {
      found.push(`${v.id}: ${v.help} — ` + v.nodes.slice(0, 4).map(n => n.target.join(' ') + ' ' +
        (n.any[0] && n.any[0].message || '')).join(' | '));
    }
  }
  return found;
}"""


def daily_pages(child) -> dict[str, str]:
    return {
        "home": reverse("home"),
        "today": reverse("anganwadi:today"),
        "attendance": reverse("beneficiaries:attendance"),
        "due": reverse("beneficiaries:due"),
        "home visit": reverse("beneficiaries:home_visit", args=[child.pk]),
        "measure": reverse("growth:measure", args=[child.pk]),
        "growth list": reverse("growth:children"),
        "growth chart": reverse("growth:child", args=[child.pk]),
        "follow-ups": reverse("growth:followups"),
    }


@pytest.fixture
def measured(centre, users, today):
    """Aarti weighed twice, so her chart has points and a line."""
    from datetime import timedelta
    from decimal import Decimal

    from growth import services

    child = centre["Aarti"]
    for days, kg, cm in ((60, "13.2", "94.0"), (5, "13.6", "95.5")):
        services.measurement_record(actor=users.aww, child=child, date=today - timedelta(days=days),
                                    weight_kg=Decimal(kg), lenhei_cm=Decimal(cm), measure="h")
    return child


@pytest.fixture
def axe_page(browser, browser_context_args):
    """A phone whose pages accept the injected axe-core script (their CSP allows only the site's own scripts)."""
    context = browser.new_context(**browser_context_args, bypass_csp=True)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("language", ["en", "hi"])
def test_axe_finds_no_violation_on_the_daily_pages(live_server, axe_page, users, measured, language):
    base, page = live_server.url, axe_page
    page.goto(base + reverse("login"))
    page.add_script_tag(path=str(AXE))
    violations = {"sign-in": page.evaluate(RUN_AXE, {"tags": WCAG_AA, "rules": OUTDOOR_CONTRAST})}
    sign_in(page, base, users.aww, language=None if language == "en" else language)
    for name, path in daily_pages(measured).items():
        page.goto(base + path)
        assert page.get_attribute("html", "lang") == language
        page.add_script_tag(path=str(AXE))
        violations[name] = page.evaluate(RUN_AXE, {"tags": WCAG_AA, "rules": OUTDOOR_CONTRAST})
    found = {name: found for name, found in violations.items() if found}
    assert not found, "\n".join(f"{name}: {v}" for name, items in found.items() for v in items)


def test_growth_chart_labels_are_at_least_12_px_on_the_phone(live_server, page, users, measured, shots):
    sign_in(page, live_server.url, users.aww, language="hi")
    page.goto(live_server.url + reverse("growth:child", args=[measured.pk]))
    shots("growth-chart-in-hindi")
    sizes = page.evaluate("""() => [...document.querySelectorAll('svg.chart')].flatMap(svg => {
        const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
        return [...svg.querySelectorAll('text')].map(t => parseFloat(getComputedStyle(t).fontSize) * scale);
    })""")
    assert len(sizes) > 20
    assert min(sizes) >= CHART_LABEL_PX, f"smallest chart label {min(sizes):.1f} px"


def test_help_texts_are_what_aria_describedby_points_to(live_server, page, users, measured):
    base = live_server.url
    sign_in(page, base, users.aww)
    missing = {}
    for name, path in daily_pages(measured).items():
        page.goto(base + path)
        lost = page.evaluate("""() => [...document.querySelectorAll('[aria-describedby]')].flatMap(el =>
            el.getAttribute('aria-describedby').split(/\\s+/).filter(id => !document.getElementById(id))
              .map(id => `${el.name || el.id} → #${id}`))""")
        if lost:
            missing[name] = lost
    assert not missing, missing
    page.goto(base + reverse("growth:measure", args=[measured.pk]))
    weight = page.locator("#id_weight_kg")
    help_id = weight.get_attribute("aria-describedby")
    assert help_id and "9.35" in page.locator(f"#{help_id}").inner_text()
