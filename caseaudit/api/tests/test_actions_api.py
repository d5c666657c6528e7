"""Actions and escalations over the API (ACT-1, ESC-1, CONTRACTS §4, §10): each endpoint's happy
path, its scoping (404, logged, for what the caller may not see), 403 (logged) for someone who may
see but not do, 422 for a step its status does not allow or without its note, 400 for the wrong
shape, the filters, and the permission matrix of each action operation; and issue 11 part 1:
`PATCH /api/audits/{id}` keeps each action sent with its `id` (same row), and refuses (422) a
submitted audit, whose actions are never deleted.

The authority (caseaudit/conftest.py): GMB audits SWA's case (team A), so PMA (the worker's
practice manager) owns the actions and GMA (PMA's line manager) signs them off; SWB is the worker
of team B. Due dates are 2026-12-30 (helpers.DUE); `overdue` is read against the day set by the
`today` fixture, never the clock."""

import datetime
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from caseaudit.actions.models import ActionEvent, Escalation
from caseaudit.actions.services import action_done
from caseaudit.actions.tests.helpers import DUE, audit_with_actions, first_action
from caseaudit.api.routers import actions as actions_router
from caseaudit.api.tests.conftest import assert_problem
from caseaudit.audits.models import Audit, AuditAction
from caseaudit.conftest import Authority
from caseaudit.core.models import AccessLog
from caseaudit.org.models import Staff

pytestmark = pytest.mark.django_db

Clients = Callable[[str], Client]
BEFORE_DUE = datetime.date(2026, 12, 8)
AFTER_DUE = DUE + datetime.timedelta(days=1)


@pytest.fixture
def api(authority: Authority, token_client: Callable[[Any], Client]) -> Clients:
    """`api(staff_id)`: a client with a personal token of that member of staff ("superuser": the
    break-glass account)."""

    def make(who: str) -> Client:
        if who == "superuser":
            return token_client(authority.superuser)
        return token_client(Staff.objects.get(staff_id=who).user)

    return make


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> Callable[[datetime.date], None]:
    """`today(day)`: the API's day for `overdue` (BEFORE_DUE unless set)."""

    def set_day(day: datetime.date) -> None:
        monkeypatch.setattr(actions_router, "_today", lambda: day)

    set_day(BEFORE_DUE)
    return set_day


@pytest.fixture
def action(authority: Authority, today: Any) -> AuditAction:
    """The first action of a submitted audit of SWA's case (open, owned by PMA, signed off by GMA)."""
    return first_action(audit_with_actions(authority))


def post(client: Client, path: str, body: Any) -> Any:
    return client.post(path, json.dumps(body), content_type="application/json")


def patch(client: Client, audit_id: int, body: dict[str, Any]) -> Any:
    return client.patch(f"/api/audits/{audit_id}", json.dumps(body), content_type="application/json")


def fields(response: Any) -> set[tuple[str, str]]:
    return {(error["ref"], error["field"]) for error in response.json()["errors"]}


def status_of(action: AuditAction) -> str:
    action.refresh_from_db(fields=["status"])
    return action.status


# --- GET /api/actions ---------------------------------------------------------------------------


def test_list_shows_each_action_of_submitted_audits(api: Clients, action: AuditAction) -> None:
    response = api("PMA").get("/api/actions")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 2
    assert body["items"][0] == {
        "id": action.pk,
        "audit_id": action.audit_id,
        "case_id": "C-OWN",
        "what": "Update the chronology, step 1",
        "impact": "The plan follows from the child's history.",
        "owner_id": "PMA",
        "owner_is_fallback": False,
        "signer_id": "GMA",
        "due_date": DUE.isoformat(),
        "due_reason": "",
        "status": "open",
        "overdue": False,
        "status_at": None,
    }


def test_list_is_scoped(authority: Authority, api: Clients, today: Any) -> None:
    audit_with_actions(authority)
    audit_with_actions(authority, "restricted")
    draft = audit_with_actions(authority, submit=False)
    assert AuditAction.objects.filter(audit=draft).count() == 2  # a draft's actions are its form's
    counts = {
        who: api(who).get("/api/actions").json()["count"]
        for who in ("PMA", "GMA", "SWA", "SWB", "QA1", "HOS")
    }
    # PMA owns both audits' actions; QA does not see the restricted case; SWB sees neither.
    assert counts == {"PMA": 4, "GMA": 4, "SWA": 2, "SWB": 0, "QA1": 2, "HOS": 4}
    assert api("SWA2").get("/api/actions").json()["count"] == 2  # their own restricted case's


