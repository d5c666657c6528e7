from typing import Any

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import PasswordResetConfirmView
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from caseaudit.accounts.forms import ApiTokenForm, InvitationPasswordForm, SignInForm
from caseaudit.accounts.selectors import api_tokens_of
from caseaudit.accounts.services import api_token_create, api_token_revoke
from caseaudit.core.services import audit_event_record


@require_http_methods(["GET", "POST"])
def sign_in(request: HttpRequest) -> HttpResponse:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, allowed_hosts={request.get_host()}):
        next_url = ""
    form = SignInForm(request, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        login(request, form.user_cache, backend="caseaudit.accounts.backends.LockoutModelBackend")
        return redirect(next_url or "core:home")
    return render(request, "accounts/sign_in.html", {"form": form, "next": next_url})


@require_http_methods(["GET", "POST"])
def sign_out(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        logout(request)
        return redirect("accounts:sign-in")
    return render(request, "accounts/sign_out.html")


class InvitationView(PasswordResetConfirmView):
    """A new member of staff follows their invitation link and chooses a password."""

    template_name = "accounts/invitation.html"
    form_class = InvitationPasswordForm
    success_url = reverse_lazy("accounts:sign-in")
    post_reset_login = False

    def form_valid(self, form: Any) -> HttpResponse:
        with transaction.atomic():
            response = super().form_valid(form)
            audit_event_record(
                actor=form.user,
                action="account.password_set",
                object_type="user",
                object_ref=str(form.user.pk),
                summary="Password chosen from an invitation link",
            )
        messages.success(self.request, "Your password is set. Sign in with your email address.")
        return response


@login_required
@require_http_methods(["GET", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    new_token = None
    if request.method == "POST":
        revoke_id = request.POST.get("revoke")
        if revoke_id:
            token = api_tokens_of(user=request.user).filter(pk=revoke_id).first()
            if token is not None and token.is_active:
                api_token_revoke(user=request.user, token=token)
                messages.success(request, f"Token “{token.name}” revoked")
            return redirect("accounts:tokens")
        if form.is_valid():
            _, new_token = api_token_create(user=request.user, name=form.cleaned_data["name"])
            form = ApiTokenForm()
    return render(
        request,
        "accounts/tokens.html",
        {"form": form, "new_token": new_token, "tokens": api_tokens_of(user=request.user)},
    )
