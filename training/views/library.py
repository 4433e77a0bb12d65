"""The video library: a list, one video with its player, range streaming, the poster, the quiz."""
from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from poshan.core.forms_util import service_errors
from poshan.core.scoping import RoleRequiredMixin

from .. import selectors, services
from ..forms import LibraryFilterForm, QuizForm
from ..models import Video
from ..streaming import CACHE_CONTROL, ranged_response
from ..validators import POSTER_FORMATS, read_head, video_type

VIEW_VIDEO = ("training.view_video",)


def published_video(pk: int) -> Video:
    return get_object_or_404(Video.objects.filter(is_published=True), pk=pk)


class LibraryView(RoleRequiredMixin, View):
    required_permissions = VIEW_VIDEO

    def get(self, request):
        form = LibraryFilterForm(request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        videos = selectors.video_library(filters=filters)
        progress = selectors.progress_by_video(request.user)
        rows = [(video, progress.get(video.pk)) for video in videos]
        return render(request, "training/library.html", {"form": form, "rows": rows})


class VideoDetailView(RoleRequiredMixin, View):
    required_permissions = VIEW_VIDEO

    def get(self, request, pk: int):
        video = published_video(pk)
        progress = selectors.progress_by_video(request.user).get(video.pk)
        context = {
            "video": video,
            "progress": progress,
            "watched": progress is not None and services.is_watched(video, progress.watched_seconds),
            "has_quiz": services.needs_quiz(video),
        }
        return render(request, "training/video.html", context)


class StreamView(RoleRequiredMixin, View):
    """The video file with range requests (206 Partial Content), so phones can seek."""

    required_permissions = VIEW_VIDEO
    http_method_names = ["get", "head"]

    def get(self, request, pk: int):
        video = published_video(pk)
        if not video.file:
            raise Http404
        content_type = video_type(read_head(video.file)) or "application/octet-stream"
        video.file.close()
        return ranged_response(request, video.file, content_type)


class PosterView(RoleRequiredMixin, View):
    required_permissions = VIEW_VIDEO

    def get(self, request, pk: int):
        video = published_video(pk)
        if not video.poster:
            raise Http404
        from PIL import Image

        with video.poster.open("rb") as handle, Image.open(handle) as image:
            content_type = POSTER_FORMATS.get(image.format, "application/octet-stream")
        response = FileResponse(video.poster.open("rb"), content_type=content_type)
        response["Cache-Control"] = CACHE_CONTROL
        return response


class WatchedView(RoleRequiredMixin, View):
    """The no-JavaScript way to record progress: "I have watched this"."""

    required_permissions = VIEW_VIDEO
    http_method_names = ["post"]

    def post(self, request, pk: int):
        video = published_video(pk)
        services.progress_record(actor=request.user, video=video, watched_seconds=video.duration_seconds)
        if services.needs_quiz(video):
            return redirect("training:quiz", video.pk)
        messages.success(request, _("Marked as watched."))
        return redirect("training:video", video.pk)


class QuizView(RoleRequiredMixin, View):
    required_permissions = VIEW_VIDEO

    def get(self, request, pk: int):
        video = published_video(pk)
        form = QuizForm(questions=video.questions.all())
        return render(request, "training/quiz.html", {"video": video, "form": form})

    def post(self, request, pk: int):
        video = published_video(pk)
        form = QuizForm(request.POST, questions=video.questions.all())
        if form.is_valid():
            with service_errors(form) as call:  # its refusals concern the whole quiz: shown on top
                progress = services.quiz_submit(actor=request.user, video=video, answers=form.answers())
            if call.ok:
                if progress.completed_at:
                    messages.success(request, _("You scored %(score)s%%. Module completed!") % {"score": progress.quiz_score})
                else:
                    messages.warning(request, _("You scored %(score)s%%; %(pass)s%% is needed. Watch again and retry.")
                                     % {"score": progress.quiz_score, "pass": video.pass_percent})
                return redirect("training:video", video.pk)
        return render(request, "training/quiz.html", {"video": video, "form": form}, status=400)
