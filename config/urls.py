"""URL routes: the admin is the recruiters' UI; the ops app adds /healthz and the offline /sandbox/ chat.

Apps are included by dotted name: config sits below every app and imports none of them.
"""

from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from django.views.static import serve

# «Открыть сайт» in the admin's header: the recruiters' site is the admin itself unless SITE_URL says otherwise.
admin.site.site_url = settings.SITE_URL
# The left navigation repeats the home page and takes 280 px the slot list needs at 1280 px.
admin.site.enable_nav_sidebar = False

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="admin:index", permanent=False), name="site-root"),
    # Browsers ask for /favicon.ico on every page whatever the HTML says; serve the one file directly,
    # so it answers even where nothing serves /static/.
    path("favicon.ico", serve, {"path": "favicon.ico", "document_root": settings.BASE_DIR / "config" / "static"}),
    # The lead's funnel (scheduling/admin/funnel.py) sits under the admin, before the admin's own catch-all.
    path("admin/funnel/", include("scheduling.admin.funnel")),
    path("admin/", admin.site.urls),
    path("", include("ops.urls")),
    # Each recruiter's calendar feed (a secret URL that calendar apps subscribe to).
    path("", include("scheduling.urls")),
]
