"""The API's token check (django-rest-knox), in a module of its own: DRF imports it with its settings, before
the token views (poshan/core/tokens.py) can be imported."""
from __future__ import annotations

from django.utils import timezone
from knox.auth import TokenAuthentication as KnoxTokenAuthentication
from knox.signals import token_expired


class TokenAuthentication(KnoxTokenAuthentication):
    """knox's token check without its sweep of the user's other tokens at every call (a statement each API call):
    the token used is still refused and deleted once expired; the user's other expired tokens are deleted when
    she is issued a new one (api_token_issue)."""

    def _cleanup_token(self, auth_token) -> bool:
        if auth_token.expiry is None or auth_token.expiry >= timezone.now():
            return False
        username = auth_token.user.get_username()
        auth_token.delete()
        token_expired.send(sender=self.__class__, username=username, source="auth_token")
        return True
