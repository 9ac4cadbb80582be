"""URL routes: the admin is the recruiters' UI; /sandbox/ is the offline candidate chat; /healthz for probes."""

from django.contrib import admin
from django.urls import include, path

from config.health import healthz

urlpatterns = [
    path("admin/", admin.site.urls),
    path("sandbox/", include("botapp.sandbox.urls")),
    path("healthz", healthz, name="healthz"),
]
