"""Field validators shared by models, forms and commands."""

import zoneinfo

from django.core.exceptions import ValidationError


def validate_timezone(value: str) -> None:
    """Accept only IANA zone names such as Europe/Moscow."""
    if not value or value not in zoneinfo.available_timezones():
        raise ValidationError("«%(value)s» — не часовой пояс IANA (например, Europe/Moscow).", params={"value": value})
