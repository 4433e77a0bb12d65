"""Admin writes are audited like any other write."""
from __future__ import annotations

from .audit import audit_record
from .models import AuditEvent


class AuditedAdminMixin:
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit_record(
            actor=request.user,
            action=AuditEvent.Action.UPDATE if change else AuditEvent.Action.CREATE,
            obj=obj,
            fields=form.changed_data if change else (),
        )

    def delete_model(self, request, obj):
        pk = obj.pk
        label = obj._meta.label_lower
        super().delete_model(request, obj)
        audit_record(actor=request.user, action=AuditEvent.Action.DELETE, object_type=label, object_id=pk)
