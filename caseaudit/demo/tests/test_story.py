"""The demo is playable (issue 9, B9): after `load_demo` each demo sign-in's home page holds its own
part of one story — the QA officer's confirmed month, the auditor's audit of the demo social
worker's case, the worker's and her practice manager's view of it, the head of service's access
request to decide."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from caseaudit.access.models import AccessRequest
from caseaudit.audits.models import Audit, Discussion
from caseaudit.demo.organisation import fixed_email
from caseaudit.org.models import LineManagementLink, Staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> str:
    out = StringIO()
    call_command("load_demo", "--children", "120", "--staff", "60", "--history-months", "0", stdout=out)
    return out.getvalue()


def person(key: str) -> Staff:
    return Staff.objects.select_related("user").get(email=fixed_email(key))


def home_of(key: str) -> str:
    client = Client()
    client.force_login(person(key).user)
    return client.get(reverse("core:home")).content.decode()


def test_the_demo_auditor_audits_the_demo_workers_case(demo: str) -> None:
    auditor, worker, manager = person("group.manager"), person("social.worker"), person("practice.manager")
    audits = Audit.objects.filter(auditor=auditor, status__in=["allocated", "in_progress"]).select_related(
        "case"
    )
    own = [audit for audit in audits if audit.case.allocated_worker_id == worker.pk]
    assert {audit.case.restricted for audit in own} == {True, False}
    assert worker.line_manager_id == manager.pk
    # SEL-3 still holds: the auditor is not above the worker.
    assert not LineManagementLink.objects.filter(manager=auditor, report=worker).exists()
    audit = next(audit for audit in own if not audit.case.restricted)
    assert Discussion.objects.filter(audit=audit, cancelled=False).exists()
    assert AccessRequest.objects.filter(requester=auditor, status=AccessRequest.Status.PENDING).count() == 1
    assert "is allocated" in demo


def test_each_demo_sign_in_has_its_part_on_the_home_page(demo: str) -> None:
    case_id = (
        Audit.objects.filter(auditor=person("group.manager"), case__allocated_worker=person("social.worker"))
        .filter(status="allocated")
        .exclude(case__restricted=True)
        .get()
        .case.case_id
    )
    assert "Monthly allocation" in home_of("qa.officer")
    auditor = home_of("group.manager")
    assert "Your audits" in auditor and "1 case restricted: ask for access" in auditor
    for key in ("social.worker", "practice.manager"):
        page = home_of(key)
        assert "Audits of your cases" in page and case_id in page, key
    assert "waiting for your decision" in home_of("head.of.service")


def test_loading_the_demo_again_keeps_its_story(demo: str) -> None:
    audits = Audit.objects.count()
    out = StringIO()
    call_command("load_demo", "--children", "120", "--staff", "60", "--history-months", "0", stdout=out)
    assert Audit.objects.count() == audits


def test_the_story_goes_on_after_stage1_for_each_demo_sign_in(demo: str) -> None:
    """Issue 10, 8: audits at every stage, and each sign-in's part of them on their home page."""
    statuses = list(Audit.objects.values_list("status", flat=True))
    # submitted: one waiting for feedback and the two Inadequate audits of the story of actions
    for status, count in (("submitted", 3), ("head_of_qa_review", 1), ("moderation", 3), ("panel", 1)):
        assert statuses.count(status) == count, status
    moderated = Audit.objects.get(moderated_grades__isnull=False)
    assert moderated.status == "final" and moderated.stage1_grades["overall"] == "good"
    assert moderated.overall_grade == "requires_improvement"
    assert moderated.documents.filter(stage="stage2").exists()
    # FAM-1: the family's voice on the moderated audit, and so in its moderated PDF.
    people = list(moderated.family_respondents.values_list("who", "consent"))
    assert people == [("child", "yes"), ("parent_carer", "yes"), ("other_family", "not_asked")]
    assert "Audits waiting for your feedback" in home_of("social.worker")
    assert "Case audit alerts" in home_of("practice.manager")
    assert "Disputed audits to decide" in home_of("head.of.qa")
    assert "Audits to moderate" in home_of("moderator") and "overdue" in home_of("moderator")
    assert "Moderation queue: 2 unassigned, 1 overdue" in home_of("qa.officer")
    assert "Moderation panel on" in home_of("panel.chair")
    assert "After Stage 1: 1 audit waiting for the worker's feedback" in demo


def test_the_story_of_actions_and_escalations(demo: str) -> None:
    """Issue 11, 9: overdue and signed-off actions, an open and a closed escalation."""
    from caseaudit.actions.models import Escalation
    from caseaudit.audits.models import AuditAction

    live = AuditAction.objects.exclude(audit__status__in=["allocated", "in_progress"])
    statuses = list(live.values_list("status", flat=True))
    assert statuses.count("signed_off") == 1 and statuses.count("done") == 2
    assert live.filter(status="open", due_date__lt=datetime.date.today()).count() >= 2
    assert sorted(Escalation.objects.values_list("status", flat=True)) == ["closed", "open"]
    closed = Escalation.objects.get(status="closed")
    assert closed.outcome_code == "strategy_discussion" and closed.closed_by.staff.email.startswith(
        "head.of.service"
    )
    assert "Actions: 1 signed off, 2 done and waiting for sign-off" in demo
    from caseaudit.actions.models import StoryBoard, Supervision

    assert StoryBoard.objects.filter(status="published").count() == 1
    assert StoryBoard.objects.filter(status="invited").exists()
    supervision = Supervision.objects.get()
    assert supervision.worker.email.startswith("social.worker") and supervision.action_notes.count() == 2
