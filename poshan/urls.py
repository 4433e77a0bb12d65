from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView

from poshan.core import pwa, tokens
from poshan.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("accounts/login/", core_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", core_views.logout_view, name="logout"),
    path("accounts/profile/", core_views.profile, name="profile"),
    path("accounts/language/", core_views.choose_language, name="login_language"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("audit/", core_views.AuditListView.as_view(), name="audit_list"),
    path("sw.js", pwa.service_worker, name="service_worker"),  # at the root: its scope is the whole site
    path("offline/", pwa.offline, name="offline"),
    path("", include("anganwadi.urls")),
    path("beneficiaries/", include("beneficiaries.urls")),
    path("grievances/", include("grievances.urls")),
    path("training/", include("training.urls")),
    path("thr/", include("thr_frs.urls")),
    path("growth/", include("growth.urls")),
    path("dashboard/", include("poshan.dashboards.urls")),
    path("registers/", include("poshan.registers.urls")),
    path("supervision/", include("poshan.supervision.urls")),
    path("wording/", include("poshan.wording.urls")),
    path("admin/", admin.site.urls),
    path("api/v1/", include("poshan.api_urls")),
    path("api/v1/auth/token/", tokens.ObtainTokenView.as_view(), name="api-token"),
    path("api/v1/auth/logout/", tokens.RevokeTokensView.as_view(), name="api-logout"),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
]
