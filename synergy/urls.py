"""The roof: wires every app's pages and APIs."""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from synergy.core import display, pwa
from synergy.core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    path("manifest.webmanifest", pwa.manifest, name="manifest"),
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("offline/", pwa.offline, name="offline"),
    path("display/large-type/", display.large_type_toggle, name="large_type"),
    path("i18n/setlang/", core_views.set_language, name="set_language"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
    path("api/v1/", include("synergy.core.api.urls")),
    path("api/v1/", include("villages.api.urls")),
    path("api/v1/", include("villages.exchange.api.urls")),
    path("api/v1/", include("community.api.urls")),
    path("api/v1/", include("analytics.api.urls")),
    path("admin/", admin.site.urls),
    path("accounts/login/", core_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", core_views.LogoutView.as_view(), name="logout"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("", include("synergy.core.urls")),
    path("villages/", include("villages.urls")),
    path("exchange/", include("villages.exchange.urls")),
    path("community/", include("community.urls")),
    path("analytics/", include("analytics.urls")),
    path("", core_views.home, name="home"),
]

if settings.SERVE_MEDIA:
    urlpatterns += [path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT})]

handler400 = "synergy.core.views.bad_request"
handler403 = "synergy.core.views.permission_denied"
handler404 = "synergy.core.views.page_not_found"
handler500 = "synergy.core.views.server_error"
