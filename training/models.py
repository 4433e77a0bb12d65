"""Counselling videos and self-learning modules, a worker's progress, and cascade training sessions."""
from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from beneficiaries.models import CounsellingTopic
from poshan.core.languages import SERVICE_LANGUAGES

from .validators import validate_poster, validate_video

VIDEO_LANGUAGES = SERVICE_LANGUAGES  # the languages the videos come in
FALLBACK_LANGUAGES = ("hi", "en")  # when a topic has no video in the asked language
MAX_QUIZ_CHOICES = 5

# A video's topic: the home visit's counselling topics (a counselling video is the one played at that visit), and
# the self-learning modules' own.
Topic = models.TextChoices("Topic", [
    *((topic.name, (topic.value, topic.label)) for topic in CounsellingTopic),
    ("ANAEMIA", ("anaemia", _("Anaemia"))),
    ("GROWTH_MONITORING", ("growth_monitoring", _("Growth monitoring"))),
    ("ECCE", ("ecce", _("Early childhood care and education"))),
    ("APP_USAGE", ("app_usage", _("Using the Poshan app"))),
])


class VideoKind(models.TextChoices):
    COUNSELLING = "counselling", _("Counselling video (for home visits)")
    SELF_LEARNING = "self_learning", _("Self-learning module")


def _random_name(folder: str, filename: str, allowed: tuple[str, ...]) -> str:
    suffix = PurePath(filename).suffix.lower()
    return f"training/{folder}/{uuid.uuid4().hex}{suffix if suffix in allowed else ''}"


def video_path(instance, filename: str) -> str:
    return _random_name("videos", filename, (".mp4", ".webm"))


def poster_path(instance, filename: str) -> str:
    return _random_name("posters", filename, (".jpg", ".jpeg", ".png", ".webp"))


class Video(models.Model):
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=2000)
    language = models.CharField(_("language"), max_length=3, choices=VIDEO_LANGUAGES)
    duration_seconds = models.PositiveIntegerField(_("duration (seconds)"),
                                                   validators=[MinValueValidator(1), MaxValueValidator(4 * 3600)])
    topic = models.CharField(_("topic"), max_length=32, choices=Topic.choices)
    kind = models.CharField(_("kind"), max_length=16, choices=VideoKind.choices)
    file = models.FileField(_("video file"), upload_to=video_path, max_length=200, validators=[validate_video],
                            help_text=_("MP4 or WebM"))
    poster = models.FileField(_("poster image"), upload_to=poster_path, max_length=200, blank=True,
                              validators=[validate_poster], help_text=_("JPEG, PNG or WEBP"))
    pass_percent = models.PositiveSmallIntegerField(_("quiz pass mark (%)"), default=60,
                                                    validators=[MinValueValidator(1), MaxValueValidator(100)])
    is_published = models.BooleanField(_("published"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["topic", "language", "title"]
        indexes = [models.Index(fields=["topic", "kind", "language"], name="video_topic_kind_lang")]

    def __str__(self) -> str:
        return f"{self.title} ({self.language})"


class QuizQuestion(models.Model):
    """One multiple-choice question after a self-learning module."""

    video = models.ForeignKey(Video, on_delete=models.CASCADE, related_name="questions")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.CharField(_("question"), max_length=300)
    choices = models.JSONField(_("choices"), help_text=_('A list of 2 to 5 answers, e.g. ["Yes", "No"]'))
    answer = models.PositiveSmallIntegerField(_("right answer (0 = first choice)"))

    class Meta:
        ordering = ["video", "order", "id"]

    def __str__(self) -> str:
        return self.text

    def clean(self) -> None:
        choices = self.choices
        if not isinstance(choices, list) or not 2 <= len(choices) <= MAX_QUIZ_CHOICES \
                or not all(isinstance(c, str) and c.strip() for c in choices):
            raise ValidationError({"choices": _("Give 2 to 5 answers, each a non-empty text.")})
        if self.answer is None or self.answer >= len(choices):
            raise ValidationError({"answer": _("The right answer must be one of the choices (0 = first).")})


class ModuleProgress(models.Model):
    """How far a user got with one video; completed = watched (and, for a module with a quiz, passed it)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="module_progress",
                             db_index=False)
    video = models.ForeignKey(Video, on_delete=models.CASCADE, related_name="progress")
    watched_seconds = models.PositiveIntegerField(default=0)
    quiz_score = models.PositiveSmallIntegerField(null=True, blank=True, validators=[MaxValueValidator(100)])
    completed_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "video"], name="progress_user_video_unique")]

    def __str__(self) -> str:
        return f"{self.user_id} · {self.video_id}: {self.watched_seconds}s"


class Curriculum(models.TextChoices):
    UNDER_3 = "0-3", _("0–3 years")
    FROM_3_TO_6 = "3-6", _("3–6 years")


class TrainingSession(models.Model):
    """A cascade training session ("Poshan Bhi Padhai Bhi"): a master trainer trains AWWs."""

    date = models.DateField(_("date"))
    place = models.CharField(_("place"), max_length=200)
    location = models.ForeignKey("anganwadi.Location", on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("held in"))
    trainer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("master trainer"))
    curriculum = models.CharField(_("curriculum"), max_length=3, choices=Curriculum.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-date", "-id"]
        permissions = [
            ("view_worker_progress", "Can see the training progress of workers in own area"),
            ("view_training_counts", "Can see how many workers were trained in own area"),
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.place} ({self.get_curriculum_display()})"


class TrainingAttendance(models.Model):
    session = models.ForeignKey(TrainingSession, on_delete=models.CASCADE, related_name="attendance", db_index=False)
    worker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="training_attendance")
    recorded_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["session", "worker"], name="attendance_session_worker_unique")]

    def __str__(self) -> str:
        return f"{self.session_id} · {self.worker_id}"
