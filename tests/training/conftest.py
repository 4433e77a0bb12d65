"""Training fixtures: a private MEDIA_ROOT and small videos with known bytes."""
from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from training import services

MP4_HEAD = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom"
WEBM_HEAD = b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01\x42\xf7\x81\x01\x42\xf2\x81\x04\x42\xf3\x81\x08\x42\x82\x84webm"
VIDEO_BYTES = MP4_HEAD + bytes(range(256)) * 4  # 1048 bytes whose every offset is checkable


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def make_video(db):
    def make(*, content: bytes = VIDEO_BYTES, name="clip.mp4", kind="counselling", topic="breastfeeding",
             language="hi", duration_seconds=100, questions=(), **kwargs):
        return services.video_create(actor=None, title=kwargs.pop("title", f"{topic} {language}"), language=language,
                                     duration_seconds=duration_seconds, topic=topic, kind=kind,
                                     file=ContentFile(content, name=name), questions=questions, **kwargs)

    return make


QUIZ = [("When should breastfeeding start?", ["Within an hour of birth", "After three days"], 0),
        ("Until when only breast milk?", ["Six months", "Two months", "One year"], 0)]


@pytest.fixture
def module(make_video):
    """A self-learning module of 100 s with a two-question quiz (pass mark 60 %)."""
    return make_video(kind="self_learning", topic="growth_monitoring", questions=QUIZ)
