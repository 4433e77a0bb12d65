"""A pause per address for every door that takes a password, in one place.

The sign-in page, the admin's sign-in and the API's token endpoint all check a password with Django's
authenticate(), so the rules live there, once:
- django-axes locks one username from one address after AXES_FAILURE_LIMIT failures (AxesStandaloneBackend);
- AddressPauseBackend (listed after it) refuses, without looking at the password, a try from an address that
  must still wait: after ADDRESS_FREE_FAILURES failed sign-ins in ADDRESS_WINDOW, each further failure from that
  address makes it wait 2, 4, 8 … seconds, at most ADDRESS_MAX_DELAY. Guessing from one address (one password on
  many usernames) is slowed to one try a minute, while a worker behind the same address (a mobile operator's
  shared address) waits at most that minute, never half an hour;
- SigninPauseMiddleware answers such a refusal, on whichever door, with 429 and Retry-After;
- a phone a user has signed in on before is not paused for her (OWASP's "device cookie"): each sign-in leaves a
  signed cookie naming the users who signed in on that browser, so during a guessing run from a shared address
  the workers on their own phones get in at once (still under axes' lock per username and address).
Addresses come from poshan.core.clientaddr (the client's, behind the trusted proxies). The counters live in the
cache, which fails soft: with Redis away the pause lets tries through and the database-backed axes lock remains.
"""
from __future__ import annotations

import math
import time

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import BaseBackend
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from . import counters
from .clientaddr import client_ip

ADDRESS_FREE_FAILURES = 10  # failed sign-ins from one address in the window before it must wait
ADDRESS_WINDOW = 30 * 60  # seconds
ADDRESS_MAX_DELAY = 60  # seconds: the longest anyone behind that address waits
_MAX_EXPONENT = 16
DEVICE_COOKIE = "poshan_signin"
DEVICE_COOKIE_AGE = 180 * 24 * 3600  # seconds
DEVICE_USERS_KEPT = 4  # a shared phone: the worker, the helper, a supervisor visiting
_DEVICE_SALT = "poshan.core.signin.device"


def _failures_key(address) -> str:
    return f"rl:signin:failures:{address}"


def _until_key(address) -> str:
    return f"rl:signin:until:{address}"


def address_wait(request) -> int:
    """Seconds this request's address must still wait before its next password is looked at (0: none)."""
    until = cache.get(_until_key(client_ip(request)))
    return max(0, math.ceil(until - time.time())) if until else 0


def address_failed(request) -> None:
    """Count a failed sign-in from this request's address and set its next wait."""
    address = client_ip(request)
    failures = counters.hit(_failures_key(address), ADDRESS_WINDOW)
    if failures > ADDRESS_FREE_FAILURES:
        delay = min(ADDRESS_MAX_DELAY, 2 ** min(failures - ADDRESS_FREE_FAILURES, _MAX_EXPONENT))
        cache.set(_until_key(address), time.time() + delay, ADDRESS_MAX_DELAY + 60)


def device_users(request) -> list[int]:
    """The users who signed in on this browser before (from its signed cookie; none when absent or forged)."""
    try:
        users = signing.loads(request.COOKIES.get(DEVICE_COOKIE, ""), salt=_DEVICE_SALT, max_age=DEVICE_COOKIE_AGE)
    except signing.BadSignature:
        return []
    return [u for u in users if isinstance(u, int)] if isinstance(users, list) else []


def _known_device(request, credentials) -> bool:
    users = device_users(request)
    if not users:
        return False
    model = get_user_model()
    username = credentials.get(model.USERNAME_FIELD) or credentials.get("username")
    return model._default_manager.filter(pk__in=users, **{model.USERNAME_FIELD: username}).exists()


class AddressPauseBackend(BaseBackend):
    """Refuses (before any password is checked) a sign-in from an address that must still wait, unless this
    browser is one the user signed in on before."""

    def authenticate(self, request, **credentials):
        if request is None:
            return None
        wait = address_wait(request)
        if wait and not _known_device(request, credentials):
            # On the token door `request` is DRF's wrapper: the mark goes on the HttpRequest the middleware sees.
            getattr(request, "_request", request).signin_wait = wait
            raise PermissionDenied
        return None


@receiver(user_login_failed, dispatch_uid="core.signin.address_failed")
def _count_failure(sender, credentials, request=None, **kwargs):
    if request is None or getattr(request, "signin_wait", 0) or getattr(request, "axes_locked_out", False):
        return  # not looked at: it does not lengthen the wait
    address_failed(request)


@receiver(user_logged_in, dispatch_uid="core.signin.remember_device")
def _remember_device(sender, request=None, user=None, **kwargs):
    if request is not None and user is not None:
        getattr(request, "_request", request).signin_device_user = user.pk


def pause_response(request, wait: int):
    message = _("Too many wrong passwords from this network. Wait %(seconds)s seconds, then try again.") % {
        "seconds": wait}
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": message, "retry_after": wait}, status=429)
    else:
        response = render(request, "registration/signin_pause.html", {"message": message}, status=429)
    response["Retry-After"] = str(wait)
    return response


class SigninPauseMiddleware:
    """Turns a refusal by AddressPauseBackend into 429 + Retry-After, on every door that takes a password."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        wait = getattr(request, "signin_wait", 0)
        if wait:
            return pause_response(request, wait)
        user = getattr(request, "signin_device_user", None)
        if user is not None:
            users = [user, *(u for u in device_users(request) if u != user)][:DEVICE_USERS_KEPT]
            response.set_cookie(DEVICE_COOKIE, signing.dumps(users, salt=_DEVICE_SALT), max_age=DEVICE_COOKIE_AGE,
                                secure=settings.SESSION_COOKIE_SECURE, httponly=True, samesite="Lax")
        return response
