"""Searching for a person without putting what was typed into a URL.

A mobile or Aadhaar number in a request line ends up in the address bar, the browser's history, the proxy's and
server's access logs and every pagination link. So a search page takes what was typed by POST (with CSRF; no
JavaScript needed), keeps it in the session behind a short random token (encrypted, for SEARCH_TOKEN_SECONDS) and
sends the browser back to the page with `?s=<token>`; its pager carries the token. A name may still arrive in the
address (an old bookmark), but anything that looks like a number is dropped there, with a message.
"""
from __future__ import annotations

import logging
import secrets
import time

from django.contrib import messages
from django.http import HttpResponseRedirect, QueryDict
from django.utils.translation import gettext as _

from .crypto import decrypt, encrypt

SEARCH_PARAM = "s"
SEARCH_SESSION_KEY = "searches"
SEARCH_TOKEN_SECONDS = 30 * 60  # like an idle session
SEARCH_TOKENS_KEPT = 10  # the newest searches of one session; older tokens find nothing
NUMBER_DIGITS = 5  # five digits or more: a mobile, an Aadhaar, or enough of one to matter

logger = logging.getLogger("django.request")


def looks_like_number(text: str) -> bool:
    """Digits of any script count (a Devanagari mobile number is one too)."""
    return sum(ch.isdigit() for ch in text or "") >= NUMBER_DIGITS


def search_remember(request, text: str) -> str:
    """Keep `text` for this session behind a new token (never the text itself in a URL)."""
    now = int(time.time())
    kept = {token: entry for token, entry in request.session.get(SEARCH_SESSION_KEY, {}).items()
            if now - entry[1] < SEARCH_TOKEN_SECONDS}
    token = secrets.token_urlsafe(9)
    kept[token] = [encrypt(text.encode()).decode(), now]
    request.session[SEARCH_SESSION_KEY] = dict(sorted(kept.items(), key=lambda item: item[1][1])[-SEARCH_TOKENS_KEPT:])
    return token


def search_recall(request, token: str | None) -> str:
    """What was searched under `token` in this session ("" once expired, or for a token not hers)."""
    entry = request.session.get(SEARCH_SESSION_KEY, {}).get(token or "")
    if not entry or time.time() - entry[1] >= SEARCH_TOKEN_SECONDS:
        return ""
    return decrypt(entry[0].encode()).decode()


def search_redirect(request, text: str, keep: dict[str, str]) -> HttpResponseRedirect:
    """After a posted search: back to the same page by GET, with the filters in `keep` and a token for `text`."""
    query = QueryDict(mutable=True)
    for name, value in keep.items():
        if value:
            query[name] = value
    if text.strip():
        query[SEARCH_PARAM] = search_remember(request, text.strip())
    return HttpResponseRedirect(f"{request.path}?{query.urlencode()}" if query else request.path)


def search_text(request, param: str = "q") -> tuple[str, HttpResponseRedirect | None]:
    """The search of a GET: a name typed into the address, or what a token stands for.

    A number in the address is refused: the answer is a redirect to the page without it (and without its page
    number), saying to use the search button. Nothing here logs what was typed.
    """
    typed = request.GET.get(param, "")
    if looks_like_number(typed):
        messages.warning(request, _("Search for a number with the Search button: numbers are not kept in web "
                                    "addresses."))
        query = request.GET.copy()
        for name in (param, "page", SEARCH_PARAM):
            query.pop(name, None)
        return "", HttpResponseRedirect(f"{request.path}?{query.urlencode()}" if query else request.path)
    if typed.strip():
        return typed, None
    return search_recall(request, request.GET.get(SEARCH_PARAM)), None


def refusal_logged_without_address(request, response):
    """A refused request whose address holds a number: log its path alone.

    Django logs every 4xx with the request attached, and the request's address (query string included) would take
    the number into the log; this one line replaces that record.
    """
    logger.warning("Bad Request: %s", request.path, extra={"status_code": response.status_code})
    response._has_been_logged = True  # django.utils.log.log_response: already logged
    return response
