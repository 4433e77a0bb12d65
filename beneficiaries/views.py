"""Pages for the centre's register. Thin: a form validates shape, a service decides, audit on every view."""
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from anganwadi.selectors import awc_by_code, user_awc
from poshan.core.forms_util import service_errors, service_errors_as_message
from poshan.core.scoping import OwnCentreMixin, RoleRequiredMixin
from poshan.core.search import SEARCH_PARAM, search_redirect, search_text

from . import selectors, services
from .forms import (
    DeliveryForm,
    EditForm,
    ExitForm,
    ExitUndoForm,
    PregnancyForm,
    PullForm,
    RegisterFilterForm,
    RegisterForm,
    TransferForm,
)
from .lifestage import Category
from .models import Beneficiary, Pregnancy

VIEW = ("beneficiaries.view_beneficiary",)
WRITE = ("beneficiaries.add_beneficiary",)


def _consent(data) -> services.ConsentInput | None:
    if not data.get("consent_purposes"):
        return None
    return services.ConsentInput(given_by=data.get("consent_given_by") or "", relation=data.get("consent_relation")
                                 or "self", purposes=tuple(data["consent_purposes"]))


class RegisterListView(RoleRequiredMixin, View):
    required_permissions = VIEW
    personal_data = True

    def get(self, request):
        text, refused = search_text(request)  # a number only ever by POST, behind a token
        if refused:
            return refused
        shown = request.GET.copy()
        shown.pop(SEARCH_PARAM, None)
        if text:
            shown["q"] = text
        form = RegisterFilterForm(shown or None)
        data = form.cleaned_data if form.is_valid() else {}
        filters = selectors.RegisterFilters(q=data.get("q", ""), category=data.get("category", ""),
                                            show=data.get("show") or "current")
        page = Paginator(selectors.beneficiary_list(user=request.user, filters=filters),
                         selectors.PAGE_SIZE).get_page(request.GET.get("page"))
        today = timezone.localdate()
        rows = [(b, [Category(c).label for c in selectors.categories_of(b, today)]) for b in page]
        self.reading(object_type="beneficiaries.beneficiary", object_id=f"register:page{page.number}")
        query = request.GET.copy()
        query.pop("page", None)
        return render(request, "beneficiaries/register.html",
                      {"form": form, "page": page, "rows": rows, "query": query.urlencode()})

    def post(self, request):
        """The search form: what was typed goes behind a token, the filters into the address."""
        return search_redirect(request, request.POST.get("q", ""),
                               {name: request.POST.get(name, "") for name in ("category", "show")})


class DueView(RoleRequiredMixin, View):
    required_permissions = VIEW
    personal_data = True

    def get(self, request):
        weighing = list(selectors.due_for_weighing(user=request.user)[:200])
        visits = list(selectors.due_for_home_visit(user=request.user)[:200])
        due = selectors.due_list(user=request.user)
        self.reading(object_type="beneficiaries.beneficiary", object_id="due")
        return render(request, "beneficiaries/due.html", {"weighing": weighing, "visits": visits, "due": due})


class RegisterView(OwnCentreMixin, RoleRequiredMixin, View):
    required_permissions = WRITE
    personal_data = True  # the centre's families to choose from

    def _form(self, request, awc):
        households = selectors.scoped_households(request.user).filter(awc=awc).order_by("head_name")
        initial = {"household": request.GET.get("household")} if request.GET.get("household") else None
        return RegisterForm(request.POST or None, households=households, initial=initial)

    def get(self, request):
        return render(request, "beneficiaries/register_form.html", {"form": self._form(request, self.own_awc)})

    def post(self, request):
        awc = self.own_awc
        form = self._form(request, awc)
        if form.is_valid():
            data = form.cleaned_data
            consent = _consent(data)
            person = services.PersonInput(
                name=data["name"], sex=data["sex"], dob=data["dob"], age_years=data["age_years"],
                relation_to_head=data["relation_to_head"], disability=data["disability"],
                is_resident=data["is_resident"], aadhaar=data["aadhaar"], enrol_as=data["enrol_as"],
                lmp=data["lmp"], delivery_date=data["delivery_date"],
            )
            with service_errors(form) as call:
                if data["household"]:
                    beneficiary = services.beneficiary_register(
                        actor=request.user, household=data["household"], person=person, consent=consent,
                        client_uuid=data["client_uuid"], confirm_duplicate=data["confirm_duplicate"])
                else:
                    beneficiary = services.register_with_new_household(
                        actor=request.user, awc=awc, person=person, consent=consent, client_uuid=data["client_uuid"],
                        confirm_duplicate=data["confirm_duplicate"],
                        household=services.HouseholdInput(
                            head_name=data["head_name"], hamlet=data["hamlet"], address=data["address"],
                            social_category=data["social_category"], is_minority=data["is_minority"],
                            mobile=data["mobile"]))
            if call.ok:
                messages.success(request, _("Saved: %(name)s is registered.") % {"name": beneficiary.name})
                return redirect("beneficiaries:detail", pk=beneficiary.pk)
        return render(request, "beneficiaries/register_form.html", {"form": form}, status=400)


