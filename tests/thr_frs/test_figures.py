"""The figures the Ministry publishes, per AWC and rolled up, in a bounded number of queries."""
from __future__ import annotations

import pytest
from django.utils import timezone

from thr_frs.selectors import report_rows, thr_figures, thr_figures_by_awc
from thr_frs.services import (face_match_request, face_owner_set, override_decide, override_handover,
                              override_request, stock_receive)

from .conftest import photo


@pytest.fixture
def month_of_work(family, other_family, users, stock, enrol, on_commit):
    """awc1: Sita by face; Mohan (verified with Sita's face) fails once, then an override. awc2: Gita, nothing yet."""
    enrol(family.sita, "obama_1.jpg")
    face_owner_set(actor=users.aww, beneficiary=family.mohan, owner=family.sita, relation="mother")
    on_commit(face_match_request, actor=users.aww, beneficiary=family.sita, photo=photo("obama_2.jpg"))
    on_commit(face_match_request, actor=users.aww, beneficiary=family.mohan, photo=photo("biden_1.jpg"))
    override = override_request(actor=users.aww, beneficiary=family.mohan, reason="Mother away, grandmother came")
    override_decide(actor=users.supervisor, override=override, approve=True)
    override_handover(actor=users.aww, override=override)
    stock_receive(actor=other_family.aww, awc=other_family.gita.awc, received_on=timezone.localdate(), packets=10)
    return timezone.localdate().replace(day=1)


def test_figures_per_awc(month_of_work, world):
    figures = thr_figures_by_awc([world.awc1.pk, world.awc2.pk], month_of_work)

    awc1 = figures[world.awc1.pk]
    assert (awc1.entitled, awc1.distributed, awc1.by_face, awc1.by_override, awc1.by_otp, awc1.by_nominee) == (
        2, 2, 1, 1, 0, 0)
    assert (awc1.match_failures, awc1.face_enrolled) == (1, 2)
    assert (figures[world.awc2.pk].entitled, figures[world.awc2.pk].distributed) == (1, 0)


def test_ministry_percentages(month_of_work, world):
    total = thr_figures([world.awc1.pk, world.awc2.pk], month_of_work)

    assert total.face_captured_pct == 66.7  # 2 of 3 entitled have an enrolled face (Mohan: his mother's)
    assert total.thr_via_frs_pct == 50.0  # 1 of 2 hand-overs after a face match


def test_figures_cost_a_fixed_number_of_queries(month_of_work, world, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        thr_figures_by_awc([world.awc1.pk, world.awc2.pk, world.awc3.pk], month_of_work)


def test_report_rolls_up_to_the_level_below(month_of_work, world, users):
    rows, total = report_rows(user=users.cdpo, location=world.project1, month=month_of_work)

    by_name = {row.location.name: row.figures for row in rows}
    assert set(by_name) == {world.sector1.name, world.sector2.name}
    assert (by_name[world.sector1.name].entitled, by_name[world.sector1.name].distributed) == (3, 2)
    assert total.entitled == 3