def test_list_filters(authority: Authority, api: Clients, today: Callable[[datetime.date], None]) -> None:
    own = audit_with_actions(authority)
    restricted = audit_with_actions(authority, "restricted", count=1)
    done = first_action(own)
    action_done(actor=authority.people["practice_manager"].user, action=done, note="Chronology updated.")
    hos = api("HOS")

    def ids(query: str) -> set[int]:
        response = hos.get(f"/api/actions?{query}")
        assert response.status_code == 200, response.content
        return {item["id"] for item in response.json()["items"]}

    own_ids = set(AuditAction.objects.filter(audit=own).values_list("pk", flat=True))
    restricted_ids = set(AuditAction.objects.filter(audit=restricted).values_list("pk", flat=True))
    assert ids("") == own_ids | restricted_ids
    assert ids("owner_id=PMA") == own_ids | restricted_ids
    assert ids("owner_id=GMA") == set()
    assert ids("worker_id=SWA") == own_ids
    assert ids("worker_id=SWA2") == restricted_ids
    assert ids("team_id=TA") == own_ids | restricted_ids
    assert ids("team_id=TB") == set()
    assert ids("status=done") == {done.pk}
    assert ids("status=open") == (own_ids | restricted_ids) - {done.pk}
    assert ids("overdue=true") == set()
    today(AFTER_DUE)
    # A done action waits for its sign-off, not for its owner: not overdue.
    assert ids("overdue=true") == (own_ids | restricted_ids) - {done.pk}
    assert ids("overdue=true&worker_id=SWA") == own_ids - {done.pk}
    overdue = {item["id"]: item["overdue"] for item in hos.get("/api/actions").json()["items"]}
    assert overdue[done.pk] is False and all(v for k, v in overdue.items() if k != done.pk)
    page = hos.get("/api/actions?page_size=1&page=2").json()
    assert page["count"] == 3 and len(page["items"]) == 1
    assert hos.get("/api/actions?page=9").json() == {"items": [], "count": 3}


@pytest.mark.parametrize("query", ["status=finished", "overdue=maybe", "page=0", "page_size=501"])
def test_list_bad_filters_are_400(api: Clients, action: AuditAction, query: str) -> None:
    assert_problem(api("QA1").get(f"/api/actions?{query}"), 400)


def test_not_signed_in_is_401(action: AuditAction) -> None:
    assert_problem(Client().get("/api/actions"), 401)
    assert_problem(
        Client().post(f"/api/actions/{action.pk}/done", "{}", content_type="application/json"), 401
    )


# --- GET /api/actions/{id} ----------------------------------------------------------------------


