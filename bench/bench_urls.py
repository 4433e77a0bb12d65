"""The portal's URLs plus bare endpoints: the floors the real attendance endpoint and dashboard are compared with."""
import json

from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.template import Context, Template
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt

from beneficiaries.models import Attendance
from poshan.dashboards.models import AreaMonth


@csrf_exempt
def bare_attendance(request):
    """No auth, no session, no scoping, no audit: parse, one bulk insert in one transaction."""
    body = json.loads(request.body)
    with transaction.atomic():
        Attendance.objects.bulk_create([Attendance(awc_id=body["awc"], child_id=pk, date=body["date"], hcm=True)
                                        for pk in body["present"]], ignore_conflicts=True)
    return JsonResponse({"saved": len(body["present"])})


BARE_PAGE = Template("<html><body><table>{% for row in rows %}<tr><td>{{ row.parent }}</td><td>{{ row.awcs }}</td>"
                     "<td>{{ row.beneficiaries }}</td><td>{{ row.attendance_total }}</td><td>{{ row.thr_distributed }}"
                     "</td></tr>{% endfor %}</table></body></html>")


def bare_dashboard(request):
    """The dashboard's floor: no auth, no session, no scope, no cache: 250 rollup rows of the latest month, summed
    by sector, through a small template (docs: shared/PERFORMANCE.md)."""
    month = AreaMonth.objects.order_by("-month").values_list("month", flat=True).first()
    rows = (AreaMonth.objects.filter(month=month, level="awc").order_by("location_id")
            .values_list("parent_id", "awcs", "beneficiaries", "attendance_total", "thr_distributed")[:250])
    sums = {}
    for parent, *counts in rows:
        total = sums.setdefault(parent, [0] * len(counts))
        sums[parent] = [a + b for a, b in zip(total, counts)]
    names = ("awcs", "beneficiaries", "attendance_total", "thr_distributed")
    context = Context({"rows": [{"parent": p, **dict(zip(names, c))} for p, c in sums.items()]})
    return HttpResponse(BARE_PAGE.render(context))


urlpatterns = [path("bench/bare-attendance/", bare_attendance), path("bench/bare-dashboard/", bare_dashboard),
               path("", include("poshan.urls"))]
