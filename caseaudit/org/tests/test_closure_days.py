"""The council's closure days (ACT-2, CONTRACTS §7): kept by QA and administrators, each change
with its history, and counted out of every working-day deadline through working_calendar."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from caseaudit.conftest import Authority, user_for
from caseaudit.core.models import AuditEvent
from caseaudit.org.models import ClosureDay
from caseaudit.org.selectors import working_calendar
from caseaudit.org.services_calendar import ClosureDayRefused, closure_day_add, closure_day_remove

pytestmark = pytest.mark.django_db
D = datetime.date
URL = reverse("org:closure_days")


def client_for(authority: Authority, who: str) -> Client:
    client = Client()
    client.force_login(user_for(authority, who))
    return client


def test_a_closure_day_is_not_a_working_day_for_any_deadline(authority: Authority) -> None:
    qa = user_for(authority, "qa_officer")
    assert working_calendar().after(D(2026, 12, 23), 5) == D(2027, 1, 4)
    for day in (D(2026, 12, 29), D(2026, 12, 30), D(2026, 12, 31)):
        closure_day_add(actor=qa, day=day, name="Christmas closure")
    calendar = working_calendar()
    assert calendar.after(D(2026, 12, 23), 5) == D(2027, 1, 7)
    assert not calendar.is_working_day(D(2026, 12, 30))
    assert calendar.on_or_before(D(2026, 12, 31)) == D(2026, 12, 24)
    [event] = AuditEvent.objects.filter(object_type="closure_day", object_ref="2026-12-29")
    assert event.action == "closure_day.added" and event.actor == qa
    closure_day_remove(actor=qa, day=D(2026, 12, 29))
    assert working_calendar().after(D(2026, 12, 23), 5) == D(2027, 1, 6)
    assert AuditEvent.objects.filter(action="closure_day.removed", object_ref="2026-12-29").count() == 1


def test_a_closure_day_is_refused_with_what_is_wrong(authority: Authority) -> None:
    qa = user_for(authority, "qa_officer")
    cases = [
        (None, "Closure", ("day", "Enter the date the council is closed")),
        (D(2026, 12, 25), "Closure", ("day", "25 December 2026 is already not a working day")),
        (D(2026, 12, 26), "Closure", ("day", "26 December 2026 is already not a working day")),
        (D(2026, 12, 29), " ", ("name", "Enter why the council is closed")),
    ]
    for day, name, (field, message) in cases:
        with pytest.raises(ClosureDayRefused) as refused:
            closure_day_add(actor=qa, day=day, name=name)
        [problem] = refused.value.problems
        assert problem.field == field and problem.message.startswith(message)
    closure_day_add(actor=qa, day=D(2026, 12, 29), name="Christmas closure")
    with pytest.raises(ClosureDayRefused, match="29 December 2026 is already a closure day"):
        closure_day_add(actor=qa, day=D(2026, 12, 29), name="Again")
    assert ClosureDay.objects.count() == 1
    with pytest.raises(ClosureDayRefused, match="is not a closure day"):
        closure_day_remove(actor=qa, day=D(2026, 12, 30))


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("qa_officer", True),
        ("head_of_qa", True),
        ("administrator", True),
        ("superuser", True),  # break-glass: Django grants every permission
        ("head_of_service", False),
        ("group_manager", False),
        ("practice_manager", False),
        ("social_worker", False),
        ("moderator", False),
    ],
)
def test_who_keeps_the_closure_days(authority: Authority, who: str, allowed: bool) -> None:
    client = client_for(authority, who)
    form = {"day": "29", "month": "12", "year": "2026", "name": "Christmas closure"}
    page = client.get(URL)
    added = client.post(URL, form)
    if allowed:
        assert page.status_code == 200 and "Council closure days" in page.content.decode()
        assert added.status_code == 302
        assert ClosureDay.objects.filter(day=D(2026, 12, 29)).exists()
    else:
        assert page.status_code in (403, 404) and added.status_code in (403, 404)
        assert not ClosureDay.objects.exists()


def test_the_page_adds_lists_and_removes_with_errors_on_their_fields(authority: Authority) -> None:
    client = client_for(authority, "qa_officer")
    response = client.post(URL, {"day": "31", "month": "2", "year": "2026", "name": ""})
    html = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in html
    assert '<a href="#date-day">The date the council is closed must be a real date' in html
    response = client.post(URL, {"day": "29", "month": "12", "year": "2026", "name": "Christmas closure"})
    assert response.status_code == 302
    html = client.get(URL).content.decode()
    assert "Tuesday 29 December 2026" in html and "Christmas closure" in html
    response = client.post(URL, {"remove": "2026-12-29"})
    assert response.status_code == 302 and not ClosureDay.objects.exists()
