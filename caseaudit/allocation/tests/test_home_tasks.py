"""The home page's "your work" from the monthly allocation: an auditor's audits to do, QA's
allocation of this month and the next (SEL-1, SEL-5); and each person's work on one page."""

import datetime
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from caseaudit.access.tests.helpers import allocated, ask, decide
from caseaudit.allocation.home_tasks import auditor_tasks, qa_allocation_tasks
from caseaudit.allocation.services.confirm import allocation_confirm
from caseaudit.allocation.tests.helpers import council, draft, qa, templates
from caseaudit.audits.tests.test_services_helpers import audit_of
from caseaudit.conftest import Authority, user_for

__all__ = ["council", "templates"]  # fixtures
pytestmark = pytest.mark.django_db

DECEMBER_1 = datetime.date(2026, 12, 1)


@pytest.fixture(autouse=True)
def today(monkeypatch: pytest.MonkeyPatch) -> datetime.date:
    monkeypatch.setattr(
        "caseaudit.allocation.home_tasks.timezone", SimpleNamespace(localdate=lambda: DECEMBER_1)
    )
    return DECEMBER_1


def home(authority: Authority, who: str) -> str:
    client = Client()
    client.force_login(user_for(authority, who))
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    return response.content.decode()


def test_an_auditor_sees_their_audits_to_do_and_the_restricted_one_to_ask_for(
    authority: Authority, templates: None
) -> None:
    allocated(authority, "restricted")
    allocated(authority, "other_team", auditor="group_manager_a")  # someone else's
    [task] = auditor_tasks(user_for(authority, "group_manager"))
    assert task.lines == [
        "You have 1 audit to do. The next is due by 21 December 2026.",
        "1 case restricted: ask for access before you can open it.",
    ]
    assert task.tag == ""
    decide(authority, ask(authority), grant=True)
    [task] = auditor_tasks(user_for(authority, "group_manager"))
    assert task.lines == ["You have 1 audit to do. The next is due by 21 December 2026."]


def test_an_overdue_audit_is_tagged(
    authority: Authority, templates: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    allocated(authority, "restricted")
    later = SimpleNamespace(localdate=lambda: datetime.date(2026, 12, 22))
    monkeypatch.setattr("caseaudit.allocation.home_tasks.timezone", later)
    [task] = auditor_tasks(user_for(authority, "group_manager"))
    assert task.tag == "1 overdue"


def test_an_auditor_with_nothing_allocated_is_told_so(authority: Authority) -> None:
    [task] = auditor_tasks(user_for(authority, "group_manager"))
    assert task.lines == ["You have no audits to do."]
    assert auditor_tasks(user_for(authority, "social_worker")) == []  # not an auditor


def test_qa_sees_this_month_and_the_next_as_they_stand(council: Authority) -> None:
    [task] = qa_allocation_tasks(user_for(council, "qa_officer"))
    assert task.lines == [
        "December 2026: not drafted yet. Stage 1 is due by 21 December 2026.",
        "January 2027: not drafted yet.",
    ]
    assert task.links[0].href == reverse("allocation:start") + "?month=2026-12"

    run = draft(council)
    [task] = qa_allocation_tasks(user_for(council, "qa_officer"))
    assert task.lines[0] == "December 2026: a draft is waiting to be reviewed and confirmed."
    assert task.links[0].href == reverse("allocation:run", args=[run.pk])

    allocation_confirm(actor=qa(council), run=run)
    [task] = qa_allocation_tasks(user_for(council, "qa_officer"))
    assert task.lines[0] == "December 2026: confirmed, 3 audits, 0 submitted, due by 21 December 2026."
    assert qa_allocation_tasks(user_for(council, "group_manager")) == []


def test_the_start_page_opens_on_the_month_of_the_link(council: Authority) -> None:
    client = Client()
    client.force_login(user_for(council, "qa_officer"))
    html = client.get(reverse("allocation:start") + "?month=2026-12").content.decode()
    assert 'value="12"' in html and 'value="2026"' in html
    assert client.get(reverse("allocation:start") + "?month=soon").status_code == 200  # ignored


def test_the_home_page_shows_each_persons_work_and_nothing_of_others(
    authority: Authority, templates: None
) -> None:
    allocated(authority, "restricted")
    audit_of(authority, "own_team")
    html = home(authority, "group_manager")
    assert "Your audits" in html and "You have 1 audit to do." in html
    assert "Monthly allocation" not in html and "Access requests" not in html
    assert "Audits of your cases" not in html
    admin = home(authority, "administrator")
    # The administrator has no audit work, only the reminder that a template is past its review.
    assert "Templates past their review date" in admin and "Your audits" not in admin
