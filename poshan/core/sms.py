"""Sending SMS through a pluggable backend (settings.SMS_BACKEND, a dotted class path).

- ConsoleBackend (development): the text goes to the console with every run of digits (a one-time code)
  masked, since a server's console is collected like a log; the number is never printed whole.
- LocMemBackend (tests): messages collect in `outbox`.
- DisabledBackend: a deployment without an SMS gateway; nothing is sent, a masked line is logged.
A gateway backend for production implements `send(to, text)` the same way. Production refuses to start
with SMS_BACKEND unset or naming one of DEVELOPMENT_BACKENDS (poshan/settings/production.py).
"""
from __future__ import annotations

import logging
import re
import sys
from dataclasses import dataclass
from typing import TextIO

from django.conf import settings
from django.utils.module_loading import import_string

from .masking import mask_mobile

DEFAULT_BACKEND = "poshan.core.sms.ConsoleBackend"
DEVELOPMENT_BACKENDS = frozenset({"poshan.core.sms.ConsoleBackend", "poshan.core.sms.LocMemBackend"})
logger = logging.getLogger(__name__)
_DIGIT_RUN = re.compile(r"\d{4,}")


def mask_codes(text: str) -> str:
    """Every run of four or more digits (a one-time code, a number) as asterisks of the same length."""
    return _DIGIT_RUN.sub(lambda m: "*" * len(m.group()), text)


@dataclass(frozen=True)
class SmsMessage:
    to: str
    text: str


class BaseBackend:
    def send(self, to: str, text: str) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class ConsoleBackend(BaseBackend):
    """Development: print the text with its codes masked; log only the masked number."""

    def __init__(self, stream: TextIO | None = None):
        self.stream = stream or sys.stdout

    def send(self, to: str, text: str) -> None:
        logger.info("SMS to %s (%d characters)", mask_mobile(to), len(text))
        self.stream.write(f"[SMS to {mask_mobile(to)}] {mask_codes(text)}\n")
        self.stream.flush()


class DisabledBackend(BaseBackend):
    """A deployment without an SMS gateway (set on purpose): nothing is sent; the log says so, masked."""

    def send(self, to: str, text: str) -> None:
        logger.warning("SMS to %s not sent: this deployment has no SMS gateway (SMS_BACKEND)", mask_mobile(to))


outbox: list[SmsMessage] = []


class LocMemBackend(BaseBackend):
    """Tests: keep the messages in `poshan.core.sms.outbox`."""

    def send(self, to: str, text: str) -> None:
        outbox.append(SmsMessage(to=to, text=text))


def get_backend() -> BaseBackend:
    return import_string(getattr(settings, "SMS_BACKEND", DEFAULT_BACKEND))()


def send_sms(to: str, text: str) -> None:
    """Send one SMS; call it from transaction.on_commit so a rolled-back write sends nothing."""
    if not to:
        raise ValueError("no number to send the SMS to")
    get_backend().send(to, text)
