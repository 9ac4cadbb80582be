"""The recruiters' UI: slots with status counters and decisions, bulk creation, cities, recruiters.

Django autodiscovers `scheduling.admin`: importing the admin modules here registers them.
`scoping` holds what the other apps' admins share (ScopedObjectMixin, ReadOnlyInline).
"""

from django.contrib import admin

from scheduling.admin import meeting_places, recruiters, slots
from scheduling.admin.login import AdminLoginForm

admin.site.site_header = "Interview Scheduler — рабочее место рекрутёра"
admin.site.site_title = "Interview Scheduler"
admin.site.index_title = "Слоты, кандидаты и уведомления"
# The one-time code is asked only of users with a confirmed django-otp device (scheduling/admin/login.py).
admin.site.login_form = AdminLoginForm
admin.site.login_template = "admin/login_otp.html"

__all__ = ["meeting_places", "recruiters", "slots"]
