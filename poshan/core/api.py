"""DRF building blocks: role permission by method, a scope filter that fails closed, the model serializer."""
from __future__ import annotations

import copy

from django.core.exceptions import ImproperlyConfigured
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import exceptions as drf_exceptions
from rest_framework import filters, pagination, permissions
from rest_framework import serializers as drf_serializers
from rest_framework.views import exception_handler as drf_exception_handler

from .audit import personal_read_audit, personal_read_note
from .params import BadParameter


class ModelSerializer(drf_serializers.ModelSerializer):
    """DRF's ModelSerializer with its fields built from the model once per class, then copied for each instance.

    DRF introspects the model for every serializer it makes (~0.5 ms for a measurement's 18 fields, and a write
    makes two: the input and the answer). What it builds depends on the class alone (Meta, the declared fields),
    so it is kept on the class and deep-copied (~0.17 ms), as DRF already copies the declared fields: an instance
    may change its own fields (a scoped queryset) without touching the next one's. Every model serializer of the
    project derives from this one (tests/core/test_api.py checks)."""

    def get_fields(self):
        built = type(self).__dict__.get("_built_fields")
        if built is None:
            built = super().get_fields()
            type(self)._built_fields = built
        return copy.deepcopy(built)


class RolePermission(permissions.BasePermission):
    """The view declares `required_permissions = {"GET": [...], "POST": [...]}`; "*" is a default.

    A method the view does not name is refused.
    """

    def has_permission(self, request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        mapping = getattr(view, "required_permissions", None)
        if mapping is None:
            raise ImproperlyConfigured(f"{type(view).__name__} must declare required_permissions.")
        method = "GET" if request.method in ("HEAD", "OPTIONS") else request.method
        perms = mapping.get(method, mapping.get("*"))
        if perms is None:
            return False
        return user.has_perms(perms)


class ScopeFilterBackend(filters.BaseFilterBackend):
    """Narrow every list and detail lookup to the caller's area via `view.scope_queryset`."""

    def filter_queryset(self, request, queryset, view):
        scope = getattr(view, "scope_queryset", None)
        if scope is None:
            raise ImproperlyConfigured(f"{type(view).__name__} must define scope_queryset(queryset, user).")
        return scope(queryset, request.user)


class Pagination(pagination.LimitOffsetPagination):
    """limit/offset pages; a limit past MAX_LIMIT is cut to it (a huge one once overflowed the query)."""

    max_limit = 500

    def get_offset(self, request):
        # DRF's own parse has no ceiling: an offset past the database's integer range fails in the query.
        return min(super().get_offset(request), 2**31 - 1)


class ScopedAPIMixin:
    """Mixed into a viewset: role permission + scoping on by default.

    A viewset that returns personal data declares `personal_data = True`: each successful read (a list page or one
    object fetched through `get_object`) writes one audit event.
    """

    permission_classes = [RolePermission]
    filter_backends = [ScopeFilterBackend]
    personal_data = False
    read_actions_by_post = ("search",)  # reads sent by POST (a searched number stays out of the address)

    def get_object(self):
        obj = super().get_object()
        if self.personal_data:
            personal_read_note(self.request, obj=obj)
        return obj

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        reading = request.method in ("GET", "HEAD") or getattr(self, "action", None) in self.read_actions_by_post
        if self.personal_data and reading and response.status_code == 200:
            queryset = getattr(self, "queryset", None)
            label = queryset.model._meta.label_lower if queryset is not None else "api"
            personal_read_audit(request, object_type=label, object_id="api:list")
        return response


def exception_handler(exc, context):
    """A service's ValidationError answers 400 with the same messages the form would show; a refusal that says why
    (e.g. no centre of her own) answers 403 saying it."""
    if isinstance(exc, BadParameter):
        exc = drf_serializers.ValidationError({exc.name: [exc.message]})
    elif isinstance(exc, DjangoValidationError):
        detail = exc.message_dict if hasattr(exc, "error_dict") else {"non_field_errors": exc.messages}
        exc = drf_serializers.ValidationError(detail)
    elif isinstance(exc, DjangoPermissionDenied) and exc.args and exc.args[0]:
        exc = drf_exceptions.PermissionDenied(exc.args[0])
    return drf_exception_handler(exc, context)


class BatchItemSerializer(drf_serializers.Serializer):
    type = drf_serializers.CharField()
    client_uuid = drf_serializers.CharField()
    payload = drf_serializers.DictField()


class BatchAnswerSerializer(drf_serializers.Serializer):
    type = drf_serializers.CharField()
    client_uuid = drf_serializers.CharField()
    status = drf_serializers.ChoiceField(choices=["saved", "duplicate", "rejected"])
    result = drf_serializers.DictField(required=False)
    errors = drf_serializers.DictField(required=False)
    codes = drf_serializers.DictField(required=False, help_text="a refusal's codes by field, e.g. likely_duplicate")
