"""Subject access (REC-2, CONTRACTS §11): for a child, one .zip of every audit about them (answers,
grades by stage, actions with history, feedback, moderation, family feedback, escalations, story
board) as JSON with the stored PDFs and a manifest of SHA-256s; for the head of QA and the
information governance role only; every export and refusal logged."""

import hashlib
import io
import json
import zipfile
from typing import Any, cast

import pytest
from django.test import Client

from caseaudit.audits.models import AuditDocument
from caseaudit.audits.services import audit_submit
from caseaudit.audits.tests.test_services_helpers import audit_of, complete, templates_load
from caseaudit.conftest import Authority, user_for
from caseaudit.core.models import AccessLog
from caseaudit.org.models import Staff
from caseaudit.org.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

ACTION = {
    "what": "Update the chronology.",
    "owner_id": None,
    "due_date": "2026-12-09",
    "impact": "The history is whole.",
}


@pytest.fixture
def loaded(authority: Authority) -> Authority:
    templates_load()
    authority.people["information_governance"] = cast(
        Staff, StaffFactory(staff_id="IG1", team=None, roles=["information_governance"])
    )
    audit = complete(audit_of(authority, "own_team"), actions=[ACTION])
    audit_submit(actor=audit.auditor.user, audit=audit)
    restricted = complete(audit_of(authority, "restricted", auditor="head_of_service"))
    audit_submit(actor=restricted.auditor.user, audit=restricted)
    return authority


def _export(authority: Authority, who: str, child_id: str) -> Any:
    client = Client()
    client.force_login(user_for(authority, who))
    return client.get(f"/api/children/{child_id}/subject-access-export")


def test_everything_about_the_child_with_the_stored_pdfs(loaded: Authority) -> None:
    child = loaded.cases["own_team"].child
    response = _export(loaded, "information_governance", child.child_id)
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    manifest = json.loads(archive.read("manifest.json"))
    for name, digest in manifest["files"].items():
        assert hashlib.sha256(archive.read(name)).hexdigest() == digest, name
    about = json.loads(archive.read("child.json"))
    assert about["child_id"] == child.child_id and about["name"] == child.name
    [audit_id] = about["audits"]
    record = json.loads(archive.read(f"audits/audit-{audit_id}.json"))
    assert record["status"] == "submitted" and record["stage1_grades"]["overall"] == "good"
    assert record["actions"][0]["what"] == "Update the chronology."
    questions = [q for section in record["sections"] for q in section["questions"]]
    assert any(q["ref"] == "assessment.child_seen" and q["answer"] == "Yes" for q in questions)
    assert record["limiting_judgements"]["child_seen"] == "yes"
    [document] = AuditDocument.objects.filter(audit_id=audit_id)
    stored = archive.read(f"documents/audit-{audit_id}-stage1-{document.pk}.pdf")
    assert stored.startswith(b"%PDF") and hashlib.sha256(stored).hexdigest() == document.sha256
    log = AccessLog.objects.get(object_type="subject_access_export")
    assert (log.object_ref, log.action, log.outcome, log.via) == (child.child_id, "export", "allowed", "api")


def test_a_restricted_childs_records_are_in_it(loaded: Authority) -> None:
    child = loaded.cases["restricted"].child
    archive = zipfile.ZipFile(io.BytesIO(_export(loaded, "head_of_qa", child.child_id).content))
    assert json.loads(archive.read("child.json"))["restricted"] is True
    assert any(name.startswith("audits/") for name in archive.namelist())


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("head_of_qa", True),
        ("information_governance", True),
        ("superuser", True),
        ("qa_officer", False),
        ("head_of_service", False),
        ("practice_manager", False),
        ("social_worker", False),
        ("moderator", False),
        ("administrator", False),
    ],
)
def test_who_may_export(loaded: Authority, who: str, allowed: bool) -> None:
    child_id = loaded.cases["own_team"].child.child_id
    api = _export(loaded, who, child_id)
    client = Client()
    client.force_login(user_for(loaded, who))
    page = client.get("/reports/subject-access/", {"child_id": child_id})
    if allowed:
        assert (
            api.status_code == 200 and page.status_code == 200 and page["Content-Type"] == "application/zip"
        )
    else:
        assert api.status_code == 403 and page.status_code == 404
        assert AccessLog.objects.filter(object_type="subject_access_export", outcome="denied").count() == 2


def test_an_unknown_child_is_not_found_and_logged(loaded: Authority) -> None:
    response = _export(loaded, "information_governance", "NO-SUCH-CHILD")
    assert response.status_code == 404 and response["Content-Type"] == "application/problem+json"
    client = Client()
    client.force_login(user_for(loaded, "information_governance"))
    page = client.get("/reports/subject-access/", {"child_id": "NO-SUCH-CHILD"})
    assert page.status_code == 200 and "There is no child with the ID NO-SUCH-CHILD" in page.content.decode()
    assert (
        client.get("/reports/subject-access/", {"child_id": ""}).content.decode().count("Enter the child")
        >= 1
    )
    assert AccessLog.objects.filter(object_ref="NO-SUCH-CHILD", outcome="denied").count() == 2
