"""Routes scheduling serves outside the admin."""

from django.urls import path

from scheduling import views

urlpatterns = [
    # token_urlsafe's alphabet is exactly the slug converter's: letters, digits, "-" and "_".
    path("calendar/<slug:token>.ics", views.calendar_feed, name="calendar-feed"),
]
