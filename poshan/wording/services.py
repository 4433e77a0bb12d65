"""Proposing, deciding and exporting corrections of the translations. Every step is audited."""
from __future__ import annotations

import re
from collections import Counter

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from poshan.core.audit import audit_record
from poshan.core.models import AuditEvent
from poshan.core.roles import Role
from poshan.wording import catalogue
from poshan.wording.models import WordingCorrection

PROPOSERS = frozenset({Role.STATE, Role.ADMIN})
DECIDERS = frozenset({Role.ADMIN})
# %(name)s, %s, %d, %%, {name}, {0}: what Python's % and str.format (and the pages' scripts) fill in.
PLACEHOLDER = re.compile(r"%\(\w+\)[sdifr]|%[sdifr%]|\{\w*\}")


def placeholders(text: str) -> Counter:
    return Counter(PLACEHOLDER.findall(text))


def propose(*, actor, language: str, msgid: str, proposed: str) -> WordingCorrection:
    """A state official (or an admin) proposes a better wording of one string of a language of the portal."""
    if getattr(actor, "role", None) not in PROPOSERS:
        raise PermissionDenied
    if language not in catalogue.correctable_languages():
        raise ValidationError(_("Corrections can be proposed only for the portal's languages other than English."))
    current = dict(catalogue.entries(language)).get(msgid)
    if current is None:
        raise ValidationError(_("This text is not in the catalogue of that language."))
    proposed = proposed.strip()
    if not proposed:
        raise ValidationError(_("Write the better wording."))
    if proposed == current:
        raise ValidationError(_("The wording is the same as the one shown now."))
    source = msgid.split("\x04", 1)[-1]
    if placeholders(proposed) != placeholders(source):
        raise ValidationError(_("Keep every placeholder of the original exactly as it is (%(placeholders)s), "
                                "and add none.") % {"placeholders": " ".join(sorted(placeholders(source))) or "—"})
    with transaction.atomic():
        correction = WordingCorrection.objects.create(language=language, msgid=msgid, previous=current,
                                                      proposed=proposed, proposed_by=actor)
        audit_record(actor=actor, action=AuditEvent.Action.CREATE, obj=correction,
                     fields=["language", "msgid", "proposed"])
    return correction


def decide(*, actor, correction: WordingCorrection, approve: bool) -> WordingCorrection:
    """An admin approves (it shows at once, in every process) or rejects a proposed correction."""
    if getattr(actor, "role", None) not in DECIDERS:
        raise PermissionDenied
    with transaction.atomic():
        locked = WordingCorrection.objects.select_for_update().get(pk=correction.pk)
        if locked.status != WordingCorrection.Status.PROPOSED:
            raise ValidationError(_("This correction has already been decided."))
        locked.status = WordingCorrection.Status.APPROVED if approve else WordingCorrection.Status.REJECTED
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "decided_by", "decided_at"])
        audit_record(actor=actor, action=AuditEvent.Action.UPDATE, obj=locked, fields=["status"])
        if approve:
            # Now (this process) and again once committed (a process that read the version in between).
            catalogue.invalidate()
            transaction.on_commit(catalogue.invalidate)
    return locked


def _quoted(text: str) -> str:
    escaped = (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t")
               .replace("\r", "\\r"))
    return f'"{escaped}"'


def export_po(*, actor, language: str) -> str:
    """The approved corrections of one language as a .po file, to merge into locale/<language>/django.po."""
    if getattr(actor, "role", None) not in DECIDERS:
        raise PermissionDenied
    if language not in catalogue.correctable_languages():
        raise ValidationError(_("Corrections can be proposed only for the portal's languages other than English."))
    lines = ['msgid ""', 'msgstr ""', _quoted("Content-Type: text/plain; charset=UTF-8\n"),
             _quoted("Content-Transfer-Encoding: 8bit\n"), _quoted(f"Language: {language}\n"), ""]
    for msgid, wording in sorted(catalogue.approved(language).items()):
        context, _sep, text = msgid.rpartition("\x04")
        if "%(" in text:
            lines.append("#, python-format")
        if context:
            lines.append(f"msgctxt {_quoted(context)}")
        lines += [f"msgid {_quoted(text)}", f"msgstr {_quoted(wording)}", ""]
    audit_record(actor=actor, action=AuditEvent.Action.EXPORT, object_type="wording_po", object_id=language)
    return "\n".join(lines)
