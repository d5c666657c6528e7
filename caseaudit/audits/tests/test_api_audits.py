"""/api/audits: the same rules and permissions as the web form (INT-3, CONTRACTS §4, §5)."""

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from caseaudit.accounts.services import api_token_create
from caseaudit.api.tests.conftest import assert_problem
from caseaudit.audits.models import Audit
from caseaudit.audits.tests.test_services_helpers import (
    STRENGTHS,
    all_yes,
    audit_of,
    template_revised,
    templates_load,
)
from caseaudit.conftest import Authority, user_for
from caseaudit.core.models import AccessLog
from caseaudit.questionnaires.models import ResponseSection

Clients = Callable[[str], Client]


def planning_comments(audit: Audit) -> str:
    return ResponseSection.objects.get(response__audit=audit, section_ref="planning").comments


@pytest.fixture
def api(authority: Authority) -> Clients:
    """`api(who)`: a client with a personal token of that person of the authority."""
    templates_load()

    def make(who: str) -> Client:
        _, raw = api_token_create(user=user_for(authority, who), name="test")
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    return make


def patch(client: Client, audit_id: int, body: dict[str, Any]) -> Any:
    return client.patch(f"/api/audits/{audit_id}", json.dumps(body), content_type="application/json")


def post(client: Client, path: str, body: dict[str, Any] | None = None) -> Any:
    return client.post(path, json.dumps(body or {}), content_type="application/json")


def errors(response: Any) -> set[tuple[str, str]]:
    return {(error["ref"], error["field"]) for error in response.json()["errors"]}


# --- starting --------------------------------------------------------------------------------


def test_qa_starts_an_audit_for_an_auditor(authority: Authority, api: Clients) -> None:
    response = post(
        api("qa_officer"),
        "/api/audits",
        {"case_id": "C-OWN", "audit_type": "good_practice", "audit_date": "2026-12-07", "auditor_id": "GMB"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["case_id"] == "C-OWN" and body["child_id"] == authority.cases["own_team"].child.child_id
    assert (body["template_ref"], body["template_version"]) == ("stage1_good_practice", 1)
    assert (body["auditor_id"], body["worker_id"], body["practice_manager_id"]) == ("GMB", "SWA", "PMA")
    assert (body["window_start"], body["window_end"]) == ("2026-06-07", "2026-12-07")
    assert body["status"] == "in_progress" and body["version"] == 1
    assert body["answers"] == {} and body["proposed_overall_grade"] is None
    assert body["status_history"][0]["to_status"] == "in_progress"
    assert body["status_history"][0]["by"] == "QA1"
    assert {
        "ref": "overall",
        "field": "overall_grade",
        "message": "Choose the overall grade of the audit",
    } in body["submission_problems"]


def test_start_refusals(authority: Authority, api: Clients) -> None:
    # Not visible: 404, logged.
    assert_problem(
        post(api("social_worker"), "/api/audits", {"case_id": "C-OTHER", "audit_type": "thematic"}), 404
    )
    assert AccessLog.objects.filter(object_type="case", object_ref="C-OTHER", outcome="denied").exists()
    # Visible, but a social worker does not start audits: 403.
    assert_problem(
        post(api("social_worker"), "/api/audits", {"case_id": "C-OWN", "audit_type": "thematic"}), 403
    )
    # A group manager cannot start one for someone else: 403.
    body = {"case_id": "C-OWN", "audit_type": "good_practice", "auditor_id": "GMB"}
    assert_problem(post(api("group_manager_a"), "/api/audits", body), 403)
    # Refused by the type's rules: 422 with every problem.
    response = post(api("qa_officer"), "/api/audits", {"case_id": "C-OWN", "audit_type": "thematic"})
    assert errors(assert_problem(response, 422) and response) == {("type_details", "theme")}
    response = post(api("qa_officer"), "/api/audits", {"case_id": "C-OWN", "audit_type": "weekly"})
    assert errors(assert_problem(response, 422) and response) == {("audit", "audit_type")}
    # Malformed: 400.
    assert_problem(post(api("qa_officer"), "/api/audits", {"case_id": "C-OWN", "audit_date": "soon"}), 400)
    assert not Audit.objects.exists()


def test_an_audit_can_be_started_on_an_earlier_version_of_its_template(
    authority: Authority, api: Clients, tmp_path: Path
) -> None:
    template_revised(
        tmp_path, "stage1_good_practice.yaml", "text: Is the plan SMART", "text: Is the plan S.M.A.R.T."
    )
    client = api("qa_officer")
    body = {
        "case_id": "C-OWN",
        "audit_type": "good_practice",
        "audit_date": "2026-12-07",
        "auditor_id": "GMB",
    }
    assert post(client, "/api/audits", body).json()["template_version"] == 2  # the current one
    earlier = post(client, "/api/audits", {**body, "template_version": 1})
    assert earlier.status_code == 201, earlier.content
    assert (earlier.json()["template_ref"], earlier.json()["template_version"]) == ("stage1_good_practice", 1)
    unknown = post(client, "/api/audits", {**body, "template_version": 9})
    assert errors(assert_problem(unknown, 422) and unknown) == {("audit", "template_version")}
    assert (
        unknown.json()["errors"][0]["message"]
        == "There is no version 9 of the template 'stage1_good_practice'"
    )
    assert Audit.objects.count() == 2


# --- reading ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("group_manager", 200),
        ("social_worker", 200),
        ("practice_manager", 200),
        ("qa_officer", 200),
        ("moderator", 200),
        ("social_worker_a2", 404),
        ("administrator", 404),
        ("superuser", 200),
    ],
)
def test_get_audit_scoped_and_logged(authority: Authority, api: Clients, who: str, status: int) -> None:
    """SEC-1/SEC-2: 404 for those who may not see it (logged as denied); every view logged."""
    audit = audit_of(authority)
    response = api(who).get(f"/api/audits/{audit.pk}")
    user = user_for(authority, who)
    outcome = "allowed" if status == 200 else "denied"
    if status == 404:
        assert_problem(response, 404)
    else:
        assert response.status_code == 200 and response.json()["id"] == audit.pk
    assert AccessLog.objects.filter(
        actor=user, object_type="audit", object_ref=str(audit.pk), outcome=outcome, via="api"
    ).exists()


