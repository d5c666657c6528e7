"""All audits (issue 11, 8): QA follows the month — filters, stages, actions, scoping, and a fixed
number of queries."""

import datetime

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from caseaudit.actions.tests.helpers import audit_with_actions
from caseaudit.audits.models import Audit
from caseaudit.conftest import Authority, user_for
from caseaudit.org.models import Staff

pytestmark = pytest.mark.django_db


def client_for(user: object) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_qa_sees_each_audit_with_its_stages_and_actions(authority: Authority) -> None:
    audit = audit_with_actions(authority, due=datetime.date(2026, 12, 2))
    audit_with_actions(authority, "restricted")
    qa = client_for(user_for(authority, "qa_officer"))
    html = qa.get(reverse("actions:audits")).content.decode()
    assert "C-OWN" in html and "C-RESTRICTED" not in html  # restricted: not listed to QA
    assert "2 open" in html
    overdue = qa.get(reverse("actions:audits") + "?overdue=on").content.decode()
    assert ("C-OWN" in overdue) is (datetime.date.today() > datetime.date(2026, 12, 1))
    assert "C-OWN" not in qa.get(reverse("actions:audits") + "?team=TB").content.decode()
    assert "C-OWN" in qa.get(reverse("actions:audits") + f"?status={audit.status}").content.decode()


def test_another_teams_worker_sees_none(authority: Authority) -> None:
    audit_with_actions(authority)
    html = client_for(Staff.objects.get(staff_id="SWB").user).get(reverse("actions:audits")).content.decode()
    assert "C-OWN" not in html and "No audits match." in html


def test_queries_do_not_grow_with_the_audits(authority: Authority) -> None:
    qa = client_for(user_for(authority, "qa_officer"))
    audit_with_actions(authority)
    with CaptureQueriesContext(connection) as one:
        qa.get(reverse("actions:audits"))
    audit_with_actions(authority, "restricted")
    audit_with_actions(authority, "other_team")
    with CaptureQueriesContext(connection) as three:
        qa.get(reverse("actions:audits"))
    assert Audit.objects.count() == 3
    assert len(three) == len(one)
