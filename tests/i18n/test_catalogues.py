"""Every language the portal offers (settings.LANGUAGES, not a list kept here) has a complete catalogue: every entry
translated, none fuzzy, placeholders intact, the plural forms its header declares, no English left beyond the
programme's codes and units (locale/GLOSSARY.md), and a compiled catalogue that matches."""
import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings

from tests.i18n.test_daily_pages_words import ALLOWED as PAGE_ALLOWED

COMPLETE = tuple(code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE)
LOCALE = Path(settings.BASE_DIR) / "locale"
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z_]+\}|%[sd]|%%")
LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
# Code a message quotes, kept as it is in every language: a “field” name, an /api/path/, a .po file kind.
QUOTED_CODE = re.compile(r"“[^”]*”|(?:/[\w.]+)+/?|\.\w+\b")
# Beyond the pages' allow-list: abbreviations of the programme and of health (NRC, VHSND, ANM, ICDS, SUW, MCP, PHC,
# IFA, ORS, RUTF, BMI, LMP: locale/GLOSSARY.md), of payments and places (UTR, LGD, SLA, DPO), file kinds (MP4,
# WebM, Excel), a proper name (the Sphere standards), the browser's own Print menu, and the words of the one message
# written for API programmers (API, POST, body).
CATALOGUE_ALLOWED = PAGE_ALLOWED | {
    "NRC", "VHSND", "ANM", "ICDS", "SUW", "MCP", "PHC", "IFA", "ORS", "RUTF", "BMI", "LMP",
    "UTR", "LGD", "SLA", "DPO", "IP", "MP", "WebM", "Excel", "Sphere", "Print", "API", "POST", "body"}


def parse_po(path: Path) -> list[dict]:
    """Entries of a .po file: msgid, msgid_plural, msgstr values, flags (enough for these checks)."""
    entries, entry, key = [], None, None
    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            if entry:
                entries.append(entry)
            entry, key = None, None
            continue
        if entry is None:
            entry = {"flags": set(), "refs": [], "msgid": "", "msgid_plural": None, "msgstr": {}}
        if line.startswith("#:"):
            entry["refs"] += line[2:].split()
        elif line.startswith("#,"):
            entry["flags"].update(f.strip() for f in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            value = ast.literal_eval(line)
            if key.startswith("msgstr"):
                entry["msgstr"][key] += value
            else:
                entry[key] += value
        else:
            key, _, value = line.partition(" ")
            value = ast.literal_eval(value)
            if key.startswith("msgstr"):
                entry["msgstr"][key] = value
            else:
                entry[key] = value
    return [e for e in entries if e["msgid"]]  # the header has an empty msgid


@pytest.mark.parametrize("language", COMPLETE)
def test_every_entry_is_translated_and_not_fuzzy(language):
    entries = parse_po(LOCALE / language / "LC_MESSAGES" / "django.po")
    assert len(entries) > 1000
    untranslated = [e["msgid"] for e in entries if not all(e["msgstr"].values())]
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    assert untranslated == [] and fuzzy == []


REFERENCE = "hi"  # the first complete catalogue: every other language has each of its entries


def _portal_entries(language: str) -> set[tuple]:
    """(context, msgid) of the entries the portal's own code uses (not Django's strings a catalogue corrects)."""
    return {(e.get("msgctxt"), e["msgid"]) for e in parse_po(LOCALE / language / "LC_MESSAGES" / "django.po")
            if not (e["refs"] and all(ref.startswith("django/") for ref in e["refs"]))}


@pytest.mark.parametrize("language", [code for code in COMPLETE if code != REFERENCE])
def test_every_language_has_every_entry_of_the_portal(language):
    """A string added to the portal is translated in every language offered, not only in Hindi."""
    have = {(e.get("msgctxt"), e["msgid"]) for e in parse_po(LOCALE / language / "LC_MESSAGES" / "django.po")}
    assert sorted(_portal_entries(REFERENCE) - have, key=str) == []


@pytest.mark.parametrize("language", COMPLETE)
def test_compiled_catalogue_matches_the_po_file(language):
    folder = LOCALE / language / "LC_MESSAGES"
    catalogue = gettext.GNUTranslations((folder / "django.mo").open("rb"))
    for entry in parse_po(folder / "django.po"):
        if entry["msgid_plural"] is None and "msgctxt" not in entry:
            assert catalogue.gettext(entry["msgid"]) == entry["msgstr"]["msgstr"], entry["msgid"]


@pytest.mark.parametrize("language", COMPLETE)
def test_placeholders_survive_translation(language):
    broken = []
    for entry in parse_po(LOCALE / language / "LC_MESSAGES" / "django.po"):
        for key, text in entry["msgstr"].items():
            source = entry["msgid_plural"] if key not in ("msgstr", "msgstr[0]") else entry["msgid"]
            if sorted(PLACEHOLDER.findall(text)) != sorted(PLACEHOLDER.findall(source)):
                broken.append((entry["msgid"], text))
    assert broken == []


def _header(language: str) -> str:
    text = (LOCALE / language / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    lines = text.split('msgid ""\nmsgstr ', 1)[1].split("\n\n", 1)[0].splitlines()
    return "".join(ast.literal_eval(line) for line in lines)


@pytest.mark.parametrize("language", COMPLETE)
def test_header_names_the_language_and_its_plural_forms(language):
    header = _header(language)
    assert f"Language: {language}\n" in header and "charset=UTF-8" in header
    plurals = int(re.search(r"Plural-Forms: nplurals=(\d+);", header).group(1))
    for entry in parse_po(LOCALE / language / "LC_MESSAGES" / "django.po"):
        if entry["msgid_plural"] is not None:
            assert sorted(entry["msgstr"]) == [f"msgstr[{n}]" for n in range(plurals)], entry["msgid"]


def english_left(entry: dict) -> list[str]:
    """Latin-script words of a translation outside the allow-list and the code the original quotes."""
    code = set(LATIN_WORD.findall(" ".join(QUOTED_CODE.findall(entry["msgid"]))))
    words = []
    for text in entry["msgstr"].values():
        text = QUOTED_CODE.sub(" ", PLACEHOLDER.sub(" ", text))
        words += [w for w in LATIN_WORD.findall(text) if w not in CATALOGUE_ALLOWED and w not in code]
    return words


@pytest.mark.parametrize("language", COMPLETE)
def test_no_english_is_left_in_the_translations(language):
    left = {e["msgid"]: words for e in parse_po(LOCALE / language / "LC_MESSAGES" / "django.po")
            if (words := english_left(e))}
    assert left == {}


def test_the_english_check_finds_a_word_left_untranslated():
    entry = {"msgid": "Send “items” to /api/v1/x/ as %(n)s MB", "msgstr": {"msgstr": "“items” /api/v1/x/ %(n)s MB Send"}}
    assert english_left(entry) == ["Send"]