def test_restricted_audit_is_not_found_for_qa(authority: Authority, api: Clients) -> None:
    audit = audit_of(authority, "restricted")
    assert_problem(api("qa_officer").get(f"/api/audits/{audit.pk}"), 404)
    # CONTRACTS §3, SEL-6: its auditor too, until their access request is granted; the worker's line sees it.
    assert_problem(api("group_manager").get(f"/api/audits/{audit.pk}"), 404)
    assert api("practice_manager").get(f"/api/audits/{audit.pk}").status_code == 200
    listed = api("qa_officer").get("/api/audits").json()
    assert listed["count"] == 0


def test_list_audits_of_a_case(authority: Authority, api: Clients) -> None:
    audit_of(authority)
    audit_of(authority, "other_team", auditor="group_manager_a")
    body = api("group_manager").get("/api/audits?case_id=C-OWN").json()
    assert [item["case_id"] for item in body["items"]] == ["C-OWN"] and body["count"] == 1


def test_get_audit_queries_do_not_grow(
    authority: Authority, api: Clients, django_assert_max_num_queries: Any
) -> None:
    client = api("group_manager")
    audit = audit_of(authority)
    client.get(f"/api/audits/{audit.pk}")
    for _ in range(15):
        audit_of(authority)
    full = audit_of(authority)
    patch(client, full.pk, {"answers": all_yes(full), "comments": {"assessment": "x"}})
    with django_assert_max_num_queries(24):
        assert client.get(f"/api/audits/{full.pk}").status_code == 200


# --- saving ----------------------------------------------------------------------------------


