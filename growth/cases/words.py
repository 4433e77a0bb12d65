"""The protocol's steps and reasons in plain words, for the pages (every language the portal has)."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from . import rules

STEP_TEXT = {
    rules.STEP_APPETITE_TEST: _("Do the appetite test"),
    rules.STEP_COMPLICATIONS: _("Check the danger signs"),
    rules.STEP_REFER: _("Refer the child to the NRC"),
    rules.STEP_REFERRAL_OUTCOME: _("Record what came of the referral"),
    rules.STEP_SCREENING: _("Medical screening by the PHC doctor"),
    rules.STEP_FOLLOWUP: _("Follow-up weighing"),
    rules.STEP_BUDDY_MOTHER: _("Choose a buddy mother"),
    rules.STEP_BUDDY_VISIT: _("Buddy mother's weekly visit"),
    rules.STEP_POST_RECOVERY: _("Monthly check after recovery"),
}

WHY_TEXT = {
    rules.WHY_OEDEMA: _("swelling of both feet"),
    rules.WHY_COMPLICATION: _("a danger sign"),
    rules.WHY_APPETITE: _("failed the appetite test"),
    rules.WHY_NO_GAIN: _("no weight gain at two follow-ups"),
    rules.WHY_INFANT: _("infant under 6 months at risk"),
    rules.WHY_NON_RESPONDER: _("not recovered in 16 weeks"),
}

DANGER_SIGN_TEXT = {
    "not_eating": _("Not able to eat, drink or breastfeed"),
    "vomiting_everything": _("Vomits everything"),
    "convulsions": _("Convulsions (fits)"),
    "lethargy": _("Very sleepy or unconscious"),
    "fever": _("High fever"),
    "diarrhoea_dehydration": _("Diarrhoea with dehydration"),
    "breathing_difficulty": _("Fast or difficult breathing"),
    "severe_anaemia": _("Very pale palms (severe anaemia)"),
    "skin_lesions": _("Open skin sores"),
    "eye_signs": _("Eye problems (vitamin A deficiency)"),
}

MEDICINE_TEXT = {
    "amoxicillin": _("Amoxicillin course"),
    "vitamin_a": _("Vitamin A"),
    "albendazole": _("Albendazole"),
    "ifa": _("Iron and folic acid (IFA)"),
    "zinc_ors": _("Zinc and ORS"),
    "other": _("Other"),
}

APPETITE_TEXT = {rules.PASSED: _("Passed"), rules.FAILED: _("Failed"), rules.NOT_DONE: _("Not done")}

REFERRAL_OUTCOME_TEXT = {
    rules.ADMITTED: _("Admitted to the NRC"),
    rules.NOT_ADMITTED: _("Not admitted"),
    rules.RETURNED: _("Back from the NRC"),
    rules.REFUSED: _("Family refused"),
}


def step_text(step: str) -> str:
    return str(STEP_TEXT.get(step, step))


def why_text(reasons) -> str:
    return ", ".join(str(WHY_TEXT.get(r, r)) for r in reasons)
