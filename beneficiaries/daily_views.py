"""The worker's daily pages: the attendance sheet with the meal, home visits, the month's summary."""
from datetime import date

from django import forms
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from anganwadi.selectors import awcs_visible_to
from poshan.core.audit import audit_view
from poshan.core.forms_util import OfflineEntryForm, service_errors
from poshan.core.ids import parse_id
from poshan.core.params import parse_month
from poshan.core.scoping import OwnCentreMixin, RoleRequiredMixin

from . import lifestage, selectors, services
from .models import HomeVisit


class SheetMetaForm(OfflineEntryForm):
    """The attendance sheet's day, why it is late, its client id (the ticks are read from the list)."""


class HomeVisitForm(OfflineEntryForm):
    date_label = gettext_lazy("Date of visit")
    field_order = ("date", "purpose", "topic", "notes")  # then the late reason and the client id

    purpose = forms.ChoiceField(label=gettext_lazy("Purpose"), choices=HomeVisit.Purpose.choices)
    topic = forms.ChoiceField(label=gettext_lazy("Counselling given"), choices=HomeVisit.Topic.choices,
                              required=False)
    notes = forms.CharField(label=gettext_lazy("Notes"), max_length=300, required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))


def _ids(values) -> list[int]:
    return [i for i in map(parse_id, values) if i is not None]


def _sheet_row_about(child, day: date) -> str:
    """What tells two children of the same name apart on the sheet: age, and the mother (or the family head).

    The age in the registers' short form ("3 y 4 mo"), where lifestage.age_text's words would wrap the row."""
    months = lifestage.age_in_months(child.dob, day)
    age = f'{_("%(y)s y") % {"y": months // 12}} {_("%(m)s mo") % {"m": months % 12}}'
    family = child.mother.name if child.mother_id else child.household.head_name
    return f"{age} · {family}" if family else age


class AttendanceView(OwnCentreMixin, RoleRequiredMixin, View):
    """One screen: tick who is present (nobody is assumed present) and who ate the hot cooked meal."""

    required_permissions = ("beneficiaries.add_attendance",)
    personal_data = True  # the children's names

    def _render(self, request, awc, day, meta, status=200, ticks=None):
        children = list(selectors.preschool_children(awc=awc, on=day))
        saved = selectors.attendance_on(awc=awc, on=day)
        present, meals = ticks if ticks is not None else (set(saved), {pk for pk, hcm in saved.items() if hcm})
        # An absent child's meal box is never ticked (the service records no meal for her either).
        rows = [(c, c.pk in present, c.pk in present and c.pk in meals, _sheet_row_about(c, day)) for c in children]
        self.reading(object_type="beneficiaries.attendance", object_id=f"sheet:{day.isoformat()}", awc_id=awc.pk)
        return render(request, "beneficiaries/attendance.html", {
            "awc": awc, "day": day, "rows": rows, "meta": meta, "already_taken": bool(saved),
            "present_count": len(present)}, status=status)

    def get(self, request):
        awc = self.own_awc
        meta = SheetMetaForm(request.GET or None)
        if request.GET.get("date") and not meta.is_valid() and "date" in meta.errors:  # a day it cannot show: say so
            return self._render(request, awc, timezone.localdate(), meta, 400)
        day = meta.cleaned_data["date"] if meta.is_valid() else timezone.localdate()
        meta = SheetMetaForm(initial={"date": day})
        return self._render(request, awc, day, meta)

    def post(self, request):
        awc = self.own_awc
        meta = SheetMetaForm(request.POST)
        present, meals = _ids(request.POST.getlist("present")), _ids(request.POST.getlist("hcm"))
        if not meta.is_valid():
            return self._render(request, awc, timezone.localdate(), meta, 400, (set(present), set(meals)))
        day, reason = meta.cleaned_data["date"], meta.cleaned_data["backdate_reason"]
        with service_errors(meta) as call:
            if selectors.attendance_on(awc=awc, on=day):
                result = services.attendance_correct(actor=request.user, awc=awc, day=day, present=present,
                                                     hcm=meals, backdate_reason=reason)
                messages.success(request, _("Attendance corrected: %(n)s present, %(m)s ate the meal.")
                                 % {"n": len(present) - len(result.rejected), "m": result.meals})
            else:
                result = services.attendance_record(actor=request.user, awc=awc, day=day, present=present,
                                                    hcm=meals, backdate_reason=reason,
                                                    client_uuid=meta.cleaned_data["client_uuid"])
                messages.success(request, _("Saved: %(n)s present, %(m)s ate the meal.")
                                 % {"n": result.saved + len(result.already), "m": result.meals})
        if not call.ok:
            return self._render(request, awc, day, meta, 400, (set(present), set(meals)))
        for item in result.rejected:
            messages.warning(request, _("Child %(id)s not saved: %(reason)s.") % {"id": item["child"],
                                                                              "reason": item["reason"]})
        return redirect(f"{request.path}?date={day.isoformat()}")


class HomeVisitView(OwnCentreMixin, RoleRequiredMixin, View):
    required_permissions = ("beneficiaries.add_homevisit",)
    personal_data = True

    def _person(self, request, pk):
        return self.reading(get_object_or_404(selectors.scoped_beneficiaries(request.user).filter(
            awc=self.own_awc), pk=pk))

    def get(self, request, pk: int):
        person = self._person(request, pk)
        form = HomeVisitForm(initial={"date": timezone.localdate()})
        return render(request, "beneficiaries/home_visit.html", {"form": form, "b": person})

    def post(self, request, pk: int):
        person = self._person(request, pk)
        form = HomeVisitForm(request.POST)
        if form.is_valid():
            d = form.cleaned_data
            with service_errors(form) as call:
                services.home_visit_record(actor=request.user, awc=person.awc, beneficiary=person, day=d["date"],
                                           purpose=d["purpose"], topic=d["topic"], notes=d["notes"],
                                           backdate_reason=d["backdate_reason"], client_uuid=d["client_uuid"])
            if call.ok:
                messages.success(request, _("Saved the home visit to %(name)s.") % {"name": person.name})
                return redirect("beneficiaries:detail", pk=person.pk)
        return render(request, "beneficiaries/home_visit.html", {"form": form, "b": person}, status=400)


class SummaryView(RoleRequiredMixin, View):
    """Days open, average attendance, children with 21+ days of meals, home visits done vs due."""

    required_permissions = ("beneficiaries.view_service_summary",)

    def get(self, request):
        month = parse_month(request.GET.get("month"), default=timezone.localdate().replace(day=1))
        awcs = list(awcs_visible_to(request.user).order_by("name")[:500])
        summary = selectors.service_summary(awc_ids=[a.pk for a in awcs], month=month)
        rows = [(awc, summary[awc.pk]) for awc in awcs]
        audit_view(request, object_type="beneficiaries.service_summary", object_id=month.strftime("%Y-%m"))
        return render(request, "beneficiaries/summary.html", {"rows": rows, "month": month})
