"""Uploaded screenshots are checked by content (Pillow), not by name or declared type."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from PIL import Image

MAX_SCREENSHOT_BYTES = 2 * 1024 * 1024
MAX_SCREENSHOT_PIXELS = 40_000_000  # a phone screenshot is ~2.5 MP; refuse decompression bombs early
SCREENSHOT_FORMATS = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}


def validate_screenshot(upload) -> str:
    """Return the image format (JPEG/PNG/WEBP) or raise ValidationError with a message for the user."""
    if upload.size > MAX_SCREENSHOT_BYTES:
        raise ValidationError(
            _("The screenshot is too large (%(size)s MB); the limit is %(limit)s MB."),
            code="too_large",
            params={"size": f"{upload.size / 1024 / 1024:.1f}", "limit": MAX_SCREENSHOT_BYTES // 1024 // 1024},
        )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            fmt = image.format
            width, height = image.size
            image.verify()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("The screenshot is not a picture we can open (JPEG, PNG or WEBP)."),
                              code="not_image") from exc
    finally:
        upload.seek(0)
    if fmt not in SCREENSHOT_FORMATS:
        raise ValidationError(_("Send the screenshot as JPEG, PNG or WEBP."), code="bad_format")
    if width * height > MAX_SCREENSHOT_PIXELS:
        raise ValidationError(_("The screenshot has too many pixels."), code="too_many_pixels")
    return fmt
