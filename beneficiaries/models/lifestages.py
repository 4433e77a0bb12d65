"""A life-stage change made by the nightly task (reaching 6, an overdue pregnancy, the end of lactation or of
the adolescent girls' scheme): kept so the worker sees what changed last night and a supervisor can reverse it."""
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from anganwadi.models import Location

from .. import lifestage_rules as rules
from .people import Beneficiary


class LifeStageChange(models.Model):
    class Kind(models.TextChoices):
        AGED_OUT = rules.AGED_OUT, _("Reached 6 years: left the services for children of 3–6 years")
        PREGNANCY_OVERDUE = rules.PREGNANCY_OVERDUE, _("Past the expected date: record the delivery or the outcome")
        LACTATION_ENDED = rules.LACTATION_ENDED, _("6 months after delivery: no longer a lactating mother")
        ADOLESCENCE_ENDED = rules.ADOLESCENCE_ENDED, _("Left the scheme for adolescent girls by age")

    beneficiary = models.ForeignKey(Beneficiary, on_delete=models.CASCADE, related_name="life_stage_changes",
                                    db_index=False)
    awc = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="+", db_index=False)
    kind = models.CharField(_("change"), max_length=20, choices=Kind.choices)
    effective_on = models.DateField(_("took effect on"))
    run_on = models.DateField(_("recorded on the night of"))
    created_at = models.DateTimeField(default=timezone.now)
    undone_at = models.DateTimeField(null=True, blank=True)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    undo_reason = models.TextField(_("why the change was reversed"), max_length=500, blank=True)

    class Meta:
        ordering = ["-run_on", "kind", "id"]
        constraints = [
            models.UniqueConstraint(fields=["beneficiary", "kind", "effective_on"], name="life_stage_change_once"),
            models.CheckConstraint(condition=Q(undone_at__isnull=True) | ~Q(undo_reason=""),
                                   name="life_stage_undo_has_reason"),
        ]
        indexes = [models.Index(fields=["awc", "run_on"], name="life_stage_awc_night")]

    def __str__(self) -> str:
        return f"{self.beneficiary_id}: {self.kind} on {self.effective_on}"
