"""Light pages for 2G: static files compressed, no fonts or frameworks from elsewhere, each daily
form page under 60 KB in all (uncompressed); and the service worker and offline page served right."""
from __future__ import annotations

import gzip
import json
import os
import re
from datetime import timedelta
from pathlib import Path

import brotli
import pytest
from django.core.management import call_command
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError

from poshan.core import pwa
from poshan.core.submissions import handlers

from .conftest import ROOT
from .steps import sign_in

PAGE_BUDGET = 60_000  # bytes, everything a daily form page loads, uncompressed
STATIC_JS = ROOT / "static" / "js" / "offline.js"


@pytest.fixture
def collected(settings, tmp_path):
    """collectstatic into a fresh STATIC_ROOT (as the Docker image does): WhiteNoise then serves it."""
    settings.STATIC_ROOT = tmp_path / "static"
    call_command("collectstatic", interactive=False, verbosity=0, ignore_patterns=["admin", "rest_framework",
                                                                                  "drf_spectacular*"])
    return settings.STATIC_ROOT


@pytest.mark.parametrize("accept, encoding, decode", [
    ("gzip, deflate, br", "br", brotli.decompress),
    ("gzip, deflate", "gzip", gzip.decompress),
])
def test_static_js_is_served_compressed_when_the_phone_accepts_it(collected, client, accept, encoding, decode):
    response = client.get("/static/js/offline.js", HTTP_ACCEPT_ENCODING=accept)
    assert response.status_code == 200
    assert response["Content-Encoding"] == encoding
    assert "Accept-Encoding" in response["Vary"]
    body = b"".join(response.streaming_content)
    assert decode(body) == STATIC_JS.read_bytes()
    assert len(body) < STATIC_JS.stat().st_size / 2


def test_static_js_is_served_plain_to_a_client_without_compression(collected, client):
    response = client.get("/static/js/offline.js", HTTP_ACCEPT_ENCODING="identity")
    assert response.status_code == 200 and "Content-Encoding" not in response


def test_service_worker_is_served_from_the_root_and_revalidated(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    assert response["Cache-Control"] == "no-cache"
    body = response.content.decode()
    config = json.loads(re.search(r"/\*CONFIG\*/(.*?)/\*END\*/", body, re.S).group(1))
    assert config["batch"] == reverse("api-submission-batch") and config["logout"] == reverse("logout")
    assert "/static/css/app.css" in config["precache"] and "/static/js/offline.js" in config["precache"]
    again = client.get("/sw.js", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_service_worker_is_gzipped_for_2g(client):
    response = client.get("/sw.js", HTTP_ACCEPT_ENCODING="gzip")
    assert response["Content-Encoding"] == "gzip"
    assert len(response.content) < len(gzip.decompress(response.content)) / 2


def test_only_daily_forms_whose_entries_the_batch_accepts_are_kept_offline():
    forms = {f["page"]: f for f in pwa.offline_forms()}
    assert {"today", "attendance", "home_visit"} <= set(forms)
    assert ("measure" in forms) == ("measurement" in handlers())
    for form in forms.values():
        assert set(form["types"]) <= set(handlers())
    assert re.match(forms["home_visit"]["pattern"], reverse("beneficiaries:home_visit", args=[42]))
    assert not re.match(forms["home_visit"]["pattern"], reverse("beneficiaries:detail", args=[42]))


def test_offline_page_is_public_and_names_nobody(client, users, login):
    assert client.get(reverse("offline")).status_code == 200
    body = login(users.aww).get(reverse("offline")).content.decode()
    assert users.aww.username not in body and 'data-user=""' in body


# --- in the browser ----------------------------------------------------------------------------------

@pytest.fixture
def full_sheet(world, users, today):
    """A large centre: 30 children of 3–6 years on the attendance sheet."""
    from tests.factories import make_household, make_person

    children = []
    for h in range(10):
        household = make_household(world.awc1, head_name=f"Parivar {h}")
        children += [make_person(household, name=f"Bachcha Kumari {h}-{i}", sex="F", enrol_as="child",
                                 dob=today - timedelta(days=3 * 365 + 200 + 90 * i)) for i in range(3)]
    return children


def weigh(page, url: str) -> dict:
    """Every response the page loads (document, styles, scripts, images): bytes uncompressed and origin."""
    responses = []

    def seen_response(response):
        responses.append(response)

    page.on("response", seen_response)
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    page.remove_listener("response", seen_response)
    seen = []
    for r in responses:
        try:
            size = len(r.body())
        except PlaywrightError:  # the browser keeps no body for the tab's icon: its declared length
            size = int(r.headers["content-length"])
        seen.append((r.url, r.request.resource_type, size))
    return {"total": sum(size for *_, size in seen), "files": seen}


@pytest.mark.browser
def test_daily_form_pages_weigh_under_60_kb_with_nothing_from_elsewhere(live_server, browser, users, full_sheet,
                                                                       browser_context_args):
    base = live_server.url
    context = browser.new_context(**{**browser_context_args, "service_workers": "block"})
    page = context.new_page()
    context.new_cdp_session(page).send("Network.setCacheDisabled", {"cacheDisabled": True})  # each page cold
    sign_in(page, base, users.aww)
    child = full_sheet[0]
    weights = {}
    for name, path in {
        "today": reverse("anganwadi:today"),
        "attendance (30 children)": reverse("beneficiaries:attendance"),
        "home visit": reverse("beneficiaries:home_visit", args=[child.pk]),
        "measurement": reverse("growth:measure", args=[child.pk]),
    }.items():
        weighed = weigh(page, base + path)
        weights[name] = {"total": weighed["total"], "files": {u.removeprefix(base): n for u, _, n in weighed["files"]}}
        assert weighed["total"] < PAGE_BUDGET, (name, weighed)
        assert all(url.startswith(base) for url, *_ in weighed["files"]), weighed["files"]
        assert not [f for f in weighed["files"] if f[1] == "font"]
    context.close()
    folder = Path(os.environ.get("ARTIFACTS_DIR") or ROOT / "artifacts") / "e2e"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "page-weights.json").write_text(json.dumps(weights, indent=2))
    print("\npage weights (bytes, uncompressed):", json.dumps(weights, indent=1))
