"""The export page: choose what, where and when; small files come straight away, large ones as a job."""
from __future__ import annotations

import io
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views import View

from anganwadi.models import Location
from poshan.core.forms_util import service_errors
from poshan.core.params import REQUIRED, BadParameter, parse_month
from poshan.core.scoping import RoleRequiredMixin
from poshan.db_router import read_on_replica, replica_reads

from ..models import ExportJob
from . import service
from .copycsv import copy_chunks
from .kinds import KINDS, postgres_writes
from .writer import csv_chunks, write_xlsx

MONTH = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")


class ExportForm(forms.Form):
    kind = forms.ChoiceField(label=_("What"), choices=[(k.key, k.label) for k in KINDS.values()])
    file_format = forms.ChoiceField(label=_("Format"), choices=[("csv", "CSV"), ("xlsx", "Excel (XLSX)")])
    location_code = forms.IntegerField(label=_("Place code (empty: your whole area)"), required=False, min_value=1)
    level = forms.ChoiceField(label=_("Level of that code"), required=False, choices=[
        ("", "—"), ("state", _("State")), ("district", _("District")), ("project", _("Project")),
        ("sector", _("Sector")), ("awc", _("AWC"))])
    month_from = forms.CharField(label=_("From month"), widget=MONTH)
    month_to = forms.CharField(label=_("To month"), widget=MONTH)

    def _month(self, name: str) -> date:
        """The message names the field by its label, in the reader's language (not by its name in the form)."""
        try:
            return parse_month(self.cleaned_data[name], name=str(self.fields[name].label), default=REQUIRED,
                               latest=timezone.localdate().replace(day=1))
        except BadParameter as exc:
            raise ValidationError(exc.message) from exc

    def clean_month_from(self):
        return self._month("month_from")

    def clean_month_to(self):
        return self._month("month_to")

    def clean(self):
        data = super().clean()
        code, level = data.get("location_code"), data.get("level")
        data["location"] = None
        if code:
            if not level:
                self.add_error("level", _("Say which level this code is."))
            else:
                data["location"] = Location.objects.filter(level=level, code=code).first()
                if data["location"] is None:
                    self.add_error("location_code", _("No place has this code at that level."))
        return data


class ExportView(RoleRequiredMixin, View):
    required_permissions = ("dashboards.export_data",)

    def get(self, request):
        month = timezone.localdate().strftime("%Y-%m")
        form = ExportForm(initial={"month_from": month, "month_to": month})
        jobs = ExportJob.objects.filter(user=request.user).order_by("-created_at")[:10]
        return render(request, "dashboards/export.html", {"form": form, "jobs": jobs})

    def post(self, request):
        form = ExportForm(request.POST)
        jobs = ExportJob.objects.filter(user=request.user).order_by("-created_at")[:10]
        if not form.is_valid():
            return render(request, "dashboards/export.html", {"form": form, "jobs": jobs}, status=400)
        data = form.cleaned_data
        with service_errors(form, field_map={"location": "location_code"}) as call:
            scope = service.scope_for(user=request.user, location=data["location"], month_from=data["month_from"],
                                      month_to=data["month_to"])
        if not call.ok:
            return render(request, "dashboards/export.html", {"form": form, "jobs": jobs}, status=400)
        kind = KINDS[data["kind"]]
        with replica_reads():  # export reads may come from a read replica (poshan/db_router.py)
            rows = kind.count(scope)
        if rows > service.STREAM_LIMIT:
            job = service.export_job_create(user=request.user, kind=kind.key, file_format=data["file_format"],
                                            location=data["location"], month_from=data["month_from"],
                                            month_to=data["month_to"])
            return redirect("dashboards:export_job", pk=job.pk)
        service.audit_export(user=request.user, kind=kind.key, location=data["location"], rows=rows)
        name = f"{kind.key}-{data['month_from']:%Y%m}-{data['month_to']:%Y%m}"
        if data["file_format"] == "xlsx":
            buffer = io.BytesIO()
            write_xlsx(buffer, kind.headers, read_on_replica(kind.rows(scope)))
            buffer.seek(0)
            return FileResponse(buffer, as_attachment=True, filename=f"{name}.xlsx")
        if postgres_writes(kind, "csv", scope):
            chunks = read_on_replica(copy_chunks(kind.headers, kind.sql, scope))
        else:
            chunks = csv_chunks(kind.headers, read_on_replica(kind.rows(scope)))
        response = StreamingHttpResponse(chunks, content_type="text/csv")
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response


class ExportJobView(RoleRequiredMixin, View):
    required_permissions = ("dashboards.export_data",)

    def get(self, request, pk: int):
        job = get_object_or_404(ExportJob, pk=pk, user=request.user)
        return render(request, "dashboards/export_job.html", {"job": job, "kind": KINDS[job.kind]})


class ExportDownloadView(RoleRequiredMixin, View):
    required_permissions = ("dashboards.export_data",)

    def get(self, request, pk: int):
        job = get_object_or_404(ExportJob, pk=pk, user=request.user, status=ExportJob.Status.DONE)
        path = service.export_dir() / job.file_name if job.file_name else None
        if path is None or not path.exists() or (job.expires_at and job.expires_at < timezone.now()):
            raise Http404
        service.audit_export(user=request.user, kind=job.kind, location=job.location, rows=f"download:{job.pk}")
        return FileResponse(path.open("rb"), as_attachment=True,
                            filename=f"{job.kind}-{job.month_from:%Y%m}-{job.month_to:%Y%m}.{job.file_format}")
