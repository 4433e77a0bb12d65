"""The hand-over page and the face endpoints (AWW/AWH of the person's own centre only).

Photo posts use the in-memory upload handler (thr_frs.uploads.memory_uploads in urls.py),
so a photo is never spooled to a temporary file; it goes from the request to the photo
store (encrypted) and from there to the `frs` worker.
"""
from __future__ import annotations

import uuid

from django.contrib import messages
from django.core import signing
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from redis.exceptions import RedisError

from beneficiaries.models import Consent
from beneficiaries.selectors import has_consent
from poshan.core.forms_util import service_errors
from poshan.core.ids import parse_id

from .. import photostore, ratelimit, selectors, services
from ..entitlement import needs_guardian_face
from ..forms import EnrolForm, MatchForm, OtpVerifyForm
from ..models import FaceCheck, FaceEnrolment
from ..services import gallery
from ..services.gallery import ENROL_PHOTOS
from ..uploads import photo_too_large
from .common import FACE, TOO_MANY_REQUESTS, CentreMixin, centre_beneficiary

ERROR_MESSAGES = {  # lazy: each is translated when shown, in the worker's language
    FaceCheck.Error.NO_FACE: gettext_lazy(
        "No face was found in the photo. Take a new photo with the face clearly visible, facing the camera, "
        "in good light."),
    FaceCheck.Error.MANY_FACES: gettext_lazy(
        "More than one face was found in the photo. Take a new photo with only one person in the frame."),
    FaceCheck.Error.UNREADABLE: gettext_lazy("The photo could not be read. Take a new photo and try again."),
    FaceCheck.Error.EXPIRED: gettext_lazy("The photo waited too long to be checked. Take a new photo and try again."),
    FaceCheck.Error.NOT_ENROLLED: gettext_lazy("The enrolled face was erased meanwhile. Enrol the face again."),
    FaceCheck.Error.ALREADY_ENROLLED: gettext_lazy("This face is already enrolled."),
    FaceCheck.Error.NOT_SAME_FACE: gettext_lazy(
        "This photo does not look like the face already enrolled, so it was not added. "
        "Take a photo of the same person again."),
    FaceCheck.Error.NOT_TURNED: gettext_lazy(
        "The two photos look like a still picture, not a person turning the head. Ask the person to turn the head "
        "slowly to one side, and take both photos again."),
    FaceCheck.Error.UNAVAILABLE: gettext_lazy(
        "The face check is not available just now. Try again, or use another way."),
}


def error_message(check: FaceCheck) -> str:
    return str(ERROR_MESSAGES.get(check.error, _("Take a new photo and try again.")))


def _photo_bytes(request, form, field: str = "photo") -> bytes | None:
    upload = form.cleaned_data.get(field)
    return upload.read() if upload else None


def _refuse_large_photo(request, form) -> bool:
    if photo_too_large(request):
        form.add_error("photo", _("The photo is too large. Take it again at normal camera resolution."))
        return True
    return False


def handover_context(request, beneficiary, *, match_form=None, otp_form=None) -> dict:
    state = selectors.handover_state(beneficiary, on=timezone.localdate())
    enrolled_nominees = [person for person, enrolled in state.nominees if enrolled]
    can_match = state.distribution is None and bool(state.packets) and (state.owner_enrolled or enrolled_nominees)
    if match_form is None and can_match:
        match_form = MatchForm(initial={"quantity": state.packets}, nominees=enrolled_nominees)
    if otp_form is None and state.live_otp is not None:
        otp_form = OtpVerifyForm(initial={"quantity": state.packets})
    return {"b": beneficiary, "state": state, "match_form": match_form if can_match else None,
            "handover_uuid": uuid.uuid4(),
            "otp_form": otp_form, "check_errors": {c.pk: error_message(c) for c in state.checks if c.error},
            "enrol_photos": ENROL_PHOTOS, "refresh_due": _refresh_due(state)}


def _refresh_due(state):
    """When the enrolled face (a young person's) needs a new photo, if within the notice period."""
    owner = state.face_owner
    if owner is None or not state.owner_enrolled:
        return None
    enrolment = FaceEnrolment.objects.filter(person=owner).first()
    return gallery.refresh_due(enrolment, owner, timezone.localdate())


