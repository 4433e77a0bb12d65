"""The shared view and form helpers: a service's refusal on the form, the worker's own centre, offline fields."""
from datetime import date, timedelta

import pytest
from django import forms
from django.contrib.admin.sites import AdminSite
from django.contrib.messages import get_messages
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory
from django.utils import timezone
from django.views import View

from anganwadi.forms import FindCentreForm
from anganwadi.models import Location
from grievances.admin import GrievanceEventInline
from grievances.models import Grievance
from poshan.core.forms_util import (
    DateInput,
    OfflineEntryForm,
    service_errors,
    service_errors_as_message,
)
from poshan.core.roles import Role
from poshan.core.scoping import NO_OWN_CENTRE, OwnCentreMixin


class NoteForm(forms.Form):
    day = forms.DateField(widget=DateInput)
    note = forms.CharField()


def _valid_form() -> NoteForm:
    form = NoteForm({"day": "2026-11-30", "note": "x"})
    assert form.is_valid()
    return form


def test_a_refusal_by_field_lands_on_that_field_and_an_unknown_field_on_top():
    form = _valid_form()
    with service_errors(form, field_map={"when": "day"}) as call:
        raise ValidationError({"when": "Too early.", "note": "Too short.", "elsewhere": "Not here."})
    assert not call.ok
    assert form.errors["day"] == ["Too early."]
    assert form.errors["note"] == ["Too short."]
    assert form.non_field_errors() == ["Not here."]


def test_a_refusal_without_fields_lands_on_top_of_the_form():
    form = _valid_form()
    with service_errors(form) as call:
        raise ValidationError("Nothing to undo.")
    assert not call.ok and call.error.messages == ["Nothing to undo."]
    assert form.non_field_errors() == ["Nothing to undo."]


def test_a_call_that_goes_through_is_ok_and_leaves_the_form_clean():
    form = _valid_form()
    with service_errors(form) as call:
        saved = "saved"
    assert call.ok and saved == "saved" and not form.errors


def test_any_other_exception_goes_on():
    form = _valid_form()
    with pytest.raises(KeyError), service_errors(form):
        raise KeyError("bug")
    assert not form.errors


def test_a_refusal_as_a_message_joins_its_messages():
    request = RequestFactory().post("/")
    request.session = {}
    request._messages = FallbackStorage(request)
    with service_errors_as_message(request) as call:
        raise ValidationError({"a": "First.", "b": "Second."})
    assert not call.ok
    assert [m.message for m in get_messages(request)] == ["First. Second."]


def test_the_date_widget_is_the_phones_picker_in_iso_form():
    html = NoteForm(initial={"day": date(2026, 1, 5)})["day"].as_widget()
    assert 'type="date"' in html and 'value="2026-01-05"' in html


class VisitForm(OfflineEntryForm):
    date_label = "Date of visit"


def test_offline_entry_fields_date_reason_and_client_id():
    yesterday = timezone.localdate() - timedelta(days=1)
    form = VisitForm({"date": yesterday.isoformat(), "backdate_reason": "no network",
                      "client_uuid": "8f1d6c1e-5a4b-4c3d-9e2f-1a2b3c4d5e6f"})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["date"] == yesterday and form.cleaned_data["backdate_reason"] == "no network"
    assert str(form.cleaned_data["client_uuid"]) == "8f1d6c1e-5a4b-4c3d-9e2f-1a2b3c4d5e6f"
    assert form.fields["date"].label == "Date of visit"
    assert not VisitForm({"date": "0001-01-01"}).is_valid()  # outside the programme's calendar


class CentrePage(OwnCentreMixin, View):
    def get(self, request):
        return self.own_awc


def test_own_centre_is_the_workers_awc(users, world):
    request = RequestFactory().get("/")
    request.user = users.aww
    view = CentrePage()
    view.setup(request)
    assert view.get(request) == world.awc1


@pytest.mark.parametrize("role", [Role.SUPERVISOR, Role.STATE, Role.ADMIN])
def test_own_centre_is_403_saying_so_for_anyone_without_one(users, role):
    request = RequestFactory().get("/")
    request.user = getattr(users, role)
    view = CentrePage()
    view.setup(request)
    with pytest.raises(PermissionDenied) as refused:
        view.get(request)
    assert str(refused.value) == str(NO_OWN_CENTRE)


def test_the_403_page_and_the_api_say_why(make_user, world, login):
    unplaced = make_user(Role.AWW, world.awc1)
    unplaced.assignment.delete()  # a worker's role, but (no longer) a centre
    page = login(unplaced).get("/beneficiaries/new/")
    assert page.status_code == 403 and str(NO_OWN_CENTRE) in page.content.decode()
    answer = login(unplaced).post("/api/v1/pregnancies/", {"woman": 1, "lmp": "2026-10-01"},
                                     content_type="application/json")
    assert answer.status_code == 403 and answer.json()["detail"] == str(NO_OWN_CENTRE)


def test_a_read_only_inline_adds_and_deletes_nothing(rf, users):
    inline = GrievanceEventInline(Grievance, AdminSite())
    request = rf.get("/admin/")
    request.user = users.admin
    assert inline.has_add_permission(request, None) is False
    assert inline.can_delete is False and inline.extra == 0


def test_the_centre_finder_narrows_to_a_code_and_ignores_a_bad_one(world):
    awcs = Location.objects.filter(level="awc")
    assert list(FindCentreForm({"code": world.awc1.code}).narrow(awcs)) == [world.awc1]
    assert FindCentreForm({"code": "x"}).narrow(awcs).count() == awcs.count()  # the form says what is wrong
    assert FindCentreForm(None).narrow(awcs).count() == awcs.count()
