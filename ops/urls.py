"""Routes of the operator pieces: /healthz and the offline /sandbox/ chat."""

from django.urls import include, path

from ops.views import healthz

urlpatterns = [
    path("sandbox/", include("ops.sandbox.urls")),
    path("healthz", healthz, name="healthz"),
]
