"""Generic building blocks for scoped pages and endpoints (deny by default).

The apps supply *which* rows a user may see (through `anganwadi.selectors`);
these blocks make sure every view asks, and that "not yours" looks like "not found".
"""
from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404


class RoleRequiredMixin(LoginRequiredMixin):
    """Signed in and holding every permission in `required_permissions` (else 403)."""

    required_permissions: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not self.required_permissions:
            raise ImproperlyConfigured(f"{type(self).__name__} must name its required_permissions.")
        if not request.user.has_perms(self.required_permissions):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class ScopedObjectMixin(RoleRequiredMixin):
    """A page about one object, fetched only from the user's scope (404 outside it)."""

    pk_url_kwarg = "pk"

    def get_scoped_queryset(self) -> QuerySet:
        raise ImproperlyConfigured(f"{type(self).__name__} must define get_scoped_queryset().")

    def get_object(self):
        return get_object_or_404(self.get_scoped_queryset(), pk=self.kwargs[self.pk_url_kwarg])
