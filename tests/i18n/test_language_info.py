"""Every language of the Eighth Schedule is ready to be offered: Django knows its name in its own script and its
direction, and it has day-first date formats; every language offered lays out its pages in its direction."""
import importlib

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

# The 22 languages of the Eighth Schedule (Manipuri in Meetei Mayek, Santali in Ol Chiki, Kashmiri and Sindhi in
# Perso-Arabic script), by the codes the portal uses.
SCHEDULED = ("as", "bn", "brx", "doi", "gu", "hi", "kn", "ks", "kok", "mai", "ml", "mni", "mr", "ne", "or", "pa",
             "sa", "sat", "sd", "ta", "te", "ur")
RIGHT_TO_LEFT = {"ur", "ks", "sd"}


@pytest.mark.parametrize("code", SCHEDULED)
def test_each_scheduled_language_has_a_name_a_direction_and_date_formats(code):
    info = translation.get_language_info(code)
    assert info["name_local"] and not info["name_local"].isascii()
    assert info["bidi"] == (code in RIGHT_TO_LEFT) == (code in settings.LANGUAGES_BIDI)
    formats = importlib.import_module(f"poshan.formats.{code}.formats")
    assert formats.DATE_FORMAT == "d M Y" and formats.SHORT_DATE_FORMAT == "d/m/Y"


def test_the_languages_offered_are_scheduled_ones_named_as_django_names_them():
    for code, name in settings.LANGUAGES:
        assert code == "en" or code in SCHEDULED
        assert translation.get_language_info(code)["name_local"] == name


@pytest.mark.parametrize("code", [code for code, _name in settings.LANGUAGES])
def test_pages_are_laid_out_in_the_direction_of_the_language(client, db, code):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = code
    page = client.get(reverse("login")).content.decode()
    direction = "rtl" if code in RIGHT_TO_LEFT else "ltr"
    assert f'<html lang="{code}" dir="{direction}">' in page