def test_get_has_the_history_and_is_logged(api: Clients, action: AuditAction) -> None:
    pma = api("PMA")
    assert post(pma, f"/api/actions/{action.pk}/progress", {"note": "Half way."}).status_code == 200
    assert post(pma, f"/api/actions/{action.pk}/done", {"note": "Chronology updated."}).status_code == 200
    response = api("GMA").get(f"/api/actions/{action.pk}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["status"], body["owner_id"], body["signer_id"]) == ("done", "PMA", "GMA")
    history = [{k: v for k, v in event.items() if k != "at"} for event in body["history"]]
    assert history == [
        {"kind": "progress", "from": "open", "to": "open", "note": "Half way.", "by": "PMA"},
        {"kind": "done", "from": "open", "to": "done", "note": "Chronology updated.", "by": "PMA"},
    ]
    assert all(event["at"] for event in body["history"])
    assert AccessLog.objects.filter(
        actor=Staff.objects.get(staff_id="GMA").user,
        object_type="action",
        object_ref=str(action.pk),
        outcome="allowed",
        via="api",
    ).exists()


@pytest.mark.parametrize("who", ["PMA", "GMA", "SWA", "GMB", "QA1", "HQA", "MOD", "HOS", "superuser"])
def test_those_who_may_see_it_get_it(api: Clients, action: AuditAction, who: str) -> None:
    response = api(who).get(f"/api/actions/{action.pk}")
    assert response.status_code == 200, response.content
    assert response.json()["id"] == action.pk


def test_another_teams_worker_gets_404_logged(api: Clients, action: AuditAction) -> None:
    body = assert_problem(api("SWB").get(f"/api/actions/{action.pk}"), 404)
    missing = assert_problem(api("SWB").get("/api/actions/999999"), 404)
    assert body["detail"] == missing["detail"]  # no hint that it exists
    assert AccessLog.objects.filter(
        actor=Staff.objects.get(staff_id="SWB").user,
        object_type="action",
        object_ref=str(action.pk),
        outcome="denied",
        via="api",
    ).exists()


def test_restricted_action_not_visible_to_qa(authority: Authority, api: Clients, today: Any) -> None:
    action = first_action(audit_with_actions(authority, "restricted"))
    assert_problem(api("QA1").get(f"/api/actions/{action.pk}"), 404)
    assert_problem(post(api("QA1"), f"/api/actions/{action.pk}/cancel", {"reason": "x"}), 404)
    assert api("PMA").get(f"/api/actions/{action.pk}").status_code == 200  # the owner
    assert api("GMA").get(f"/api/actions/{action.pk}").status_code == 200  # the signer


def test_a_draft_audits_action_is_not_found(authority: Authority, api: Clients) -> None:
    action = first_action(audit_with_actions(authority, submit=False))
    assert_problem(api("PMA").get(f"/api/actions/{action.pk}"), 404)
    assert_problem(post(api("PMA"), f"/api/actions/{action.pk}/done", {"note": "Done."}), 404)


# --- POST progress / done / sign-off / send-back / cancel ---------------------------------------


def test_owner_works_it_to_done_and_the_signer_signs_it_off(api: Clients, action: AuditAction) -> None:
    pma, gma = api("PMA"), api("GMA")
    progress = post(pma, f"/api/actions/{action.pk}/progress", {"note": "Half way."})
    assert progress.status_code == 200, progress.content
    assert (progress.json()["status"], len(progress.json()["history"])) == ("open", 1)
    done = post(pma, f"/api/actions/{action.pk}/done", {"note": "Chronology updated."})
    assert done.status_code == 200, done.content
    assert done.json()["status"] == "done" and done.json()["status_at"] is not None
    # Progress notes may still be added while it waits for its sign-off (append-only).
    assert post(pma, f"/api/actions/{action.pk}/progress", {"note": "Shared with SWA."}).status_code == 200
    signed = post(gma, f"/api/actions/{action.pk}/sign-off", {"note": "Checked on the file."})
    assert signed.status_code == 200, signed.content
    body = signed.json()
    assert body["status"] == "signed_off"
    assert [(e["kind"], e["by"]) for e in body["history"]] == [
        ("progress", "PMA"),
        ("done", "PMA"),
        ("progress", "PMA"),
        ("signed_off", "GMA"),
    ]
    assert status_of(action) == "signed_off"


def test_signer_sends_it_back_open_again(api: Clients, action: AuditAction) -> None:
    assert post(api("PMA"), f"/api/actions/{action.pk}/done", {"note": "Done."}).status_code == 200
    response = post(api("GMA"), f"/api/actions/{action.pk}/send-back", {"note": "It still stops in June."})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "open"
    assert response.json()["history"][-1]["kind"] == "sent_back"


def test_qa_cancels_with_a_reason(api: Clients, action: AuditAction) -> None:
    response = post(api("QA1"), f"/api/actions/{action.pk}/cancel", {"reason": "Case closed."})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "cancelled"
    assert body["history"] == [
        {
            "kind": "cancelled",
            "from": "open",
            "to": "cancelled",
            "note": "Case closed.",
            "by": "QA1",
            "at": body["history"][0]["at"],
        }
    ]
    assert AuditAction.objects.filter(pk=action.pk).exists()  # cancelled, never deleted


def test_the_wrong_person_gets_403_logged(api: Clients, action: AuditAction) -> None:
    body = assert_problem(post(api("SWA"), f"/api/actions/{action.pk}/done", {"note": "Done."}), 403)
    assert "owner" in body["detail"]
    assert AccessLog.objects.filter(
        actor=Staff.objects.get(staff_id="SWA").user,
        object_type="action",
        object_ref=str(action.pk),
        action="done",
        outcome="denied",
        via="api",
    ).exists()
    # 403 before the note is looked at: someone who may not do it is not told to write a note.
    assert_problem(post(api("SWA"), f"/api/actions/{action.pk}/done", {}), 403)
    assert status_of(action) == "open" and not ActionEvent.objects.filter(action=action).exists()


def test_sign_off_of_an_open_action_is_422(api: Clients, action: AuditAction) -> None:
    response = post(api("GMA"), f"/api/actions/{action.pk}/sign-off", {"note": "Checked."})
    body = assert_problem(response, 422)
    assert fields(response) == {("action", "status")}
    assert "open" in body["errors"][0]["message"]
    assert status_of(action) == "open"


def test_done_twice_is_422(api: Clients, action: AuditAction) -> None:
    pma = api("PMA")
    assert post(pma, f"/api/actions/{action.pk}/done", {"note": "Done."}).status_code == 200
    response = post(pma, f"/api/actions/{action.pk}/done", {"note": "Done again."})
    assert_problem(response, 422)
    assert fields(response) == {("action", "status")}


def test_no_step_on_a_cancelled_action(api: Clients, action: AuditAction) -> None:
    assert post(api("QA1"), f"/api/actions/{action.pk}/cancel", {"reason": "Case closed."}).status_code == 200
    assert_problem(post(api("PMA"), f"/api/actions/{action.pk}/progress", {"note": "x"}), 422)
    assert_problem(post(api("QA1"), f"/api/actions/{action.pk}/cancel", {"reason": "Again."}), 422)


@pytest.mark.parametrize(
    ("step", "body", "field"),
    [
        ("progress", {}, "note"),
        ("done", {"note": "   "}, "note"),
        ("done", {"note": "x" * 5001}, "note"),
        ("cancel", {}, "reason"),
        ("cancel", {"note": "A note is not a reason."}, "reason"),
    ],
)
def test_missing_note_is_422(api: Clients, action: AuditAction, step: str, body: Any, field: str) -> None:
    who = "QA1" if step == "cancel" else "PMA"
    response = post(api(who), f"/api/actions/{action.pk}/{step}", body)
    assert_problem(response, 422)
    assert fields(response) == {("action", field)}
    assert status_of(action) == "open" and not ActionEvent.objects.filter(action=action).exists()


def test_sign_off_without_a_note_is_422(api: Clients, action: AuditAction) -> None:
    assert post(api("PMA"), f"/api/actions/{action.pk}/done", {"note": "Done."}).status_code == 200
    response = post(api("GMA"), f"/api/actions/{action.pk}/sign-off", {})
    assert_problem(response, 422)
    assert fields(response) == {("action", "note")}
    assert status_of(action) == "done"


@pytest.mark.parametrize(
    "raw",
    ['{"note": ', '{"note": ["a", "b"]}', '{"note": 5}', '{"note": null}', '["Done."]'],
)
def test_bad_body_is_400(api: Clients, action: AuditAction, raw: str) -> None:
    response = api("PMA").post(f"/api/actions/{action.pk}/done", raw, content_type="application/json")
    assert_problem(response, 400)
    assert status_of(action) == "open"


def test_unknown_action_is_404_for_a_step(api: Clients, action: AuditAction) -> None:
    assert_problem(post(api("QA1"), "/api/actions/999999/cancel", {"reason": "x"}), 404)


# --- the permission matrix ----------------------------------------------------------------------

OPERATIONS = ("progress", "done", "sign-off", "cancel")
OK, NO, HIDDEN = 200, 403, 404
MATRIX: dict[str, tuple[int, int, int, int]] = {
    # who: (progress, done, sign-off, cancel)
    "PMA": (OK, OK, NO, NO),  # the owner (the worker's practice manager)
    "GMA": (NO, NO, OK, OK),  # the signer (PMA's line manager, as PMA owns it)
    "SWA": (NO, NO, NO, NO),  # the worker: sees it
    "SWB": (HIDDEN, HIDDEN, HIDDEN, HIDDEN),  # another team's worker
    "GMB": (NO, NO, NO, NO),  # the auditor: sees it
    "QA1": (NO, NO, NO, OK),
    "HQA": (NO, NO, NO, OK),
    "MOD": (NO, NO, NO, NO),  # the moderator: sees it
    "HOS": (NO, NO, NO, NO),  # the head of service: sees it, above the signer
}
CELLS = [(who, operation) for who in MATRIX for operation in OPERATIONS]
AFTER = {"progress": "open", "done": "done", "sign-off": "signed_off", "cancel": "cancelled"}


@pytest.mark.parametrize(("who", "operation"), CELLS)
def test_permission_matrix(
    authority: Authority, api: Clients, action: AuditAction, who: str, operation: str
) -> None:
    if operation == "sign-off":  # only a done action may be signed off: the status is not in question
        action_done(actor=authority.people["practice_manager"].user, action=action, note="Done.")
    before, events = status_of(action), ActionEvent.objects.filter(action=action).count()
    member = "reason" if operation == "cancel" else "note"
    response = post(api(who), f"/api/actions/{action.pk}/{operation}", {member: "A note."})
    expected = MATRIX[who][OPERATIONS.index(operation)]
    if expected == OK:
        assert response.status_code == 200, response.content
        assert response.json()["status"] == AFTER[operation] == status_of(action)
        assert ActionEvent.objects.filter(action=action).count() == events + 1
    else:
        assert_problem(response, expected)
        assert status_of(action) == before
        assert ActionEvent.objects.filter(action=action).count() == events


# --- escalations --------------------------------------------------------------------------------


@pytest.fixture
def escalation(authority: Authority, today: Any) -> Escalation:
    """The escalation an Inadequate audit of SWA's case opened at its submission."""
    return Escalation.objects.get(audit=audit_with_actions(authority, grade="inadequate"))


def test_escalations_list_and_filters(
    api: Clients, escalation: Escalation, today: Callable[[datetime.date], None]
) -> None:
    qa = api("QA1")
    body = qa.get("/api/escalations").json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item == {
        "id": escalation.pk,
        "audit_id": escalation.audit_id,
        "case_id": "C-OWN",
        "team_id": "TA",
        "worker_id": "SWA",
        "status": "open",
        "stage": "submitted",
        "opened_at": item["opened_at"],
        "due_date": escalation.due_date.isoformat(),
        "overdue": False,
        "outcome_code": None,
        "outcome": "",
        "closed_at": None,
        "closed_by": None,
    }
    assert qa.get("/api/escalations?status=open").json()["count"] == 1
    assert qa.get("/api/escalations?status=closed").json()["count"] == 0
    today(escalation.due_date)
    assert qa.get("/api/escalations?overdue=true").json()["count"] == 0
    today(escalation.due_date + datetime.timedelta(days=1))
    assert qa.get("/api/escalations?overdue=true").json()["items"][0]["overdue"] is True
    assert api("SWB").get("/api/escalations").json() == {"items": [], "count": 0}
    assert_problem(qa.get("/api/escalations?status=shut"), 400)


def test_escalation_get_is_logged_and_scoped(api: Clients, escalation: Escalation) -> None:
    for who in ("SWA", "PMA", "GMA", "HOS", "QA1", "GMB", "MOD"):
        response = api(who).get(f"/api/escalations/{escalation.pk}")
        assert response.status_code == 200, (who, response.content)
    assert (
        AccessLog.objects.filter(
            object_type="escalation", object_ref=str(escalation.pk), outcome="allowed", via="api"
        ).count()
        == 7
    )
    assert_problem(api("SWB").get(f"/api/escalations/{escalation.pk}"), 404)
    assert_problem(api("SWB").get("/api/escalations/999999"), 404)
    assert AccessLog.objects.filter(
        object_type="escalation", object_ref=str(escalation.pk), outcome="denied", via="api"
    ).exists()


def test_head_of_service_closes_an_escalation(api: Clients, escalation: Escalation) -> None:
    url = f"/api/escalations/{escalation.pk}/close"
    body = {"outcome_code": "strategy_discussion", "outcome": "Strategy discussion held on 9 December."}
    response = post(api("HOS"), url, body)
    assert response.status_code == 200, response.content
    closed = response.json()
    assert (closed["status"], closed["outcome_code"], closed["closed_by"]) == (
        "closed",
        "strategy_discussion",
        "HOS",
    )
    assert closed["outcome"] == body["outcome"] and closed["closed_at"] and closed["overdue"] is False
    again = post(api("QA1"), url, body)
    assert_problem(again, 422)
    assert fields(again) == {("escalation", "status")}


@pytest.mark.parametrize("who", ["SWA", "GMB", "MOD"])
def test_those_who_see_but_may_not_close_get_403(api: Clients, escalation: Escalation, who: str) -> None:
    url = f"/api/escalations/{escalation.pk}/close"
    assert_problem(post(api(who), url, {"outcome_code": "no_further_action", "outcome": "x"}), 403)
    assert AccessLog.objects.filter(
        object_type="escalation", object_ref=str(escalation.pk), action="close", outcome="denied"
    ).exists()
    escalation.refresh_from_db()
    assert escalation.status == "open"


def test_close_escalation_hidden_is_404(api: Clients, escalation: Escalation) -> None:
    url = f"/api/escalations/{escalation.pk}/close"
    assert_problem(post(api("SWB"), url, {"outcome_code": "no_further_action", "outcome": "x"}), 404)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({}, {("escalation", "outcome_code"), ("escalation", "outcome")}),
        ({"outcome_code": "sorted", "outcome": "Done."}, {("escalation", "outcome_code")}),
        ({"outcome_code": "case_stepped_up", "outcome": "  "}, {("escalation", "outcome")}),
    ],
)
def test_close_without_an_outcome_is_422(
    api: Clients, escalation: Escalation, body: dict[str, Any], expected: set[tuple[str, str]]
) -> None:
    response = post(api("QA1"), f"/api/escalations/{escalation.pk}/close", body)
    assert_problem(response, 422)
    assert fields(response) == expected
    escalation.refresh_from_db()
    assert escalation.status == "open"


