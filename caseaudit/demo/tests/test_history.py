"""The demo's history (issue 12, 6): `load_demo` plays the months before this one through the real
services, so Stage 3 has audits to count — each month audited, moderated, with actions worked,
family feedback and varied words — without changing this month's story."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from caseaudit.actions.models import ActionEvent, Escalation
from caseaudit.audits.models import Audit, AuditAction, FamilyRespondent
from caseaudit.core.calendar import month_start, months_before
from caseaudit.demo.history import PER_MONTH
from caseaudit.demo.organisation import fixed_email
from caseaudit.org.models import Staff
from caseaudit.questionnaires.models import ResponseSection

pytestmark = pytest.mark.django_db

MONTHS = 3


@pytest.fixture
def demo() -> str:
    out = StringIO()
    call_command(
        "load_demo", "--children", "160", "--staff", "60", "--history-months", str(MONTHS), stdout=out
    )
    return out.getvalue()


def _client(key: str) -> Client:
    client = Client()
    client.force_login(Staff.objects.get(email=fixed_email(key)).user)
    return client


def test_each_month_before_this_one_is_audited_moderated_and_worked(demo: str) -> None:
    today = timezone.localdate()
    story_auditor = Staff.objects.get(email=fixed_email("group.manager"))
    history = Audit.objects.exclude(auditor=story_auditor).filter(allocation_month__isnull=False)
    history = history.exclude(allocation_month=month_start(today))
    assert f"A year of history for the reports: {history.count()} audits over {MONTHS} months" in demo
    for back in range(1, MONTHS + 1):
        month = months_before(month_start(today), back)
        audits = history.filter(allocation_month=month)
        assert audits.count() == PER_MONTH, month
        for audit in audits:
            assert audit.status == Audit.Status.FINAL
            assert audit.audit_date is not None and month <= audit.audit_date < today
            assert (
                audit.submitted_at is not None and timezone.localdate(audit.submitted_at) >= audit.audit_date
            )
            assert set(audit.judgements) == {"child_seen", "child_seen_alone", "child_voice"}
            assert audit.moderated_grades is not None  # Stage 2 done by a moderator outside the story
    actions = AuditAction.objects.filter(audit__in=history)
    assert {"open", "done", "signed_off"} <= set(actions.values_list("status", flat=True))
    assert not ActionEvent.objects.filter(action__audit__in=history, at__date__gt=today).exists()
    assert FamilyRespondent.objects.filter(audit__in=history, consent="yes").exists()
    comments = list(
        ResponseSection.objects.filter(response__audit__in=history)
        .exclude(comments="")
        .values_list("comments", flat=True)
    )
    assert len(set(comments)) > 0.8 * len(comments) > 0  # words varied enough to carry themes
    assert Escalation.objects.filter(audit__in=history, status="open").count() == 0
    # Stage 3: QA confirmed the last quarter's largest themes and wrote what we will do next
    from caseaudit.reports.models import QuarterlyReport, Theme

    assert (
        Theme.objects.filter(status="confirmed").exists()
        and Theme.objects.filter(status="suggested").exists()
    )
    assert QuarterlyReport.objects.exclude(next_steps="").exists()
    assert "themes confirmed by QA" in demo


def test_the_story_of_this_month_is_unchanged_and_the_figures_have_a_history(demo: str) -> None:
    assert "Moderation queue: 2 unassigned, 1 overdue" in _client("qa.officer").get("/").content.decode()
    assert Escalation.objects.filter(status="open").count() == 1
    today = timezone.localdate()
    start = months_before(month_start(today), MONTHS)
    end = month_start(today) - datetime.timedelta(days=1)
    found = (
        _client("senior.manager")
        .get("/api/reports/summary", {"from": start.isoformat(), "to": end.isoformat()})
        .json()
    )
    assert found["audits"] >= MONTHS * PER_MONTH
    assert sum(found["overall_grades"].values()) == found["audits"]
    assert found["moderation"]["moderated"] >= MONTHS * PER_MONTH
    assert found["actions"]["signed_off"] > 0
    page = _client("senior.manager").get("/reports/", {"from": start.isoformat(), "to": end.isoformat()})
    assert page.status_code == 200 and "None in this period." not in page.content.decode().split("By team")[0]
