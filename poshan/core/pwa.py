"""The progressive-web-app pieces: the service worker at the site root, and the offline page.

`/sw.js` is static/js/sw.js with its configuration filled in (what to precache, which daily
forms may be kept on the phone and queued, the batch endpoint, the sign-in/out URLs) and a
version that changes whenever the worker or one of the files it precaches changes, so phones
pick up a new release on their next visit. It is served from the root so that its scope is
the whole site (CSP: `worker-src 'self'`), never cached by the browser without revalidating.

What the service worker keeps on the phone, and why, is written at the top of static/js/sw.js
and in the README ("Offline use"). In short: static files, an offline page, and the day's
daily-form pages of the worker's own centre, wiped at sign-in, sign-out and day's end; pages
with registers, person details, lists or dashboards are never kept.
"""
from __future__ import annotations

import hashlib
import json
import re
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.staticfiles import finders
from django.http import Http404, HttpResponse, HttpResponseNotModified
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import NoReverseMatch, resolve, reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET

from .selectors import own_centre
from .submissions import handlers

SW_SOURCE = "js/sw.js"
CONFIG_SLOT = re.compile(r"/\*CONFIG\*/.*?/\*END\*/", re.S)

# Static files every daily page needs, fetched once when the worker installs (a few KB).
PRECACHE = (
    "css/app.css",
    "img/icon.svg",
    "manifest.webmanifest",
    "js/offline.js",
    "js/submission-id.js",
    "js/attendance.js",
    "js/geo.js",
    "growth/growth.css",
)

# The daily forms that open and submit without a network: url name, whether it takes the
# person's id, and the batch types its forms are sent as (see poshan.core.submissions). A
# form is offered offline only when every one of its types has a batch handler.
DAILY_FORMS = (
    ("anganwadi:today", False, ("centre_day", "centre_close", "ecce")),
    ("beneficiaries:attendance", False, ("attendance",)),
    ("beneficiaries:home_visit", True, ("home_visit",)),
    ("growth:measure", True, ("measurement",)),
    ("growth:case_followup", True, ("case_followup",)),
)
# What the worker reads for each of those types in the queue's list and its "sent and saved" line
# (templates/base.html, data-k-<type>): every type of DAILY_FORMS has a name.
ENTRY_NAMES = {
    "centre_day": _("Centre open or not"),
    "centre_close": _("Centre closed"),
    "ecce": _("ECCE activity"),
    "attendance": _("Attendance and meal"),
    "home_visit": _("Home visit"),
    "measurement": _("Measurement"),
    "case_followup": _("Follow-up weighing"),
}
# What the offline queue's box says (templates/base.html, data-t-<key>; static/js/offline.js reads them).
QUEUE_WORDS = {
    "waiting": _("Waiting to send: {n}"),
    "kept": _("Kept on this phone: they are sent when the network returns."),
    "sending": _("Sending…"),
    "send": _("Send now"),
    "signin": _("Sign in again to send them."),
    "saved": _("Sent and saved"),
    "duplicate": _("Already saved earlier"),
    "rejected": _("Refused"),
    "ok": _("OK"),
    "copy": _("The network did not answer: this is the copy of this page kept on the phone at {time}."),
    "late": _("Entered on the phone on {when} without a network"),
    "entered": _("Kept on this phone as you entered it: it is sent when the network returns."),
    "replaced": _("Saved again: this replaces the one waiting to be sent ({what}). Only the last one you save is "
                  "sent."),
    "confirm": _("Entries not sent yet: {n}. Signing out deletes them from this phone. Sign out anyway?"),
    "notsent": _("No network: this was not sent. What you entered is still here: save again when the network "
                 "returns."),
}
# Fetched once a day after sign-in so that the centre's day can start without a network; each
# page tells the worker which of these its user may open (warm_urls), and only those are fetched.
WARM = ("home", "anganwadi:today", "beneficiaries:attendance")
PK_SENTINEL = 987654321
# On a very slow link, a daily page kept today is shown after this long (the network copy still
# replaces it in the cache when it arrives).
NAV_TIMEOUT_MS = 10_000


