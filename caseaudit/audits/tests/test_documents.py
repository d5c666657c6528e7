"""The audit document (REC-1): the submitted audit rendered to a PDF with WeasyPrint, stored with its
SHA-256, fetched with no network, downloadable only by those who may see the audit (SEC-2)."""

import hashlib
from pathlib import Path
from typing import Any

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse

from caseaudit.accounts.services import api_token_create
from caseaudit.api.tests.conftest import assert_problem
from caseaudit.audits.documents import (
    BASE_URL,
    audit_document_html,
    audit_document_render,
    audit_pdf_bytes,
    static_file_path,
    static_files_fetcher,
)
from caseaudit.audits.models import AuditDocument
from caseaudit.audits.services import audit_save, audit_submit
from caseaudit.audits.services_gaps import compliance_gap_address, compliance_gap_flag
from caseaudit.audits.tests.test_services_helpers import STRENGTHS, audit_of, complete, templates_load
from caseaudit.conftest import Authority
from caseaudit.core.models import AccessLog, OutboxMessage

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def submitted(authority: Authority) -> Any:
    """A Stage 1 audit of C-OWN by GMA (the worker's group manager), with an NA reason, an
    override, two actions and an addressed compliance gap, then submitted."""
    templates_load()
    auditor = authority.people["group_manager_a"]
    audit = audit_of(authority, auditor="group_manager_a")
    gap = compliance_gap_flag(
        actor=auditor.user, audit=audit, kind="chronology", note="Chronology not updated"
    )
    compliance_gap_address(
        actor=authority.people["social_worker"].user, gap=gap, note="Chronology brought up to date"
    )
    audit = complete(audit, grade="good")
    audit = audit_save(
        actor=auditor.user,
        audit=audit,
        answers={
            "assessment.child_seen_alone": {"value": "na", "reason": "The child is 3 years old"},
            "comments_actions.issues": "Supervision notes are thin.",
        },
        comments={"assessment": "Seen at home with mum; too young to be seen alone."},
        overall_grade="outstanding",
        overall_override_reason="Exceptional direct work with the child",
        section_grades={"assessment": "outstanding"},
        actions=[
            {
                "what": "Update the chronology",
                "owner_id": "PMA",
                "due_date": "2026-12-21",
                "impact": "A clear history",
            },
            {"what": "Record supervision", "due_date": "2026-12-23", "impact": "Reflective oversight"},
        ],
    )
    return audit_submit(actor=auditor.user, audit=audit)


def test_submit_renders_and_stores_the_pdf_with_its_sha256(submitted: Any) -> None:
    document = AuditDocument.objects.get(audit=submitted)
    data = Path(document.file.path).read_bytes()
    assert data.startswith(b"%PDF")
    assert document.stage == "stage1"
    assert document.size == len(data)
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    assert document.created_by == submitted.auditor.user


