"""SEC-3: sign-in with strong passwords and lockout after repeated failures."""

from typing import Any

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import override_settings
from django.urls import reverse

from caseaudit.accounts.models import SignInFailure
from caseaudit.accounts.services import invitation_path
from caseaudit.org.tests.factories import TEST_PASSWORD, StaffFactory

pytestmark = pytest.mark.django_db


def sign_in(client: Any, email: str, password: str) -> Any:
    return client.post(reverse("accounts:sign-in"), {"email": email, "password": password})


def test_sign_in_with_email_in_any_case() -> None:
    from django.test import Client

    staff = StaffFactory(roles=["social_worker"])
    client = Client()
    response = sign_in(client, staff.email.upper(), TEST_PASSWORD)
    assert response.status_code == 302
    assert client.get(reverse("core:home")).status_code == 200


def test_wrong_password_shows_error_summary(client: Any) -> None:
    staff = StaffFactory()
    response = sign_in(client, staff.email, "not the password at all")
    body = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in body and "Enter a correct email address and password" in body
    assert body.count("<title>Error:") == 1


def test_empty_fields_name_each_field(client: Any, db: Any) -> None:
    body = sign_in(client, "", "").content.decode()
    assert 'href="#id_email"' in body and "Enter your email address" in body
    assert 'href="#id_password"' in body and "Enter your password" in body


@override_settings(LOCKOUT_FAILURES=3, LOCKOUT_MINUTES=15)
def test_lockout_after_repeated_failures_even_with_right_password(client: Any) -> None:
    staff = StaffFactory()
    for _ in range(3):
        sign_in(client, staff.email, "wrong password 123")
    assert SignInFailure.objects.filter(username=staff.email.lower()).count() == 3
    response = sign_in(client, staff.email, TEST_PASSWORD)
    assert response.status_code == 200
    assert "locked" in response.content.decode()
    assert "_auth_user_id" not in client.session


@override_settings(LOCKOUT_FAILURES=3)
def test_successful_sign_in_clears_failures(client: Any) -> None:
    staff = StaffFactory()
    sign_in(client, staff.email, "wrong password 123")
    assert sign_in(client, staff.email, TEST_PASSWORD).status_code == 302
    assert not SignInFailure.objects.filter(username=staff.email.lower()).exists()


def test_deactivated_staff_cannot_sign_in(client: Any) -> None:
    staff = StaffFactory()
    staff.user.is_active = False
    staff.user.save()
    assert sign_in(client, staff.email, TEST_PASSWORD).status_code == 200


@pytest.mark.parametrize("weak", ["short1!", "password1234", "123456789012"])
def test_weak_passwords_are_refused(weak: str) -> None:
    with pytest.raises(ValidationError):
        validate_password(weak)


def test_invitation_sets_first_password(client: Any) -> None:
    staff = StaffFactory()
    staff.user.set_unusable_password()
    staff.user.save()
    path = invitation_path(user=staff.user)
    response = client.get(path, follow=True)
    assert response.status_code == 200
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else path
    weak = client.post(form_url, {"new_password1": "password", "new_password2": "password"})
    assert "govuk-error-summary" in weak.content.decode()
    good = "a-long-and-unusual-passphrase-77"
    done = client.post(form_url, {"new_password1": good, "new_password2": good})
    assert done.status_code == 302
    client.logout()
    assert sign_in(client, staff.email, good).status_code == 302


def test_sign_out_needs_a_post(client: Any) -> None:
    staff = StaffFactory()
    client.force_login(staff.user)
    assert client.get(reverse("accounts:sign-out")).status_code == 200
    assert "_auth_user_id" in client.session
    client.post(reverse("accounts:sign-out"))
    assert "_auth_user_id" not in client.session


def test_next_is_followed_only_on_this_site(client: Any) -> None:
    staff = StaffFactory()
    url = reverse("accounts:sign-in") + "?next=https://evil.example/"
    response = client.post(url, {"email": staff.email, "password": TEST_PASSWORD})
    assert response["Location"] == reverse("core:home")


def test_invitation_link_command(client: Any) -> None:
    from io import StringIO

    from django.core.management import call_command
    from django.core.management.base import CommandError

    staff = StaffFactory()
    out = StringIO()
    call_command(
        "invitation_link", staff.email.upper(), "--base-url", "https://caseaudit.council.example", stdout=out
    )
    link = out.getvalue().strip()
    assert link.startswith("https://caseaudit.council.example/accounts/invitation/")
    assert client.get(link.removeprefix("https://caseaudit.council.example"), follow=True).status_code == 200
    with pytest.raises(CommandError):
        call_command("invitation_link", "nobody@example.test")


def test_a_wrong_password_in_the_error_summary_links_to_the_email_field(client: Any) -> None:
    """Issue 9 B10: the summary's error was plain text, so it took the reader nowhere."""
    staff = StaffFactory()
    body = sign_in(client, staff.email, "wrong password 123").content.decode()
    assert '<a href="#id_email">Enter a correct email address and password</a>' in body
