"""Choosing a language: on the login page and in the profile; Urdu is laid out right to left."""
import re

from django.conf import settings
from django.urls import reverse
from django.utils.html import escape

from poshan.core.models import AuditEvent
from tests.factories import TEST_PASSWORD


def test_login_page_offers_every_language(client, db):
    page = client.get(reverse("login")).content.decode()
    for code, name in settings.LANGUAGES:
        assert f'value="{code}"' in page and escape(name) in page  # a name may hold an apostrophe: Bodo's बर'


def test_choosing_hindi_on_the_login_page(client, db):
    response = client.post(reverse("set_language"), {"language": "hi", "next": reverse("login")}, follow=True)
    page = response.content.decode()
    assert '<html lang="hi" dir="ltr">' in page


def test_urdu_pages_are_right_to_left(client, db):
    client.post(reverse("set_language"), {"language": "ur", "next": reverse("login")})
    page = client.get(reverse("login")).content.decode()
    assert '<html lang="ur" dir="rtl">' in page


def test_profile_language_is_saved_and_used_at_next_login(users, login, client):
    response = login(users.aww).post(reverse("profile"), {"preferred_language": "mr"}, follow=True)
    assert '<html lang="mr"' in response.content.decode()
    users.aww.refresh_from_db()
    assert users.aww.preferred_language == "mr"
    assert AuditEvent.objects.filter(actor=users.aww, fields=["preferred_language"]).exists()
    client.logout()
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
    client.post(reverse("login"), {"username": users.aww.username, "password": TEST_PASSWORD})
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "mr"


def test_stylesheet_uses_logical_directions_only():
    """A mirrored layout for Urdu comes from logical properties, not left/right."""
    css = (settings.BASE_DIR / "static" / "css" / "app.css").read_text()
    assert " left" not in css and "-left" not in css and " right" not in css and "-right" not in css


def test_language_tapped_on_the_login_page_wins_over_the_profile_and_is_saved(users, client):
    users.aww.preferred_language = "en"
    users.aww.save(update_fields=["preferred_language"])
    client.post(reverse("login_language"), {"language": "hi", "next": reverse("login")})
    client.post(reverse("login"), {"username": users.aww.username, "password": TEST_PASSWORD})
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "hi"
    assert '<html lang="hi"' in client.get(reverse("home")).content.decode()
    users.aww.refresh_from_db()
    assert users.aww.preferred_language == "hi"
    assert AuditEvent.objects.filter(actor=users.aww, fields=["preferred_language"]).exists()


def test_a_language_cookie_left_from_before_does_not_override_the_profile(users, client):
    users.aww.preferred_language = "mr"
    users.aww.save(update_fields=["preferred_language"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "bn"  # an earlier user's language on a shared phone
    client.post(reverse("login"), {"username": users.aww.username, "password": TEST_PASSWORD})
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "mr"
    users.aww.refresh_from_db()
    assert users.aww.preferred_language == "mr"


def test_language_buttons_are_written_in_their_own_script_on_every_login_page(client, db):
    for shown_in, _ in settings.LANGUAGES:
        client.post(reverse("login_language"), {"language": shown_in, "next": reverse("login")})
        page = client.get(reverse("login")).content.decode()
        assert f'<html lang="{shown_in}"' in page
        for code, name in settings.LANGUAGES:
            assert re.search(rf'value="{code}" lang="{code}"[^>]*>{re.escape(escape(name))}</button>', page), (shown_in, code)
