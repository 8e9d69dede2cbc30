from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("movierec_site.api.urls")),
    path("", include("movierec_site.web.urls")),
]