def _detail_context(request, beneficiary: Beneficiary, **forms) -> dict:
    today = timezone.localdate()
    can_undo = services.can_undo_exit(request.user, beneficiary)
    return {
        "b": beneficiary,
        "categories": [Category(c).label for c in selectors.categories_of(beneficiary, today)],
        "pregnancies": beneficiary.pregnancies.order_by("-id"),
        "memberships": beneficiary.memberships.select_related("awc"),
        "members": beneficiary.household.members.exclude(pk=beneficiary.pk).order_by("dob"),
        "consents": beneficiary.consents.order_by("-given_at"),
        "visits": beneficiary.home_visits.order_by("-date")[:10],
        "can_write": request.user.has_perms(WRITE) and beneficiary.awc_id == getattr(user_awc(request.user), "pk", None),
        "exit_form": forms.get("exit_form") or ExitForm(),
        "can_undo_exit": can_undo,
        "undo_form": forms.get("undo_form") or (ExitUndoForm() if can_undo else None),
        "exit_undos": beneficiary.exit_undos.select_related("undone_by") if request.user.has_perm(
            services.exits.UNDO_PERMISSION) else (),
    }


class DetailView(RoleRequiredMixin, View):
    required_permissions = VIEW
    personal_data = True

    def get(self, request, pk: int):
        beneficiary = get_object_or_404(
            selectors.scoped_beneficiaries(request.user).select_related("household", "awc", "mother"), pk=pk)
        self.reading(beneficiary)
        return render(request, "beneficiaries/detail.html", _detail_context(request, beneficiary))


class _OwnBeneficiaryMixin(OwnCentreMixin, RoleRequiredMixin):
    """Writes happen at the person's own centre, by its worker."""

    required_permissions = WRITE
    personal_data = True  # each of these pages names the person

    def beneficiary(self, request, pk) -> Beneficiary:
        return self.reading(get_object_or_404(selectors.scoped_beneficiaries(request.user).filter(awc=self.own_awc),
                                              pk=pk))


class EditView(_OwnBeneficiaryMixin, View):
    def get(self, request, pk: int):
        b = self.beneficiary(request, pk)
        form = EditForm(initial={f: getattr(b, f) for f in services.EDITABLE})
        return render(request, "beneficiaries/edit_form.html", {"form": form, "b": b})

    def post(self, request, pk: int):
        b = self.beneficiary(request, pk)
        form = EditForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            changes = {f: data[f] for f in services.EDITABLE if f != "dob" or data["dob"]}
            with service_errors(form) as call:
                services.beneficiary_update(actor=request.user, beneficiary=b, changes=changes,
                                            aadhaar=data["aadhaar"] or None, consent=_consent(data))
            if call.ok:
                messages.success(request, _("Saved the changes."))
                return redirect("beneficiaries:detail", pk=b.pk)
        return render(request, "beneficiaries/edit_form.html", {"form": form, "b": b}, status=400)


