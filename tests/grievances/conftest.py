"""Grievance fixtures: a private MEDIA_ROOT, an in-memory notification backend, small images, a lodging helper."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from grievances import services
from grievances.notify import MemoryBackend


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def outbox(settings):
    """What would leave the system (SMS/email), kept in memory; in-app notifications still land in the table."""
    settings.NOTIFY_BACKENDS = ["grievances.notify.InAppBackend", "grievances.notify.MemoryBackend"]
    MemoryBackend.outbox.clear()
    yield MemoryBackend.outbox
    MemoryBackend.outbox.clear()


def image_bytes(fmt: str = "PNG", size=(40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 100, 50)).save(out, format=fmt)
    return out.getvalue()


@pytest.fixture
def lodge(users):
    """Lodge through the service: by default the AWW of awc1, category app (→ the CDPO's desk)."""

    def make(actor=None, **kwargs):
        kwargs.setdefault("category", "app")
        kwargs.setdefault("description", "The app closes when I save a weight.")
        return services.grievance_lodge(actor=actor or users.aww, **kwargs)

    return make
