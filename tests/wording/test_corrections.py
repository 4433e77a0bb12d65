"""A state official proposes a better wording from the page, an admin approves it, every page shows it at once
(no deploy, no compilemessages), and the approved wordings export as a .po file msgfmt accepts. Audited."""
import subprocess

import pytest
from django.test import Client
from django.urls import reverse

from poshan.core.models import AuditEvent
from poshan.wording import catalogue
from poshan.wording.models import WordingCorrection

BETTER = "बाहर निकलें"


def client_in(user, language="hi") -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    client.cookies["django_language"] = language
    return client


def home(client) -> str:
    return client.get(reverse("profile"), HTTP_ACCEPT_LANGUAGE="hi").content.decode()


def test_round_trip_through_the_page_the_admin_and_the_export(users, tmp_path):
    state, admin = client_in(users.state), client_in(users.admin)
    page = home(state)
    assert "लॉग आउट करें" in page and reverse("wording:suggest") in page  # the footer link

    found = state.get(reverse("wording:suggest"), {"language": "hi", "q": "Sign out"}).content.decode()
    assert 'value="Sign out"' in found and "लॉग आउट करें" in found
    response = state.post(reverse("wording:suggest"), {"language": "hi", "q": "Sign out", "msgid": "Sign out",
                                                      "proposed": BETTER})
    assert response.status_code == 302
    correction = WordingCorrection.objects.get()
    assert (correction.status, correction.previous, correction.proposed_by) == ("proposed", "लॉग आउट करें",
                                                                               users.state)
    assert BETTER not in home(state)  # not before an admin approves

    review = admin.get(reverse("wording:review")).content.decode()
    assert BETTER in review
    assert admin.post(reverse("wording:review"), {"correction": correction.pk, "decision": "approve"}).status_code == 302
    correction.refresh_from_db()
    assert correction.status == "approved" and correction.decided_by == users.admin

    page = home(state)
    assert f">{BETTER}</button>" in page and ">लॉग आउट करें</button>" not in page
    assert "Sign out" in client_in(users.state, "en").get(reverse("profile")).content.decode()  # English unchanged

    exported = admin.get(reverse("wording:export"), {"language": "hi"})
    body = exported.content.decode()
    assert 'msgid "Sign out"\nmsgstr "' + BETTER + '"' in body
    po = tmp_path / "corrections-hi.po"
    po.write_text(body, encoding="utf-8")
    subprocess.run(["msgfmt", "--check", "-o", str(tmp_path / "c.mo"), str(po)], check=True)

    actions = list(AuditEvent.objects.filter(object_type__in=["wording_po", "wording.wordingcorrection",
                                                              "wordingcorrection"]).values_list("action", flat=True))
    assert sorted(actions) == ["create", "export", "update"], actions


def test_a_rejected_wording_changes_nothing(users):
    state, admin = client_in(users.state), client_in(users.admin)
    state.post(reverse("wording:suggest"), {"language": "hi", "msgid": "Sign out", "proposed": BETTER})
    correction = WordingCorrection.objects.get()
    admin.post(reverse("wording:review"), {"correction": correction.pk, "decision": "reject"})
    correction.refresh_from_db()
    assert correction.status == "rejected"
    assert BETTER not in home(state)


@pytest.mark.parametrize("proposed", ["आँकड़े तक के हैं।", "आँकड़े %(when)s और %(date)s तक के हैं।", "आँकड़े {when} तक"])
def test_a_wording_that_drops_or_adds_a_placeholder_is_refused(users, proposed):
    state = client_in(users.state)
    response = state.post(reverse("wording:suggest"), {"language": "hi", "msgid": "Figures as of %(when)s.",
                                                       "proposed": proposed})
    assert response.status_code == 400
    assert "placeholder" in response.content.decode() or "प्लेसहोल्डर" in response.content.decode()
    assert not WordingCorrection.objects.exists()


def test_placeholders_kept_in_another_order_are_accepted(users):
    state = client_in(users.state)
    response = state.post(reverse("wording:suggest"), {"language": "hi", "msgid": "Figures as of %(when)s.",
                                                       "proposed": "%(when)s तक के आँकड़े।"})
    assert response.status_code == 302 and WordingCorrection.objects.count() == 1


def test_only_officials_propose_and_only_admins_decide(users):
    worker = client_in(users.aww)
    assert worker.post(reverse("wording:suggest"), {"language": "hi", "msgid": "Sign out",
                                                    "proposed": BETTER}).status_code == 403
    state = client_in(users.state)
    state.post(reverse("wording:suggest"), {"language": "hi", "msgid": "Sign out", "proposed": BETTER})
    correction = WordingCorrection.objects.get()
    assert state.post(reverse("wording:review"), {"correction": correction.pk, "decision": "approve"}).status_code == 403
    assert state.get(reverse("wording:export"), {"language": "hi"}).status_code == 403
    correction.refresh_from_db()
    assert correction.status == "proposed"


def test_an_approval_changes_the_dashboards_cache_key(users):
    before = catalogue.version()
    state, admin = client_in(users.state), client_in(users.admin)
    state.post(reverse("wording:suggest"), {"language": "hi", "msgid": "Sign out", "proposed": BETTER})
    admin.post(reverse("wording:review"), {"correction": WordingCorrection.objects.get().pk, "decision": "approve"})
    assert catalogue.version() != before


def test_the_offline_queue_words_follow_the_language_and_an_approved_wording(users):
    """The queue box's words are rendered once per language and wording version: a Hindi page says them in Hindi,
    the English page in English, and an approved correction reaches them on the next page."""
    from django.utils import translation

    from poshan.core.pwa import QUEUE_WORDS

    with translation.override("hi"):
        hindi_send = str(QUEUE_WORDS["send"])
    assert hindi_send != "Send now"
    state, admin = client_in(users.state), client_in(users.admin)
    assert f'data-t-send="{hindi_send}"' in home(state)
    assert 'data-t-send="Send now"' in client_in(users.state, "en").get(reverse("profile")).content.decode()
    better = "अभी भेजिए"
    state.post(reverse("wording:suggest"), {"language": "hi", "msgid": "Send now", "proposed": better})
    admin.post(reverse("wording:review"), {"correction": WordingCorrection.objects.get().pk, "decision": "approve"})
    assert f'data-t-send="{better}"' in home(state)
