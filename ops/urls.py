"""Routes of the operator pieces: /healthz, the offline /sandbox/ chat and the demo's /privacy/ policy."""

from django.urls import include, path

from ops.privacy import privacy_policy
from ops.views import healthz

urlpatterns = [
    path("sandbox/", include("ops.sandbox.urls")),
    path("healthz", healthz, name="healthz"),
    path("privacy/", privacy_policy, name="privacy-policy"),
]
