"""Generic building blocks for scoped pages and endpoints (deny by default).

The apps supply *which* rows a user may see (through `anganwadi.selectors`);
these blocks make sure every view asks, and that "not yours" looks like "not found".
"""
from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ImproperlyConfigured, PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from .audit import page_reference, personal_read_audit, personal_read_note
from .selectors import own_centre

NO_OWN_CENTRE = _("This page is for the worker of an Anganwadi centre: your account is not assigned to one.")


class RoleRequiredMixin(LoginRequiredMixin):
    """Signed in and holding every permission in `required_permissions` (else 403).

    A page that shows personal data declares `personal_data = True`: each page it answers (200, or 400: a refused
    form shown again) writes one audit event, naming what the view passed to `reading()` or else the page itself.
    """

    required_permissions: tuple[str, ...] = ()
    personal_data: bool = False

    @classmethod
    def admits(cls, user) -> bool:
        """Whether this page would open for `user` at all (what the home page asks before offering it)."""
        return user.is_authenticated and user.has_perms(cls.required_permissions)

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not self.required_permissions:
            raise ImproperlyConfigured(f"{type(self).__name__} must name its required_permissions.")
        if not request.user.has_perms(self.required_permissions):
            raise PermissionDenied
        response = super().dispatch(request, *args, **kwargs)
        if self.personal_data and response.status_code in (200, 400):
            personal_read_audit(request, object_type="page", object_id=page_reference(request))
        return response

    def reading(self, obj=None, **reference):
        """Name what this page shows (a person, or `object_type`/`object_id` of a list page) for its audit event."""
        personal_read_note(self.request, obj=obj, **reference)
        return obj


class ScopedObjectMixin(RoleRequiredMixin):
    """A page about one object, fetched only from the user's scope (404 outside it)."""

    pk_url_kwarg = "pk"

    def get_scoped_queryset(self) -> QuerySet:
        raise ImproperlyConfigured(f"{type(self).__name__} must define get_scoped_queryset().")

    def get_object(self):
        return self.reading(get_object_or_404(self.get_scoped_queryset(), pk=self.kwargs[self.pk_url_kwarg]))


class OwnCentreMixin:
    """A page or API view of the worker's own centre (for Django's views and DRF's alike): `self.own_awc` is her AWC.

    Looked up when first asked (after the role checks) and kept for the request; anyone who is not a centre's
    worker gets 403 saying so."""

    @classmethod
    def admits(cls, user) -> bool:
        """Only a centre's worker: anyone else with the permissions (an administrator holds them all) gets 403."""
        admits = getattr(super(), "admits", None)
        return (admits is None or admits(user)) and own_centre(user) is not None

    @cached_property
    def own_awc(self):
        awc = own_centre(self.request.user)
        if awc is None:
            raise PermissionDenied(NO_OWN_CENTRE)
        return awc
