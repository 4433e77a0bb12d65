"""Pages of malnutrition management (thin: scoped reads from growth.cases.selectors, one service per form)."""
from __future__ import annotations

import csv

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from beneficiaries.lifestage import age_text
from poshan.core.audit import audit_record
from poshan.core.dates import add_months, first_of_month, last_of_month
from poshan.core.forms_util import service_errors
from poshan.core.models import AuditEvent
from poshan.core.params import parse_month
from poshan.core.scoping import RoleRequiredMixin, ScopedObjectMixin

from . import forms, rules, selectors, services
from .indicators import EXPORT_COLUMNS, SPHERE, export_rows, indicators
from .models import Case
from .words import DANGER_SIGN_TEXT, MEDICINE_TEXT, step_text, why_text

PAGE_SIZE = 25

# step → (form, service, the service's arguments from the form's cleaned data, page title)
STEPS = {
    "appetite": (forms.AppetiteForm, services.appetite_test_record, ("result", "reason")),
    "complications": (forms.ComplicationsForm, services.complications_record, ("signs",)),
    "referral": (forms.ReferralForm, services.referral_record, ("facility",)),
    "referral-outcome": (forms.ReferralOutcomeForm, services.referral_outcome_record, ("outcome", "weight_kg")),
    "screening": (forms.ScreeningForm, services.screening_record, ("findings", "medicines")),
    "follow-up": (forms.FollowUpForm, services.followup_record,
                  ("weight_kg", "muac_cm", "oedema", "appetite", "illness", "complications")),
    "buddy-mother": (forms.BuddyMotherForm, services.buddy_mother_assign, ("name",)),
    "buddy-visit": (forms.BuddyVisitForm, services.buddy_visit_record, ("note",)),
    "counselling": (forms.CounsellingForm, services.counselling_record, ("topic",)),
    "exit": (forms.ExitForm, services.case_exit, ("outcome", "note")),
}
STEP_FOR_DUE = {rules.STEP_APPETITE_TEST: "appetite", rules.STEP_COMPLICATIONS: "complications",
                rules.STEP_REFER: "referral", rules.STEP_REFERRAL_OUTCOME: "referral-outcome",
                rules.STEP_SCREENING: "screening", rules.STEP_FOLLOWUP: "follow-up",
                rules.STEP_BUDDY_MOTHER: "buddy-mother", rules.STEP_BUDDY_VISIT: "buddy-visit",
                rules.STEP_POST_RECOVERY: "follow-up"}


def _titles() -> dict[str, str]:
    return {"appetite": _("Appetite test"), "complications": _("Check the danger signs"),
            "referral": _("Refer to the NRC"), "referral-outcome": _("Record what came of the referral"),
            "screening": _("Medical screening by the PHC doctor"), "follow-up": _("Follow-up weighing"),
            "buddy-mother": _("Choose a buddy mother"), "buddy-visit": _("Buddy mother's visit"),
            "counselling": _("Counselling"),
            "exit": _("End the treatment")}


def _due_rows(state, today):
    return [{"step": d.step, "text": step_text(d.step), "on": d.on, "overdue": d.on < today,
             "today": d.on == today, "form": STEP_FOR_DUE.get(d.step)} for d in state.due]


class CasesView(RoleRequiredMixin, View):
    """Children under treatment: names and what is due for the centre and the supervisor; for the block and
    above, counts and pseudonymous lists of what needs attention."""

    required_permissions = ("growth.view_growth_figures",)
    personal_data = True

    def get(self, request):
        today = timezone.localdate()
        show = request.GET.get("show", "")
        counts = selectors.overview(user=request.user)
        if request.user.has_perm("growth.view_case") and show == "":
            rows = selectors.worker_cases(user=request.user, today=today)
            page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
            self.reading(object_type="growth.case", object_id=f"list:page{page.number}")
            items = [{"case": c, "state": s, "due": _due_rows(s, today), "refer": why_text(s.refer_because),
                      "age": age_text(c.child.dob, today)} for c, s in page.object_list]
            return render(request, "growth/cases/list.html", {
                "page": page, "items": items, "counts": counts, "today": today, "names": True,
                "can_manage": request.user.has_perm("growth.manage_case")})
        show = show if show in ("overdue", "referrals", "alerts") else ""
        page = Paginator(selectors.attention_cases(user=request.user, show=show), PAGE_SIZE).get_page(
            request.GET.get("page"))
        names = request.user.has_perm("growth.view_case")
        if names:
            self.reading(object_type="growth.case", object_id=f"attention:{show or 'all'}:page{page.number}")
        items = [{"case": c, "overdue": [step_text(s) for s in c.overdue_list],
                  "next": step_text(c.next_step) if c.next_step else ""} for c in page.object_list]
        return render(request, "growth/cases/attention.html", {
            "page": page, "items": items, "counts": counts, "show": show, "names": names,
            "statuses": [(s, rules_label(s), counts[f"status_{s}"]) for s in rules.OPEN_STATUSES]})


