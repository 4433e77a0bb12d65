"""The sign-in page lists the languages of the state first: the state a link names (?state=) or the one the phone
remembers from the last sign-in; the language tapped stays on the phone for the next sign-in."""
import re

import pytest
from django.conf import settings
from django.urls import reverse

from poshan.core.languages import STATE_COOKIE, STATE_LANGUAGES, languages_for_state
from poshan.core.roles import Level
from tests.factories import TEST_PASSWORD, LocationFactory, chain

TAMIL_NADU, MAHARASHTRA = 33, 27
BUTTON = re.compile(r'<button type="submit" name="language" value="([a-z]+)"')


def _order(page: str) -> list[str]:
    return BUTTON.findall(page)


@pytest.fixture
def tamil_worker(make_user):
    state = LocationFactory(level=Level.STATE, code=TAMIL_NADU, name="Tamil Nadu")
    *_, awc = chain(state, Level.DISTRICT, Level.PROJECT, Level.SECTOR, Level.AWC)
    return make_user("aww", awc)


def test_without_a_state_the_languages_keep_the_settings_order(client, db):
    assert _order(client.get(reverse("login")).content.decode()) == [code for code, _ in settings.LANGUAGES]


@pytest.mark.parametrize("state, first", [(TAMIL_NADU, "ta"), (MAHARASHTRA, "mr")])
def test_a_link_naming_the_state_puts_its_languages_first(client, db, state, first):
    order = _order(client.get(reverse("login"), {"state": state}).content.decode())
    assert order[0] == first
    assert sorted(order) == sorted(code for code, _ in settings.LANGUAGES)  # nothing lost, nothing twice


def test_a_bad_state_in_the_link_is_refused_with_a_message(client, db):
    response = client.get(reverse("login"), {"state": "tamil"})
    assert response.status_code == 400 and "state" in response.content.decode()


def test_the_phone_remembers_the_state_and_the_language_for_the_next_sign_in(client, tamil_worker):
    client.post(reverse("login_language"), {"language": "ta", "next": reverse("login")})
    client.post(reverse("login"), {"username": tamil_worker.username, "password": TEST_PASSWORD})
    assert client.cookies[STATE_COOKIE].value == str(TAMIL_NADU)
    client.post(reverse("logout"))

    page = client.get(reverse("login")).content.decode()
    assert '<html lang="ta"' in page  # the language tapped last time
    assert _order(page)[0] == "ta"  # and the state's language first
    assert re.search(r'value="ta" lang="ta"[^>]*class="on"[^>]*>தமிழ்</button>', page)


def test_a_national_user_leaves_no_state_on_the_phone(client, users):
    response = client.post(reverse("login"), {"username": users.ministry.username, "password": TEST_PASSWORD})
    assert response.status_code == 302 and "_auth_user_id" in client.session
    assert STATE_COOKIE not in client.cookies


def test_state_languages_not_offered_yet_are_skipped(settings):
    offered = settings.LANGUAGES
    settings.LANGUAGES = [(code, name) for code, name in offered if code != "mni"]  # as before Manipuri was offered
    manipur = languages_for_state(14)
    assert [code for code, _ in manipur] == [code for code, _ in settings.LANGUAGES]
    settings.LANGUAGES = offered
    assert languages_for_state(14)[0] == ("mni", "ꯃꯩꯇꯩꯂꯣꯟ")  # Manipur, once Manipuri is offered, in Meetei Mayek
    assert languages_for_state(32)[0][0] == "ml"  # Kerala, once Malayalam is offered
    assert languages_for_state(29)[0][0] == "kn"  # Karnataka, once Kannada is offered
    puducherry = [code for code, _ in languages_for_state(34)]
    assert puducherry[0] == "ta" and len(puducherry) == len(settings.LANGUAGES)
    assert all(isinstance(codes, tuple) for codes in STATE_LANGUAGES.values())
