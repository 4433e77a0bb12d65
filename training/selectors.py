"""Reads for training pages and endpoints.

The video library is national (the same videos everywhere); everything about people
— progress, sessions, attendance, counts — starts from the user's area.
"""
from __future__ import annotations

from django.db.models import Case, Count, IntegerField, Q, QuerySet, Value, When

from anganwadi.models import Location
from anganwadi.selectors import NOTHING, location_children, locations_visible_to, scope_q, staff_in_area, user_area
from poshan.core.roles import CENTRE_ROLES, Level, Role

from .models import FALLBACK_LANGUAGES, ModuleProgress, TrainingAttendance, TrainingSession, Video, VideoKind

MASTER_TRAINER_ROLES = (Role.SUPERVISOR, Role.CDPO, Role.DPO)


def video_library(*, filters: dict | None = None) -> QuerySet[Video]:
    filters = filters or {}
    videos = Video.objects.filter(is_published=True)
    for name in ("topic", "language", "kind"):
        if filters.get(name):
            videos = videos.filter(**{name: filters[name]})
    return videos.order_by("kind", "topic", "title")


def video_for_topic(topic: str, language: str) -> Video | None:
    """The counselling video for a home-visit topic: in the asked language, else Hindi, else English, else any."""
    preference = [language, *[code for code in FALLBACK_LANGUAGES if code != language]]
    rank = Case(*[When(language=code, then=Value(i)) for i, code in enumerate(preference)],
                default=Value(len(preference)), output_field=IntegerField())
    return (Video.objects.filter(is_published=True, kind=VideoKind.COUNSELLING, topic=topic)
            .annotate(rank=rank).order_by("rank", "-created_at", "pk").first())


def progress_by_video(user) -> dict[int, ModuleProgress]:
    return {p.video_id: p for p in ModuleProgress.objects.filter(user=user)}


def own_progress(user) -> QuerySet[ModuleProgress]:
    return ModuleProgress.objects.filter(user=user).select_related("video")


def workers_in_area(user) -> QuerySet:
    """AWWs and AWHs whose centre lies in the user's area."""
    return staff_in_area(user).filter(role__in=CENTRE_ROLES, is_active=True)


def workers_progress(*, user) -> QuerySet:
    """Workers of the user's area with how many self-learning modules each has completed and started."""
    self_learning = Q(module_progress__video__kind=VideoKind.SELF_LEARNING, module_progress__video__is_published=True)
    return workers_in_area(user).annotate(
        completed=Count("module_progress", filter=self_learning & Q(module_progress__completed_at__isnull=False)),
        started=Count("module_progress", filter=self_learning),
    ).order_by("assignment__location__name", "first_name", "username")


def self_learning_total() -> int:
    return Video.objects.filter(is_published=True, kind=VideoKind.SELF_LEARNING).count()


def worker_modules(worker) -> list[tuple[Video, ModuleProgress | None]]:
    progress = progress_by_video(worker)
    videos = Video.objects.filter(is_published=True, kind=VideoKind.SELF_LEARNING).order_by("topic", "title")
    return [(video, progress.get(video.pk)) for video in videos]


def master_trainers(*, user) -> QuerySet:
    """District officers, block coordinators and supervisors of the user's area (the user included)."""
    return staff_in_area(user).filter(role__in=MASTER_TRAINER_ROLES, is_active=True)


def sessions_visible_to(user) -> QuerySet[TrainingSession]:
    if user_area(user) is None:
        return TrainingSession.objects.none()
    return TrainingSession.objects.filter(location__in=locations_visible_to(user))


def session_list(*, user) -> QuerySet[TrainingSession]:
    return (sessions_visible_to(user).select_related("location", "trainer")
            .annotate(attendees=Count("attendance")).order_by("-date", "-id"))


def session_places(*, user) -> QuerySet[Location]:
    """Where the user may record a session: her own location and the ones directly below it (not AWCs)."""
    area = user_area(user)
    if area is None:
        return Location.objects.none()
    below = location_children(area.location).exclude(level=Level.AWC)
    own = Location.objects.filter(pk=area.location.pk) if area.location else Location.objects.none()
    return (own | below).order_by("level", "name")


def _under(location: Location, prefix: str) -> Q:
    if location.level == Level.AWC:
        return Q(**{f"{prefix}_id": location.pk})
    return Q(**{f"{prefix}__{location.level}_id": location.pk})


def session_workers(*, user, session: TrainingSession) -> QuerySet:
    """Workers who may be marked present: of the user's area and of centres under the session's location."""
    return workers_in_area(user).filter(_under(session.location, "assignment__location")).order_by(
        "assignment__location__name", "first_name", "username")


def _trained(user, *, curriculum: str | None) -> QuerySet[TrainingAttendance]:
    """Attendance of AWWs whose centre (their staff assignment) lies in the user's area."""
    if user_area(user) is None:
        return TrainingAttendance.objects.filter(NOTHING)
    rows = TrainingAttendance.objects.filter(scope_q(user, awc_field="worker__assignment__location"),
                                             worker__role=Role.AWW)
    return rows.filter(session__curriculum=curriculum) if curriculum else rows


def trained_counts(user, level: str, *, curriculum: str | None = None) -> dict[int, int]:
    """Distinct AWWs trained, per location of `level` inside the user's area ({location id: count})."""
    field = "worker__assignment__location_id" if level == Level.AWC else f"worker__assignment__location__{level}_id"
    rows = _trained(user, curriculum=curriculum).values(field).annotate(n=Count("worker", distinct=True)).order_by()
    return {row[field]: row["n"] for row in rows if row[field] is not None}


def trained_total(user, *, curriculum: str | None = None) -> int:
    """Distinct AWWs trained in the user's whole area (for the ministry: the national figure)."""
    return _trained(user, curriculum=curriculum).aggregate(n=Count("worker", distinct=True))["n"]


def trained_rows(user, *, curriculum: str | None = None) -> list[tuple[Location, int]]:
    """One row per location directly below the user's area (zero included)."""
    area = user_area(user)
    if area is None or area.level == Level.AWC:
        return []
    children = list(location_children(area.location).order_by("name"))
    if not children:
        return []
    counts = trained_counts(user, children[0].level, curriculum=curriculum)
    return [(child, counts.get(child.pk, 0)) for child in children]
