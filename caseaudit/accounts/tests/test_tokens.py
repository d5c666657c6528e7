from typing import Any

import pytest
from django.urls import reverse

from caseaudit.accounts.models import ApiToken
from caseaudit.accounts.services import api_token_authenticate
from caseaudit.core.models import AuditEvent
from caseaudit.org.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def test_create_show_once_and_revoke(client: Any) -> None:
    staff = StaffFactory()
    client.force_login(staff.user)
    response = client.post(reverse("accounts:tokens"), {"name": "Nightly export"})
    body = response.content.decode()
    token = ApiToken.objects.get(user=staff.user)
    raw = body.split('<code id="new-token">')[1].split("</code>")[0]
    assert raw.startswith("ca_") and token.token_hash == ApiToken.hash_of(raw)
    assert raw not in token.token_hash
    assert api_token_authenticate(raw=raw) == staff.user
    assert raw not in client.get(reverse("accounts:tokens")).content.decode()
    client.post(reverse("accounts:tokens"), {"revoke": token.pk})
    assert api_token_authenticate(raw=raw) is None
    assert AuditEvent.objects.filter(action="api_token.revoked", object_ref=str(token.pk)).exists()


def test_cannot_revoke_someone_elses_token(client: Any) -> None:
    owner, other = StaffFactory(), StaffFactory()
    token = ApiToken.objects.create(user=owner.user, name="x", token_hash="h" * 64)
    client.force_login(other.user)
    client.post(reverse("accounts:tokens"), {"revoke": token.pk})
    token.refresh_from_db()
    assert token.revoked_at is None


def test_empty_name_is_an_error(client: Any) -> None:
    client.force_login(StaffFactory().user)
    body = client.post(reverse("accounts:tokens"), {"name": ""}).content.decode()
    assert "Enter a name for the token" in body and 'href="#id_name"' in body
