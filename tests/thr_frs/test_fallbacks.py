"""After a failed face match nobody goes without: retry, OTP, nominee, supervisor override — each marked and audited."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from poshan.core import sms
from poshan.core.models import AuditEvent
from thr_frs.models import FaceEnrolment, FaceOwner, OtpChallenge, OverrideRequest, ThrDistribution, Verification
from thr_frs.services import (face_match_request, nominee_add, otp_send, otp_verify, override_decide,
                              override_handover, override_request)
from thr_frs.services.fallbacks import OTP_MAX_ATTEMPTS

from .conftest import MOBILE, photo


@pytest.fixture
def failed_once(family, users, stock, enrol, on_commit):
    """Sita is enrolled, and this month's first face check did not match."""
    enrol(family.sita, "obama_1.jpg")
    check = on_commit(face_match_request, actor=users.aww, beneficiary=family.sita, photo=photo("biden_1.jpg"))
    check.refresh_from_db()
    assert check.matched is False
    return check


def _code() -> str:
    return re.search(r"\b(\d{6})\b", sms.outbox[-1].text).group(1)


def test_retry_after_a_failed_match_is_marked_on_the_distribution(failed_once, family, users, on_commit):
    on_commit(face_match_request, actor=users.aww, beneficiary=family.sita, photo=photo("obama_2.jpg"))

    distribution = ThrDistribution.objects.get(beneficiary=family.sita)
    assert (distribution.verified_by, distribution.failed_matches) == (Verification.FACE, 1)


def test_fallbacks_wait_for_a_failed_face_check(family, users, stock, enrol):
    enrol(family.sita, "obama_1.jpg")

    with pytest.raises(ValidationError, match="Try the face check first"):
        otp_send(actor=users.aww, beneficiary=family.sita)
    with pytest.raises(ValidationError, match="Try the face check first"):
        override_request(actor=users.aww, beneficiary=family.sita, reason="The camera does not work")


def test_otp_goes_by_sms_to_the_registered_mobile(failed_once, family, users, on_commit):
    challenge = on_commit(otp_send, actor=users.aww, beneficiary=family.sita)

    assert [m.to for m in sms.outbox] == [MOBILE]
    assert challenge.sent_to == "XXXXXX3210"
    assert _code() not in challenge.code_hash  # only a keyed hash is kept


def test_right_otp_hands_over_verified_by_otp(failed_once, family, users, on_commit):
    challenge = on_commit(otp_send, actor=users.aww, beneficiary=family.sita)

    distribution = otp_verify(actor=users.aww, challenge=challenge, code=_code())

    assert (distribution.verified_by, distribution.otp, distribution.failed_matches) == (
        Verification.OTP, challenge, 1)
    assert AuditEvent.objects.filter(object_type="thr_frs.otpchallenge", fields=["verified_at"]).exists()


def test_wrong_otp_is_refused_and_counted(failed_once, family, users, on_commit):
    challenge = on_commit(otp_send, actor=users.aww, beneficiary=family.sita)
    wrong = "000000" if _code() != "000000" else "111111"

    with pytest.raises(ValidationError, match=f"{OTP_MAX_ATTEMPTS - 1} tries left"):
        otp_verify(actor=users.aww, challenge=challenge, code=wrong)

    challenge.refresh_from_db()
    assert challenge.attempts == 1 and not ThrDistribution.objects.exists()


def test_otp_locks_after_too_many_wrong_codes(failed_once, family, users, on_commit):
    challenge = on_commit(otp_send, actor=users.aww, beneficiary=family.sita)
    OtpChallenge.objects.filter(pk=challenge.pk).update(attempts=OTP_MAX_ATTEMPTS)

    with pytest.raises(ValidationError, match="Too many wrong codes"):
        otp_verify(actor=users.aww, challenge=challenge, code=_code())


