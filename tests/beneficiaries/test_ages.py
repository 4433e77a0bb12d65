"""One way to say a person's age on every page, with plural forms, in the active language."""
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from beneficiaries.lifestage import age_text
from beneficiaries.models import Consent
from tests.factories import make_household, make_person

ON = date(2026, 11, 9)


@pytest.mark.parametrize("dob, expected", [
    (date(2026, 11, 9), "0 days"), (date(2026, 11, 8), "1 day"), (date(2026, 10, 20), "20 days"),
    (date(2026, 10, 9), "1 month"), (date(2025, 3, 10), "19 months"), (date(2024, 11, 9), "2 years"),
    (date(2023, 10, 9), "3 years, 1 month"), (date(2022, 5, 9), "4 years, 6 months"), (date(1998, 5, 10), "28 years"),
    (date(2026, 11, 10), ""),
])
def test_age_in_english(dob, expected):
    with translation.override("en"):
        assert age_text(dob, ON) == expected


@pytest.mark.parametrize("language, expected", [
    ("hi", ["1 महीना", "19 महीने", "3 वर्ष, 1 महीना", "28 वर्ष"]),
    ("ur", ["1 مہینہ", "19 مہینے", "3 سال، 1 مہینہ", "28 سال"]),
    ("mr", ["1 महिना", "19 महिने", "3 वर्षे, 1 महिना", "28 वर्षे"]),
    ("bn", ["1 মাস", "19 মাস", "3 বছর, 1 মাস", "28 বছর"]),
])
def test_age_in_each_language(language, expected):
    with translation.override(language):
        assert [age_text(dob, ON) for dob in (date(2026, 10, 9), date(2025, 3, 10), date(2023, 10, 9),
                                             date(1998, 5, 10))] == expected


def test_person_page_in_hindi_shows_age_consent_and_pregnancy_in_hindi(users, login, world):
    household = make_household(world.awc1, head_name="Suresh Yadav")
    woman = make_person(household, name="Meena", dob=date(1998, 5, 10), enrol_as="pregnant",
                        lmp=timezone.localdate().replace(day=1))
    client = login(users.aww)
    client.cookies["django_language"] = "hi"
    page = client.get(reverse("beneficiaries:detail", args=[woman.pk])).content.decode()
    with translation.override("hi"):
        for label in dict(Consent.Purpose.choices).values():
            assert str(label) in page
        assert "(स्वयं)" in page and "आखिरी माहवारी" in page and "प्रसव की संभावित तारीख" in page
    for english in ("years", "months", "face, ", "services", "(self)", "LMP", "EDD"):
        assert english not in page
