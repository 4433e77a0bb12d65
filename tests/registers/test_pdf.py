"""Register PDFs: generated, parseable, carrying the AWC code and the totals; Hindi names in Noto Devanagari."""
from __future__ import annotations

import shutil
import subprocess

import pytest
from django.urls import reverse

from poshan.core.models import AuditEvent
from poshan.registers import pdf

from .conftest import HINDI_NAME, MONTH


def _url(awc, kind: str) -> str:
    return reverse("registers:pdf", args=[awc.pk, MONTH.year, MONTH.month, kind])


def _text(body: bytes, tmp_path) -> str:
    path = tmp_path / "register.pdf"
    path.write_bytes(body)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout


def test_progress_report_pdf_has_the_awc_code_and_the_totals(world, users, month, login, tmp_path):
    response = login(users.aww).get(_url(world.awc1, "progress"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    text = " ".join(_text(response.content, tmp_path).split())
    assert str(world.awc1.code) in text
    assert "All beneficiaries 5" in text and "Attendance (child-days) 2" in text
    assert "Weighed 2" in text and "Received 1" in text


def test_attendance_pdf_is_landscape_and_lists_the_child(world, users, month, login, tmp_path):
    body = login(users.aww).get(_url(world.awc1, "attendance")).content
    path = tmp_path / "a.pdf"
    path.write_bytes(body)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    size = next(line for line in info.splitlines() if line.startswith("Page size:")).split()
    width, height = float(size[2]), float(size[4])
    assert width > height  # A4 landscape: 31 day columns
    assert "Chotu" in _text(body, tmp_path)


def test_hindi_name_is_set_in_noto_devanagari(world, users, month, login, tmp_path):
    if shutil.which("pdffonts") is None:  # the one justified skip: CI installs poppler-utils
        pytest.skip("pdffonts (poppler-utils) is not installed here")
    body = login(users.aww).get(_url(world.awc1, "pregnancy")).content
    path = tmp_path / "p.pdf"
    path.write_bytes(body)
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    assert "NotoSansDevanagari" in fonts.replace("-", "")  # WeasyPrint names it Noto-Sans-Devanagari
    assert HINDI_NAME.split()[0] in _text(body, tmp_path)


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
