"""What the home page shows from actions and escalations (ACT-1, ESC-1, ESC-2): the owner's counts,
the signer's actions to sign off, the open escalations to the people they alert (and senior
managers), and QA's and managers' counts of their line's actions."""

import datetime
from typing import Any, cast

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from caseaudit.actions.escalation import escalation_alerted, escalation_close
from caseaudit.actions.models import Escalation
from caseaudit.actions.services import action_done
from caseaudit.actions.tests.helpers import DUE, audit_with_actions, first_action
from caseaudit.conftest import Authority, user_for
from caseaudit.core.home import HomeTask, home_tasks
from caseaudit.org.models import Staff, StaffRole
from caseaudit.org.services import line_management_rebuild
from caseaudit.org.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db


def tasks_of(user: Any) -> dict[str, HomeTask]:
    return {task.heading: task for task in home_tasks(user=user)}


@pytest.fixture
def after_due(monkeypatch: pytest.MonkeyPatch) -> datetime.date:
    """Today after the helpers' due date (their open actions and the escalation overdue)."""
    real, today = timezone.localdate, DUE + datetime.timedelta(days=6)

    def localdate(value: Any = None, timezone: Any = None) -> datetime.date:
        return real(value, timezone) if value is not None else today

    monkeypatch.setattr("django.utils.timezone.localdate", localdate)
    return today


def test_the_owner_sees_their_actions_counted(authority: Authority) -> None:
    audit = audit_with_actions(authority)
    pma = user_for(authority, "practice_manager")
    task = tasks_of(pma)["Your actions"]
    assert task.lines == ["2 actions due later."] and task.tag == ""
    assert task.links[0].href == reverse("actions:mine")

    action_done(actor=pma, action=first_action(audit), note="Chronology updated.")
    assert tasks_of(pma)["Your actions"].lines == ["1 action due later.", "1 action done, awaiting sign-off."]


def test_overdue_and_due_soon_are_counted(authority: Authority, after_due: datetime.date) -> None:
    audit_with_actions(authority)
    audit_with_actions(
        authority,
        "restricted",
        due=after_due + datetime.timedelta(days=3),
        count=1,
        due_reason="The school reopens after the holidays.",
    )
    task = tasks_of(user_for(authority, "practice_manager"))["Your actions"]
    assert task.lines == ["2 actions overdue.", "1 action due in the next 2 weeks."]
    assert task.tag == "2 overdue"


def test_the_signer_sees_what_to_sign_off(authority: Authority) -> None:
    audit = audit_with_actions(authority)
    gma = user_for(authority, "group_manager_a")
    assert "1 action to sign off" not in tasks_of(gma)
    action_done(actor=user_for(authority, "practice_manager"), action=first_action(audit), note="Done.")
    task = tasks_of(gma)["1 action to sign off"]
    assert task.links[0].href == reverse("actions:mine") + "#to-sign-off"
    assert "Your actions" not in tasks_of(gma)


def test_an_open_escalation_is_on_the_home_page_of_those_it_alerts(authority: Authority) -> None:
    audit = audit_with_actions(authority, grade="inadequate")
    escalation = Escalation.objects.get(audit=audit)
    href = reverse("actions:escalation", args=[escalation.pk])
    for who in ("practice_manager", "group_manager_a", "head_of_service", "qa_officer", "head_of_qa"):
        task = tasks_of(user_for(authority, who))["Open escalations"]
        assert [row.link.href for row in task.rows] == [href], who
        assert task.rows[0].link.text == "Case C-OWN" and task.tag == ""
    # the auditor (GMB, not above the worker), the worker and another team's people are not alerted
    for who in ("group_manager", "social_worker", "moderator"):
        assert "Open escalations" not in tasks_of(user_for(authority, who)), who

    escalation_close(
        actor=user_for(authority, "head_of_service"),
        escalation=escalation,
        outcome_code="no_further_action",
        outcome="Reviewed: the plan keeps the child safe.",
    )
    assert "Open escalations" not in tasks_of(user_for(authority, "head_of_service"))


def test_an_overdue_escalation_is_tagged(authority: Authority, after_due: datetime.date) -> None:
    audit_with_actions(authority, grade="inadequate")
    task = tasks_of(user_for(authority, "head_of_service"))["Open escalations"]
    assert task.tag == "1 overdue" and "overdue: outcome was due by" in task.rows[0].text


def test_a_senior_manager_sees_open_escalations_they_may_see(authority: Authority) -> None:
    audit_with_actions(authority, grade="inadequate")
    smt = cast(Staff, StaffFactory(staff_id="SMT", team=None, roles=["senior_manager"]))
    assert "Open escalations" not in tasks_of(smt.user)  # above no one yet: may see no audit
    hos = authority.people["head_of_service"]
    hos.line_manager = smt
    hos.save(update_fields=["line_manager"])
    line_management_rebuild()
    assert [row.link.text for row in tasks_of(smt.user)["Open escalations"].rows] == ["Case C-OWN"]


def test_qa_and_managers_see_their_lines_actions_counted(
    authority: Authority, after_due: datetime.date
) -> None:
    audit_with_actions(authority)
    for who in ("qa_officer", "head_of_service", "group_manager_a"):
        [task] = [
            task
            for task in home_tasks(user=user_for(authority, who))
            if task.links and task.links[0].href == reverse("actions:list")
        ]
        assert task.lines == ["2 actions open, 2 overdue; 0 done, awaiting sign-off."], who
        assert task.tag == "2 overdue"
    # a worker holds none of the managers' roles; the other team's practice manager sees none
    assert not any(
        link.href == reverse("actions:list")
        for task in home_tasks(user=user_for(authority, "social_worker"))
        for link in task.links
    )
    pmb = authority.cases["other_team"].allocated_worker.line_manager.user
    assert not any(
        link.href == reverse("actions:list") for task in home_tasks(user=pmb) for link in task.links
    )


def test_the_home_page_shows_them(authority: Authority) -> None:
    audit_with_actions(authority, grade="inadequate")
    client = Client()
    client.force_login(user_for(authority, "head_of_service"))
    page = client.get("/").content.decode()
    assert "Open escalations" in page and "Case C-OWN" in page and reverse("actions:escalations") in page


@pytest.mark.parametrize("extra_role", [None, "group_manager"])
def test_the_home_page_alerts_exactly_whom_the_escalation_alerted(
    authority: Authority, extra_role: str | None
) -> None:
    """The home page's SQL and escalation_alerted agree, also when the practice manager is the
    nearest group manager too (then GMA is not alerted as one)."""
    if extra_role:
        StaffRole.objects.create(staff=authority.people["practice_manager"], role=extra_role)
    audit = audit_with_actions(authority, grade="inadequate")
    alerted = {person.staff_id for person in escalation_alerted(audit)}
    shown = {
        person.staff_id for person in authority.people.values() if "Open escalations" in tasks_of(person.user)
    }
    assert shown == alerted
    assert ("GMA" in shown) is (extra_role is None)
