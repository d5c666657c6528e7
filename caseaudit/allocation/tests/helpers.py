"""Helpers shared by the allocation's database tests (no tests here): the shipped templates
loaded, and drafts made through the real services, as a QA officer would."""

import re
from datetime import date
from html import unescape
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from caseaudit.allocation.models import AllocationRun
from caseaudit.allocation.services.drafts import allocation_draft
from caseaudit.cases.tests.factories import CaseFactory
from caseaudit.conftest import Authority, user_for
from caseaudit.org.models import GeographicalArea
from caseaudit.org.tests.factories import StaffFactory

DECEMBER = date(2026, 12, 1)
QA = "qa_officer"


def html(response: Any) -> str:
    """The page's markup, once it answered 200."""
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def visible(markup: str) -> str:
    """What a person reads of some markup: its text, without tags, scripts or attributes."""
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", markup, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", text)).split())


# Register IDs of the council's people and teams, which the pages' reasons replace by names.
REGISTER_IDS = re.compile(r"\b(GM[ABC]|SW[AB]2?|PM[AB]|HOS|T[AB])\b")


@pytest.fixture
def templates(db: Any) -> None:
    call_command("load_templates", stdout=StringIO())


def qa(authority: Authority) -> Any:
    return authority.people["qa_officer"].user


def draft(authority: Authority, month: date = DECEMBER, **kwargs: Any) -> AllocationRun:
    return allocation_draft(actor=qa(authority), month=month, **kwargs)


def pairs(run: AllocationRun) -> dict[str, str]:
    """{case_id: auditor staff_id} of the run's items."""
    return dict(run.items.values_list("case__case_id", "auditor__staff_id"))


@pytest.fixture
def council(authority: Authority, templates: None) -> Authority:
    """The shared authority plus GMC ("Gwen North"), a group manager in North outside team A's line,
    and C-EXTRA, a second eligible case of SWB (team B) that a draft passes over.

    With one case each: GMA (North, manages team A) takes a team B case out of area; GMC takes a
    team A case in area; GMB (South, manages team B) takes the other team A case out of area."""
    north = GeographicalArea.objects.get(name="North")
    gmc: Any = StaffFactory(
        staff_id="GMC", team=None, geographical_area=north, roles=["group_manager"], name="Gwen North"
    )
    authority.people["group_manager_c"] = gmc
    extra: Any = CaseFactory(
        case_id="C-EXTRA",
        team=authority.cases["other_team"].team,
        allocated_worker=authority.cases["other_team"].allocated_worker,
    )
    authority.cases["extra"] = extra
    return authority


def client_for(authority: Authority, who: str) -> Client:
    client = Client()
    client.force_login(user_for(authority, who))
    return client
