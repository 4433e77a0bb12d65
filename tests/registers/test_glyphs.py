"""No tofu: every register PDF, in every language of the portal, draws each character with a real glyph of an
embedded font.

WeasyPrint writes one ToUnicode entry per glyph it draws (a glyph of a shaped cluster carries the whole cluster's
text). A character no font could draw gets a glyph id the embedded font does not have (WeasyPrint's stand-in
for .notdef): a PDF viewer shows an empty box there. So, with fontTools, every glyph id a font's ToUnicode
lists must be a glyph of that font's embedded program — and the text drawn must hold the characters of the
register's translated title, so the check ran over the language's own script.
"""
from __future__ import annotations

import io
import re

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from fontTools.ttLib import TTFont
from pypdf import PdfReader

from poshan.registers.selectors import REGISTERS

from .conftest import MONTH

BFCHAR = re.compile(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>")
LANGUAGES = [code for code, _name in settings.LANGUAGES]
# The register with the most labels and the widest (landscape, a column per day): about 2 s of WeasyPrint each.
KINDS = ("progress", "attendance")


def _to_unicode(font) -> dict[int, str]:
    """Glyph id -> text, from a font's ToUnicode CMap (WeasyPrint writes bfchar entries only)."""
    cmap = font["/ToUnicode"].get_object().get_data().decode("latin-1")
    return {int(gid, 16): bytes.fromhex(text).decode("utf-16-be") for gid, text in BFCHAR.findall(cmap)}


def _font_program(font) -> TTFont:
    descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
    stream = descriptor.get("/FontFile2") or descriptor.get("/FontFile3")
    return TTFont(io.BytesIO(stream.get_object().get_data()))


def drawn_text_and_tofu(body: bytes) -> tuple[str, list[tuple[str, str]]]:
    """The characters drawn with a real glyph, and (font, text) for each drawn without one."""
    drawn, tofu = [], []
    for page in PdfReader(io.BytesIO(body)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            glyphs = _font_program(font)["maxp"].numGlyphs  # WeasyPrint embeds with the original glyph ids
            name = str(font["/BaseFont"]).split("+")[-1]
            for gid, text in _to_unicode(font).items():
                if gid == 0:  # .notdef's own entry, written for every font
                    continue
                if gid < glyphs:
                    drawn.append(text)
                else:
                    tofu.append((name, text))
    return "".join(drawn), tofu


def test_every_register_pdf_draws_every_character_with_a_glyph(world, users, month, login, caplog):
    """One test over every language (the month's data is built once): the tofu found, by language and register."""
    client, tofu, script_missing = login(users.aww), {}, {}
    for language in LANGUAGES:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        for kind in KINDS:
            url = reverse("registers:pdf", args=[world.awc1.pk, MONTH.year, MONTH.month, kind])
            drawn, boxes = drawn_text_and_tofu(client.get(url).content)
            if boxes:
                tofu[language, kind] = boxes
            with translation.override(language):
                title = str(REGISTERS[kind].label)
            script = {c for c in title if ord(c) > 127}  # the title's letters in the language's own script
            if script and not script & set(drawn):
                script_missing[language, kind] = title
    assert tofu == {} and script_missing == {}
    assert ".notdef glyph rendered" not in caplog.text


def test_a_character_no_font_has_is_found():
    """The check itself: a private-use character is drawn with no glyph and is reported."""
    from poshan.registers.pdf import render_pdf

    body = render_pdf('<html lang="ta"><body class="register"><p>தமிழ் \U0010fffd</p></body></html>')
    drawn, tofu = drawn_text_and_tofu(body)
    assert [text for _font, text in tofu] == ["\U0010fffd"]
    assert set("தமிழ்") <= set(drawn)


# A line in each script the portal is to speak: the language's own name and a few programme words (Anganwadi,
# nutrition) as its state writes them, so the faces the stylesheet names are proved on the machine that prints.
SCRIPT_SAMPLES = {
    "as": "অসমীয়া অংগনবাড়ী পুষ্টি", "brx": "बर' आंगनवाडी", "doi": "डोगरी आंगनवाड़ी", "gu": "ગુજરાતી આંગણવાડી પોષણ",
    "kn": "ಕನ್ನಡ ಅಂಗನವಾಡಿ ಪೋಷಣ", "ks": "کٲشُر آنگن واڑی", "kok": "कोंकणी अंगणवाडी", "mai": "मैथिली आंगनबाड़ी",
    "ml": "മലയാളം അങ്കണവാടി പോഷൺ", "mni": "ꯃꯩꯇꯩꯂꯣꯟ ꯑꯉꯒꯟꯋꯥꯗꯤ", "ne": "नेपाली आँगनवाडी", "or": "ଓଡ଼ିଆ ଅଙ୍ଗନୱାଡ଼ି ପୋଷଣ",
    "pa": "ਪੰਜਾਬੀ ਆਂਗਣਵਾੜੀ ਪੋਸ਼ਣ", "sa": "संस्कृतम् आङ्गनवाटी", "sat": "ᱥᱟᱱᱛᱟᱲᱤ ᱟᱝᱜᱚᱱᱣᱟᱰᱤ", "sd": "سنڌي آنگڻواڙي",
    "te": "తెలుగు అంగన్‌వాడీ పోషణ", "ta": "தமிழ் அங்கன்வாடி போஷன்", "hi": "हिन्दी आंगनवाड़ी पोषण",
    "mr": "मराठी अंगणवाडी पोषण", "bn": "বাংলা অঙ্গনওয়াড়ি পুষ্টি", "ur": "اردو آنگن واڑی غذائیت",
}


def test_every_scheduled_script_prints_without_tofu():
    from poshan.registers.pdf import render_pdf

    rows = "".join(f'<tr><td lang="{code}">{text}</td></tr>' for code, text in SCRIPT_SAMPLES.items())
    drawn, tofu = drawn_text_and_tofu(render_pdf(f'<html><body class="register"><table>{rows}</table></body></html>'))
    assert tofu == []
    for code, text in SCRIPT_SAMPLES.items():
        assert set(text.replace(" ", "")) & set(drawn), code
