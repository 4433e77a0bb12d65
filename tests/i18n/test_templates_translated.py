"""Every user-facing word in a template is marked for translation."""
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.template.base import Lexer, TokenType

TEMPLATE_DIRS = [Path(settings.BASE_DIR) / "templates"] + sorted(Path(settings.BASE_DIR).glob("*/templates"))
# Words that are the same in every language of the programme (units, file formats, codes, the brand).
ALLOWED = {"kg", "cm", "CSV", "XLSX", "Excel", "PDF", "SVG", "Poshan", "MUAC", "ECCE", "THR", "OTP", "AWC", "AWW",
           "LMP", "EDD", "IMEI", "SD", "GRV", "ID"}
USER_ATTRS = {"title", "alt", "placeholder", "aria-label"}
PLACEHOLDER = " "  # template tags and variables become a space (they may sit inside an HTML tag)
WORD = re.compile(r"[^\W\d_]{2,}", re.UNICODE)


def _templates():
    for directory in TEMPLATE_DIRS:
        yield from sorted(p for p in directory.rglob("*.html") if "admin" not in p.parts)


class _Visible(HTMLParser):
    """The text a user reads: data outside <script>/<style>, and user-facing attribute values."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        self._skip += tag in ("script", "style")
        self.parts += [value for name, value in attrs if name in USER_ATTRS and value]

    def handle_endtag(self, tag):
        self._skip -= tag in ("script", "style")

    def handle_data(self, data):
        if not self._skip:
            self.parts.append(data)


def untranslated(source: str) -> list[str]:
    """Words in text (or user-facing attributes) outside {% translate %} / {% blocktranslate %}."""
    pieces, depth = [], 0
    for token in Lexer(source).tokenize():
        if token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0]
            depth += name in ("blocktranslate", "blocktrans")
            depth -= name in ("endblocktranslate", "endblocktrans")
            pieces.append(PLACEHOLDER)
        elif token.token_type == TokenType.TEXT and not depth:
            pieces.append(token.contents)
        elif token.token_type != TokenType.COMMENT:
            pieces.append(PLACEHOLDER)
    parser = _Visible()
    parser.feed("".join(pieces))
    return [w for w in WORD.findall(" ".join(parser.parts)) if w not in ALLOWED]


@pytest.mark.parametrize("path", list(_templates()), ids=lambda p: str(p.relative_to(settings.BASE_DIR)))
def test_template_has_no_untranslated_words(path):
    assert untranslated(path.read_text()) == []


def test_the_checker_finds_a_bare_word():
    assert untranslated("<p>Save</p>") == ["Save"]
    assert untranslated('<p>{% translate "Save" %}</p><img alt="{% translate \'Logo\' %}">') == []
    assert untranslated('<button title="Delete it">x</button>') == ["Delete", "it"]
