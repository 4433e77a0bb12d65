"""Suggest a better wording (state officials and admins), decide (admins), export the .po (admins)."""
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from poshan.core.forms_util import service_errors_as_message
from poshan.wording import catalogue, services
from poshan.wording.models import WordingCorrection

MAX_RESULTS = 40


def _role(request, roles):
    if request.user.role not in roles:
        raise PermissionDenied


def _language(request) -> str:
    languages = catalogue.correctable_languages()
    chosen = request.GET.get("language") or request.POST.get("language") or translation.get_language()
    return chosen if chosen in languages else languages[0]


def _back(request) -> str:
    target = request.GET.get("next") or request.POST.get("next") or ""
    return target if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}) else ""


@login_required
@require_http_methods(["GET", "POST"])
def suggest(request):
    _role(request, services.PROPOSERS)
    language = _language(request)
    query = (request.GET.get("q") or request.POST.get("q") or "").strip()[:200]
    status = 200
    if request.method == "POST":
        with service_errors_as_message(request) as call:
            services.propose(actor=request.user, language=language, msgid=request.POST.get("msgid", ""),
                             proposed=request.POST.get("proposed", "")[:2000])
        if call.ok:
            messages.success(request, _("Thank you: your wording waits for an administrator's decision."))
            return redirect(f"{request.path}?language={language}&q={query}")
        status = 400
    results = []
    if query:
        needle = query.casefold()
        for msgid, shown in catalogue.entries(language):
            if needle in msgid.casefold() or needle in shown.casefold():
                results.append({"msgid": msgid, "text": msgid.split("\x04", 1)[-1], "shown": shown})
                if len(results) >= MAX_RESULTS:
                    break
    context = {"language": language, "languages": [(c, n) for c, n in settings.LANGUAGES
                                                   if c in catalogue.correctable_languages()],
               "query": query, "results": results, "back": _back(request)}
    return render(request, "wording/suggest.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def review(request):
    _role(request, services.DECIDERS)
    if request.method == "POST":
        correction = get_object_or_404(WordingCorrection, pk=request.POST.get("correction") or 0)
        with service_errors_as_message(request) as call:
            services.decide(actor=request.user, correction=correction, approve=request.POST.get("decision") == "approve")
        if call.ok:
            messages.success(request, _("Decision saved."))
        return redirect("wording:review")
    waiting = WordingCorrection.objects.filter(status=WordingCorrection.Status.PROPOSED).select_related("proposed_by")
    decided = (WordingCorrection.objects.exclude(status=WordingCorrection.Status.PROPOSED)
               .select_related("proposed_by", "decided_by").order_by("-decided_at")[:50])
    return render(request, "wording/review.html", {"waiting": waiting, "decided": decided,
                                                   "languages": catalogue.correctable_languages()})


@login_required
def export(request):
    _role(request, services.DECIDERS)
    language = _language(request)
    body = services.export_po(actor=request.user, language=language)
    response = HttpResponse(body, content_type="text/x-gettext-translation; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="corrections-{language}.po"'
    return response
