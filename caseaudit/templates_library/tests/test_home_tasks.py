"""Issue 9 B10: a template in use past its next review date is flagged to administrators and QA."""

import datetime
from typing import Any

import pytest
from django.urls import reverse

from caseaudit.conftest import Authority, user_for
from caseaudit.templates_library.loader import templates_load
from caseaudit.templates_library.models import TemplateVersion

HEADING = "Templates past their review date"


@pytest.fixture
def overdue(authority: Authority) -> TemplateVersion:
    templates_load()
    template = TemplateVersion.objects.get(ref="stage1_good_practice", is_current=True)
    template.next_review_date = datetime.date(2026, 1, 31)
    template.owner = "Head of Quality Assurance"
    template.save()
    return template


@pytest.mark.parametrize(
    ("who", "flagged"),
    [
        ("qa_officer", True),
        ("head_of_qa", True),
        ("administrator", True),
        ("superuser", True),
        ("social_worker", False),
        ("practice_manager", False),
        ("group_manager", False),
    ],
)
def test_the_home_page_flags_a_template_past_review(
    client: Any, authority: Authority, overdue: TemplateVersion, who: str, flagged: bool
) -> None:
    client.force_login(user_for(authority, who))
    body = client.get(reverse("core:home")).content.decode()
    assert (HEADING in body) == flagged
    if flagged:
        assert "Stage 1 Good Practice audit" in body and "due for review on 31 January 2026" in body
        assert "Its owner is Head of Quality Assurance." in body


def test_a_template_reviewed_in_time_is_not_flagged(client: Any, authority: Authority) -> None:
    templates_load()
    TemplateVersion.objects.update(next_review_date=datetime.date(2999, 1, 1))
    client.force_login(user_for(authority, "qa_officer"))
    assert HEADING not in client.get(reverse("core:home")).content.decode()
