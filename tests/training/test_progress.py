"""A worker's progress: watched, quiz after a self-learning module, completed; supervisors see their workers'."""
import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from poshan.core.roles import Role
from training import services
from training.models import ModuleProgress

RIGHT = lambda module: {q.pk: q.answer for q in module.questions.all()}  # noqa: E731
WRONG = lambda module: {q.pk: q.answer + 1 for q in module.questions.all()}  # noqa: E731


def test_progress_never_goes_back_nor_past_the_end(make_video, users):
    video = make_video(duration_seconds=100)
    services.progress_record(actor=users.aww, video=video, watched_seconds=60)
    services.progress_record(actor=users.aww, video=video, watched_seconds=30)
    assert ModuleProgress.objects.get().watched_seconds == 60
    services.progress_record(actor=users.aww, video=video, watched_seconds=5000)
    assert ModuleProgress.objects.get().watched_seconds == 100


def test_counselling_video_completes_when_watched(make_video, users):
    video = make_video(duration_seconds=100)
    assert services.progress_record(actor=users.aww, video=video, watched_seconds=50).completed_at is None
    assert services.progress_record(actor=users.aww, video=video, watched_seconds=90).completed_at is not None


def test_module_with_a_quiz_is_not_complete_after_watching_only(module, users):
    progress = services.progress_record(actor=users.aww, video=module, watched_seconds=100)
    assert progress.completed_at is None


def test_quiz_before_watching_is_refused(module, users):
    with pytest.raises(ValidationError, match="Watch the video"):
        services.quiz_submit(actor=users.aww, video=module, answers=RIGHT(module))


def test_passing_the_quiz_after_watching_completes_the_module(module, users):
    services.progress_record(actor=users.aww, video=module, watched_seconds=100)
    progress = services.quiz_submit(actor=users.aww, video=module, answers=RIGHT(module))
    assert (progress.quiz_score, progress.completed_at is not None) == (100, True)


def test_failing_the_quiz_leaves_the_module_open(module, users):
    services.progress_record(actor=users.aww, video=module, watched_seconds=100)
    progress = services.quiz_submit(actor=users.aww, video=module, answers=WRONG(module))
    assert (progress.quiz_score, progress.completed_at) == (0, None)


def test_every_question_must_be_answered(module, users):
    services.progress_record(actor=users.aww, video=module, watched_seconds=100)
    first = module.questions.first()
    with pytest.raises(ValidationError, match="Answer every question"):
        services.quiz_submit(actor=users.aww, video=module, answers={first.pk: first.answer})


def test_i_have_watched_this_button_then_the_quiz_page(module, users, login):
    client = login(users.aww)
    response = client.post(reverse("training:watched", args=[module.pk]))
    assert response["Location"] == reverse("training:quiz", args=[module.pk])
    page = client.get(response["Location"]).content.decode()
    assert "When should breastfeeding start?" in page and "Within an hour of birth" in page


def test_quiz_page_scores_and_shows_completion(module, users, login):
    client = login(users.aww)
    client.post(reverse("training:watched", args=[module.pk]))
    answers = {f"q{pk}": value for pk, value in RIGHT(module).items()}
    page = client.post(reverse("training:quiz", args=[module.pk]), answers, follow=True).content.decode()
    assert "You scored 100%. Module completed!" in page


def test_quiz_page_without_watching_shows_why(module, users, login):
    answers = {f"q{pk}": value for pk, value in RIGHT(module).items()}
    response = login(users.aww).post(reverse("training:quiz", args=[module.pk]), answers)
    assert response.status_code == 400 and "Watch the video before taking the quiz." in response.content.decode()


def test_player_reports_progress_through_the_api(make_video, users, login):
    video = make_video(duration_seconds=100)
    response = login(users.aww).post("/api/v1/training/progress/", {"video": video.pk, "watched_seconds": 42},
                                     content_type="application/json")
    assert response.status_code == 200 and response.json()["watched_seconds"] == 42


def test_api_progress_list_holds_only_own(make_video, users, login):
    video = make_video()
    services.progress_record(actor=users.awh, video=video, watched_seconds=10)
    services.progress_record(actor=users.aww, video=video, watched_seconds=20)
    rows = login(users.aww).get("/api/v1/training/progress/").json()["results"]
    assert [row["watched_seconds"] for row in rows] == [20]


def test_api_progress_refuses_negative_seconds(make_video, users, login):
    video = make_video()
    response = login(users.aww).post("/api/v1/training/progress/", {"video": video.pk, "watched_seconds": -5},
                                     content_type="application/json")
    assert response.status_code == 400 and not ModuleProgress.objects.exists()


def test_supervisor_sees_her_workers_progress(module, world, users, login):
    services.progress_record(actor=users.aww, video=module, watched_seconds=100)
    services.quiz_submit(actor=users.aww, video=module, answers=RIGHT(module))
    client = login(users.supervisor)
    page = client.get(reverse("training:workers")).content.decode()
    assert users.aww.username in page and "1 / 1" in page
    detail = client.get(reverse("training:worker", args=[users.aww.pk])).content.decode()
    assert module.title in detail and "completed" in detail


def test_supervisor_does_not_see_workers_of_another_sector(world, users, make_user, login):
    outsider = make_user(Role.AWW, world.awc3)
    client = login(users.supervisor)
    assert outsider.username not in client.get(reverse("training:workers")).content.decode()
    assert client.get(reverse("training:worker", args=[outsider.pk])).status_code == 404


def test_workers_progress_is_not_for_workers(users, login):
    assert login(users.aww).get(reverse("training:workers")).status_code == 403


def test_workers_progress_queries_do_not_grow_with_workers(module, world, users, make_user, login):
    client = login(users.supervisor)
    client.get(reverse("training:workers"))  # the first request of a session also touches the session
    with CaptureQueriesContext(connection) as one_worker:
        client.get(reverse("training:workers"))
    for awc in (world.awc1, world.awc2, world.awc2):
        services.progress_record(actor=make_user(Role.AWW, awc), video=module, watched_seconds=10)
    with CaptureQueriesContext(connection) as four_workers:
        client.get(reverse("training:workers"))
    assert len(four_workers) == len(one_worker)
