"""Headers that keep personal data off shared phones, and the audit request context."""
from __future__ import annotations

import time

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from .audit import RequestMeta, request_meta
from .clientaddr import client_ip
from .params import BadParameter

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "media-src 'self' blob:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "worker-src 'self'",
        "manifest-src 'self'",
    ]
)
PERMISSIONS_POLICY = "camera=(self), geolocation=(self), microphone=(), payment=(), usb=()"
SESSION_TOUCH_EVERY = 60  # seconds between idle-expiry refreshes


class SecurityHeadersMiddleware:
    """CSP without inline scripts, a narrow permissions policy; and the audit context."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = request_meta.set(
            RequestMeta(ip=client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", "")[:256])
        )
        try:
            response = self.get_response(request)
        finally:
            request_meta.reset(token)
        response.setdefault("Content-Security-Policy", CSP)
        response.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


class IdleSessionMiddleware:
    """End a session after SESSION_COOKIE_AGE seconds without a request.

    Touching the session marks it modified, so Django re-saves it with a fresh
    expiry; doing it at most once a minute keeps busy pages from writing each time.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.session_key:
            now = int(time.time())
            if now - session.get("_touched", 0) >= SESSION_TOUCH_EVERY:
                session["_touched"] = now
        return self.get_response(request)


class NoStoreMiddleware:
    """Pages served to a signed-in user may carry personal data: never cache them."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.static_prefixes = tuple(p for p in (settings.STATIC_URL, "/sw.js") if p)

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and not request.path.startswith(self.static_prefixes):
            if not response.get("Cache-Control"):
                response["Cache-Control"] = "no-store, private"
                response["Pragma"] = "no-cache"
        return response


DB_RETRY_AFTER = 5  # seconds: a PostgreSQL restart or fail-over takes a few


class DatabaseUnavailableMiddleware:
    """The database unreachable (restarting, failing over): 503 with Retry-After, never a bare 500.

    Every submission carries its client id, so the phone's offline queue (which keeps an entry until it gets an
    answer) sends it again and the replay is saved once. Rendered without templates: a page's context would
    need the session, which lives in the database.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, (OperationalError, InterfaceError)):
            return None
        message = _("The service is busy for a moment. Nothing was lost: try again in a minute.")
        if request.path.startswith("/api/"):
            response = JsonResponse({"detail": message, "retry": True}, status=503)
        else:
            response = HttpResponse(f"<!doctype html><meta charset=utf-8><title>503</title><p>{message}</p>",
                                    status=503)
        response["Retry-After"] = str(DB_RETRY_AFTER)
        response["Cache-Control"] = "no-store"
        return response


class BadParameterMiddleware:
    """A query parameter or form value that cannot be read (poshan.core.params): 400 naming it, never a 500.

    The API answers {name: [message]} like a serializer's error; a page says what to change.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        # A NUL byte fits no parameter (PostgreSQL refuses it in any string, mid-query): refused before any view.
        # A multipart body is left to the view (which may choose its upload handlers first; its forms refuse NUL).
        posted = request.method == "POST" and request.content_type == "application/x-www-form-urlencoded"
        for params in (request.GET, request.POST) if posted else (request.GET,):
            for name, values in params.lists():
                if "\x00" in name or any("\x00" in value for value in values):
                    return self.process_exception(request, BadParameter(
                        name.replace("\x00", ""), _("“%(name)s” contains a character that cannot be saved.")
                        % {"name": name.replace("\x00", "")}))
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, BadParameter):
            return None
        if request.path.startswith("/api/"):
            return JsonResponse({exception.name: [exception.message]}, status=400)
        return render(request, "400.html", {"message": exception.message}, status=400)
