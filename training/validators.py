"""Uploaded videos and posters are checked by their content, not by their name."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image

MAX_VIDEO_BYTES = 200 * 1024 * 1024
MAX_POSTER_BYTES = 1024 * 1024
POSTER_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}
EBML_MAGIC = b"\x1a\x45\xdf\xa3"
HEAD_BYTES = 64


def _stream(value):
    """The readable file behind an upload or a FieldFile."""
    return getattr(value, "file", value)


def read_head(value, size: int = HEAD_BYTES) -> bytes:
    stream = _stream(value)
    stream.seek(0)
    head = stream.read(size)
    stream.seek(0)
    return head


def video_type(head: bytes) -> str | None:
    """"video/mp4" (an ISO-BMFF `ftyp` box first), "video/webm" (EBML, DocType webm), or None."""
    if len(head) >= 8 and head[4:8] == b"ftyp":
        return "video/mp4"
    if head.startswith(EBML_MAGIC) and b"webm" in head[:HEAD_BYTES]:
        return "video/webm"
    return None


def validate_video(value) -> None:
    if value.size > MAX_VIDEO_BYTES:
        raise ValidationError(_("The video is too large; the limit is %(mb)s MB.") % {"mb": MAX_VIDEO_BYTES // 1024 // 1024},
                              code="too_large")
    if video_type(read_head(value)) is None:
        raise ValidationError(_("This file is not a video we can play (MP4 or WebM)."), code="not_video")


def validate_poster(value) -> None:
    if value.size > MAX_POSTER_BYTES:
        raise ValidationError(_("The poster is too large; the limit is 1 MB."), code="too_large")
    stream = _stream(value)
    try:
        stream.seek(0)
        with Image.open(stream) as image:
            fmt = image.format
            image.verify()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("The poster is not a picture we can open."), code="not_image") from exc
    finally:
        stream.seek(0)
    if fmt not in POSTER_FORMATS:
        raise ValidationError(_("Send the poster as JPEG, PNG or WEBP."), code="bad_format")