class PregnancyView(_OwnBeneficiaryMixin, View):
    def get(self, request, pk: int):
        return render(request, "beneficiaries/simple_form.html",
                      {"form": PregnancyForm(), "b": self.beneficiary(request, pk), "title": _("Record a pregnancy")})

    def post(self, request, pk: int):
        b = self.beneficiary(request, pk)
        form = PregnancyForm(request.POST)
        if form.is_valid():
            with service_errors(form) as call:
                services.pregnancy_register(actor=request.user, woman=b, lmp=form.cleaned_data["lmp"],
                                            client_uuid=form.cleaned_data["client_uuid"])
            if call.ok:
                messages.success(request, _("Saved the pregnancy."))
                return redirect("beneficiaries:detail", pk=b.pk)
        return render(request, "beneficiaries/simple_form.html",
                      {"form": form, "b": b, "title": _("Record a pregnancy")}, status=400)


class DeliveryView(_OwnBeneficiaryMixin, View):
    def _pregnancy(self, request, pk) -> Pregnancy:
        awc = self.own_awc
        pregnancy = get_object_or_404(Pregnancy.objects.select_related("woman").filter(woman__awc=awc), pk=pk)
        self.reading(pregnancy, awc_id=awc.pk)
        return pregnancy

    def get(self, request, pk: int):
        pregnancy = self._pregnancy(request, pk)
        return render(request, "beneficiaries/simple_form.html",
                      {"form": DeliveryForm(), "b": pregnancy.woman, "title": _("Record the delivery")})

    def post(self, request, pk: int):
        pregnancy = self._pregnancy(request, pk)
        form = DeliveryForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            babies = [services.NewbornInput(name=data["child_name"], sex=data["child_sex"],
                                            birth_weight_kg=data["birth_weight_kg"])] if data["child_name"] else []
            with service_errors(form) as call:
                services.delivery_record(actor=request.user, pregnancy=pregnancy, delivery_date=data["delivery_date"],
                                         outcome=data["outcome"], newborns=babies)
            if call.ok:
                messages.success(request, _("Saved the delivery."))
                return redirect("beneficiaries:detail", pk=pregnancy.woman_id)
        return render(request, "beneficiaries/simple_form.html",
                      {"form": form, "b": pregnancy.woman, "title": _("Record the delivery")}, status=400)


class ExitView(_OwnBeneficiaryMixin, View):
    """Leaving is recorded only with a reason chosen and the confirmation ticked (no JavaScript needed)."""

    def get(self, request, pk: int):
        b = self.beneficiary(request, pk)
        if b.exited_on:
            return redirect("beneficiaries:detail", pk=b.pk)
        return render(request, "beneficiaries/exit_form.html", {"form": ExitForm(), "b": b})

    def post(self, request, pk: int):
        b = self.beneficiary(request, pk)
        form = ExitForm(request.POST)
        if form.is_valid():
            with service_errors(form, field_map={"exit_reason": "reason"}) as call:
                services.beneficiary_exit(actor=request.user, beneficiary=b, reason=form.cleaned_data["reason"])
            if call.ok:
                messages.success(request, _("Recorded that %(name)s left the programme.") % {"name": b.name})
                return redirect("beneficiaries:detail", pk=b.pk)
        return render(request, "beneficiaries/exit_form.html", {"form": form, "b": b}, status=400)


class ExitUndoView(RoleRequiredMixin, View):
    """A supervisor undoes a mistaken exit in her area, saying why."""

    required_permissions = (services.exits.UNDO_PERMISSION,)
    personal_data = True  # a refused undo shows the person's page again

    def post(self, request, pk: int):
        b = get_object_or_404(selectors.scoped_beneficiaries(request.user).select_related("household", "awc", "mother"),
                              pk=pk)
        form = ExitUndoForm(request.POST)
        if form.is_valid():
            with service_errors(form) as call:
                services.beneficiary_exit_undo(actor=request.user, beneficiary=b, reason=form.cleaned_data["reason"])
            if call.ok:
                messages.success(request, _("%(name)s is back in the programme.") % {"name": b.name})
                return redirect("beneficiaries:detail", pk=b.pk)
            if not hasattr(call.error, "error_dict"):  # nothing to undo here: say so on the person's page
                messages.error(request, " ".join(call.error.messages))
                return redirect("beneficiaries:detail", pk=b.pk)
        self.reading(b)
        return render(request, "beneficiaries/detail.html", _detail_context(request, b, undo_form=form), status=400)


