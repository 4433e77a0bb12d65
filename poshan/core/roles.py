"""Roles and the levels of the location tree.

A user has exactly one role and one assigned location; the role (a Django group
with model permissions) decides what the user may *do*, the location decides which
rows they *see*. Each app declares the permissions its roles need as
`role_permissions` on its AppConfig; `sync_role_groups` gathers them after migrate.
"""
from __future__ import annotations

from django.apps import apps as global_apps
from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    NATION = "nation", _("Nation")
    STATE = "state", _("State")
    DISTRICT = "district", _("District")
    PROJECT = "project", _("Project (block)")
    SECTOR = "sector", _("Sector")
    AWC = "awc", _("Anganwadi centre")


# Top to bottom; a level's parent is the one before it.
LEVEL_ORDER: tuple[str, ...] = (
    Level.NATION, Level.STATE, Level.DISTRICT, Level.PROJECT, Level.SECTOR, Level.AWC,
)


def parent_level(level: str) -> str:
    return LEVEL_ORDER[LEVEL_ORDER.index(level) - 1]


def child_level(level: str) -> str | None:
    index = LEVEL_ORDER.index(level)
    return LEVEL_ORDER[index + 1] if index + 1 < len(LEVEL_ORDER) else None


class Role(models.TextChoices):
    AWW = "aww", _("Anganwadi worker")
    AWH = "awh", _("Anganwadi helper")
    SUPERVISOR = "supervisor", _("Supervisor")
    CDPO = "cdpo", _("CDPO / block coordinator")
    DPO = "dpo", _("DPO / district coordinator")
    STATE = "state", _("State official")
    MINISTRY = "ministry", _("Ministry")
    HELPLINE = "helpline", _("Helpline operator")
    ADMIN = "admin", _("Administrator")


ROLE_LEVEL: dict[str, str] = {
    Role.AWW: Level.AWC,
    Role.AWH: Level.AWC,
    Role.SUPERVISOR: Level.SECTOR,
    Role.CDPO: Level.PROJECT,
    Role.DPO: Level.DISTRICT,
    Role.STATE: Level.STATE,
    Role.MINISTRY: Level.NATION,
    Role.HELPLINE: Level.NATION,
    Role.ADMIN: Level.NATION,
}

# Roles that serve or follow up a person and so see names; everyone above works with figures.
NAME_ROLES = frozenset({Role.AWW, Role.AWH, Role.SUPERVISOR})
# Roles that work at the centre itself.
CENTRE_ROLES = frozenset({Role.AWW, Role.AWH})


def group_name(role: str) -> str:
    return f"role:{role}"


def declared_permissions() -> dict[str, set[str]]:
    """Role → {"app_label.codename"} gathered from every installed app."""
    wanted: dict[str, set[str]] = {role: set() for role in Role.values}
    for config in global_apps.get_app_configs():
        for role, perms in getattr(config, "role_permissions", {}).items():
            wanted[role].update(perms)
    return wanted


def sync_role_groups(apps=global_apps) -> None:
    """Make each role's group hold exactly the declared permissions."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, perms in declared_permissions().items():
        group, _ = Group.objects.get_or_create(name=group_name(role))
        wanted = []
        for dotted in sorted(perms):
            app_label, codename = dotted.split(".", 1)
            perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if perm is not None:  # the app's migration may not have run yet
                wanted.append(perm)
        group.permissions.set(wanted)


def sync_role_groups_handler(sender, **kwargs) -> None:
    """post_migrate is sent once per app with models; sync after the last one's permissions exist."""
    with_models = [config for config in global_apps.get_app_configs() if config.models_module is not None]
    if sender is with_models[-1]:
        sync_role_groups()
