"""Fallback pages: nominee, one-time code, override request and the hand-over once approved."""
from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from poshan.core.forms_util import service_errors, service_errors_as_message
from poshan.core.params import require_id

from .. import ratelimit, selectors, services
from ..forms import ConfirmForm, NomineeForm, OtpVerifyForm, OverrideRequestForm
from ..models import OtpChallenge, OverrideRequest
from .common import TOO_MANY_REQUESTS, CentreMixin, centre_beneficiary
from .face import handover_context


def _handover(request, beneficiary, *, status: int):
    """The hand-over page again, with the refusal's message on top."""
    return render(request, "thr_frs/handover.html", handover_context(request, beneficiary), status=status)


class NomineeView(CentreMixin, View):
    personal_data = True

    def _render(self, request, beneficiary, form, status=200):
        nominees = beneficiary.thr_nominees.select_related("person").order_by("person__name")
        return render(request, "thr_frs/nominees.html", {"b": beneficiary, "form": form, "nominees": nominees},
                      status=status)

    def _form(self, beneficiary, data=None):
        people = selectors.household_adults(beneficiary, timezone.localdate())
        return NomineeForm(data, people=people)

    def get(self, request, pk: int):
        beneficiary = centre_beneficiary(request, pk)
        return self._render(request, beneficiary, self._form(beneficiary))

    def post(self, request, pk: int):
        beneficiary = centre_beneficiary(request, pk)
        form = self._form(beneficiary, request.POST)
        if form.is_valid():
            person = centre_beneficiary(request, form.cleaned_data["person"])
            with service_errors(form) as call:
                services.nominee_add(actor=request.user, beneficiary=beneficiary, person=person)
            if call.ok:
                messages.success(request, _("%(name)s is a nominee. Enrol her or his face before the hand-over.")
                                 % {"name": person.name})
                return redirect("thr_frs:nominees", beneficiary.pk)
        return self._render(request, beneficiary, form, status=400)


class OtpSendView(CentreMixin, View):
    def post(self, request, pk: int):
        beneficiary = centre_beneficiary(request, pk)
        if not ratelimit.allow(request.user, "otp-send", ratelimit.OTP_SENDS_PER_MINUTE):
            messages.error(request, _("Too many codes sent in a minute. Wait a minute, then try again."))
            return _handover(request, beneficiary, status=TOO_MANY_REQUESTS)
        with service_errors_as_message(request) as call:
            challenge = services.otp_send(actor=request.user, beneficiary=beneficiary)
        if not call.ok:
            return _handover(request, beneficiary, status=400)
        messages.success(request, _("A code was sent by SMS to %(number)s. Ask the family to read it out.")
                         % {"number": challenge.sent_to})
        return redirect("thr_frs:handover", beneficiary.pk)


class OtpVerifyView(CentreMixin, View):
    def post(self, request, pk: int):
        beneficiary = centre_beneficiary(request, pk)
        form = OtpVerifyForm(request.POST)
        if not ratelimit.allow(request.user, "otp-verify", ratelimit.OTP_TRIES_PER_MINUTE):
            form.add_error(None, _("Too many tries in a minute. Wait a minute, then try again."))
            return render(request, "thr_frs/handover.html", handover_context(request, beneficiary, otp_form=form),
                          status=TOO_MANY_REQUESTS)
        challenge = OtpChallenge.objects.filter(beneficiary=beneficiary, verified_at__isnull=True).order_by(
            "-id").first()
        if form.is_valid() and challenge is None:
            form.add_error(None, _("Send a code first."))
        elif form.is_valid():
            data = form.cleaned_data
            with service_errors(form) as call:
                services.otp_verify(actor=request.user, challenge=challenge, code=data["code"],
                                    quantity=data["quantity"], client_uuid=data["client_uuid"])
            if call.ok:
                messages.success(request, _("Code correct: %(n)s packets handed over to %(name)s.")
                                 % {"n": data["quantity"], "name": beneficiary.name})
                return redirect("thr_frs:handover", beneficiary.pk)
        return render(request, "thr_frs/handover.html", handover_context(request, beneficiary, otp_form=form),
                      status=400)


class OverrideRequestView(CentreMixin, View):
    personal_data = True

    def _render(self, request, beneficiary, form, status=200):
        return render(request, "thr_frs/override_form.html", {"b": beneficiary, "form": form}, status=status)

    def get(self, request, pk: int):
        beneficiary = centre_beneficiary(request, pk)
        packets = selectors.entitled_packets(beneficiary, timezone.localdate())
        return self._render(request, beneficiary, OverrideRequestForm(initial={"quantity": packets}))

    def post(self, request, pk: int):
        beneficiary = centre_beneficiary(request, pk)
        form = OverrideRequestForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            with service_errors(form) as call:
                services.override_request(actor=request.user, beneficiary=beneficiary, reason=data["reason"],
                                          quantity=data["quantity"], client_uuid=data["client_uuid"])
            if call.ok:
                messages.success(request, _("The supervisor is asked to approve. Come back to this page for the "
                                            "answer."))
                return redirect("thr_frs:handover", beneficiary.pk)
        return self._render(request, beneficiary, form, status=400)


class OverrideHandoverView(CentreMixin, View):
    """Hand over under the supervisor's approval."""

    def post(self, request, pk: int):
        beneficiary = centre_beneficiary(request, pk)
        override = get_object_or_404(OverrideRequest, beneficiary=beneficiary,
                                     pk=require_id(request.POST.get("override"), name="override"))
        form = ConfirmForm(request.POST)
        client_uuid = form.cleaned_data["client_uuid"] if form.is_valid() else None
        with service_errors_as_message(request) as call:
            distribution = services.override_handover(actor=request.user, override=override,
                                                      client_uuid=client_uuid)
        if not call.ok:
            return _handover(request, beneficiary, status=400)
        messages.success(request, _("%(n)s packets handed over to %(name)s (supervisor override).")
                         % {"n": distribution.quantity, "name": beneficiary.name})
        return redirect("thr_frs:handover", beneficiary.pk)
