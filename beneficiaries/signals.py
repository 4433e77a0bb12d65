"""Events of the beneficiaries app that the apps above it may answer (beneficiaries never imports them).

``people_moved`` is sent by the transfer services inside their transaction when people change centre, with
``actor``, ``beneficiary_ids``, ``to_awc`` and ``on``. Growth listens: a malnourished child's case travels
with the child (growth/apps.py connects growth.cases.services.child_moved).

``under_treatment_asked`` is sent by :func:`under_treatment` with ``beneficiary_ids`` and ``on``; a listener
answers with the ids of those who are under treatment for acute malnutrition or severe underweight that day
(an open SAM/MAM/SUW case). Growth answers (growth.cases.selectors.children_under_treatment); the take-home
ration asks through this function, so growth and thr_frs never import each other.

``face_refresh_asked`` is sent by :func:`face_refreshes_due` with ``beneficiary_ids`` and ``on``; a listener
answers with {id: due date} for those whose enrolled face needs a new photo soon (a young face: at the third
birthday and yearly). The take-home ration answers (thr_frs.selectors.refresh.face_refreshes_due); the due
list asks, so beneficiaries never imports thr_frs.

``heights_asked`` (growth answers: {id: date of the last length/height}) and ``thr_received_asked`` (the
take-home ration answers: the ids handed their ration in the month of ``on``) let the due list add "measure the
height" and "hand over this month's THR". With no listener the answer is None: the list then leaves those items
to the apps' own pages instead of calling everyone due.
"""
from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.dispatch import Signal

people_moved = Signal()
under_treatment_asked = Signal()
face_refresh_asked = Signal()
heights_asked = Signal()
thr_received_asked = Signal()


def under_treatment(beneficiary_ids: Iterable[int], on: date) -> set[int]:
    """The ids among ``beneficiary_ids`` of children under treatment for malnutrition on ``on``."""
    ids = list(beneficiary_ids)
    if not ids:
        return set()
    found: set[int] = set()
    for _receiver, answer in under_treatment_asked.send(sender=None, beneficiary_ids=ids, on=on):
        found.update(answer or ())
    return found


def face_refreshes_due(beneficiary_ids: Iterable[int], on: date) -> dict[int, date]:
    """{id: due date} among ``beneficiary_ids`` of people whose enrolled face needs a new photo soon."""
    ids = list(beneficiary_ids)
    if not ids:
        return {}
    found: dict[int, date] = {}
    for _receiver, answer in face_refresh_asked.send(sender=None, beneficiary_ids=ids, on=on):
        found.update(answer or {})
    return found


def last_heights(beneficiary_ids: Iterable[int], on: date) -> dict[int, date] | None:
    """{id: day of the last length/height on or before ``on``}; None when no app answers."""
    if not heights_asked.has_listeners():
        return None
    found: dict[int, date] = {}
    for _receiver, answer in heights_asked.send(sender=None, beneficiary_ids=list(beneficiary_ids), on=on):
        found.update(answer or {})
    return found


def thr_received(beneficiary_ids: Iterable[int], on: date) -> set[int] | None:
    """The ids among ``beneficiary_ids`` handed their take-home ration in the month of ``on``; None when no app
    answers."""
    if not thr_received_asked.has_listeners():
        return None
    found: set[int] = set()
    for _receiver, answer in thr_received_asked.send(sender=None, beneficiary_ids=list(beneficiary_ids), on=on):
        found.update(answer or ())
    return found
