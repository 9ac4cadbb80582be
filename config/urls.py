"""URL routes: the admin is the recruiters' UI; the ops app adds /healthz and the offline /sandbox/ chat.

Apps are included by dotted name: config sits below every app and imports none of them.
"""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("ops.urls")),
]
