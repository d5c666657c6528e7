"""The home page's "You": who is signed in and their roles, told to core's home page by accounts."""

from typing import Any

from django.urls import reverse

from caseaudit.conftest import Authority, user_for


def test_the_home_page_says_who_is_signed_in_and_their_roles(client: Any, authority: Authority) -> None:
    person = authority.people["qa_officer"]
    client.force_login(user_for(authority, "qa_officer"))
    body = client.get(reverse("core:home")).content.decode()
    assert f"Signed in as {person.name}" in body
    assert "Your roles: QA officer." in body


def test_an_account_without_a_staff_record_is_named_by_its_username(
    client: Any, authority: Authority
) -> None:
    client.force_login(authority.superuser)
    body = client.get(reverse("core:home")).content.decode()
    assert f"Signed in as {authority.superuser.get_username()}." in body
    assert "Your roles" not in body