def rules_label(status: str) -> str:
    return str(Case.Status(status).label)


class CaseView(ScopedObjectMixin, View):
    """One case: what is due, its timeline, weight gain; buttons for each step."""

    required_permissions = ("growth.view_case",)
    personal_data = True

    def get_scoped_queryset(self):
        return selectors.scoped_cases(self.request.user).select_related("child", "awc", "relapse_of")

    def get(self, request, pk: int):
        case = self.get_object()
        today = timezone.localdate()
        [(case, state)] = selectors.with_states([case], today=today)
        events = list(case.events.all())
        timeline = [{"e": e, "text": _event_text(e)} for e in reversed(events)]
        weights = weight_line([(e.date, e.payload["weight_kg"]) for e in events if e.payload.get("weight_kg")])
        return render(request, "growth/cases/case.html", {
            "case": case, "child": case.child, "state": state, "due": _due_rows(state, today),
            "refer": why_text(state.refer_because), "timeline": timeline, "weights": weights,
            "age": age_text(case.child.dob, today), "can_manage": request.user.has_perm("growth.manage_case"),
            "steps": [(slug, title) for slug, title in _titles().items()],
        })


def weight_line(weighings: list[tuple]) -> list[dict]:
    """Each weighing with the gain since the one before, in g per kg per day (rules.gain_g_kg_day; none or less
    at two follow-ups in a row is a referral), and its point on a small line of the weights (x, y in 0..100)."""
    if not weighings:
        return []
    first, last = weighings[0][0], weighings[-1][0]
    low, high = min(kg for _on, kg in weighings), max(kg for _on, kg in weighings)
    days, spread = max((last - first).days, 1), (high - low) or 1
    rows = []
    for n, (on, kg) in enumerate(weighings):
        before = weighings[n - 1] if n else None
        gain = rules.gain_g_kg_day(before[1], before[0], kg, on) if before else None
        rows.append({"on": on, "kg": kg, "gain": gain, "x": round(100 * (on - first).days / days, 1),
                     "y": round(100 - 100 * (kg - low) / spread, 1)})
    return rows


def _event_text(event) -> str:
    p = event.payload
    kind = event.kind
    if kind in (rules.IDENTIFIED, rules.FOLLOWUP):
        parts = []
        if p.get("weight_kg") is not None:
            parts.append(f"{p['weight_kg']:g} kg")
        if p.get("muac_cm") is not None:
            parts.append(_("MUAC %(m)s cm") % {"m": f"{p['muac_cm']:g}"})
        if p.get("whz") is not None:
            parts.append(f"WHZ {p['whz']:.2f}")
        if p.get("oedema"):
            parts.append(_("swelling of both feet"))
        if p.get("appetite"):
            parts.append(str(forms.APPETITE_TEXT.get(p["appetite"], "")))
        if p.get("illness"):
            parts.append(p["illness"])
        if p.get("complications"):
            parts.append(", ".join(str(DANGER_SIGN_TEXT.get(s, s)) for s in p["complications"]))
        return " · ".join(parts)
    if kind == rules.APPETITE_TEST:
        return " · ".join(x for x in (str(forms.APPETITE_TEXT.get(p.get("result"), "")), p.get("reason", "")) if x)
    if kind == rules.COMPLICATIONS:
        return ", ".join(str(DANGER_SIGN_TEXT.get(s, s)) for s in p.get("signs", ())) or _("None")
    if kind == rules.REFERRED:
        return p.get("facility", "")
    if kind == rules.REFERRAL_OUTCOME:
        return str(forms.REFERRAL_OUTCOME_TEXT.get(p.get("outcome"), ""))
    if kind == rules.SCREENED:
        meds = ", ".join(str(MEDICINE_TEXT.get(m, m)) for m in p.get("medicines", ()))
        return " · ".join(x for x in (p.get("findings", ""), meds) if x)
    if kind == rules.BUDDY_MOTHER:
        return p.get("name", "")
    if kind == rules.COUNSELLED:
        return p.get("topic", "")
    if kind == rules.BUDDY_VISIT:
        return p.get("note", "")
    if kind == rules.EXIT:
        return str(Case.Outcome(p["outcome"]).label) if p.get("outcome") in Case.Outcome.values else ""
    return ""


