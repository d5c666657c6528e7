"""The home page's "your work" from access requests: the approver's requests waiting (SEL-6)."""

import pytest
from django.urls import reverse

from caseaudit.access.home_tasks import approver_tasks
from caseaudit.access.tests.helpers import allocated, ask
from caseaudit.allocation.tests.helpers import templates
from caseaudit.conftest import Authority, user_for

__all__ = ["templates"]  # fixtures
pytestmark = pytest.mark.django_db


def test_the_approver_sees_the_requests_waiting(authority: Authority, templates: None) -> None:
    allocated(authority, "restricted")
    assert approver_tasks(user_for(authority, "head_of_service")) == []
    ask(authority)
    [task] = approver_tasks(user_for(authority, "head_of_service"))
    assert task.lines == ["1 request to open a restricted record is waiting for your decision."]
    assert task.links[0].href == reverse("access:list")
    assert approver_tasks(user_for(authority, "qa_officer")) == []
