from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .roles import Role
from .usercache import prime_permissions


class User(AbstractUser):
    """A member of staff. Exactly one role; the assigned location lives in `anganwadi`."""

    role = models.CharField(_("role"), max_length=16, choices=Role.choices, blank=True)
    preferred_language = models.CharField(_("language"), max_length=8, blank=True)

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        permissions = [("view_staff_in_area", "Can list the staff of own area")]

    # Permissions come from the cache between requests (poshan/core/usercache.py); ModelBackend then reads them.
    def get_all_permissions(self, obj=None):
        if obj is None:
            prime_permissions(self)
        return super().get_all_permissions(obj)

    def has_perm(self, perm, obj=None):
        if obj is None:
            prime_permissions(self)
        return super().has_perm(perm, obj)

    def has_module_perms(self, app_label):
        prime_permissions(self)
        return super().has_module_perms(app_label)


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

    # Its index is made by a migration (0006): BRIN on PostgreSQL (events arrive in time order, so a few pages of
    # block ranges serve "since" and date filters at almost no cost to each insert), B-tree on SQLite.
    at = models.DateTimeField(default=timezone.now)
    # No index of its own: audit_actor_at (actor, at) leads with it. No constraint on PostgreSQL (migration 0007):
    # each event's check at commit locked the user's row; PROTECT still keeps a user who has events.
    actor = models.ForeignKey("core.User", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                              db_index=False, db_constraint=False)
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
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_id} {self.action} {self.object_type}:{self.object_id}"


class AuditLeaf(models.Model):
    """An audit event's place in its tree (one per state; tree 0 holds events with no state), written by the sealer.

    leaf_hash = SHA-256(0x00 || "<event id>:<event hash>") as RFC 6962 has it (poshan.core.merkle).
    """

    tree = models.BigIntegerField()
    index = models.BigIntegerField()
    event_id = models.BigIntegerField(unique=True)
    event_at = models.DateTimeField()
    leaf_hash = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tree", "index"], name="auditleaf_tree_index")]


class AuditNode(models.Model):
    """A complete subtree of 2**level leaves of an audit tree, stored from level audit_tree.STORED_NODE_LEVEL up
    (events sealed before 2026-12-06 also have levels 1-3); with the leaves it answers every proof."""

    tree = models.BigIntegerField()
    level = models.SmallIntegerField()
    index = models.BigIntegerField()
    hash = models.CharField(max_length=64)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["tree", "level", "index"], name="auditnode_tree_level_index")]


class AuditTree(models.Model):
    """The current size and root of one audit tree (the sealer's working state; the signed heads are the record)."""

    tree = models.BigIntegerField(primary_key=True)
    size = models.BigIntegerField(default=0)
    root = models.CharField(max_length=64, blank=True)


class AuditSignedHead(models.Model):
    """A signed statement of every tree's size and root at a moment, and the national root over them (Ed25519)."""

    serial = models.BigIntegerField(unique=True)
    signed_at = models.DateTimeField()
    trees = models.JSONField(default=list)  # [[tree, size, root hex], ...] in tree order
    root = models.CharField(max_length=64)
    public_key = models.CharField(max_length=64)
    signature = models.CharField(max_length=128)

    def as_dict(self) -> dict:
        return {"serial": self.serial, "time": self.signed_at.isoformat(), "trees": self.trees, "root": self.root,
                "public_key": self.public_key, "signature": self.signature}


class AuditSealState(models.Model):
    """The sealer's one row: every event with id <= sealed_through_id is sealed; and the lease on SQLite."""

    sealed_through_id = models.BigIntegerField(default=0)
    lease_holder = models.CharField(max_length=64, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)


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