@pytest.mark.django_db(transaction=True)
def test_a_submission_whose_commit_fails_leaves_no_file_behind(
    authority: Authority, media_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    templates_load()
    audit = complete(audit_of(authority), grade="requires_improvement")

    def commit_fails() -> None:
        raise DatabaseError("the database went away at the commit")

    monkeypatch.setattr(connection, "commit", commit_fails)
    with pytest.raises(DatabaseError):
        audit_submit(actor=audit.auditor.user, audit=audit)
    monkeypatch.undo()
    assert [path for path in media_root.rglob("*") if path.is_file()] == []
    assert not AuditDocument.objects.exists()
    audit.refresh_from_db()
    assert audit.status == "in_progress"


@pytest.mark.django_db(transaction=True)
def test_a_failure_after_the_commit_keeps_the_document_of_the_submitted_audit(
    authority: Authority, media_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    templates_load()
    audit = complete(audit_of(authority), grade="requires_improvement")

    def enqueue_then_fail_after_commit(**kwargs: Any) -> None:
        transaction.on_commit(lambda: (_ for _ in ()).throw(RuntimeError("a hook failed after the commit")))

    monkeypatch.setattr("caseaudit.audits.services.submitted_mail_enqueue", enqueue_then_fail_after_commit)
    with pytest.raises(RuntimeError):
        audit_submit(actor=audit.auditor.user, audit=audit)
    audit.refresh_from_db()
    assert audit.status == "submitted"
    document = AuditDocument.objects.get(audit=audit)
    assert Path(document.file.path).read_bytes().startswith(b"%PDF")


@pytest.mark.django_db(transaction=True)
def test_a_mail_server_failure_does_not_fail_the_submission(
    authority: Authority, media_root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The outbox delivers after commit, robustly: the submission stands, the mail waits for
    send_outbox (CONTRACTS §7)."""
    templates_load()
    audit = complete(audit_of(authority), grade="requires_improvement")

    def mail_server_down(*args: Any, **kwargs: Any) -> None:
        raise ConnectionRefusedError("the mail server refused the connection")

    monkeypatch.setattr("caseaudit.core.outbox.EmailMessage.send", mail_server_down)
    audit_submit(actor=audit.auditor.user, audit=audit)
    audit.refresh_from_db()
    assert audit.status == "submitted"
    assert Path(AuditDocument.objects.get(audit=audit).file.path).exists()
    message = OutboxMessage.objects.get(related_type="audit", related_ref=str(audit.pk))
    assert message.sent_at is None and message.attempts == 1 and "refused" in message.last_error


def test_the_document_carries_the_whole_audit(submitted: Any) -> None:
    html = audit_document_html(audit=submitted)
    case = submitted.case
    for text in [
        "Stage 1 Good Practice audit",  # template title
        "Audit Guidance for completion of audit tool Stage 1",  # document control
        "24 July 2020",  # approved date
        case.child.name,
        case.child.child_id,
        "14 March 2015",  # date of birth
        case.case_id,
        "Child in need",
        case.team.name,
        case.allocated_worker.name,  # worker
        submitted.practice_manager.name,
        "Monthly Good Practice audit (Stage 1)",
        "2 December 2026",  # audit date
        "2 June 2026 to 2 December 2026",  # review window
        submitted.auditor.name,
        "Was the child seen during the assessment?",
        "The child is 3 years old",  # NA reason
        "Seen at home with mum; too young to be seen alone.",  # comments
        "What Outstanding looks like",  # the grade's descriptor
        "Exceptional direct work with the child",  # override reason
        STRENGTHS,
        "Supervision notes are thin.",
        "Update the chronology",
        "21 December 2026",
        "Reflective oversight",
        "Chronology not updated",
        "Chronology brought up to date",
        "In progress to Stage 1 submitted",  # status history
    ]:
        assert text in html, text
    assert "Page " not in html  # page numbers come from the print CSS, not the HTML


def test_the_fetcher_serves_only_local_static_files() -> None:
    fetcher = static_files_fetcher()
    css = fetcher.fetch(f"{BASE_URL}static/caseaudit/audit-print.css")
    assert b"@page" in css.read()
    for url in [
        "https://example.com/tracker.png",
        "http://caseaudit.invalid/static/caseaudit/audit-print.css",
        "file:///etc/passwd",
        f"{BASE_URL}static/../../etc/passwd",
        f"{BASE_URL}media/audit_documents/x.pdf",
    ]:
        with pytest.raises(ValueError):
            fetcher.fetch(url)
    assert static_file_path(f"{BASE_URL}static/caseaudit/nope.css") is None


def test_rendering_never_touches_the_network(monkeypatch: pytest.MonkeyPatch) -> None:
    import socket

    def no_network(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("the PDF renderer tried to use the network")

    monkeypatch.setattr(socket, "create_connection", no_network)
    monkeypatch.setattr(socket.socket, "connect", no_network)
    fetcher = static_files_fetcher()
    html = (
        '<html><head><link rel="stylesheet" href="/static/caseaudit/audit-print.css"></head>'
        '<body><h1>Test</h1><img src="https://example.com/pixel.png" alt=""></body></html>'
    )
    pdf = audit_pdf_bytes(html, fetcher=fetcher)
    assert pdf.startswith(b"%PDF")
    assert fetcher.refused == ["https://example.com/pixel.png"]


def test_rendering_again_stores_a_second_document(submitted: Any) -> None:
    first = AuditDocument.objects.get(audit=submitted)
    again = audit_document_render(audit=submitted, actor=None)
    assert AuditDocument.objects.filter(audit=submitted).count() == 2
    assert again.file.name != first.file.name
    assert Path(first.file.path).exists()


def test_download_streams_the_file_and_logs_the_access(submitted: Any, authority: Authority) -> None:
    client = Client()
    client.force_login(authority.people["social_worker"].user)
    url = reverse("audits:document", args=[submitted.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    log = AccessLog.objects.filter(object_type="audit_document", action="download").get()
    assert log.outcome == AccessLog.Outcome.ALLOWED
    assert log.object_ref == str(submitted.pk)


@pytest.mark.parametrize("who", ["administrator", "social_worker_a2"])
def test_download_is_404_and_logged_for_those_who_may_not_see_the_audit(
    submitted: Any, authority: Authority, who: str
) -> None:
    client = Client()
    client.force_login(authority.people[who].user)
    response = client.get(reverse("audits:document", args=[submitted.pk]))
    assert response.status_code == 404
    log = AccessLog.objects.filter(object_type="audit_document").get()
    assert log.outcome == AccessLog.Outcome.DENIED


def test_no_public_media_url_serves_the_file(submitted: Any, authority: Authority) -> None:
    document = AuditDocument.objects.get(audit=submitted)
    client = Client()
    client.force_login(authority.people["social_worker"].user)
    assert client.get(f"/media/{document.file.name}").status_code == 404


def _file_lost(submitted: Any) -> str:
    """The stored PDF of `submitted` is gone from storage (deleted on disk, a volume not mounted);
    returns its file name."""
    document = AuditDocument.objects.get(audit=submitted)
    Path(document.file.path).unlink()
    return str(document.file.name)


def _alert(caplog: pytest.LogCaptureFixture) -> str:
    """The one alert for the operator: an error naming the audit and the file."""
    [alert] = [record for record in caplog.records if record.name == "caseaudit.audits.documents"]
    assert alert.levelname == "ERROR"
    return alert.getMessage()


def test_a_document_missing_from_storage_is_a_plain_page_and_an_alert(
    submitted: Any, authority: Authority, caplog: pytest.LogCaptureFixture
) -> None:
    file_name = _file_lost(submitted)
    client = Client()
    client.force_login(authority.people["social_worker"].user)
    response = client.get(reverse("audits:document", args=[submitted.pk]))
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "The document is not available" in page
    assert reverse("audits:overview", args=[submitted.pk]) in page
    assert "Traceback" not in page and file_name not in page  # internals stay in the log
    alert = _alert(caplog)
    assert f"audit {submitted.pk}" in alert and file_name in alert


def test_a_document_missing_from_storage_is_a_503_problem_in_the_api(
    submitted: Any, authority: Authority, caplog: pytest.LogCaptureFixture
) -> None:
    file_name = _file_lost(submitted)
    document = AuditDocument.objects.get(audit=submitted)
    _, raw = api_token_create(user=authority.people["social_worker"].user, name="test")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    url = api.get(f"/api/audits/{submitted.pk}").json()["document_url"]
    problem = assert_problem(api.get(url), 503)
    assert "not available" in problem["detail"]
    assert [(e["ref"], e["field"]) for e in problem["errors"]] == [(f"documents[{document.pk}]", "file")]
    alert = _alert(caplog)
    assert f"audit {submitted.pk}" in alert and file_name in alert


def test_the_title_says_the_stage_once(submitted: Any) -> None:
    """Issue 9 B10: the Stage 1 template's PDF was titled "Stage 1 Good Practice audit: Stage 1"."""
    from caseaudit.audits.documents import document_title

    html = audit_document_html(audit=submitted)
    heading = html.split('<h1 class="doc-title">', 1)[1].split("</h1>", 1)[0]
    assert heading == submitted.response.template_version.title == "Stage 1 Good Practice audit"
    assert document_title("Practice audit", "Stage 2") == "Practice audit: Stage 2"
