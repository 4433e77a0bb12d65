"""Notifications through pluggable backends (settings.NOTIFY_BACKENDS).

Services never send anything themselves: they queue `send_notifications` (below) with
`transaction.on_commit`, naming a message key and plain parameters; the task renders
the message in each recipient's language and hands it to every configured backend.
In-app messages land in `Notification`; email goes through Django's mail framework
(the console backend in development); the SMS backend here only logs — a real
gateway is one more class with the same `send` method.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Protocol

from celery import shared_task
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

from poshan.core.masking import mask_tail
from poshan.core.roles import Role

from .models import Notification

logger = logging.getLogger(__name__)

DEFAULT_BACKENDS = ["grievances.notify.InAppBackend", "grievances.notify.ConsoleSMSBackend"]

MESSAGES = {
    "lodged_desk": _("New grievance %(ref)s at %(awc)s is waiting at your desk."),
    "lodged_worker": _("Grievance %(ref)s was lodged for you. We will keep you posted."),
    "started": _("Work has started on your grievance %(ref)s."),
    "resolved": _("Your grievance %(ref)s is resolved. Close it, or reopen it if the problem remains."),
    "reopened": _("Grievance %(ref)s was reopened by the worker."),
    "escalated_desk": _("Grievance %(ref)s at %(awc)s is overdue and was escalated to your desk (%(desk)s)."),
    "escalated_worker": _("Your grievance %(ref)s was escalated to the %(desk)s."),
    "assigned": _("Grievance %(ref)s was assigned to you."),
    "note": _("A note was added to grievance %(ref)s."),
}


@dataclass(frozen=True)
class Outgoing:
    user_id: int
    username: str
    email: str
    text: str
    link: str


class NotifyBackend(Protocol):
    def send(self, message: Outgoing) -> None: ...


class InAppBackend:
    def send(self, message: Outgoing) -> None:
        Notification.objects.create(user_id=message.user_id, text=message.text[:300], link=message.link[:200])


class ConsoleSMSBackend:
    """Development stand-in for an SMS gateway: logs who would get what."""

    def send(self, message: Outgoing) -> None:
        logger.info("SMS to %s: %s", mask_tail(message.username), message.text)


class EmailBackend:
    """Email through Django's EMAIL_BACKEND (console in development, SMTP in production)."""

    def send(self, message: Outgoing) -> None:
        if message.email:
            send_mail(str(_("Poshan grievance update")), f"{message.text}\n\n{message.link}", None, [message.email])


class MemoryBackend:
    """Keeps messages in a list; tests use it to see what would leave the system."""

    outbox: list[Outgoing] = []

    def send(self, message: Outgoing) -> None:
        MemoryBackend.outbox.append(message)


def backends() -> list[NotifyBackend]:
    return [import_string(path)() for path in getattr(settings, "NOTIFY_BACKENDS", DEFAULT_BACKENDS)]


def render(key: str, params: dict[str, str], language: str) -> str:
    with translation.override(language or settings.LANGUAGE_CODE):
        values = dict(params)
        if values.get("desk") in Role.values:
            values["desk"] = str(Role(values["desk"]).label)
        return str(MESSAGES[key]) % values


def deliver(users, key: str, params: dict[str, str], link: str) -> int:
    """Render and send to each user through every backend; a failing backend does not stop the others."""
    sent = 0
    chosen = backends()
    for user in users:
        message = Outgoing(user_id=user.pk, username=user.username, email=user.email,
                           text=render(key, params, user.preferred_language), link=link)
        for backend in chosen:
            try:
                backend.send(message)
            except Exception:  # noqa: BLE001 — one broken gateway must not lose the in-app message
                logger.exception("notification backend %s failed", type(backend).__name__)
        sent += 1
    return sent


@shared_task(name="grievances.tasks.send_notifications")
def send_notifications(user_ids: list[int], key: str, params: dict, link: str) -> int:
    """The queued delivery (Celery, queue "default"): ids and plain parameters in, `deliver` out.

    Lives here, below the services that queue it, so they need not import tasks.py (which calls them).
    """
    users = get_user_model().objects.filter(pk__in=user_ids, is_active=True).order_by("pk")
    return deliver(users, key, params, link)