class CaseStepView(ScopedObjectMixin, View):
    """The form of one step; saved through its service, back to the case."""

    required_permissions = ("growth.view_case", "growth.manage_case")
    personal_data = True

    def get_scoped_queryset(self):
        return selectors.scoped_cases(self.request.user).select_related("child", "awc")

    def _render(self, request, case, step, form, status=200):
        return render(request, "growth/cases/step.html", {
            "case": case, "child": case.child, "form": form, "step": step, "title": _titles()[step],
        }, status=status)

    def _step(self, step):
        if step not in STEPS:
            raise Http404
        return STEPS[step]

    def get(self, request, pk: int, step: str):
        form_class, _service, _fields = self._step(step)
        case = self.get_object()
        return self._render(request, case, step, form_class(today=timezone.localdate()))

    def post(self, request, pk: int, step: str):
        form_class, service, fields = self._step(step)
        case = self.get_object()
        form = form_class(request.POST, today=timezone.localdate())
        if form.is_valid():
            data = form.cleaned_data
            with service_errors(form) as call:
                service(actor=request.user, case=case, on=data["date"], client_uuid=data["client_uuid"],
                        **{name: data[name] for name in fields})
            if call.ok:
                messages.success(request, _("Saved."))
                return redirect("growth:case", pk=case.pk)
        return self._render(request, case, step, form, status=400)


def _period(request) -> tuple:
    """`from` and `to` months (YYYY-MM) of the query; by default from six months back up to this one."""
    this_month = first_of_month(timezone.localdate())
    start = parse_month(request.GET.get("from"), name="from", default=add_months(this_month, -6))
    end = last_of_month(parse_month(request.GET.get("to"), name="to", default=this_month))
    return start, min(end, timezone.localdate())


class CaseIndicatorsView(RoleRequiredMixin, View):
    """Admissions, open cases and the programme-quality indicators of the area, with Sphere's bands."""

    required_permissions = ("growth.view_growth_figures",)

    def get(self, request):
        start, end = _period(request)
        figures = indicators(selectors.scoped_cases(request.user), start=start, end=end)
        return render(request, "growth/cases/indicators.html", {
            "f": figures, "start": start, "end": end, "sphere": SPHERE, "bands": figures.bands,
            "exits": [(Case.Outcome(o).label, n) for o, n in figures.exits.items()],
            "categories": [(Case.Category(c).label, n) for c, n in figures.admissions_by_category.items()],
            "can_export": request.user.has_perm("dashboards.export_data"),
            "query": request.GET.urlencode(),
        })


class CaseExportView(RoleRequiredMixin, View):
    """The area's cases of the period as CSV, a pseudonymous child id instead of any name (audited)."""

    required_permissions = ("growth.view_growth_figures", "dashboards.export_data")

    def get(self, request):
        start, end = _period(request)
        audit_record(actor=request.user, action=AuditEvent.Action.EXPORT, object_type="growth.case",
                     object_id=f"csv:{start.isoformat()}:{end.isoformat()}")

        class Echo:
            def write(self, value):
                return value

        writer = csv.writer(Echo())
        rows = export_rows(selectors.scoped_cases(request.user), start=start, end=end)
        response = StreamingHttpResponse((writer.writerow(r) for r in [EXPORT_COLUMNS, *rows]),
                                         content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="cases-{start:%Y-%m}-{end:%Y-%m}.csv"'
        return response
