from typing import Any

from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import SetPasswordForm
from django.http import HttpRequest

from caseaudit.accounts.backends import sign_in_is_locked


class SignInForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        error_messages={"required": "Enter your email address", "invalid": "Enter a valid email address"},
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput,
        error_messages={"required": "Enter your password"},
    )

    # A wrong email address or password is fixed from the first field (the error summary links there).
    non_field_errors_field = "email"

    def __init__(self, request: HttpRequest, *args: Any, **kwargs: Any) -> None:
        self.request = request
        self.user_cache: Any = None
        super().__init__(*args, **kwargs)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        email, password = cleaned.get("email"), cleaned.get("password")
        if email and password:
            if sign_in_is_locked(email):
                raise forms.ValidationError(
                    "This account is locked after too many failed sign-ins. Try again in 15 minutes "
                    "or ask your administrator to unlock it",
                    code="locked",
                )
            self.user_cache = authenticate(self.request, username=email, password=password)
            if self.user_cache is None:
                if sign_in_is_locked(email):
                    raise forms.ValidationError(
                        "This account is locked after too many failed sign-ins. Try again in 15 minutes "
                        "or ask your administrator to unlock it",
                        code="locked",
                    )
                raise forms.ValidationError(
                    "Enter a correct email address and password", code="invalid_login"
                )
            if not self.user_cache.is_active:
                raise forms.ValidationError("This account has been deactivated", code="inactive")
        return cleaned


class InvitationPasswordForm(SetPasswordForm):
    """Choosing a first password from an invitation link; Django's validators apply."""


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label="Name of the token",
        help_text="Say what will use it, for example “Nightly register export”.",
        max_length=100,
        error_messages={"required": "Enter a name for the token"},
    )