@pytest.mark.parametrize("raw", ['{"outcome_code": ', '{"outcome_code": 3, "outcome": "x"}', "[]"])
def test_close_bad_body_is_400(api: Clients, escalation: Escalation, raw: str) -> None:
    response = api("QA1").post(
        f"/api/escalations/{escalation.pk}/close", raw, content_type="application/json"
    )
    assert_problem(response, 400)


# --- issue 11 part 1: PATCH /api/audits/{id} keeps each action's id -------------------------------


def _as_sent(item: dict[str, Any]) -> dict[str, Any]:
    """An action of GET /api/audits/{id} as a PATCH sends it back."""
    return {key: item[key] for key in ("id", "what", "owner_id", "due_date", "impact")}


def test_audit_get_shows_each_actions_id_and_status(authority: Authority, api: Clients) -> None:
    audit = audit_with_actions(authority, submit=False)
    stored = list(AuditAction.objects.filter(audit=audit).order_by("order"))
    actions = api("GMB").get(f"/api/audits/{audit.pk}").json()["actions"]
    assert [(a["id"], a["status"], a["what"]) for a in actions] == [
        (action.pk, "open", action.what) for action in stored
    ]


def test_patch_with_the_same_actions_keeps_the_rows(authority: Authority, api: Clients) -> None:
    audit = audit_with_actions(authority, submit=False)
    gmb = api("GMB")
    loaded = gmb.get(f"/api/audits/{audit.pk}").json()
    stored = {a.pk: a.created_at for a in AuditAction.objects.filter(audit=audit)}
    response = patch(
        gmb, audit.pk, {"version": loaded["version"], "actions": [_as_sent(a) for a in loaded["actions"]]}
    )
    assert response.status_code == 200, response.content
    assert response.json()["actions"] == loaded["actions"]
    # The same rows: same primary keys, not deleted and created again.
    assert {a.pk: a.created_at for a in AuditAction.objects.filter(audit=audit)} == stored


