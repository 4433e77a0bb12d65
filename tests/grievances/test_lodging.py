"""Lodging from the portal, on a worker's behalf and by phone; bad input is refused and nothing is saved."""
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from grievances import validators
from grievances.models import HELPLINE_LANGUAGES, Grievance
from poshan.core.roles import Role

from .conftest import image_bytes

LODGE = reverse("grievances:lodge")


def files_in(folder) -> list:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def test_worker_lodges_from_the_portal_and_sees_the_reference(world, users, login):
    response = login(users.aww).post(LODGE, {"category": "app", "description": "App closes."}, follow=True)
    grievance = Grievance.objects.get()
    assert grievance.reference in response.content.decode()
    assert (grievance.awc, grievance.worker, grievance.channel) == (world.awc1, users.aww, "app")


def test_form_shows_categories_to_the_worker(users, login):
    page = login(users.aww).get(LODGE).content.decode()
    assert "Supplies / THR stock" in page and "Internet reimbursement" in page


@pytest.mark.parametrize("missing, message", [
    ("category", "Choose what the grievance is about."), ("description", "Describe the problem."),
])
def test_grievance_without_category_or_description_is_refused(missing, message, users, login):
    data = {"category": "app", "description": "App closes."}
    data[missing] = ""
    response = login(users.aww).post(LODGE, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Grievance.objects.exists()


def test_screenshot_is_stored_under_a_random_private_name(users, login, media_root):
    upload = SimpleUploadedFile("my screen.png", image_bytes("PNG"), content_type="image/png")
    login(users.aww).post(LODGE, {"category": "app", "description": "See picture.", "screenshot": upload})
    grievance = Grievance.objects.get()
    assert grievance.screenshot.name.startswith("private/grievances/")
    assert "my screen" not in grievance.screenshot.name
    assert grievance.screenshot_format == "PNG"
    assert len(files_in(media_root)) == 1


def test_upload_that_is_not_an_image_is_refused_and_nothing_saved(users, login, media_root):
    upload = SimpleUploadedFile("screen.png", b"%PDF-1.4 not a picture", content_type="image/png")
    response = login(users.aww).post(LODGE, {"category": "app", "description": "x", "screenshot": upload})
    assert response.status_code == 400
    assert "not a picture we can open" in response.content.decode()
    assert not Grievance.objects.exists()
    assert files_in(media_root) == []


def test_upload_over_the_size_limit_is_refused(users, login, media_root, monkeypatch):
    monkeypatch.setattr(validators, "MAX_SCREENSHOT_BYTES", 100)
    upload = SimpleUploadedFile("big.png", image_bytes("PNG", size=(200, 200)), content_type="image/png")
    response = login(users.aww).post(LODGE, {"category": "app", "description": "x", "screenshot": upload})
    assert response.status_code == 400
    assert "too large" in response.content.decode()
    assert not Grievance.objects.exists()
    assert files_in(media_root) == []


def test_image_in_an_unaccepted_format_is_refused(users, login):
    upload = SimpleUploadedFile("anim.gif", image_bytes("GIF"), content_type="image/gif")
    response = login(users.aww).post(LODGE, {"category": "app", "description": "x", "screenshot": upload})
    assert "JPEG, PNG or WEBP" in response.content.decode()
    assert not Grievance.objects.exists()


def test_retry_with_the_same_submission_id_returns_the_first(users, login):
    client = login(users.aww)
    data = {"category": "app", "description": "App closes.", "submission_id": str(uuid.uuid4())}
    client.post(LODGE, data)
    client.post(LODGE, data)
    assert Grievance.objects.count() == 1


def test_supervisor_lodges_for_a_worker_of_her_sector(world, users, login):
    login(users.supervisor).post(LODGE, {"worker": users.aww.pk, "category": "supplies", "description": "Short stock."})
    grievance = Grievance.objects.get()
    assert (grievance.channel, grievance.worker, grievance.lodged_by, grievance.awc) == (
        "dashboard", users.aww, users.supervisor, world.awc1)


def test_supervisor_cannot_lodge_for_a_worker_outside_her_sector(world, users, make_user, login):
    outsider = make_user(Role.AWW, world.awc3)
    response = login(users.supervisor).post(LODGE, {"worker": outsider.pk, "category": "app", "description": "x"})
    assert response.status_code == 400
    assert not Grievance.objects.exists()


def test_helpline_records_a_call_for_any_centre(world, users, login):
    response = login(users.helpline).post(LODGE, {
        "awc_code": world.awc6.code, "caller_name": "Savitri", "caller_language": "ta",
        "category": "payment", "description": "Honorarium late.",
    })
    grievance = Grievance.objects.get()
    assert response.status_code == 302
    assert (grievance.channel, grievance.awc, grievance.caller_language, grievance.worker) == (
        "helpline", world.awc6, "ta", None)


def test_helpline_form_offers_seventeen_languages(users, login):
    page = login(users.helpline).get(LODGE).content.decode()
    assert len(HELPLINE_LANGUAGES) == 17
    assert all(f'<option value="{code}">{label}</option>' in page for code, label in HELPLINE_LANGUAGES)
    assert "screenshot" not in page.lower()


def test_helpline_call_without_language_is_refused(world, users, login):
    response = login(users.helpline).post(LODGE, {"awc_code": world.awc6.code, "category": "app", "description": "x"})
    assert "Choose the language the caller speaks." in response.content.decode()
    assert not Grievance.objects.exists()


def test_helpline_call_with_an_unknown_centre_code_is_refused(users, login):
    response = login(users.helpline).post(LODGE, {"awc_code": 99999999, "caller_language": "hi", "category": "app",
                                                  "description": "x"})
    assert "No Anganwadi centre has this code." in response.content.decode()
    assert not Grievance.objects.exists()


def test_worker_without_a_centre_cannot_lodge(world, users, login):
    users.aww.assignment.delete()
    user = type(users.aww).objects.get(pk=users.aww.pk)
    response = login(user).post(LODGE, {"category": "app", "description": "x"})
    assert "no Anganwadi centre assigned" in response.content.decode()
    assert not Grievance.objects.exists()


def test_lodging_notifies_the_desk_officer(users, login, outbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        login(users.aww).post(LODGE, {"category": "app", "description": "App closes."})
    assert [m.user_id for m in outbox] == [users.cdpo.pk]
    assert "waiting at your desk" in outbox[0].text
