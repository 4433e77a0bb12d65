"""Reads of malnutrition cases for pages, the API, the take-home ration and the dashboards."""
from __future__ import annotations

from datetime import date

from . import rules
from .models import Case

AUGMENTED_RATION_CATEGORIES = (rules.SAM, rules.MAM, rules.SUW)


def children_under_treatment(*, beneficiary_ids, on: date, **_kwargs) -> set[int]:
    """Children with a SAM, MAM or severely underweight case open on ``on`` (augmented take-home ration).

    Answers beneficiaries.signals.under_treatment_asked. One query.
    """
    return set(Case.objects.filter(child_id__in=list(beneficiary_ids), category__in=AUGMENTED_RATION_CATEGORIES,
                                   opened_on__lte=on).exclude(closed_on__lt=on)
               .values_list("child_id", flat=True))