class HandoverView(CentreMixin, View):
    personal_data = True

    def get(self, request, pk: int):
        beneficiary = centre_beneficiary(request, pk)
        self.reading(obj=beneficiary, awc_id=beneficiary.awc_id)
        return render(request, "thr_frs/handover.html", handover_context(request, beneficiary))


class MatchView(CentreMixin, View):
    """POST a live photo: a 1:1 match with the enrolled face; the page then follows the check.

    A photo sent with an error in another field (packets, nominee, stock) is kept for the next try."""

    required_permissions = FACE

    def _render(self, request, beneficiary, form, status, kept_photo=""):
        context = handover_context(request, beneficiary, match_form=form)
        context["kept_photo"] = kept_photo
        return render(request, "thr_frs/handover.html", context, status=status)

    def post(self, request, pk: int):
        beneficiary = centre_beneficiary(request, pk)
        state_nominees = [n.person for n in beneficiary.thr_nominees.select_related("person")
                          if FaceEnrolment.objects.filter(person=n.person).exists()]
        kept_key, kept_turned = kept_photo_key(request, beneficiary), kept_photo_key(request, beneficiary, "t")
        form = MatchForm(request.POST, request.FILES, nominees=state_nominees)
        if kept_key is not None:
            form.fields["photo"].required = False
        if kept_turned is not None:
            form.fields["turned_photo"].required = False
        if not ratelimit.allow(request.user, "face", ratelimit.FACE_CHECKS_PER_MINUTE):
            form.add_error(None, _("Too many photos in a minute. Wait a minute, then try again."))
            return self._render(request, beneficiary, form, TOO_MANY_REQUESTS,
                                kept_photo=request.POST.get("kept_photo", "") if kept_key else "")
        if _refuse_large_photo(request, form):
            for key in (kept_key, kept_turned):
                if key:
                    photostore.discard(key)
            return self._render(request, beneficiary, form, 400)
        valid = form.is_valid()
        photo, expired = _photo_or_kept(request, form, kept_key)
        turned, turned_expired = _photo_or_kept(request, form, kept_turned, field="turned_photo")
        if expired or turned_expired:
            return self._render(request, beneficiary, form, 400)
        if valid:
            data = form.cleaned_data
            nominee = next((n for n in state_nominees if n.pk == data.get("nominee")), None)
            with service_errors(form) as call:
                check = services.face_match_request(actor=request.user, beneficiary=beneficiary, photo=photo,
                                                    quantity=data["quantity"], nominee=nominee,
                                                    client_uuid=data["client_uuid"], turned_photo=turned)
            if call.ok:
                return redirect("thr_frs:check", check.pk)
        kept = keep_photo(request, beneficiary, photo, turned=turned if "turned_photo" not in form.errors else None
                          ) if photo is not None and "photo" not in form.errors else ""
        return self._render(request, beneficiary, form, 400, kept_photo=kept)


KEPT_PHOTO_SALT = "thr_frs.kept_photo"


def keep_photo(request, beneficiary, photo: bytes, *, turned: bytes | None = None) -> str:
    """Keep a photo (and the head-turn frame, if any) encrypted, for minutes, while the worker corrects another
    field: a signed token for the form, valid only for this worker and this beneficiary. With the store
    unreachable nothing is kept ("": she takes the photo again) rather than the page failing."""
    try:
        data = {"k": photostore.put(photo, ttl=photostore.KEPT_PHOTO_TTL_SECONDS), "b": beneficiary.pk,
                "u": request.user.pk}
        if turned is not None:
            data["t"] = photostore.put(turned, ttl=photostore.KEPT_PHOTO_TTL_SECONDS)
    except RedisError:
        return ""
    return signing.dumps(data, salt=KEPT_PHOTO_SALT)


def kept_photo_key(request, beneficiary, which: str = "k") -> str | None:
    """The store key of the photo ("k") or head-turn frame ("t") kept by an earlier try of this form (None if
    none, or not this one's)."""
    token = request.POST.get("kept_photo") or ""
    if not token:
        return None
    try:
        data = signing.loads(token, salt=KEPT_PHOTO_SALT, max_age=photostore.KEPT_PHOTO_TTL_SECONDS)
    except signing.BadSignature:
        return None
    if data.get("b") != beneficiary.pk or data.get("u") != request.user.pk:
        return None
    return data.get(which)


