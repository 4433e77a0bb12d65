from django.apps import AppConfig


class DashboardsConfig(AppConfig):
    name = "poshan.dashboards"
    label = "dashboards"
    verbose_name = "Dashboards and exports"
