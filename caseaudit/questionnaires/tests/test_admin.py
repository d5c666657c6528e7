"""Responses and audits in the administration: shown, read only."""

import pytest
from django.test import Client

from caseaudit.audits.services import audit_save
from caseaudit.audits.tests.test_services_helpers import audit_of, templates_load
from caseaudit.conftest import Authority

pytestmark = pytest.mark.django_db


def test_the_break_glass_account_sees_responses_and_audits_but_changes_none(authority: Authority) -> None:
    templates_load()
    audit = audit_of(authority)
    audit_save(actor=audit.auditor.user, audit=audit, answers={"assessment.child_seen": "yes"})
    client = Client()
    client.force_login(authority.superuser)
    for url in ["/admin/audits/audit/", "/admin/questionnaires/response/"]:
        assert client.get(url).status_code == 200, url
    page = client.get(f"/admin/questionnaires/response/{audit.response_id}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "assessment.child_seen" in html and 'name="_save"' not in html