def _pattern(name: str, with_pk: bool) -> str | None:
    try:
        url = reverse(name, args=[PK_SENTINEL] if with_pk else [])
    except NoReverseMatch:
        return None
    return "^" + re.escape(url).replace(str(PK_SENTINEL), r"(\d+)") + "$"


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


@lru_cache(maxsize=1)
def _warm_pages() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """(name, url, permissions its view requires) of each page of WARM: the URL conf is fixed for a process, so
    they are looked up once, not on every signed-in page."""
    pages = []
    for name in WARM:
        url = _url(name)
        if url:
            perms = getattr(getattr(resolve(url).func, "view_class", None), "required_permissions", ())
            pages.append((name, url, tuple(perms)))
    return tuple(pages)


def warm_urls(user) -> list[str]:
    """The pages of WARM this user may open: her view's permissions, and for a daily form her own centre.

    Written into every signed-in page (templates/base.html, data-warm) so that a supervisor's, a
    DPO's or the helpline's browser never asks for the centre worker's pages (each would be a 403).
    """
    if not getattr(user, "is_authenticated", False):
        return []
    daily = {name for name, _pk, _types in DAILY_FORMS}
    out = []
    for name, url, perms in _warm_pages():
        if perms and not user.has_perms(perms):
            continue
        if name in daily and own_centre(user) is None:  # the daily forms are those of her own centre
            continue
        out.append(url)
    return out


def offline_forms() -> list[dict]:
    """The daily forms the service worker may keep and queue, as {page, pattern, types}."""
    known = set(handlers())
    forms = []
    for name, with_pk, types in DAILY_FORMS:
        pattern = _pattern(name, with_pk)
        if pattern and set(types) <= known:
            forms.append({"page": name.split(":")[-1], "pattern": pattern, "types": list(types)})
    return forms


def sw_config() -> dict:
    precache = [static(path) for path in PRECACHE if finders.find(path)]
    return {
        "precache": precache,
        "offline": reverse("offline"),
        "batch": reverse("api-submission-batch"),
        "login": reverse("login"),
        "logout": reverse("logout"),
        "shell": [reverse("home")],
        "warm": [url for url in map(_url, WARM) if url],
        "forms": offline_forms(),
        "navTimeoutMs": NAV_TIMEOUT_MS,
        "keepDays": settings.BACKDATE_DAYS,  # entries older than this are refused by the server anyway
    }


def _read(path: str) -> bytes:
    found = finders.find(path) or (Path(settings.STATIC_ROOT) / path if settings.STATIC_ROOT else None)
    if not found or not Path(found).is_file():
        raise Http404(path)
    return Path(found).read_bytes()


def _build() -> tuple[str, str]:
    """The worker's source with its configuration; its version hashes both and the precached files."""
    config = sw_config()
    source = _read(SW_SOURCE)
    digest = hashlib.sha256(source)
    for path in PRECACHE:
        if finders.find(path):
            digest.update(_read(path))
    digest.update(json.dumps(config, sort_keys=True).encode())
    version = digest.hexdigest()[:12]
    config["version"] = version
    body = CONFIG_SLOT.sub(lambda _m: "/*CONFIG*/" + json.dumps(config) + "/*END*/", source.decode(), count=1)
    return body, version


_build_cached = lru_cache(maxsize=1)(_build)


@require_GET
@gzip_page
def service_worker(request):
    body, version = _build() if settings.DEBUG else _build_cached()
    etag = f'"{version}"'
    if version in request.headers.get("If-None-Match", ""):  # gzip_page turns the ETag weak: W/"…"
        response = HttpResponseNotModified()
    else:
        response = HttpResponse(body, content_type="application/javascript; charset=utf-8")
    response["ETag"] = etag
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
def offline(request):
    """Shown by the service worker when a page is not kept on the phone and there is no network.

    Rendered without the signed-in user (no name in the header) because the worker keeps it
    for as long as it is installed; the session still chooses the language.
    """
    return render(request, "core/offline.html", {"user": AnonymousUser(), "offline_page": True})
