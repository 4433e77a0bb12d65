"""The portal's URLs plus one bare endpoint: the floor the real attendance endpoint is compared with."""
import json

from django.db import transaction
from django.http import JsonResponse
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt

from beneficiaries.models import Attendance


@csrf_exempt
def bare_attendance(request):
    """No auth, no session, no scoping, no audit: parse, one bulk insert in one transaction."""
    body = json.loads(request.body)
    with transaction.atomic():
        Attendance.objects.bulk_create([Attendance(awc_id=body["awc"], child_id=pk, date=body["date"], hcm=True)
                                        for pk in body["present"]], ignore_conflicts=True)
    return JsonResponse({"saved": len(body["present"])})


urlpatterns = [path("bench/bare-attendance/", bare_attendance), path("", include("poshan.urls"))]
