"""The one check every name goes through (people, households, places, users): no control characters, no
right-to-left override hiding what is really written, and something visible in it.

Zero-width joiners and non-joiners stay allowed inside a name: Devanagari, Bengali and Urdu need them to shape
conjuncts. A name made only of them (or of spaces and other invisible marks) is refused.
"""
from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Embeddings, overrides and isolates: they reorder what is shown (U+202E turns "gnaj" into "jang" on screen).
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def name_problem(text: str) -> str | None:
    """Why `text` cannot be a name, or None."""
    if any(unicodedata.category(ch) == "Cc" for ch in text):
        return _("A name cannot contain control characters.")
    if any(ch in BIDI_CONTROLS for ch in text):
        return _("A name cannot contain characters that change the writing direction.")
    if not any(not ch.isspace() and unicodedata.category(ch) not in ("Cf", "Mn", "Zs") for ch in text):
        return _("A name needs visible letters.")
    return None


def validate_name(value: str) -> None:
    """Model and form field validator."""
    if value and (problem := name_problem(value)) is not None:
        raise ValidationError(problem, code="bad_name")


def check_names(**names: str) -> None:
    """For services: every name typed (keyword = the field it came from) obeys the rule, or nothing is saved."""
    errors = {field: ValidationError(problem, code="bad_name") for field, value in names.items()
              if value and (problem := name_problem(value)) is not None}
    if errors:
        raise ValidationError(errors)
