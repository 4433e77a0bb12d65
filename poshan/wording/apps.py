from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WordingConfig(AppConfig):
    """Corrections of the translations proposed by officials in the running portal (poshan/wording/catalogue.py)."""

    name = "poshan.wording"
    label = "wording"
    verbose_name = _("Translation corrections")

    def ready(self):
        from django.core.signals import request_started

        from poshan.wording import catalogue

        request_started.connect(catalogue.on_request_started, dispatch_uid="wording-corrections")
