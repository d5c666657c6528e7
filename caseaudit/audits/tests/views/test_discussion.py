"""SEL-7 pages: the discussion page and the audit overview's meeting, with the markup basics axe
checks in the browser (helpers.markup)."""

import datetime

import pytest
from django.urls import reverse

from caseaudit.access.tests.helpers import (
    allocated,
    ask,
    client_for,
    decide,
    fresh,
    future,
    markup,
    restricted_audit,
)
from caseaudit.audits.models import Audit, Discussion
from caseaudit.conftest import Authority

__all__ = ["restricted_audit"]

pytestmark = pytest.mark.usefixtures("restricted_audit")


@pytest.fixture
def own_audit(authority: Authority) -> Audit:
    return allocated(authority, "own_team")


def discussion_post(when: datetime.datetime, **changes: str) -> dict[str, str]:
    data = {
        "day": str(when.day),
        "month": str(when.month),
        "year": str(when.year),
        "time": f"{when:%H:%M}",
        "duration_minutes": "60",
        "location": "Team office, room 2",
        "online_link": "",
    }
    data.update(changes)
    return data


def test_the_overview_links_to_the_discussion(authority: Authority, own_audit: Audit) -> None:
    url = reverse("audits:discussion", args=[own_audit.pk])
    overview = reverse("audits:overview", args=[own_audit.pk])
    body = client_for(authority, "group_manager").get(overview).content.decode()
    assert url in body and "Arrange the discussion" in body and "has not been arranged" in body
    worker_view = client_for(authority, "social_worker").get(overview).content.decode()
    assert url not in worker_view and "Discussion with the worker" in worker_view


def test_arranging_the_discussion(authority: Authority, own_audit: Audit) -> None:
    client = client_for(authority, "group_manager")
    url = reverse("audits:discussion", args=[own_audit.pk])
    response = client.get(url)
    assert response.status_code == 200
    markup(response)
    when = future(days=20, hour=14, minute=30)
    response = client.post(url, discussion_post(when), follow=True)
    assert response.redirect_chain[-1][0].endswith(f"/audits/{own_audit.pk}/#discussion")
    discussion = Discussion.objects.get(audit=own_audit)
    assert discussion.starts_at == when and discussion.location == "Team office, room 2"
    body = response.content.decode()
    assert f"{when.day} {when:%B %Y}, 14:30 to 15:30" in body and "Change or cancel the discussion" in body
    # The worker sees the arranged meeting on the audit too.
    overview = reverse("audits:overview", args=[own_audit.pk])
    assert "14:30 to 15:30" in client_for(authority, "social_worker").get(overview).content.decode()
    # Change it: the form is filled in with the meeting; the sequence goes up.
    response = client.get(url)
    assert (
        'value="14:30"' in response.content.decode() and "Cancel the discussion" in response.content.decode()
    )
    markup(response)
    client.post(url, discussion_post(when, time="15:00"))
    assert Discussion.objects.get(audit=own_audit).sequence == 1
    # Cancel it.
    response = client.post(url, {"action": "cancel"}, follow=True)
    assert "was cancelled" in response.content.decode()
    assert Discussion.objects.get(audit=own_audit).cancelled


@pytest.mark.parametrize(
    ("changes", "message", "href"),
    [
        ({"day": "", "month": "", "year": ""}, "Enter the date of the discussion", "#date-day"),
        ({"month": ""}, "must include a month", "#date-month"),
        ({"day": "31", "month": "2"}, "must be a real date", "#date-day"),
        ({"year": "26"}, "must be a real date", "#date-day"),
        ({"time": "2pm"}, "24-hour clock", "#id_time"),
        ({"time": ""}, "Enter the start time", "#id_time"),
        ({"location": "", "online_link": ""}, "Enter the place of the discussion, or a link", "#id_location"),
        ({"online_link": "not a link"}, "Enter the online link as a web address", "#id_online_link"),
        ({"duration_minutes": "5"}, "The duration must be 15 to 480 minutes", "#id_duration_minutes"),
    ],
)
def test_discussion_errors(
    authority: Authority, own_audit: Audit, changes: dict[str, str], message: str, href: str
) -> None:
    url = reverse("audits:discussion", args=[own_audit.pk])
    response = client_for(authority, "group_manager").post(url, discussion_post(future(), **changes))
    assert response.status_code == 200
    page = markup(response)
    assert href in page.summary_links and message in response.content.decode()
    assert not Discussion.objects.exists()


def test_a_past_date_is_refused(authority: Authority, own_audit: Audit) -> None:
    url = reverse("audits:discussion", args=[own_audit.pk])
    response = client_for(authority, "group_manager").post(url, discussion_post(future(days=-2)))
    assert "must be in the future" in response.content.decode()
    assert markup(response).summary_links == ["#date-day"]


@pytest.mark.parametrize("who", ["social_worker", "qa_officer", "moderator"])
def test_only_the_auditor_has_the_discussion_page(authority: Authority, own_audit: Audit, who: str) -> None:
    assert (
        client_for(authority, who).get(reverse("audits:discussion", args=[own_audit.pk])).status_code == 404
    )


def test_the_discussion_of_a_restricted_audit_waits_for_the_grant(
    authority: Authority, restricted_audit: Audit
) -> None:
    url = reverse("audits:discussion", args=[restricted_audit.pk])
    assert client_for(authority, "group_manager").get(url).status_code == 404
    decide(authority, ask(authority), grant=True)
    fresh(authority, "group_manager")
    assert client_for(authority, "group_manager").get(url).status_code == 200
    overview = client_for(authority, "group_manager").get(
        reverse("audits:overview", args=[restricted_audit.pk])
    )
    body = overview.content.decode()
    assert "Access requests" in body and "Granted" in body
