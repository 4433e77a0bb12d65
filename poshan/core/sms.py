"""Sending SMS through a pluggable backend (settings.SMS_BACKEND, a dotted class path).

- ConsoleBackend (development): the text goes to the console so a developer can read a
  one-time code, but the number is never printed whole and never logged.
- LocMemBackend (tests): messages collect in `outbox`.
A gateway backend for production implements `send(to, text)` the same way.
"""
from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from typing import TextIO

from django.conf import settings
from django.utils.module_loading import import_string

from .masking import mask_mobile

DEFAULT_BACKEND = "poshan.core.sms.ConsoleBackend"
logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SmsMessage:
    to: str
    text: str


class BaseBackend:
    def send(self, to: str, text: str) -> None:  # pragma: no cover - interface
        raise NotImplementedError


class ConsoleBackend(BaseBackend):
    """Development: print the text (without the number); log only the masked number."""

    def __init__(self, stream: TextIO | None = None):
        self.stream = stream or sys.stdout

    def send(self, to: str, text: str) -> None:
        logger.info("SMS to %s (%d characters)", mask_mobile(to), len(text))
        self.stream.write(f"[SMS to {mask_mobile(to)}] {text}\n")
        self.stream.flush()


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
