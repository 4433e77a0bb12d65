"""Register PDFs: generated, parseable, carrying the AWC code and the totals; Hindi names in Noto Devanagari.

The PDFs are read with pypdf (pure Python), never with poppler's command-line tools: `make test` passes on a
machine without poppler-utils, and the fixture below proves it by leaving nothing on PATH."""
from __future__ import annotations

import io

import pytest
from pypdf import PdfReader
from django.urls import reverse

from poshan.core.models import AuditEvent
from poshan.registers import pdf

from .conftest import HINDI_NAME, MONTH


@pytest.fixture(autouse=True)
def bare_machine_path(monkeypatch, tmp_path_factory):
    """Run as on a fresh machine without poppler-utils: no pdftotext, pdfinfo or pdffonts on PATH
    (nor any other program: reading a PDF in these tests needs only Python)."""
    monkeypatch.setenv("PATH", str(tmp_path_factory.mktemp("empty-path")))


def _url(awc, kind: str) -> str:
    return reverse("registers:pdf", args=[awc.pk, MONTH.year, MONTH.month, kind])


def _reader(body: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(body))


def _text(body: bytes) -> str:
    """Every page's text, laid out as printed (cells of a row on one line)."""
    return "\n".join(page.extract_text(extraction_mode="layout") for page in _reader(body).pages)


def _fonts(body: bytes) -> set[str]:
    """The embedded fonts' names without the subset prefix (e.g. "Noto-Sans-Devanagari")."""
    return {str(font.get_object()["/BaseFont"]).lstrip("/").split("+")[-1]
            for page in _reader(body).pages for font in page["/Resources"]["/Font"].values()}


def test_progress_report_pdf_has_the_awc_code_and_the_totals(world, users, month, login):
    response = login(users.aww).get(_url(world.awc1, "progress"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    text = " ".join(_text(response.content).split())
    assert str(world.awc1.code) in text
    assert "All beneficiaries 5" in text and "Attendance (child-days) 2" in text
    assert "Weighed 2" in text and "Received 1" in text


def test_attendance_pdf_is_landscape_and_lists_the_child(world, users, month, login):
    body = login(users.aww).get(_url(world.awc1, "attendance")).content
    box = _reader(body).pages[0].mediabox
    assert float(box.width) > float(box.height)  # A4 landscape: 31 day columns
    assert "Chotu" in _text(body)


def test_hindi_name_is_set_in_noto_devanagari(world, users, month, login):
    body = login(users.aww).get(_url(world.awc1, "pregnancy")).content
    assert "NotoSansDevanagari" in {name.replace("-", "") for name in _fonts(body)}  # WeasyPrint: Noto-Sans-Devanagari
    assert HINDI_NAME.split()[0] in _text(body)


def test_pdf_download_is_audited_as_an_export(world, users, month, login):
    login(users.supervisor).get(_url(world.awc1, "survey"))
    event = AuditEvent.objects.filter(action="export", object_type="registers.survey.pdf").get()
    assert (event.actor_id, event.awc_id, event.object_id) == (users.supervisor.pk, world.awc1.pk,
                                                               f"{world.awc1.pk}:2026-11")


def test_pdf_renderer_never_fetches_from_the_network():
    with pytest.raises(ValueError):
        pdf.refuse_network("https://fonts.example.org/noto.woff2")
    with pytest.raises(ValueError):
        pdf.refuse_network("file:///etc/passwd")


def test_rendering_leaves_pillow_refusing_truncated_images():
    from PIL import ImageFile

    pdf.render_pdf("<p>AWC</p>")
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False  # WeasyPrint flips it on import; the face checks rely on it