def test_expired_otp_is_refused(failed_once, family, users, on_commit):
    challenge = on_commit(otp_send, actor=users.aww, beneficiary=family.sita)
    OtpChallenge.objects.filter(pk=challenge.pk).update(expires_at=timezone.now() - timedelta(seconds=1))

    with pytest.raises(ValidationError, match="expired"):
        otp_verify(actor=users.aww, challenge=challenge, code=_code())


def test_otp_needs_a_registered_mobile(failed_once, family, users):
    type(family.household).objects.filter(pk=family.household.pk).update(mobile="", mobile_index="")
    family.sita.household.refresh_from_db()

    with pytest.raises(ValidationError, match="No mobile number"):
        otp_send(actor=users.aww, beneficiary=family.sita)


def test_nominee_collects_after_a_match_with_her_own_face(failed_once, family, users, enrol, on_commit):
    nominee_add(actor=users.aww, beneficiary=family.sita, person=family.ram)
    enrol(family.sita, "biden_1.jpg", person=family.ram, as_nominee=True)

    check = on_commit(face_match_request, actor=users.aww, beneficiary=family.sita, photo=photo("biden_2.jpg"),
                      nominee=family.ram)

    distribution = ThrDistribution.objects.get(beneficiary=family.sita)
    assert (distribution.verified_by, distribution.nominee, distribution.face_check_id) == (
        Verification.NOMINEE, family.ram, check.pk)


def test_enrolling_a_childs_nominee_keeps_the_guardian(family, users, enrol):
    enrol(family.mohan, "obama_1.jpg", person=family.sita, relation="mother")
    nominee_add(actor=users.aww, beneficiary=family.mohan, person=family.ram)

    enrol(family.mohan, "biden_1.jpg", person=family.ram, as_nominee=True)

    assert FaceOwner.objects.get(beneficiary=family.mohan).owner == family.sita
    assert FaceEnrolment.objects.filter(person=family.ram).exists()


def test_nominee_is_an_adult_of_the_household(family, other_family, users):
    with pytest.raises(ValidationError, match="adult of the same household"):
        nominee_add(actor=users.aww, beneficiary=family.sita, person=family.mohan)


def test_override_approved_by_the_supervisor_then_handed_over(failed_once, family, users):
    request = override_request(actor=users.aww, beneficiary=family.sita, reason="Face does not match after surgery")
    override_decide(actor=users.supervisor, override=request, approve=True)

    distribution = override_handover(actor=users.aww, override=request)

    assert (distribution.verified_by, distribution.override) == (Verification.OVERRIDE, request)
    assert distribution.override.decided_by == users.supervisor


def test_override_cannot_be_used_before_approval(failed_once, family, users):
    request = override_request(actor=users.aww, beneficiary=family.sita, reason="Face does not match after surgery")

    with pytest.raises(ValidationError, match="not approved"):
        override_handover(actor=users.aww, override=request)


def test_override_rejection_needs_a_note(failed_once, family, users):
    request = override_request(actor=users.aww, beneficiary=family.sita, reason="Face does not match after surgery")

    with pytest.raises(ValidationError, match="Write why"):
        override_decide(actor=users.supervisor, override=request, approve=False)
    override_decide(actor=users.supervisor, override=request, approve=False, note="Bring her on Monday")
    assert OverrideRequest.objects.get().status == OverrideRequest.Status.REJECTED


def test_override_needs_a_reason(failed_once, family, users):
    with pytest.raises(ValidationError, match="why the ration"):
        override_request(actor=users.aww, beneficiary=family.sita, reason="no")


def test_fallback_is_open_when_no_face_can_be_used(family, users, stock):
    request = override_request(actor=users.aww, beneficiary=family.sita, reason="She does not consent to a photo")

    assert request.status == OverrideRequest.Status.PENDING


def test_override_reason_longer_than_500_characters_is_refused(failed_once, family, users):
    """The limit is the service's (the page and the API both show its message), not only the form's."""
    with pytest.raises(ValidationError) as refused:
        override_request(actor=users.aww, beneficiary=family.sita, reason="The camera is broken. " * 30)
    assert "500" in refused.value.message_dict["reason"][0]
    assert not OverrideRequest.objects.exists()