def _photo_or_kept(request, form, kept_key: str | None, field: str = "photo") -> tuple[bytes | None, bool]:
    """(the photo of `field` to use: a new one, else the one kept by the last try; True if the kept one has
    expired)."""
    photo = _photo_bytes(request, form, field) if field not in form.errors else None
    if photo is not None and kept_key:
        photostore.discard(kept_key)  # a new photo replaces the kept one
    elif photo is None and kept_key and field not in form.errors:
        photo = photostore.take(kept_key)
        if photo is None:
            form.add_error(field if field in form.fields else None,
                           _("The kept photo can no longer be used. Take the photo again."))
            return None, True
    return photo, False


class EnrolView(CentreMixin, View):
    personal_data = True
    """Enrol a face once: the person's own, a child's guardian's, or (?nominee=<pk>) a nominee's.

    Consent for the face check is asked here only when none is recorded (usually it was given at
    registration). A photo sent with an error in another field is kept, so it is never taken twice.
    """

    required_permissions = FACE

    def _people(self, request, beneficiary, on) -> tuple[bool, bool, list]:
        """(child, as_nominee, the people whose face may be enrolled here)."""
        wanted = parse_id(request.GET.get("nominee"))
        if wanted is not None:
            nominee = beneficiary.thr_nominees.select_related("person").filter(person_id=wanted).first()
            if nominee is None:
                raise Http404
            return False, True, [nominee.person]
        if needs_guardian_face(beneficiary.dob, on):
            return True, False, selectors.household_adults(beneficiary, on)
        return False, False, [beneficiary]

    def _form(self, request, beneficiary, data=None, files=None, *, photo_kept=False):
        on = timezone.localdate()
        child, as_nominee, people = self._people(request, beneficiary, on)
        owner, relation = selectors.face_owner_of(beneficiary, on)
        initial = {"person": people[0].pk if as_nominee or not owner else owner.pk,
                   "relation": relation or ("mother" if child else "")}
        consented = {p.pk for p in people if has_consent(p, Consent.Purpose.FACE)}
        form = EnrolForm(data, files, initial=initial, people=people if (child or as_nominee) else [], child=child,
                         photo_required=not child and not photo_kept,
                         ask_consent=any(p.pk not in consented for p in people))
        if "person" in form.fields and "consent" in form.fields:  # some have consent recorded, some not: say whose
            form.fields["person"].choices = [
                (p.pk, _("%(name)s (consent for the face check recorded)") % {"name": p.name} if p.pk in consented
                 else p.name) for p in people]
            form.fields["consent"].help_text = _("Needed only for someone whose consent is not recorded yet.")
        return form, people, as_nominee, consented

    def _render(self, request, beneficiary, form, status=200, kept_photo=""):
        return render(request, "thr_frs/enrol.html", {"b": beneficiary, "form": form, "kept_photo": kept_photo},
                      status=status)

    def get(self, request, pk: int):
        beneficiary = centre_beneficiary(request, pk)
        return self._render(request, beneficiary, self._form(request, beneficiary)[0])

    def post(self, request, pk: int):
        beneficiary = centre_beneficiary(request, pk)
        kept_key = kept_photo_key(request, beneficiary)
        form, people, as_nominee, consented = self._form(request, beneficiary, request.POST, request.FILES,
                                                         photo_kept=kept_key is not None)
        if not ratelimit.allow(request.user, "face", ratelimit.FACE_CHECKS_PER_MINUTE):
            form.add_error(None, _("Too many photos in a minute. Wait a minute, then try again."))
            return self._render(request, beneficiary, form, status=TOO_MANY_REQUESTS,
                                kept_photo=request.POST.get("kept_photo", "") if kept_key else "")
        if _refuse_large_photo(request, form):
            if kept_key:
                photostore.discard(kept_key)
            return self._render(request, beneficiary, form, status=400)
        valid = form.is_valid()
        photo, expired = _photo_or_kept(request, form, kept_key)
        if expired:
            return self._render(request, beneficiary, form, status=400)
        if not valid:
            return self._render_kept(request, beneficiary, form, photo)
        data = form.cleaned_data
        person = next((p for p in people if p.pk == data.get("person")), None)
        subject = person or people[0]
        with service_errors(form) as call:
            if photo is None:  # a child linked to a guardian whose face is already enrolled
                if person is None or not FaceEnrolment.objects.filter(person=person).exists():
                    raise ValidationError({"photo": _("Take the photo of the face to enrol.")})
                services.face_owner_set(actor=request.user, beneficiary=beneficiary, owner=person,
                                        relation=data.get("relation") or "")
                messages.success(request, _("%(child)s's ration will be verified with the enrolled face of "
                                            "%(name)s.") % {"child": beneficiary.name, "name": person.name})
                return redirect("thr_frs:handover", beneficiary.pk)
            check = services.face_enrol_request(
                actor=request.user, beneficiary=beneficiary, photo=photo, person=person,
                relation=data.get("relation") or "", as_nominee=as_nominee,
                consent=None if subject.pk in consented else form.consent_input(),
                client_uuid=data["client_uuid"])
        if not call.ok:
            return self._render_kept(request, beneficiary, form, photo)
        return redirect("thr_frs:check", check.pk)

    def _render_kept(self, request, beneficiary, form, photo: bytes | None):
        """Re-render after an error in another field: the photo waits for the next try."""
        kept = keep_photo(request, beneficiary, photo) if photo is not None and "photo" not in form.errors else ""
        return self._render(request, beneficiary, form, status=400, kept_photo=kept)


