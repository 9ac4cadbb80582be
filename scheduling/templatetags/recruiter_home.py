"""{% recruiter_home %}: the admin home page's «what needs you now» block (templates/admin/index.html)."""

from __future__ import annotations

from typing import Any

from django import template

from scheduling.admin.home import home_for

register = template.Library()


@register.inclusion_tag("admin/recruiter_home.html", takes_context=True)
def recruiter_home(context: template.Context) -> dict[str, Any]:
    return {"home": home_for(context["request"].user)}
