"""The registers keep no data of their own: this model only carries their permission."""
from django.db import models


class RegisterAccess(models.Model):
    class Meta:
        managed = False
        default_permissions = ()
        permissions = [("view_registers", "Can see the digital registers of own area (AWC: own centre)")]
