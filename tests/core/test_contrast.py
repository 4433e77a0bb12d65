"""The stylesheet's text colours against the backgrounds they are used on: 7:1 or more (WCAG 1.4.6,
AAA), because workers read these pages outdoors in sunlight. No browser and no database: the
colours are read from static/css/app.css and the contrast computed as WCAG defines it."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APP_CSS = ROOT / "static" / "css" / "app.css"
REGISTERS_CSS = ROOT / "static" / "css" / "registers.css"
OUTDOOR = 7.0

# (text, background): every pair app.css sets, by its custom property names or literal colours.
PAIRS = [
    ("ink", "bg"), ("ink", "card"), ("ink", "line"),              # text, cards, badges
    ("muted", "bg"), ("muted", "card"),                           # help text, dates, table heads, crumbs
    ("accent", "bg"), ("accent", "card"),                         # links, tile titles, legends
    ("#fff", "accent"),                                           # the header bar, primary buttons
    ("ok", "okbg"), ("warn", "warnbg"), ("bad", "badbg"),         # messages, badges, growth results
]


def relative_luminance(colour: str) -> float:
    hex_digits = colour.lstrip("#")
    if len(hex_digits) == 3:
        hex_digits = "".join(c * 2 for c in hex_digits)
    channels = [int(hex_digits[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    light, dark = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def palette() -> dict[str, str]:
    root = re.search(r":root\s*{([^}]*)}", APP_CSS.read_text()).group(1)
    return dict(re.findall(r"--([\w-]+)\s*:\s*(#[0-9a-fA-F]{3,6})", root))


def test_contrast_is_computed_as_wcag_defines_it():
    assert contrast("#000", "#fff") == pytest.approx(21.0)
    assert contrast("#b45309", "#ffffff") == pytest.approx(5.02, abs=0.01)  # the old accent
    assert contrast("#6b7280", "#fff") == pytest.approx(4.83, abs=0.01)  # the old grey


@pytest.mark.parametrize("text, background", PAIRS)
def test_text_colour_is_7_to_1_on_its_background(text, background):
    colours = palette()
    fg, bg = colours.get(text, text), colours.get(background, background)
    assert contrast(fg, bg) >= OUTDOOR, f"{text} {fg} on {background} {bg}: {contrast(fg, bg):.2f}:1"


def test_no_text_is_faded_with_opacity():
    """Opacity lowers the contrast the palette promises (the header's name was 4.39:1 that way)."""
    assert not re.search(r"(?<![\w-])opacity\s*:", APP_CSS.read_text())


def test_register_greys_are_7_to_1_on_white():
    greys = set(re.findall(r"(?<![\w-])color\s*:\s*(#[0-9a-fA-F]{3,6})", REGISTERS_CSS.read_text()))
    assert greys
    assert {g: round(contrast(g, "#fff"), 2) for g in greys if contrast(g, "#fff") < OUTDOOR} == {}