class TransferCreateView(_OwnBeneficiaryMixin, View):
    """The sending centre asks the receiving centre to take the person."""

    def get(self, request, pk: int):
        return render(request, "beneficiaries/simple_form.html",
                      {"form": TransferForm(), "b": self.beneficiary(request, pk), "title": _("Move to another centre")})

    def post(self, request, pk: int):
        b = self.beneficiary(request, pk)
        form = TransferForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            to_awc = awc_by_code(data["to_awc_code"])
            if to_awc is None:
                form.add_error("to_awc_code", _("No active Anganwadi centre has this code."))
            else:
                with service_errors(form, field_map={"to_awc": "to_awc_code"}) as call:
                    services.transfer_request(actor=request.user, beneficiary=b, to_awc=to_awc, kind=data["kind"],
                                              expected_return=data["expected_return"])
                if call.ok:
                    messages.success(request, _("Sent: the receiving centre will confirm the move."))
                    return redirect("beneficiaries:transfers")
        return render(request, "beneficiaries/simple_form.html",
                      {"form": form, "b": b, "title": _("Move to another centre")}, status=400)


class TransferListView(OwnCentreMixin, RoleRequiredMixin, View):
    required_permissions = ("beneficiaries.view_transfer",)
    personal_data = True

    def get(self, request, form=None, status=200):
        awc = user_awc(request.user)
        transfers = selectors.transfers_mark_hidden(user=request.user,
                                                    transfers=list(selectors.transfers_for(user=request.user)[:100]))
        for t in transfers:
            t.waiting_for_me = services.can_answer(t, awc)
            t.can_return = services.can_return(t, awc)
        can_write = request.user.has_perms(("beneficiaries.add_transfer",)) and awc is not None
        self.reading(object_type="beneficiaries.transfer", object_id="moves", awc_id=getattr(awc, "pk", None))
        return render(request, "beneficiaries/transfers.html",
                      {"transfers": transfers, "pull_form": form or PullForm(), "can_write": can_write},
                      status=status)

    def post(self, request):
        """The receiving centre asks for a person who moved here (found by Aadhaar)."""
        if not request.user.has_perms(("beneficiaries.add_transfer",)):
            raise PermissionDenied
        form = PullForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            with service_errors(form, field_map={"to_awc": "aadhaar"}) as call:
                services.transfer_pull(actor=request.user, to_awc=self.own_awc, aadhaar=data["aadhaar"],
                                       kind=data["kind"], expected_return=data["expected_return"])
            if call.ok:
                messages.success(request, _("Sent: the person's present centre will confirm the move."))
                return redirect("beneficiaries:transfers")
        return self.get(request, form=form, status=400)


class TransferActionView(OwnCentreMixin, RoleRequiredMixin, View):
    required_permissions = ("beneficiaries.change_transfer",)

    ACTIONS = ("accept", "reject", "return")

    def post(self, request, pk: int, action: str):
        if action not in self.ACTIONS:
            raise Http404
        awc = self.own_awc
        transfer = get_object_or_404(selectors.transfers_for(user=request.user), pk=pk)
        with service_errors_as_message(request):
            if action == "return":
                services.transfer_return(actor=request.user, transfer=transfer, returning_to=awc)
                messages.success(request, _("Recorded the return."))
            else:
                services.transfer_decide(actor=request.user, transfer=transfer, accept=action == "accept",
                                         deciding_awc=awc)
                messages.success(request, _("Move accepted.") if action == "accept" else _("Move refused."))
        return redirect("beneficiaries:transfers")


class HouseholdView(RoleRequiredMixin, View):
    required_permissions = VIEW
    personal_data = True

    def get(self, request, pk: int):
        household = get_object_or_404(selectors.scoped_households(request.user), pk=pk)
        self.reading(household)
        members = household.members.order_by("dob")
        return render(request, "beneficiaries/household.html", {"h": household, "members": members})
