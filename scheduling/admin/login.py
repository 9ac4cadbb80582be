"""The admin's login form: django-otp's one-time code, asked only of users who enrolled a device.

django-otp's OTPAdminSite would demand a device from every staff member and replace the project's admin
site (its customised index, every registration); instead the default site keeps working and its login form
is django-otp's own admin form with one rule changed: no confirmed device, no code asked — unless the user
is a superuser and ADMIN_REQUIRE_2FA is on. Failed passwords are counted by django-axes (settings.py).
"""

from __future__ import annotations

from typing import Any

from axes.helpers import get_client_username, get_cool_off, get_failure_limit
from django import forms
from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django_otp import devices_for_user, user_has_device
from django_otp.admin import OTPAdminAuthenticationForm
from django_otp.forms import OTPAuthenticationFormMixin
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from scheduling.admin.recruiters import bind_code_ttl_label

TOKEN_REQUIRED = (
    "Для этой учётной записи включена двухфакторная защита: введите шестизначный код из приложения-"
    "аутентификатора (или резервный код) и нажмите «Войти» ещё раз."
)
SETUP_REQUIRED = (
    "Суперпользователь входит только с двухфакторной защитой, а у этой учётной записи её ещё нет. "
    "Администратор сервера выдаёт резервный код командой «manage.py addstatictoken ИМЯ» (см. docs/deploy.md)."
)


class AdminLoginForm(OTPAdminAuthenticationForm):
    otp_device = forms.CharField(label="Устройство", required=False, widget=forms.Select)
    otp_token = forms.CharField(
        label="Одноразовый код",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )
    otp_error_messages = {
        **OTPAuthenticationFormMixin.otp_error_messages,
        "token_required": TOKEN_REQUIRED,
        "invalid_token": "Код неверный или устарел: введите текущий код из приложения.",
        "device_required": "Выберите устройство, с которого вводите код.",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The template shows the code field only once the password proved the user has a device.
        self.needs_token = False

    def clean(self) -> dict[str, Any]:
        self.cleaned_data = AdminAuthenticationForm.clean(self)
        user = self.get_user()
        if user is None:
            return self.cleaned_data
        if user_has_device(user):
            self.needs_token = True
            self.fields["username"].widget.attrs.pop("autofocus", None)  # the cursor goes to the code
            self.clean_otp(user)
        elif settings.ADMIN_REQUIRE_2FA and user.is_superuser:
            raise forms.ValidationError(SETUP_REQUIRED, code="otp_setup_required")
        return self.cleaned_data

    def _chosen_device(self, user: Any) -> Any:
        """The device picked in the list; with none picked, the only one the code's shape fits.

        Six digits are an authenticator's code, anything else a backup code: with one device of that kind
        nobody has to pick it, and no other device records a failed attempt (django-otp's concern).
        """
        device = super()._chosen_device(user)
        if device is not None:
            return device
        token = (self.cleaned_data.get("otp_token") or "").strip()
        kind = TOTPDevice if token.isdigit() else StaticDevice
        fitting = [d for d in devices_for_user(user, for_verify=True) if isinstance(d, kind)]
        return fitting[0] if len(fitting) == 1 else None


def lockout_response(request: HttpRequest, original_response: Any = None, credentials: Any = None) -> HttpResponse:
    """django-axes' lockout page (AXES_LOCKOUT_CALLABLE), in Russian with the wait in proper plural forms."""
    cool_off = get_cool_off(request)
    context = {
        **admin.site.each_context(request),
        "username": get_client_username(request, credentials) or "",
        "failure_limit": get_failure_limit(request, credentials),
        "cooloff": bind_code_ttl_label(cool_off) if cool_off else "",
    }
    return render(request, "admin/login_locked.html", context, status=settings.AXES_HTTP_RESPONSE_CODE)


def client_ip(request: HttpRequest) -> str:
    """The address axes counts failures for (AXES_CLIENT_IP_CALLABLE).

    Behind ADMIN_LOGIN_PROXY_COUNT proxies, the address the outermost of them saw: the N-th entry of X-Forwarded-For
    from the right, which the client cannot forge (entries to its left can be anything the client sent).
    """
    proxies = settings.ADMIN_LOGIN_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if proxies > 0 and len(forwarded) >= proxies:
        return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")
