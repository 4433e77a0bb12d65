"""DRF building blocks: role permission by method, and a scope filter that fails closed."""
from __future__ import annotations

from django.core.exceptions import ImproperlyConfigured
from rest_framework import filters, permissions


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


class ScopedAPIMixin:
    """Mixed into a viewset: role permission + scoping on by default."""

    permission_classes = [RolePermission]
    filter_backends = [ScopeFilterBackend]