def test_patch_changes_an_action_in_place_adds_new_and_drops_unsent(
    authority: Authority, api: Clients
) -> None:
    audit = audit_with_actions(authority, submit=False)
    gmb = api("GMB")
    loaded = gmb.get(f"/api/audits/{audit.pk}").json()
    first, second = loaded["actions"]
    changed = {**_as_sent(second), "what": "Visit the child at school", "owner_id": "SWA"}
    new = {"what": "Review the plan", "due_date": "2026-12-21", "impact": "The plan is current."}
    response = patch(gmb, audit.pk, {"version": loaded["version"], "actions": [changed, new]})
    assert response.status_code == 200, response.content
    kept, added = response.json()["actions"]
    assert (kept["id"], kept["what"], kept["owner_id"]) == (second["id"], "Visit the child at school", "SWA")
    assert added["id"] not in (first["id"], second["id"])
    # Before submission the form's list replaces the actions: the one not sent is gone.
    assert set(AuditAction.objects.filter(audit=audit).values_list("pk", flat=True)) == {
        second["id"],
        added["id"],
    }
    assert AuditAction.objects.get(pk=second["id"]).order == 0


def test_patch_with_another_audits_action_id_is_422(authority: Authority, api: Clients) -> None:
    other = first_action(audit_with_actions(authority, "restricted"))
    audit = audit_with_actions(authority, submit=False)
    gmb = api("GMB")
    loaded = gmb.get(f"/api/audits/{audit.pk}").json()
    body = {"version": loaded["version"], "actions": [{**_as_sent(loaded["actions"][0]), "id": other.pk}]}
    response = patch(gmb, audit.pk, body)
    assert_problem(response, 422)
    assert fields(response) == {("actions[0]", "id")}
    assert AuditAction.objects.filter(audit=audit).count() == 2
    other.refresh_from_db()
    assert other.audit_id != audit.pk and other.what == "Update the chronology, step 1"