def _check_or_404(request, pk: int) -> FaceCheck:
    return get_object_or_404(selectors.centre_face_checks(request.user).select_related(
        "beneficiary", "person", "distribution"), pk=pk)


class CheckView(CentreMixin, View):
    """Progress while the worker checks the photo, then the result and what to do next."""

    required_permissions = FACE
    personal_data = True

    def get(self, request, pk: int):
        check = _check_or_404(request, pk)
        distribution = getattr(check, "distribution", None)
        context = {"check": check, "b": check.beneficiary, "distribution": distribution,
                   "error_message": error_message(check) if check.error else "",
                   "expired": check.status == FaceCheck.Status.PENDING and (
                       timezone.now() - check.created_at).total_seconds() > photostore.ttl_seconds(),
                   "status_url": reverse("thr_frs:check_status", args=[check.pk]), "enrol_photos": ENROL_PHOTOS}
        if check.purpose == FaceCheck.Purpose.MATCH and check.status != FaceCheck.Status.PENDING and not distribution:
            context.update(handover_context(request, check.beneficiary))
        if check.status != FaceCheck.Status.PENDING:  # the result names the person (progress refreshes do not)
            self.reading(obj=check, awc_id=check.awc_id)
        else:
            self.personal_data = False  # this answer only: not a read of her record
        return render(request, "thr_frs/check.html", context)


class CheckStatusView(CentreMixin, View):
    """Polled by static/js/frs_check.js: status only, no personal data."""

    required_permissions = FACE

    def get(self, request, pk: int):
        check = _check_or_404(request, pk)
        elapsed = (check.finished_at or timezone.now()) - check.created_at
        return JsonResponse({"status": check.status, "matched": check.matched,
                             "elapsed_ms": int(elapsed.total_seconds() * 1000)})


class FaceEraseView(CentreMixin, View):
    """Consent for the face check withdrawn: the consent ends and the face encoding is erased now."""

    required_permissions = ("thr_frs.delete_faceenrolment",)

    def post(self, request, pk: int):
        beneficiary = centre_beneficiary(request, pk)
        person_pk = parse_id(request.POST.get("person"))
        person = centre_beneficiary(request, person_pk) if person_pk is not None else beneficiary
        if person.household_id != beneficiary.household_id:
            raise Http404
        services.face_consent_withdraw(actor=request.user, person=person)
        messages.success(request, _("Consent withdrawn: the face data of %(name)s is erased.") % {"name": person.name})
        return redirect("thr_frs:handover", beneficiary.pk)
