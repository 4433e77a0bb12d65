"""Choosing a language: on the login page and in the profile; Urdu is laid out right to left."""
from django.conf import settings
from django.urls import reverse

from poshan.core.models import AuditEvent
from tests.factories import TEST_PASSWORD


def test_login_page_offers_every_language(client, db):
    page = client.get(reverse("login")).content.decode()
    for code, name in settings.LANGUAGES:
        assert f'value="{code}"' in page and name in page


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