def test_patch_saves_and_returns_the_new_version(authority: Authority, api: Clients) -> None:
    audit = audit_of(authority)
    response = patch(
        api("group_manager"),
        audit.pk,
        {
            "version": 1,
            "answers": {
                "assessment.child_seen": "yes",
                "assessment.child_seen_alone": {"value": "na", "reason": "Under 5"},
                "assessment.child_voice": "yes",
            },
            "section_grades": {"assessment": "good"},
            "comments": {"assessment": "Seen at home and at nursery."},
            "actions": [
                {"what": "Update the chronology", "due_date": "2026-12-23", "impact": "A clear history"}
            ],
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["version"] == 2
    assert body["answers"]["assessment.child_seen_alone"] == {"value": "na", "reason": "Under 5"}
    assert body["section_grades"] == {"assessment": "good"}
    # Intervention's limiting judgements are not answered yet: overall at best Requires improvement.
    assert body["proposed_overall_grade"] == "requires_improvement"
    assert body["best_grade_allowed"]["assessment"] == "outstanding"
    assert body["comments"] == {"assessment": "Seen at home and at nursery."}
    [action] = body["actions"]
    assert (action["owner_id"], action["owner_is_fallback"], action["status"]) == ("PMA", False, "open")


def test_patch_limiting_judgement_refused_naming_it(authority: Authority, api: Clients) -> None:
    """GRD-2 over the API: 422 with the section ref and a message naming the judgement."""
    audit = audit_of(authority)
    response = patch(
        api("group_manager"),
        audit.pk,
        {"answers": {"assessment.child_seen": "no"}, "section_grades": {"assessment": "good"}},
    )
    body = assert_problem(response, 422)
    assert ("assessment", "grade") in errors(response)
    message = next(e["message"] for e in body["errors"] if e["ref"] == "assessment")
    assert "Was the child seen during the assessment?" in message
    assert api("group_manager").get(f"/api/audits/{audit.pk}").json()["version"] == 1


def test_patch_grade_outside_the_scale(authority: Authority, api: Clients) -> None:
    audit = audit_of(authority, audit_type="dip_sample", type_details={"line_of_enquiry": "Visits"})
    response = patch(api("group_manager"), audit.pk, {"section_grades": {"assessment": "outstanding"}})
    assert errors(assert_problem(response, 422) and response) == {("assessment", "grade")}


def test_patch_actions_problems(authority: Authority, api: Clients) -> None:
    audit = audit_of(authority)
    response = patch(api("group_manager"), audit.pk, {"actions": [{"what": "Visit"}, {"impact": "x"}]})
    assert_problem(response, 422)
    assert errors(response) == {
        ("actions[0]", "due_date"),
        ("actions[0]", "impact"),
        ("actions[1]", "what"),
        ("actions[1]", "due_date"),
    }


def test_patch_stale_version_is_409_and_nothing_saved(authority: Authority, api: Clients) -> None:
    audit = audit_of(authority)
    client = api("group_manager")
    assert patch(client, audit.pk, {"version": 1, "comments": {"planning": "First"}}).status_code == 200
    response = patch(client, audit.pk, {"version": 1, "comments": {"planning": "Second"}})
    body = assert_problem(response, 409)
    assert body["current_version"] == 2
    assert body["changed"] == {"comments.planning": ["", "First"]}
    assert planning_comments(audit) == "First"


def test_two_clients_patching_without_version_cannot_lose_an_update(
    authority: Authority, api: Clients
) -> None:
    """The lost update (issue 15): two clients load the audit and both PATCH without `version`; the
    second used to overwrite the first unseen. Now it is refused, naming `version`, and nothing is
    saved; with the version it loaded it is told what changed, as any stale save."""
    audit = audit_of(authority)
    laptop, script = api("group_manager"), api("group_manager")  # the auditor's two API clients
    for client in (laptop, script):
        assert client.get(f"/api/audits/{audit.pk}").json()["version"] == 1
    assert patch(laptop, audit.pk, {"comments": {"planning": "From the laptop"}}).status_code == 200
    response = patch(script, audit.pk, {"comments": {"planning": "From the script"}})
    body = assert_problem(response, 409)
    assert errors(response) == {("audit", "version")}
    assert body["current_version"] == 2
    assert planning_comments(audit) == "From the laptop"
    stale = assert_problem(patch(script, audit.pk, {"version": 1, "comments": {"planning": "x"}}), 409)
    assert stale["changed"] == {"comments.planning": ["", "From the laptop"]}
    assert patch(script, audit.pk, {"version": 2, "comments": {"planning": "Both"}}).status_code == 200
    # The laptop, in turn, may no longer leave the version out; the browser form always sends it.
    assert_problem(patch(laptop, audit.pk, {"comments": {"planning": "Overwritten?"}}), 409)
    assert planning_comments(audit) == "Both"


def test_one_client_may_leave_the_version_out(authority: Authority, api: Clients) -> None:
    """CONTRACTS §5: `version` is optional while the audit has one client editing it."""
    audit = audit_of(authority)
    client = api("group_manager")
    for n, text in enumerate(["First", "Second", "Third"], start=2):
        response = patch(client, audit.pk, {"comments": {"planning": text}})
        assert response.status_code == 200 and response.json()["version"] == n


def test_patch_forbidden_for_those_who_only_see_it(authority: Authority, api: Clients) -> None:
    audit = audit_of(authority)
    assert_problem(patch(api("social_worker"), audit.pk, {"comments": {"planning": "x"}}), 403)
    assert_problem(patch(api("qa_officer"), audit.pk, {"comments": {"planning": "x"}}), 403)
    assert_problem(patch(api("social_worker_a2"), audit.pk, {"comments": {"planning": "x"}}), 404)


def test_patch_malformed_is_400(authority: Authority, api: Clients) -> None:
    audit = audit_of(authority)
    assert_problem(patch(api("group_manager"), audit.pk, {"version": "latest"}), 400)


# --- submitting ------------------------------------------------------------------------------


def test_submit_lists_everything_missing_then_succeeds(authority: Authority, api: Clients) -> None:
    audit = audit_of(authority)
    client = api("group_manager")
    response = client.post(f"/api/audits/{audit.pk}/submit")  # no body: the version is optional
    assert_problem(response, 422)
    assert {
        ("overall", "overall_grade"),
        ("comments_actions.strengths", "answer"),
        ("assessment", "grade"),
    } <= errors(response)
    graded = ("assessment", "planning", "intervention", "review", "reflection_supervision")
    grades = dict.fromkeys(graded, "good")
    answers = {**all_yes(audit), "comments_actions.strengths": STRENGTHS}
    saved = patch(client, audit.pk, {"answers": answers, "section_grades": grades, "overall_grade": "good"})
    assert saved.status_code == 200, saved.content
    response = post(client, f"/api/audits/{audit.pk}/submit", {"version": saved.json()["version"]})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "submitted"
    assert [row["to_status"] for row in body["status_history"]] == ["in_progress", "submitted"]
    # REC-1: the PDF, stored against the child's file, downloadable by those who may see the audit.
    [document] = body["documents"]
    assert document["stage"] == "stage1" and body["document_url"] == document["download_url"]
    download = api("social_worker").get(body["document_url"])
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert AccessLog.objects.filter(object_type="audit", action="download", outcome="allowed").exists()
    assert_problem(api("social_worker_a2").get(body["document_url"]), 404)
    # Read-only now: 422 for the auditor, not 403.
    response = patch(client, audit.pk, {"comments": {"planning": "Afterthought"}})
    assert_problem(response, 422)
    assert errors(response) == {("audit", "status")}
    assert_problem(post(client, f"/api/audits/{audit.pk}/submit"), 422)


def test_submit_forbidden_for_the_worker(authority: Authority, api: Clients) -> None:
    audit = audit_of(authority)
    assert_problem(post(api("social_worker"), f"/api/audits/{audit.pk}/submit"), 403)
    assert_problem(post(api("group_manager"), f"/api/audits/{audit.pk}/submit", {"version": "x"}), 400)
    assert_problem(post(api("group_manager"), f"/api/audits/{audit.pk}/submit", {"version": 7}), 409)


# --- compliance gaps -------------------------------------------------------------------------


def test_compliance_gap_flagged_by_the_auditor_addressed_by_the_worker(
    authority: Authority, api: Clients
) -> None:
    """AUD-3."""
    audit = audit_of(authority)
    path = f"/api/audits/{audit.pk}/compliance-gaps"
    assert_problem(post(api("social_worker"), path, {"kind": "visits", "note": "x"}), 403)
    response = post(api("group_manager"), path, {"kind": "astrology", "note": ""})
    assert errors(assert_problem(response, 422) and response) == {
        ("compliance_gap", "kind"),
        ("compliance_gap", "note"),
    }
    response = post(api("group_manager"), path, {"kind": "supervision", "note": "No supervision since June"})
    assert response.status_code == 201, response.content
    gap = response.json()
    assert (gap["kind"], gap["flagged_by"], gap["addressed"]) == ("supervision", "GMB", False)
    address = f"{path}/{gap['id']}/address"
    assert_problem(post(api("qa_officer"), address, {"note": "Done"}), 403)
    assert_problem(post(api("social_worker"), address, {"note": " "}), 422)
    response = post(api("social_worker"), address, {"note": "Supervision held on 1 December"})
    assert response.status_code == 200, response.content
    assert response.json()["addressed"] is True and response.json()["addressed_by"] == "SWA"
    assert_problem(post(api("practice_manager"), address, {"note": "Again"}), 422)  # already addressed
    assert_problem(post(api("social_worker"), f"{path}/999999/address", {"note": "x"}), 404)
    detail = api("social_worker").get(f"/api/audits/{audit.pk}").json()
    assert detail["compliance_gaps"][0]["addressed_note"] == "Supervision held on 1 December"


def test_the_docs_say_when_version_must_be_sent(client: Client, db: Any) -> None:
    schema = client.get("/api/openapi.json").json()
    operation = schema["paths"]["/api/audits/{audit_id}"]["patch"]
    assert "once another client has saved the audit" in operation["description"]
    assert (
        "409" in operation["responses"]
        and "application/problem+json" in operation["responses"]["409"]["content"]
    )
    version = schema["components"]["schemas"]["AuditPatchIn"]["properties"]["version"]
    assert "May be left out only while no other client" in version["description"]


def test_patch_stays_all_or_nothing_and_an_action_lacks_only_its_impact(
    authority: Authority, api: Clients
) -> None:
    """An API client sends one change and gets it all or nothing (422); an action sent with its
    owner but without its impact is refused for its impact only (issue 9, B7)."""
    audit = audit_of(authority)
    action = {"what": "Visit", "owner_id": "PMA", "due_date": "2026-12-23", "impact": ""}
    response = patch(
        api("group_manager"),
        audit.pk,
        {"answers": {"assessment.child_seen": "yes"}, "comments": {"planning": "x"}, "actions": [action]},
    )
    assert_problem(response, 422)
    assert errors(response) == {("actions[0]", "impact")}
    body = api("group_manager").get(f"/api/audits/{audit.pk}").json()
    assert (body["version"], body["answers"], body["comments"]) == (1, {}, {})
