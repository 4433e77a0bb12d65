"""Registers as PDF, with WeasyPrint and the system's Noto fonts (Hindi and Urdu names render; nothing fetched).

The stylesheet is read from disk and the HTML carries no links, so nothing needs fetching;
the URL fetcher refuses anything but inline data, so a stray link can never reach the network.
WeasyPrint is imported on first use (it costs a few hundred milliseconds at start-up), and the
process-wide Pillow switch it flips on import (accept truncated images) is put back: the face
checks of THR must keep refusing truncated photos.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders

STYLESHEET = "css/registers.css"


def _weasyprint():
    from PIL import ImageFile

    before = ImageFile.LOAD_TRUNCATED_IMAGES
    import weasyprint
    import weasyprint.urls

    ImageFile.LOAD_TRUNCATED_IMAGES = before
    return weasyprint


def refuse_network(url: str, *args, **kwargs):
    """Only data: URLs; http(s), file and everything else are refused."""
    if not url.startswith("data:"):
        raise ValueError(f"registers fetch nothing from outside: {url[:60]}")
    return _weasyprint().urls.URLFetcher(allowed_protocols={"data"}, allow_redirects=False).fetch(url)


@lru_cache(maxsize=1)
def _stylesheet_text() -> str:
    path = finders.find(STYLESHEET) or str(Path(settings.STATIC_ROOT) / STYLESHEET)
    return Path(path).read_text(encoding="utf-8")


def render_pdf(html: str) -> bytes:
    weasyprint = _weasyprint()
    stylesheet = weasyprint.CSS(string=_stylesheet_text(), url_fetcher=refuse_network)
    return weasyprint.HTML(string=html, url_fetcher=refuse_network, base_url=None).write_pdf(stylesheets=[stylesheet])
