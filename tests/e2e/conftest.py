"""Real-browser tests: Playwright for Python driving Debian's Chromium (never a downloaded browser).

The browser runs as a cheap phone would: a 360×740 viewport in India's time zone. Each test
saves a screenshot per step under $ARTIFACTS_DIR/e2e (default: artifacts/e2e) for CI.
Without Chromium the browser tests are skipped with the reason, unless E2E_REQUIRE_BROWSER is
set (.ci/run sets it: CI installs Chromium, so there they must run).
"""
from __future__ import annotations

import os
import re
import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.utils import timezone

# Playwright's sync API keeps an event loop running in this thread; the ORM calls the tests make
# between browser steps are synchronous and safe (the live server runs in its own thread).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
PHONE = {"width": 360, "height": 740}
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not (os.path.isfile(CHROMIUM) and os.access(CHROMIUM, os.X_OK)):
        message = (f"Chromium not found at {CHROMIUM}: install Debian's `chromium` and `libatomic1` "
                   "(apt-get install chromium libatomic1) or set CHROMIUM_PATH")
        if os.environ.get("E2E_REQUIRE_BROWSER"):
            pytest.fail(message)
        pytest.skip(message)
    return {**browser_type_launch_args, "executable_path": CHROMIUM,
            "args": [*browser_type_launch_args.get("args", []), *CHROMIUM_ARGS]}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": PHONE, "timezone_id": "Asia/Kolkata", "locale": "en-IN"}


@pytest.fixture
def shots(request, page):
    """shots("step") saves the page as <ARTIFACTS_DIR>/e2e/<test>-<nn>-step.png."""
    folder = Path(os.environ.get("ARTIFACTS_DIR") or ROOT / "artifacts") / "e2e"
    folder.mkdir(parents=True, exist_ok=True)
    test = re.sub(r"[^A-Za-z0-9_]+", "_", request.node.name).strip("_")
    for old in folder.glob(f"{test}-*.png"):  # a previous run's steps
        old.unlink()
    count = iter(range(1, 100))

    def shot(step: str) -> Path:
        path = folder / f"{test}-{next(count):02d}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return shot


@pytest.fixture
def today() -> date:
    return timezone.localdate()


@pytest.fixture
def centre(world, users, today):
    """awc1 with six children of 3–6 years (one of them small and thin enough to be flagged)."""
    from tests.factories import make_household, make_person

    household = make_household(world.awc1, head_name="Suresh Yadav")
    names = ["Aarti", "Bhola", "Chanda", "Deepak", "Esha", "Farhan"]
    children = [make_person(household, name=name, sex="FM"[i % 2], enrol_as="child",
                            dob=today - timedelta(days=3 * 365 + 120 + 40 * i))
                for i, name in enumerate(names)]
    return {child.name: child for child in children}
