from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo and benchmark world (`manage.py seed_demo`); sits at the top of the house."""

    name = "poshan.demo"
    label = "demo"
    verbose_name = "Demo data"
