"""Every table in the templates is laid out for a 360-px phone: it scrolls in its own box (`<div class="scroll">`)
or is one of the phone layouts (`stack`: a card per row below 700 px; `sheet`: the attendance sheet's rows), so
no page scrolls sideways because of a table (tests/e2e/test_wide_tables.py shows it in the browser)."""
from __future__ import annotations

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
TABLE = re.compile(r"<table\b[^>]*>")
PHONE_LAYOUT = re.compile(r'class="[^"]*\b(stack|sheet)\b')
BOX = '<div class="scroll">'


def unboxed_tables(text: str) -> list[str]:
    return [m.group(0) for m in TABLE.finditer(text)
            if not PHONE_LAYOUT.search(m.group(0)) and not text[:m.start()].endswith(BOX)]


def test_the_check_sees_a_table_outside_a_box():
    assert unboxed_tables('<h2>x</h2><table class="list">') == ['<table class="list">']
    assert unboxed_tables('<div class="scroll"><table class="list">') == []
    assert unboxed_tables('<table class="list stack">') == []


def test_every_table_in_the_templates_scrolls_in_its_own_box_or_is_a_phone_layout():
    found = {str(path.relative_to(TEMPLATES)): tables for path in sorted(TEMPLATES.rglob("*.html"))
             if (tables := unboxed_tables(path.read_text(encoding="utf-8")))}
    assert found == {}
