"""The attendance sheet of a big centre (80 children) stays under 30 KB as transferred in every language the portal
offers: a script of three bytes a letter in UTF-8 (Tamil, Devanagari, Bengali) must not push it past what a 2G
phone loads in a few seconds. The weights are printed, the heaviest language last."""
from __future__ import annotations

import gzip
from datetime import timedelta

from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import make_household, make_person

SHEET_CHILDREN = 80
SHEET_BUDGET = 30_000  # bytes as transferred (tests/e2e/test_phone_sheet.py holds the English sheet to the same)


def test_attendance_sheet_is_under_30_kb_as_transferred_in_every_language(world, users):
    today = timezone.localdate()
    for h in range(SHEET_CHILDREN // 2):
        household = make_household(world.awc1, head_name=f"Ramprasad Vishwakarma {h}")
        for i in range(2):
            make_person(household, name=f"Bhagyashree Kumari {h}-{i}", sex="F", enrol_as="child",
                        dob=today - timedelta(days=3 * 365 + 100 + 300 * i + h))
    client = Client()
    client.force_login(users.aww, backend="django.contrib.auth.backends.ModelBackend")
    weights = {}
    for language, _name in settings.LANGUAGES:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        response = client.get(reverse("beneficiaries:attendance"), HTTP_ACCEPT_ENCODING="gzip")
        assert response.status_code == 200 and response["Content-Encoding"] == "gzip"
        html = gzip.decompress(response.content).decode()
        assert f'<html lang="{language}"' in html and html.count('name="present"') == SHEET_CHILDREN
        weights[language] = (len(response.content), len(html.encode()))
    for language, (transferred, plain) in sorted(weights.items(), key=lambda item: item[1]):
        print(f"attendance sheet, {SHEET_CHILDREN} children, {language}: {transferred} bytes gzipped, {plain} of HTML")
    assert {language: w for language, (w, _plain) in weights.items() if w > SHEET_BUDGET} == {}
