"""The languages the sign-in page offers, in the order a worker of the state looks for them: her state's first.

Which state: a link may name it (?state=<LGD state code>, e.g. a state's poster or SMS with the portal's address),
else the phone remembers the state of the last user who signed in on it (STATE_COOKIE, set at sign-in from the
user's area). Without either, the order of settings.LANGUAGES. Each language is always written in its own script
(settings.LANGUAGES holds the names so), and the language tapped is kept on the phone for the next sign-in by
Django's language cookie (poshan.core.views).
"""
from __future__ import annotations

from collections.abc import Callable

from django.apps import apps
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .params import parse_id, parse_int

# The languages the services reach families in (ISO 639 codes): the helpline answers in each and the counselling
# videos come in them. Wider than settings.LANGUAGES, the languages the portal's pages are written in.
SERVICE_LANGUAGES = [
    ("as", _("Assamese")), ("bn", _("Bengali")), ("en", _("English")), ("gu", _("Gujarati")),
    ("hi", _("Hindi")), ("kn", _("Kannada")), ("ks", _("Kashmiri")), ("kok", _("Konkani")),
    ("ml", _("Malayalam")), ("mni", _("Manipuri")), ("mr", _("Marathi")), ("ne", _("Nepali")),
    ("or", _("Odia")), ("pa", _("Punjabi")), ("ta", _("Tamil")), ("te", _("Telugu")), ("ur", _("Urdu")),
]

# What was rendered once per language in this process (say the offline queue's words) forgets it when the
# translations shown change: poshan.wording calls translations_changed() when it applies approved corrections.
_ON_TRANSLATIONS_CHANGED: list[Callable[[], None]] = []


def on_translations_changed(forget: Callable[[], None]) -> Callable[[], None]:
    _ON_TRANSLATIONS_CHANGED.append(forget)
    return forget


def translations_changed() -> None:
    for forget in _ON_TRANSLATIONS_CHANGED:
        forget()


STATE_COOKIE = "poshan_state"
STATE_COOKIE_AGE = 365 * 24 * 3600

# The languages of each state and union territory (LGD state code), most used first: the official languages and
# those of large groups of Anganwadi centres (Urdu in Telangana, Santali in Jharkhand, Bengali in Assam's Barak
# valley). Codes the portal does not offer yet are skipped, so this list can run ahead of the catalogues.
STATE_LANGUAGES: dict[int, tuple[str, ...]] = {
    1: ("ur", "ks", "doi", "hi"),  # Jammu and Kashmir
    2: ("hi",),  # Himachal Pradesh
    3: ("pa", "hi"),  # Punjab
    4: ("pa", "hi"),  # Chandigarh
    5: ("hi", "sa"),  # Uttarakhand
    6: ("hi", "pa"),  # Haryana
    7: ("hi", "ur", "pa"),  # Delhi
    8: ("hi",),  # Rajasthan
    9: ("hi", "ur"),  # Uttar Pradesh
    10: ("hi", "mai", "ur"),  # Bihar
    11: ("ne", "hi"),  # Sikkim
    12: ("hi",),  # Arunachal Pradesh
    13: (),  # Nagaland: English
    14: ("mni",),  # Manipur
    15: (),  # Mizoram: English
    16: ("bn",),  # Tripura
    17: (),  # Meghalaya: English
    18: ("as", "bn", "brx"),  # Assam
    19: ("bn", "ne", "sat", "ur"),  # West Bengal
    20: ("hi", "sat", "ur", "bn"),  # Jharkhand
    21: ("or", "sat"),  # Odisha
    22: ("hi",),  # Chhattisgarh
    23: ("hi",),  # Madhya Pradesh
    24: ("gu", "hi"),  # Gujarat
    27: ("mr", "hi"),  # Maharashtra
    28: ("te", "ur"),  # Andhra Pradesh
    29: ("kn",),  # Karnataka
    30: ("kok", "mr"),  # Goa
    31: ("ml",),  # Lakshadweep
    32: ("ml",),  # Kerala
    33: ("ta",),  # Tamil Nadu
    34: ("ta", "te", "ml"),  # Puducherry
    35: ("hi", "bn", "ta", "te"),  # Andaman and Nicobar Islands
    36: ("te", "ur"),  # Telangana
    37: ("hi", "ur"),  # Ladakh
    38: ("gu", "mr", "hi"),  # Dadra and Nagar Haveli and Daman and Diu
}


def languages_for_state(state_code: int | None) -> list[tuple[str, str]]:
    """settings.LANGUAGES with the state's languages first (in the state's order), then the others as listed."""
    offered = dict(settings.LANGUAGES)
    first = [code for code in STATE_LANGUAGES.get(state_code or 0, ()) if code in offered]
    rest = [code for code, _name in settings.LANGUAGES if code not in first]
    return [(code, offered[code]) for code in first + rest]


def login_state(request) -> int | None:
    """The state the sign-in page is for: ?state= (a bad value is a 400), else the one this phone remembers."""
    asked = parse_int(request.GET.get("state"), name="state", default=None, min_value=1, max_value=99)
    return asked if asked is not None else parse_id(request.COOKIES.get(STATE_COOKIE))


def state_code_of(user) -> int | None:
    """The LGD code of the state of the user's area; None for national roles and users with no area."""
    assignments = apps.get_model("anganwadi", "StaffAssignment").objects  # anganwadi sits above poshan.core
    row = assignments.filter(user=user, location__isnull=False).values_list(
        "location__level", "location__code", "location__state__code").first()
    if row is None:
        return None
    level, code, state_code = row
    return code if level == "state" else state_code


def remember_state(response, user) -> None:
    """Keep the state of the user who signed in on this phone, for the order of the next sign-in page."""
    state = state_code_of(user)
    if state is not None:
        response.set_cookie(STATE_COOKIE, str(state), max_age=STATE_COOKIE_AGE, samesite="Lax", httponly=True,
                            secure=settings.SESSION_COOKIE_SECURE)
