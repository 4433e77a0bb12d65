from django.apps import AppConfig


class ThrFrsConfig(AppConfig):
    name = "thr_frs"
    verbose_name = "Take-home ration and face recognition"
