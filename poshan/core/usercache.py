"""What a signed-in user may do and where she works, kept in the cache between requests (and API calls).

Every request used to read the user's permissions (two statements) and her staff assignment (one) again. They
change seldom, so each is kept per user, stamped with the user row's role and status (read fresh with the
session or token anyway) and with a generation that any change to a role's permissions or to the location tree
moves on. A change to one user (her role, groups, permissions or assignment) forgets her entries at once and
again when the change commits, so the next request sees it; a change to a role's group forgets everyone's.
Entries also expire after TIMEOUT seconds. With the cache down everything is read from the database as before.
"""
from __future__ import annotations

import time
from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction

GENERATION = "usercache:generation"
NAMES = ("perms", "area")
TIMEOUT = 300


def _key(name: str, user_id: int) -> str:
    return f"usercache:{name}:{user_id}"


def _stamp(user) -> tuple:
    return (user.role, user.is_active, user.is_superuser)


def cached_for_user(user, name: str, compute: Callable[[], object]):
    """The value `compute()` gives for this user, from the cache when still current. One round trip per request
    for all her entries: the first read fetches every name's (kept on the user object, which lives as long as
    the request)."""
    key = _key(name, user.pk)
    got = getattr(user, "_usercache_got", None) if name in NAMES else None
    if got is None:
        got = cache.get_many([*(_key(n, user.pk) for n in (NAMES if name in NAMES else (name,))), GENERATION])
        if name in NAMES:
            user._usercache_got = got
    generation = got.get(GENERATION) or 0
    entry = got.get(key)
    if entry is not None and entry[0] == generation and entry[1] == _stamp(user):
        return entry[2]
    value = compute()
    got[key] = (generation, _stamp(user), value)
    cache.set(key, got[key], TIMEOUT)
    return value


def forget_user(user_id: int | None) -> None:
    """One user's role, groups, permissions or assignment changed: read them again on her next request."""
    if user_id is None:
        return
    keys = [_key(name, user_id) for name in NAMES]
    cache.delete_many(keys)
    transaction.on_commit(lambda: cache.delete_many(keys))  # a request that read the old rows meanwhile


def forget_everyone() -> None:
    """A role's permissions or the location tree changed: every entry is out of date."""
    def bump():
        try:
            cache.incr(GENERATION)
        except ValueError:  # never set, or evicted: start somewhere no old entry can name
            cache.set(GENERATION, time.time_ns(), None)

    bump()
    transaction.on_commit(bump)


def prime_permissions(user) -> None:
    """Give the user object the permissions ModelBackend would read, from the cache (ModelBackend then uses
    them: it keeps them on the object as `_perm_cache`)."""
    if not user.is_active or user.pk is None or hasattr(user, "_perm_cache"):
        return
    from django.contrib.auth.backends import ModelBackend
    from django.contrib.auth.models import Permission

    def compute():
        if user.is_superuser:  # every permission: ModelBackend's own rule
            return set(ModelBackend().get_all_permissions(user))
        # Hers and her groups' in one statement (ModelBackend reads them in two): a UNION, each side on its index
        # (one OR across both joins was planned as a scan, 3x slower).
        fields = ("content_type__app_label", "codename")
        granted = Permission.objects.filter(user=user).order_by().values_list(*fields).union(
            Permission.objects.filter(group__user=user).order_by().values_list(*fields))
        return {f"{app_label}.{codename}" for app_label, codename in granted}

    user._perm_cache = cached_for_user(user, "perms", compute)


def _user_changed(sender, instance, **kwargs) -> None:
    instance.__dict__.pop("_usercache_got", None)  # what this request fetched for her
    forget_user(instance.pk)


def _membership_changed(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    """A user's groups or own permissions (forward), or a group's members (reverse)."""
    if not action.startswith("post_"):
        return
    from django.contrib.auth import get_user_model

    if isinstance(instance, get_user_model()):
        forget_user(instance.pk)
    else:
        forget_everyone()


def _group_changed(sender, **kwargs) -> None:
    if kwargs.get("action", "post_").startswith("post_"):
        forget_everyone()


def connect() -> None:
    """Called by CoreConfig.ready."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db.models.signals import m2m_changed, post_delete, post_save

    user_model = get_user_model()
    post_save.connect(_user_changed, sender=user_model, dispatch_uid="usercache.user_saved")
    post_delete.connect(_user_changed, sender=user_model, dispatch_uid="usercache.user_deleted")
    m2m_changed.connect(_membership_changed, sender=user_model.groups.through, dispatch_uid="usercache.groups")
    m2m_changed.connect(_membership_changed, sender=user_model.user_permissions.through,
                        dispatch_uid="usercache.user_permissions")
    m2m_changed.connect(_group_changed, sender=Group.permissions.through, dispatch_uid="usercache.group_perms")
    post_delete.connect(_group_changed, sender=Group, dispatch_uid="usercache.group_deleted")
