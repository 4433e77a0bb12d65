from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .roles import Role


class User(AbstractUser):
    """A member of staff. Exactly one role; the assigned location lives in `anganwadi`."""

    role = models.CharField(_("role"), max_length=16, choices=Role.choices, blank=True)
    preferred_language = models.CharField(_("language"), max_length=8, blank=True)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        permissions = [("view_staff_in_area", "Can list the staff of own area")]


class AuditEvent(models.Model):
    """Append-only record of who did what to which object, chained with an HMAC.

    Never the personal values themselves: `fields` names what changed, not to what.
    """

    class Action(models.TextChoices):
        CREATE = "create", _("create")
        UPDATE = "update", _("update")
        DELETE = "delete", _("delete")
        VIEW = "view", _("view")
        EXPORT = "export", _("export")
        LOGIN = "login", _("login")
        LOGOUT = "logout", _("logout")
        LOGIN_FAILED = "login_failed", _("failed login")

    at = models.DateTimeField(default=timezone.now, db_index=True)
    # No index of its own: audit_actor_at (actor, at) leads with it.
    actor = models.ForeignKey("core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                              db_index=False)
    actor_role = models.CharField(max_length=16, blank=True)
    action = models.CharField(max_length=32, choices=Action.choices)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=64, blank=True)
    awc_id = models.BigIntegerField(null=True, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=256, blank=True)
    fields = models.JSONField(default=list, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["awc_id", "at"], name="audit_awc_at"),
            models.Index(fields=["actor", "at"], name="audit_actor_at"),
            models.Index(fields=["object_type", "object_id"], name="audit_object"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_id} {self.action} {self.object_type}:{self.object_id}"


class KeyRotationCheckpoint(models.Model):
    """Progress of `manage.py rotate_keys`, so an interrupted run resumes where it stopped."""

    model_label = models.CharField(max_length=100, unique=True)
    last_pk = models.BigIntegerField(default=0)
    done = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)


class SubmissionReceipt(models.Model):
    """The answer given to a queued submission, kept so a replay gets the same answer (never a duplicate)."""

    client_uuid = models.UUIDField(unique=True)
    kind = models.CharField(max_length=32)
    user = models.ForeignKey("core.User", on_delete=models.PROTECT, related_name="+")
    response = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)
