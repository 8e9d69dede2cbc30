from django.contrib import admin
from django.urls import include, path

from movierec_site import health
from movierec_site.web.forms import AdminLoginForm
from movierec_site.web.views.favicon import favicon_view

# The admin's log-in is limited as the site's is (core/limits.py).
admin.site.login_form = AdminLoginForm

urlpatterns = [
    path("healthz", health.healthz_view, name="healthz"),
    path("readyz", health.readyz_view, name="readyz"),
    path("favicon.ico", favicon_view, name="favicon"),
    path("admin/", admin.site.urls),
    path("api/", include("movierec_site.api.urls")),
    path("", include("movierec_site.web.urls")),
]