@pytest.mark.parametrize("who", ["GMB", "superuser"])
def test_patch_of_a_submitted_audit_is_422_and_keeps_its_actions(
    authority: Authority, api: Clients, who: str
) -> None:
    """Stage 1 is read-only once submitted: 422 (the status refuses it) for the auditor and the
    break-glass account alike, and no action is deleted or changed."""
    audit: Audit = audit_with_actions(authority)
    client = api(who)
    loaded = client.get(f"/api/audits/{audit.pk}").json()
    stored = list(AuditAction.objects.filter(audit=audit).order_by("pk").values())
    for actions in (
        [],
        [_as_sent(loaded["actions"][0])],
        [{**_as_sent(a), "what": "x"} for a in loaded["actions"]],
    ):
        response = patch(client, audit.pk, {"actions": actions})
        assert_problem(response, 422)
        assert fields(response) == {("audit", "status")}
    assert list(AuditAction.objects.filter(audit=audit).order_by("pk").values()) == stored


def test_patch_of_a_submitted_audit_by_someone_who_never_edits_is_403(
    authority: Authority, api: Clients
) -> None:
    audit = audit_with_actions(authority)
    assert_problem(patch(api("PMA"), audit.pk, {"actions": []}), 403)
    assert AuditAction.objects.filter(audit=audit).count() == 2


@pytest.mark.parametrize("repeat", ["same_id", "true_as_id"])
def test_patch_refuses_an_id_sent_twice_or_not_a_number(
    authority: Authority, api: Clients, repeat: str
) -> None:
    """An action's id names one stored action: sent twice, the second would silently overwrite the
    first (one action lost); `true` is not a number (JSON true is not the action with id 1)."""
    audit = audit_with_actions(authority, submit=False)
    gmb = api("GMB")
    loaded = gmb.get(f"/api/audits/{audit.pk}").json()
    first, second = (_as_sent(a) for a in loaded["actions"])
    if repeat == "same_id":
        actions = [first, {**second, "id": first["id"]}]
    else:
        actions = [{**first, "id": True}, second]
    response = patch(gmb, audit.pk, {"version": loaded["version"], "actions": actions})
    assert_problem(response, 422)
    assert ("actions[1]" if repeat == "same_id" else "actions[0]", "id") in fields(response)
    assert list(AuditAction.objects.filter(audit=audit).order_by("order").values_list("pk", "what")) == [
        (first["id"], first["what"]),
        (second["id"], second["what"]),
    ]
