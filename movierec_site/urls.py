from django.contrib import admin
from django.urls import include, path

from movierec_site import health

urlpatterns = [
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("admin/", admin.site.urls),
    path("api/", include("movierec_site.api.urls")),
    path("", include("movierec_site.web.urls")),
]
