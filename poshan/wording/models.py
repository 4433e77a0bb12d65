from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class WordingCorrection(models.Model):
    """A better wording of one string of one language's catalogue, proposed by an official, decided by an admin."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Waiting for a decision")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    language = models.CharField(max_length=8)
    msgid = models.TextField()  # the catalogue's key: "context\x04text" for a string with a context
    previous = models.TextField(blank=True)  # the translation she saw when she proposed
    proposed = models.TextField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["language", "status"], name="wording_lang_status")]
        ordering = ["proposed_at", "pk"]

    def __str__(self):
        return f"{self.language}: {self.msgid[:40]}"
