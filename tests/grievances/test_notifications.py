"""Notifications: in-app messages on a page, and pluggable backends for what leaves the system."""
import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from grievances import notify, services
from grievances.models import Notification


def test_worker_is_told_when_her_grievance_is_resolved(users, lodge, outbox, django_capture_on_commit_callbacks):
    grievance = lodge()
    with django_capture_on_commit_callbacks(execute=True):
        services.grievance_start(actor=users.cdpo, grievance=grievance)
        services.grievance_resolve(actor=users.cdpo, grievance=grievance, note="Fixed.")
    texts = [m.text for m in outbox if m.user_id == users.aww.pk]
    assert texts == [f"Work has started on your grievance {grievance.reference}.",
                     f"Your grievance {grievance.reference} is resolved. Close it, or reopen it if the problem remains."]


def test_nothing_is_sent_for_a_change_that_was_rolled_back(users, lodge, outbox, django_capture_on_commit_callbacks):
    grievance = lodge()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
        services.grievance_resolve(actor=users.cdpo, grievance=grievance, note="x")  # refused: still open
    assert outbox == []


def test_notifications_page_lists_and_marks_read(users, lodge, login, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        grievance = lodge()
    client = login(users.cdpo)
    page = client.get(reverse("grievances:notifications")).content.decode()
    assert grievance.reference in page and "new" in page
    client.post(reverse("grievances:notifications"))
    assert not Notification.objects.filter(user=users.cdpo, read=False).exists()


def test_notifications_page_shows_only_own(users, lodge, login, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        grievance = lodge()
    assert grievance.reference not in login(users.dpo).get(reverse("grievances:notifications")).content.decode()


def test_email_backend_sends_through_django_mail(settings, users):
    settings.NOTIFY_BACKENDS = ["grievances.notify.EmailBackend"]
    users.cdpo.email = "cdpo@example.org"
    notify.deliver([users.cdpo], "assigned", {"ref": "GRV-2026-000001", "awc": "X", "desk": "cdpo"}, "/g/1/")
    assert [m.to for m in mail.outbox] == [["cdpo@example.org"]]
    assert "GRV-2026-000001" in mail.outbox[0].body


def test_a_failing_backend_does_not_stop_the_others(settings, users, monkeypatch):
    settings.NOTIFY_BACKENDS = ["grievances.notify.ConsoleSMSBackend", "grievances.notify.InAppBackend"]

    def broken(self, message):
        raise ConnectionError("gateway down")

    monkeypatch.setattr(notify.ConsoleSMSBackend, "send", broken)
    notify.deliver([users.cdpo], "assigned", {"ref": "GRV-1", "awc": "X", "desk": "cdpo"}, "/g/1/")
    assert Notification.objects.filter(user=users.cdpo).count() == 1


def test_message_names_the_desk_in_words():
    text = notify.render("escalated_worker", {"ref": "GRV-1", "awc": "X", "desk": "dpo"}, "en")
    assert text == "Your grievance GRV-1 was escalated to the DPO / district coordinator."
