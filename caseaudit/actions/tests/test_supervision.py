"""Supervision hand-over (ACT-4): the agenda (audits since the last supervision, actions not
signed off), recording it, its JSON and CSV, and who may read or record it."""

import csv
import datetime
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from caseaudit.actions.services import ActionRefused, action_done, action_sign_off
from caseaudit.actions.supervision import agenda_csv, agenda_json, supervision_agenda, supervision_record
from caseaudit.actions.tests.helpers import audit_with_actions, first_action
from caseaudit.audits.tests.test_services_helpers import AUDIT_DATE
from caseaudit.conftest import Authority, user_for
from caseaudit.core.models import AccessLog, AuditEvent

pytestmark = pytest.mark.django_db
TODAY = AUDIT_DATE + datetime.timedelta(days=10)


def client_for(authority: Authority, who: str) -> Client:
    client = Client()
    client.force_login(user_for(authority, who))
    return client


def test_the_agenda_holds_the_audits_since_and_the_actions_not_signed_off(authority: Authority) -> None:
    audit = audit_with_actions(authority, owner_id="SWA")
    worker, pma = authority.people["social_worker"], user_for(authority, "practice_manager")
    first = first_action(audit)
    action_done(actor=worker.user, action=first, note="Done.")
    agenda = supervision_agenda(user=pma, worker=worker)
    assert [a.pk for a in agenda.audits] == [audit.pk]
    assert {a.status for a in agenda.actions} == {"open", "done"} and len(agenda.actions) == 2
    action_sign_off(actor=pma, action=first, note="Seen.")
    assert len(supervision_agenda(user=pma, worker=worker).actions) == 1

    data = agenda_json(supervision_agenda(user=pma, worker=worker))
    assert data["staff_id"] == "SWA" and data["since"] is None
    assert data["audits"][0]["case_id"] == "C-OWN" and data["audits"][0]["grade"] == "good"
    rows = list(csv.reader(io.StringIO(agenda_csv(supervision_agenda(user=pma, worker=worker)))))
    assert rows[0][0] == "kind" and [row[0] for row in rows[1:]] == ["audit", "action"]


def test_recording_it_starts_the_next_agenda_after_it(authority: Authority) -> None:
    audit = audit_with_actions(authority, owner_id="SWA")
    worker, pma = authority.people["social_worker"], user_for(authority, "practice_manager")
    actions = supervision_agenda(user=pma, worker=worker).actions
    supervision = supervision_record(
        actor=pma,
        worker=worker,
        held_on=TODAY,
        note="Good month.",
        action_notes={actions[0].pk: "Agreed: visit the school next week.", actions[1].pk: ""},
        today=TODAY,
    )
    assert [(n.action_id, n.status) for n in supervision.action_notes.all()] == [(actions[0].pk, "open")]
    assert AuditEvent.objects.filter(action="supervision.recorded").exists()
    after = supervision_agenda(user=pma, worker=worker)
    assert after.since == TODAY and after.audits == [] and len(after.actions) == 2  # still open
    assert audit.pk not in [a.pk for a in after.audits]


def test_refusals(authority: Authority) -> None:
    audit_with_actions(authority)
    worker, pma = authority.people["social_worker"], user_for(authority, "practice_manager")
    with pytest.raises(ActionRefused) as refused:
        supervision_record(
            actor=pma,
            worker=worker,
            held_on=TODAY + datetime.timedelta(days=1),
            note="",
            action_notes={999: "x"},
            today=TODAY,
        )
    assert {(p.ref, p.field) for p in refused.value.problems} == {
        ("supervision", "held_on"),
        ("actions[999]", "note"),
    }
    for who in ("social_worker", "group_manager_a", "qa_officer"):
        with pytest.raises(PermissionDenied):
            supervision_record(
                actor=user_for(authority, who),
                worker=worker,
                held_on=TODAY,
                note="",
                action_notes={},
                today=TODAY,
            )


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("practice_manager", 200),
        ("social_worker", 200),
        ("group_manager_a", 200),
        ("head_of_service", 200),
        ("qa_officer", 200),
        ("group_manager", 404),
        ("social_worker_a2", 404),
        ("moderator", 404),
    ],
)
def test_who_reads_the_agenda(authority: Authority, who: str, status: int) -> None:
    audit_with_actions(authority)
    response = client_for(authority, who).get(reverse("actions:supervision", args=["SWA"]))
    assert response.status_code == status
    outcome = "allowed" if status == 200 else "denied"
    assert AccessLog.objects.filter(
        object_type="supervision_agenda", object_ref="SWA", outcome=outcome
    ).exists()


def test_the_practice_manager_records_it_on_the_page(authority: Authority) -> None:
    audit = audit_with_actions(authority)
    client = client_for(authority, "practice_manager")
    listing = client.get(reverse("actions:supervisions")).content.decode()
    url = reverse("actions:supervision", args=["SWA"])
    assert url in listing
    page = client.get(url).content.decode()
    assert "Record the supervision" in page and "C-OWN" in page
    action = first_action(audit)
    empty = client.post(url, {"day": "", "month": "", "year": ""})
    assert 'href="#held_on-day"' in empty.content.decode()
    today = datetime.date.today()
    response = client.post(
        url,
        {
            "day": today.day,
            "month": today.month,
            "year": today.year,
            f"action-{action.pk}": "Chronology by Friday.",
        },
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Chronology by Friday." in page and "Last supervision" in page
    assert "Record the supervision" not in client_for(authority, "social_worker").get(url).content.decode()
    csv_response = client.get(reverse("actions:supervision-csv", args=["SWA"]))
    assert csv_response["Content-Type"].startswith("text/csv")
