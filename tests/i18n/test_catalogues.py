"""The complete languages have every entry translated, none fuzzy, and compiled catalogues that match."""
import ast
import gettext
from pathlib import Path

import pytest
from django.conf import settings

COMPLETE = ("hi", "ur", "mr", "bn")
LOCALE = Path(settings.BASE_DIR) / "locale"


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
            entry = {"flags": set(), "msgid": "", "msgid_plural": None, "msgstr": {}}
        if line.startswith("#,"):
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


@pytest.mark.parametrize("language", COMPLETE)
def test_compiled_catalogue_matches_the_po_file(language):
    folder = LOCALE / language / "LC_MESSAGES"
    catalogue = gettext.GNUTranslations((folder / "django.mo").open("rb"))
    for entry in parse_po(folder / "django.po"):
        if entry["msgid_plural"] is None and "msgctxt" not in entry:
            assert catalogue.gettext(entry["msgid"]) == entry["msgstr"]["msgstr"], entry["msgid"]


@pytest.mark.parametrize("language", COMPLETE)
def test_placeholders_survive_translation(language):
    import re

    pattern = re.compile(r"%\([a-z_]+\)[sd]|\{[a-z_]+\}")
    for entry in parse_po(LOCALE / language / "LC_MESSAGES" / "django.po"):
        wanted = sorted(pattern.findall(entry["msgid"]))
        for text in entry["msgstr"].values():
            assert sorted(pattern.findall(text)) == wanted, entry["msgid"]
