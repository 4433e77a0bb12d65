"""Every page of an Anganwadi worker's day, rendered in every language the portal offers besides English with a
centre full of data, has no English word left outside an allow-list of units and codes (names and other data typed
by people are allowed).

The world is the access matrix's (tests/security/world.py): a family with a pregnant woman, her husband and a
flagged two-year-old, consents, a home visit, a move, THR stock and hand-overs, a device, an allowance claim,
grievances, a training video and session.
"""
from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from poshan.core.views import home_tiles
from poshan.registers.selectors import REGISTERS
from tests.i18n.test_templates_translated import _Visible
from tests.security.world import build_world

# Units, codes and names that are the same in every language of the programme: measures and file kinds, the
# programme's abbreviations (SAM/MAM are WHO's classes of acute malnutrition, CDPO an officer's title, FRS the face
# recognition system), and the brand.
ALLOWED = {"kg", "cm", "MB", "MUAC", "OTP", "PDF", "CSV", "XLSX", "SVG", "JPEG", "PNG", "WEBP", "Poshan", "ID", "IMEI",
           "SMS", "ECCE", "THR", "AWC", "AWW", "CDPO", "GRV", "SD", "WHO", "SAM", "MAM", "FRS",
           "NRC", "LMP", "PLI", "Print"}
# NRC (the Nutrition Rehabilitation Centre) is kept by the glossary, LMP by the Marathi and Bengali catalogues as on
# the MCP card; PLI is the incentive rules' version code; "Print" names the browser's menu item (Bengali).
MASK = re.compile(r"X+")  # the hidden digits of an Aadhaar, mobile or IMEI number ("XXXX XXXX 4242")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]  # every other language


def _person_pages(w) -> list[str]:
    """The pages about one person, family, measurement or record that a worker opens in a day."""
    return [
        reverse("beneficiaries:detail", args=[w.woman1.pk]),
        reverse("beneficiaries:detail", args=[w.child1.pk]),
        reverse("beneficiaries:detail", args=[w.husband1.pk]),
        reverse("beneficiaries:household", args=[w.household1.pk]),
        reverse("beneficiaries:edit", args=[w.woman1.pk]),
        reverse("beneficiaries:pregnancy", args=[w.woman1.pk]),
        reverse("beneficiaries:delivery", args=[w.pregnancy1.pk]),
        reverse("beneficiaries:home_visit", args=[w.woman1.pk]),
        reverse("beneficiaries:move", args=[w.child1.pk]),
        reverse("growth:child", args=[w.child1.pk]),
        reverse("growth:measure", args=[w.child1.pk]),
        reverse("growth:measurement", args=[w.measurement1.pk]),
        reverse("thr_frs:handover", args=[w.woman1.pk]),
        reverse("thr_frs:handover", args=[w.child1.pk]),
        reverse("thr_frs:handover", args=[w.husband1.pk]),
        reverse("thr_frs:stock"),
        reverse("thr_frs:register"),
        reverse("grievances:detail", args=[w.grievance_aww.pk]),
        reverse("training:video", args=[w.video.pk]),
        reverse("registers:centre", args=[w.awc1.pk, w.today.year, w.today.month]),
        *(reverse("registers:register", args=[w.awc1.pk, w.today.year, w.today.month, kind]) for kind in REGISTERS),
    ]


@pytest.fixture(scope="module")
def w(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("daily-pages-media")
    with override_settings(MEDIA_ROOT=str(media)), django_db_blocker.unblock():
        with transaction.atomic():
            world = build_world(media)
            world.pages = [tile["url"] for tile in home_tiles(world.aww)] + _person_pages(world)
            world.data_words = _data_words()
            yield world
            transaction.set_rollback(True)


def _data_words() -> set[str]:
    """Words people typed or the world was built with: names, places, descriptions, titles."""
    from anganwadi.equipment.models import Device
    from anganwadi.models import Location
    from beneficiaries.models import Beneficiary, Consent, Household
    from grievances.models import Grievance
    from poshan.core.models import User
    from thr_frs.models import OverrideRequest
    from training.models import TrainingSession, Video

    texts = [*Beneficiary.objects.values_list("name", flat=True),
             *Household.objects.values_list("head_name", "hamlet"),
             *Consent.objects.values_list("given_by", flat=True),
             *Location.objects.values_list("name", flat=True),
             *User.objects.values_list("username", "first_name", "last_name"),
             *Grievance.objects.values_list("description", "caller_name"),
             *OverrideRequest.objects.values_list("reason", flat=True),
             *Device.objects.values_list("make", flat=True),
             *Video.objects.values_list("title", flat=True),
             *TrainingSession.objects.values_list("place", flat=True)]
    flat = " ".join(" ".join(t) if isinstance(t, tuple) else str(t) for t in texts)
    return set(LATIN_WORD.findall(flat))


def english_words(html: str, allowed: set[str]) -> list[str]:
    """Latin-script words a reader sees (text, titles, placeholders, labels), outside `allowed`."""
    parser = _Visible()
    parser.feed(html)
    words = LATIN_WORD.findall(" ".join(parser.parts))
    return sorted({word for word in words if word not in allowed and not MASK.fullmatch(word)})


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_daily_page_speaks_only_the_language_chosen(w, db, language):
    client = Client()
    client.force_login(w.aww, backend="django.contrib.auth.backends.ModelBackend")
    client.cookies["django_language"] = language
    found = {}
    for url in w.pages:
        response = client.get(url, follow=True)
        assert response.status_code == 200, (url, response.status_code)
        html = response.content.decode()
        assert f'<html lang="{language}"' in html, url
        if words := english_words(html, ALLOWED | w.data_words):
            found[url] = words
    assert found == {}, "English words left:\n" + "\n".join(f"{url}: {words}" for url, words in found.items())


def test_the_checker_finds_english_in_a_hindi_page():
    html = ("<p>राधा — 28 years, 6 months, XXXX 4242</p><p title='Consent'>face, services, sms</p>"
            "<script>var x = 'ok';</script>")
    assert english_words(html, {"sms"}) == ["Consent", "face", "months", "services", "years"]
