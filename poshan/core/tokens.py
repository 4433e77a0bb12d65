"""API tokens (django-rest-knox): issued at POST /api/v1/auth/token/, ended by signing out or by an admin.

Why knox rather than DRF's own tokens: knox keeps only a hash of each token (a copy of the table signs no one
in), and it already does the two limits sessions have here: a token unused for SESSION_COOKIE_AGE (30 minutes)
expires (AUTO_REFRESH moves the expiry on at most once a minute of use), and none outlives
API_TOKEN_MAX_HOURS after it was issued (AUTO_REFRESH_MAX_TTL), however busy. settings.REST_KNOX holds both.
The password is checked by authenticate(), so the token door has the sign-in page's lockout and pause
(poshan/core/signin.py).
"""
from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from drf_spectacular.utils import extend_schema, inline_serializer
from knox.models import get_token_model
from rest_framework import serializers, status
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from .audit import audit_record
from .models import AuditEvent


def api_token_issue(*, user) -> tuple[object, str]:
    """A new token for `user`: (the stored row, the token text, shown once); her expired ones are deleted."""
    get_token_model().objects.filter(user=user, expiry__lt=timezone.now()).delete()
    instance, token = get_token_model().objects.create(user=user)
    audit_record(actor=user, action=AuditEvent.Action.LOGIN, obj=user, fields=["api_token"])
    return instance, token


def api_tokens_revoke(*, user, actor) -> int:
    """End every API token of `user` (at sign-out, or by an admin); audited when there were any."""
    with transaction.atomic():
        deleted, _ = get_token_model().objects.filter(user=user).delete()
        if deleted:
            audit_record(actor=actor, action=AuditEvent.Action.DELETE, obj=user, fields=["api_tokens"])
    return deleted


class ObtainTokenView(APIView):
    """Username and password for a token that expires after 30 idle minutes (and at the absolute limit)."""

    authentication_classes = ()
    permission_classes = (AllowAny,)
    serializer_class = AuthTokenSerializer

    @extend_schema(request=AuthTokenSerializer, responses=inline_serializer(
        "ApiToken", {"token": serializers.CharField(), "expiry": serializers.DateTimeField()}))
    def post(self, request):
        form = AuthTokenSerializer(data=request.data, context={"request": request})
        form.is_valid(raise_exception=True)
        instance, token = api_token_issue(user=form.validated_data["user"])
        return Response({"token": token, "expiry": instance.expiry})


class RevokeTokensView(APIView):
    """Sign out of the API: every token of the caller ends (not only the one used)."""

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        api_tokens_revoke(user=request.user, actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
