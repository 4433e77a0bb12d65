"""What Django does not know about the languages of the Eighth Schedule: their names in their own script and
which are written right to left. Read by base.py (LANG_INFO, LANGUAGES_BIDI); a language is offered only once its
catalogue is complete (settings.LANGUAGES, locale/GLOSSARY.md)."""

# Django's LANG_INFO has no entry for these codes ({% get_language_info %} and the language pickers need one), or
# writes the name in Latin letters (Kannada, Punjabi) or spells it otherwise than the portal's list (Hindi).
EXTRA_LANG_INFO = {
    "hi": {"bidi": False, "code": "hi", "name": "Hindi", "name_local": "हिन्दी"},
    "kn": {"bidi": False, "code": "kn", "name": "Kannada", "name_local": "ಕನ್ನಡ"},
    "pa": {"bidi": False, "code": "pa", "name": "Punjabi", "name_local": "ਪੰਜਾਬੀ"},  # Gurmukhi
    "as": {"bidi": False, "code": "as", "name": "Assamese", "name_local": "অসমীয়া"},
    "brx": {"bidi": False, "code": "brx", "name": "Bodo", "name_local": "बर'"},
    "doi": {"bidi": False, "code": "doi", "name": "Dogri", "name_local": "डोगरी"},
    "gu": {"bidi": False, "code": "gu", "name": "Gujarati", "name_local": "ગુજરાતી"},
    "kok": {"bidi": False, "code": "kok", "name": "Konkani", "name_local": "कोंकणी"},
    "ks": {"bidi": True, "code": "ks", "name": "Kashmiri", "name_local": "کٲشُر"},
    "mai": {"bidi": False, "code": "mai", "name": "Maithili", "name_local": "मैथिली"},
    "mni": {"bidi": False, "code": "mni", "name": "Manipuri", "name_local": "ꯃꯩꯇꯩꯂꯣꯟ"},  # Meetei Mayek
    "or": {"bidi": False, "code": "or", "name": "Odia", "name_local": "ଓଡ଼ିଆ"},
    "sa": {"bidi": False, "code": "sa", "name": "Sanskrit", "name_local": "संस्कृतम्"},
    "sat": {"bidi": False, "code": "sat", "name": "Santali", "name_local": "ᱥᱟᱱᱛᱟᱲᱤ"},  # Ol Chiki
    "sd": {"bidi": True, "code": "sd", "name": "Sindhi", "name_local": "سنڌي"},  # Perso-Arabic, as in India
}

# Right to left: Django's list, with Kashmiri and Sindhi (Perso-Arabic script) beside Urdu.
LANGUAGES_BIDI = ["he", "ar", "ar-dz", "ckb", "fa", "ug", "ur", "ks", "sd"]
