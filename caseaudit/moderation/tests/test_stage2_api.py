"""Stage 2 over the API (CONTRACTS §9, §4): assign or take, PATCH the form (grades given =
changed, omitted = agreed; a grade past a limiting judgement 422 with Stage 1's message; stale 409),
complete (422 with every problem, then final), the queue (paginated, with due dates), and the
problems: 404 not visible, 403 may see but may not do, 409 already taken."""

import datetime
import json
from typing import Any

import pytest
from django.test import Client

from caseaudit.api.tests.conftest import assert_problem
from caseaudit.audits.models import Audit
from caseaudit.audits.services_grades import later_grade_problems
from caseaudit.conftest import Authority, user_for
from caseaudit.moderation.tests.helpers import people_added
from caseaudit.moderation.tests.test_stage2_helpers import (
    ANSWERS,
    assigned,
    in_moderation,
    limited_in_moderation,
    moderation,
)

# Stage 2 adds actions due within 4 weeks of the day they are added (ACT-2).
STAGE2_DUE = (datetime.date.today() + datetime.timedelta(days=14)).isoformat()

pytestmark = pytest.mark.django_db


def api(authority: Authority, who: str) -> Client:
    client = Client()
    client.force_login(user_for(authority, who))
    return client


def send(client: Client, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    data = json.dumps(body) if body is not None else ""
    return getattr(client, method)(path, data, content_type="application/json")


def test_qa_assign_and_a_moderator_takes_the_second_is_409(authority: Authority) -> None:
    people = people_added(authority)
    first, second = in_moderation(authority), in_moderation(authority)
    response = send(
        api(authority, "qa_officer"), "post", f"/api/audits/{first.pk}/moderation", {"moderator_id": "MOD"}
    )
    assert response.status_code == 200, response.content
    assert response.json()["moderator_id"] == "MOD" and response.json()["due_date"]
    assert (
        send(api(authority, "moderator_2"), "post", f"/api/audits/{second.pk}/moderation").status_code == 200
    )
    taken = assert_problem(
        send(api(authority, "moderator"), "post", f"/api/audits/{second.pk}/moderation"), 409
    )
    assert (
        taken["errors"][0]["message"] == f"This audit has already been taken by {people['moderator_2'].name}."
    )


def test_assign_refusals(authority: Authority) -> None:
    audit = in_moderation(authority)
    url = f"/api/audits/{audit.pk}/moderation"
    assert_problem(send(api(authority, "moderator"), "post", url, {"moderator_id": "MOD"}), 403)
    authority.people["group_manager"].roles.create(role="moderator")
    conflicted = assert_problem(send(api(authority, "qa_officer"), "post", url, {"moderator_id": "GMB"}), 422)
    assert "they conducted the audit" in conflicted["errors"][0]["message"]
    assert (
        "they conducted the audit"
        in assert_problem(send(api(authority, "group_manager"), "post", url), 403)["detail"]
    )
    assert_problem(send(api(authority, "qa_officer"), "post", url, {"moderator_id": "NOPE"}), 422)
    hidden = in_moderation(authority, "restricted")
    assert_problem(send(api(authority, "qa_officer"), "post", f"/api/audits/{hidden.pk}/moderation"), 404)


def test_patch_grades_changed_or_agreed_and_a_limiting_judgement_refused(authority: Authority) -> None:
    audit = limited_in_moderation(authority)
    assigned(authority, audit)
    client = api(authority, "moderator")
    url = f"/api/audits/{audit.pk}/moderation"
    version = client.get(url).json()["version"]
    message = later_grade_problems(audit=audit, grades={"assessment": "good"}, reasons={})[0].message
    refused = assert_problem(
        send(
            client,
            "patch",
            url,
            {
                "version": version,
                "section_grades": {"assessment": "good"},
                "grade_reasons": {"assessment": "x"},
            },
        ),
        422,
    )
    assert [e["message"] for e in refused["errors"]] == [message]
    body = {
        "version": version,
        "answers": ANSWERS,
        "section_grades": {"planning": "inadequate"},
        "grade_reasons": {"planning": "No plan at all."},
        "actions": [{"what": "Write the plan", "due_date": STAGE2_DUE, "impact": "The child has a plan."}],
    }
    saved = send(client, "patch", url, body)
    assert saved.status_code == 200, saved.content
    out = saved.json()
    assert out["version"] == version + 1
    assert out["grades"]["planning"] == {"agree": False, "grade": "inadequate", "reason": "No plan at all."}
    assert out["grades"]["assessment"]["agree"] is True and out["grades"]["overall"]["agree"] is True
    assert out["answers"]["discussion.record"] == ANSWERS["discussion.record"]
    assert audit.actions.filter(what="Write the plan").exists()
    assert_problem(send(client, "patch", url, {"version": version, "answers": ANSWERS}), 409)
    assert_problem(send(api(authority, "qa_officer"), "patch", url, {"answers": ANSWERS}), 403)


def test_complete_is_422_with_every_problem_then_final(authority: Authority) -> None:
    audit = in_moderation(authority)
    assigned(authority, audit)
    client = api(authority, "moderator")
    url = f"/api/audits/{audit.pk}/moderation"
    problem = assert_problem(send(client, "post", f"{url}/complete"), 422)
    refs = {error["ref"] for error in problem["errors"]}
    assert {
        "discussion.date",
        "discussion.attendees",
        "discussion.record",
        "difference.made_a_difference",
        "overall",
    } <= refs
    body = {
        "answers": ANSWERS,
        "section_grades": {"review": "requires_improvement"},
        "grade_reasons": {"review": "Late."},
    }
    assert send(client, "patch", url, body).status_code == 200
    done = send(client, "post", f"{url}/complete")
    assert done.status_code == 200, done.content
    out = done.json()
    assert out["status"] == "final" and out["completed_at"]
    assert out["changes"] == [
        {"ref": "review", "from": "good", "to": "requires_improvement", "reason": "Late."}
    ]
    assert Audit.objects.get(pk=audit.pk).moderated_grades["review"] == "requires_improvement"
    assert_problem(send(client, "post", f"{url}/complete"), 422)


def test_the_queue_is_paginated_with_due_dates(authority: Authority) -> None:
    audits = [in_moderation(authority) for _ in range(3)]
    in_moderation(authority, "restricted")
    client = api(authority, "qa_officer")
    page = client.get("/api/moderation-queue?page_size=2").json()
    assert page["count"] == 3 and len(page["items"]) == 2
    assert page["items"][0]["due_date"] and page["items"][0]["moderator_id"] is None
    assert client.get("/api/moderation-queue?page=3&page_size=2").json()["items"] == []
    assigned(authority, audits[0])
    mine = api(authority, "moderator").get("/api/moderation-queue?assigned=mine").json()
    assert [item["audit_id"] for item in mine["items"]] == [audits[0].pk]
    assert_problem(api(authority, "social_worker").get("/api/moderation-queue"), 403)


def test_get_is_for_those_who_may_see_the_audit(authority: Authority) -> None:
    audit = in_moderation(authority)
    url = f"/api/audits/{audit.pk}/moderation"
    assert api(authority, "practice_manager").get(url).status_code == 200
    assert_problem(api(authority, "social_worker_a2").get(url), 404)
    assert moderation(audit).moderator is None
