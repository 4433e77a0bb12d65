"""A mistaken exit undone: who undid it, when, why, and what the exit had said (kept, never overwritten)."""
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .people import Beneficiary


class ExitUndo(models.Model):
    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.CASCADE, related_name="exit_undos")
    exited_on = models.DateField(_("left on"))
    exit_reason = models.CharField(_("reason for leaving"), max_length=16, choices=Beneficiary.ExitReason.choices)
    reason = models.TextField(_("why the exit was undone"), max_length=500)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    undone_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-undone_at", "-id"]
        constraints = [models.CheckConstraint(condition=~models.Q(reason=""), name="exit_undo_has_reason")]

    def __str__(self) -> str:
        return f"{self.beneficiary_id}: {self.exit_reason} on {self.exited_on} undone"
