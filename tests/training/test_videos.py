"""The library: uploads checked by content, the topic lookup for home visits, pages and API."""
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from training import validators
from training.models import Video
from training.selectors import video_for_topic

from .conftest import MP4_HEAD, WEBM_HEAD


def files_in(folder) -> list:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def test_mp4_and_webm_are_accepted(make_video):
    assert make_video(content=MP4_HEAD + b"\x00" * 64).pk
    assert make_video(content=WEBM_HEAD + b"\x00" * 64, name="a.webm").pk


def test_file_that_is_not_a_video_is_refused_and_nothing_saved(make_video, media_root):
    with pytest.raises(ValidationError, match="not a video"):
        make_video(content=b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, name="fake.mp4")
    assert not Video.objects.exists()
    assert files_in(media_root) == []


def test_matroska_that_is_not_webm_is_refused(make_video):
    with pytest.raises(ValidationError, match="not a video"):
        make_video(content=WEBM_HEAD.replace(b"webm", b"mkvx") + b"\x00" * 64)


def test_video_over_the_size_limit_is_refused(make_video, monkeypatch):
    monkeypatch.setattr(validators, "MAX_VIDEO_BYTES", 100)
    with pytest.raises(ValidationError, match="too large"):
        make_video(content=MP4_HEAD + b"\x00" * 200)
    assert not Video.objects.exists()


def test_poster_that_is_not_an_image_is_refused(make_video):
    from django.core.files.base import ContentFile

    with pytest.raises(ValidationError, match="poster is not a picture"):
        make_video(poster=ContentFile(b"not an image", name="p.jpg"))


def test_admin_upload_of_a_non_video_shows_a_message(users, login, media_root):
    users.admin.is_staff = True
    users.admin.save(update_fields=["is_staff"])
    response = login(users.admin).post(reverse("admin:training_video_add"), {
        "title": "Fake", "language": "hi", "duration_seconds": 30, "topic": "delivery", "kind": "counselling",
        "pass_percent": 60, "is_published": "on", "file": SimpleUploadedFile("fake.mp4", b"hello world, no video"),
        "questions-TOTAL_FORMS": 0, "questions-INITIAL_FORMS": 0,
    })
    assert response.status_code == 200
    assert "not a video we can play" in response.content.decode()
    assert not Video.objects.exists()
    assert files_in(media_root) == []


def test_admin_upload_of_a_video_is_saved_and_audited(users, login):
    from poshan.core.models import AuditEvent

    users.admin.is_staff = True
    users.admin.save(update_fields=["is_staff"])
    response = login(users.admin).post(reverse("admin:training_video_add"), {
        "title": "Delivery", "language": "hi", "duration_seconds": 30, "topic": "delivery", "kind": "counselling",
        "pass_percent": 60, "is_published": "on", "file": SimpleUploadedFile("d.mp4", MP4_HEAD + b"\x00" * 32),
        "questions-TOTAL_FORMS": 0, "questions-INITIAL_FORMS": 0,
    })
    assert response.status_code == 302
    video = Video.objects.get()
    assert video.file.name.startswith("training/videos/")
    assert AuditEvent.objects.filter(object_type="training.video", object_id=str(video.pk), action="create").exists()


def test_video_for_topic_in_the_asked_language(make_video):
    make_video(topic="breastfeeding", language="hi")
    tamil = make_video(topic="breastfeeding", language="ta")
    assert video_for_topic("breastfeeding", "ta") == tamil


def test_video_for_topic_falls_back_to_hindi_then_english(make_video):
    english = make_video(topic="delivery", language="en")
    assert video_for_topic("delivery", "ta") == english
    hindi = make_video(topic="delivery", language="hi")
    assert video_for_topic("delivery", "ta") == hindi


def test_video_for_topic_is_a_counselling_video(make_video):
    make_video(topic="hygiene", kind="self_learning")
    assert video_for_topic("hygiene", "hi") is None


def test_library_page_lists_videos_with_filter(make_video, users, login):
    make_video(title="Breastfeeding first hour", topic="breastfeeding")
    make_video(title="Delivery at the facility", topic="delivery")
    page = login(users.aww).get(reverse("training:library"), {"topic": "delivery"}).content.decode()
    assert "Delivery at the facility" in page and "Breastfeeding first hour" not in page


def test_video_page_has_a_player_and_no_inline_script(make_video, users, login):
    video = make_video()
    page = login(users.aww).get(reverse("training:video", args=[video.pk])).content.decode()
    assert f'src="/training/videos/{video.pk}/stream/"' in page
    assert "<script>" not in page and 'src="/static/js/training.js"' in page


def test_api_lists_published_videos_with_filter(make_video, users, login):
    shown = make_video(topic="breastfeeding")
    make_video(topic="delivery")
    make_video(topic="breastfeeding", is_published=False)
    body = login(users.aww).get("/api/v1/training/videos/", {"topic": "breastfeeding"}).json()
    assert [row["id"] for row in body["results"]] == [shown.pk]
    assert body["results"][0]["stream_url"] == f"/training/videos/{shown.pk}/stream/"


def test_api_video_detail_of_unpublished_is_not_found(make_video, users, login):
    hidden = make_video(is_published=False)
    assert login(users.aww).get(f"/api/v1/training/videos/{hidden.pk}/").status_code == 404


def test_poster_is_served(make_video, users, login):
    import io

    from django.core.files.base import ContentFile
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (16, 9)).save(out, format="JPEG")
    video = make_video(poster=ContentFile(out.getvalue(), name="p.jpg"))
    response = login(users.aww).get(reverse("training:poster", args=[video.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
