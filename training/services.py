"""Writes for training: videos and quizzes, a worker's progress, cascade sessions and attendance.

Progress heartbeats from the player are frequent, so only the steps that matter are
audited: the first record of a module, its completion, and each quiz attempt.
"""
from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anganwadi.models import Location
from anganwadi.selectors import locations_visible_to
from poshan.core.audit import audit_record
from poshan.core.models import AuditEvent, User

from . import selectors
from .models import ModuleProgress, QuizQuestion, TrainingAttendance, TrainingSession, Video, VideoKind

WATCHED_RATIO = 0.9  # watching 90 % of a video counts as having watched it


@transaction.atomic
def video_create(*, actor, title: str, language: str, duration_seconds: int, topic: str, kind: str, file,
                 poster=None, description: str = "", questions: Iterable[tuple[str, list[str], int]] = (),
                 is_published: bool = True) -> Video:
    """Add a video (and its quiz questions: (text, choices, index of the right choice))."""
    video = Video(title=title, language=language, duration_seconds=duration_seconds, topic=topic, kind=kind,
                  file=file, poster=poster or "", description=description, is_published=is_published)
    video.full_clean()
    video.save()
    for order, (text, choices, answer) in enumerate(questions):
        question = QuizQuestion(video=video, order=order, text=text, choices=list(choices), answer=answer)
        question.full_clean()
        question.save()
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=video, fields=("title", "file", "topic", "kind"))
    return video


def is_watched(video: Video, watched_seconds: int) -> bool:
    return watched_seconds >= math.ceil(video.duration_seconds * WATCHED_RATIO)


def needs_quiz(video: Video) -> bool:
    return video.kind == VideoKind.SELF_LEARNING and video.questions.exists()


def _complete_if_done(progress: ModuleProgress, video: Video) -> bool:
    if progress.completed_at is not None or not is_watched(video, progress.watched_seconds):
        return False
    if needs_quiz(video) and (progress.quiz_score is None or progress.quiz_score < video.pass_percent):
        return False
    progress.completed_at = timezone.now()
    return True


def _locked_progress(actor, video: Video) -> tuple[ModuleProgress, bool]:
    _row, created = ModuleProgress.objects.get_or_create(user=actor, video=video)
    return ModuleProgress.objects.select_for_update().get(user=actor, video=video), created


@transaction.atomic
def progress_record(*, actor, video: Video, watched_seconds: int) -> ModuleProgress:
    """How far the user has watched; never goes back, never past the end."""
    if not video.is_published:
        raise ValidationError(_("This video is not available."))
    if watched_seconds < 0:
        raise ValidationError({"watched_seconds": _("Seconds watched cannot be negative.")})
    progress, first = _locked_progress(actor, video)
    progress.watched_seconds = max(progress.watched_seconds, min(int(watched_seconds), video.duration_seconds))
    completed = _complete_if_done(progress, video)
    progress.full_clean(exclude=["user", "video"])
    progress.save(update_fields=["watched_seconds", "completed_at", "updated_at"])
    if first or completed:
        audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=progress,
                     fields=("watched_seconds",) + (("completed_at",) if completed else ()))
    return progress


@transaction.atomic
def quiz_submit(*, actor, video: Video, answers: Mapping[int, int]) -> ModuleProgress:
    """Score the quiz (percent of right answers); passing it after watching completes the module."""
    questions = list(video.questions.all())
    if not questions:
        raise ValidationError(_("This module has no quiz."))
    progress, _first = _locked_progress(actor, video)
    if not is_watched(video, progress.watched_seconds):
        raise ValidationError(_("Watch the video before taking the quiz."))
    if any(q.pk not in answers for q in questions):
        raise ValidationError(_("Answer every question."))
    right = sum(1 for q in questions if answers[q.pk] == q.answer)
    progress.quiz_score = round(100 * right / len(questions))
    completed = _complete_if_done(progress, video)
    progress.save(update_fields=["quiz_score", "completed_at", "updated_at"])
    audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=progress,
                 fields=("quiz_score",) + (("completed_at",) if completed else ()))
    return progress


@transaction.atomic
def session_create(*, actor, date: dt.date, place: str, location: Location, trainer: User,
                   curriculum: str) -> TrainingSession:
    """Record a cascade training session held in the actor's area by a master trainer of that area."""
    errors = {}
    if not locations_visible_to(actor).filter(pk=location.pk).exists():
        errors["location"] = _("Choose a place in your area.")
    if not selectors.master_trainers(user=actor).filter(pk=trainer.pk).exists():
        errors["trainer"] = _("The trainer must be a district officer, block coordinator or supervisor of your area.")
    if errors:
        raise ValidationError(errors)
    session = TrainingSession(date=date, place=place.strip(), location=location, trainer=trainer,
                              curriculum=curriculum, recorded_by=actor)
    session.full_clean()
    session.save()
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=session,
                 fields=("date", "place", "location", "trainer", "curriculum"))
    return session


@transaction.atomic
def attendance_set(*, actor, session: TrainingSession, workers: Iterable[User]) -> tuple[int, int]:
    """Make the session's attendance exactly these workers; returns (added, removed)."""
    if not selectors.sessions_visible_to(actor).filter(pk=session.pk).exists():
        raise PermissionDenied
    if session.date > timezone.localdate():
        raise ValidationError(_("Attendance can be recorded from the day of the session on."))
    wanted = {w.pk for w in workers}
    allowed = set(selectors.session_workers(user=actor, session=session).filter(pk__in=wanted)
                  .values_list("pk", flat=True))
    if wanted - allowed:
        raise ValidationError({"workers": _("Only workers of centres in the session's area can attend.")})
    present = set(session.attendance.values_list("worker_id", flat=True))
    to_add, to_remove = wanted - present, present - wanted
    TrainingAttendance.objects.bulk_create([TrainingAttendance(session=session, worker_id=pk) for pk in sorted(to_add)])
    session.attendance.filter(worker_id__in=to_remove).delete()
    if to_add or to_remove:
        audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=session, fields=("attendance",))
    return len(to_add), len(to_remove)
