"""FAM-1, FAM-2 over the API (CONTRACTS §9): GET and PUT /api/audits/{id}/family-feedback, with
404 for someone who may not see the audit, 403 for someone who may see it but not record, 422
problems naming each person and field, 400 for the wrong shape, each denial and view logged; and
GET /api/audits/{id} shows it in `family_feedback`."""

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from caseaudit.api.tests.conftest import assert_problem
from caseaudit.audits.models import Audit, FamilyRespondent
from caseaudit.audits.services_family import ACTION
from caseaudit.audits.tests.test_services_helpers import audit_of, events, templates_load
from caseaudit.conftest import Authority, user_for
from caseaudit.core.models import AccessLog
from caseaudit.org.models import Staff

Clients = Callable[[str], Client]

LISTENED = "feedback.listened_to"
CHILD_WORDS = "She listens to me."
CHILD: dict[str, Any] = {
    "who": "child",
    "consent": "yes",
    "consent_date": "2026-11-30",
    "reason": "",
    "answers": {LISTENED: CHILD_WORDS},
}
PARENT: dict[str, Any] = {
    "who": "parent_carer",
    "consent": "not_asked",
    "consent_date": None,
    "reason": "In hospital.",
    "answers": {},
}


@pytest.fixture(autouse=True)
def _templates(db: Any) -> None:
    templates_load()


@pytest.fixture
def api(authority: Authority, token_client: Callable[[Any], Client]) -> Clients:
    """`api(who)`: a client with a token of one of the authority's people; `"SWB"` is the worker
    of the other team (not in `authority.people`)."""

    def make(who: str) -> Client:
        if who == "SWB":
            return token_client(Staff.objects.get(staff_id="SWB").user)
        return token_client(user_for(authority, who))

    return make


@pytest.fixture
def audit(authority: Authority) -> Audit:
    """GMB (`group_manager`) audits SWA's case C-OWN."""
    return audit_of(authority)


def url(audit: Audit | int) -> str:
    return f"/api/audits/{audit.pk if isinstance(audit, Audit) else audit}/family-feedback"


def put(client: Client, target: Audit | int, body: Any) -> Any:
    return client.put(url(target), json.dumps(body), content_type="application/json")


def test_the_auditor_records_it_and_anyone_who_may_see_the_audit_reads_it(audit: Audit, api: Clients) -> None:
    response = put(api("group_manager"), audit, {"respondents": [CHILD, PARENT]})
    assert response.status_code == 200, response.content
    assert response.json() == {"audit_id": audit.pk, "respondents": [CHILD, PARENT]}
    assert len(events(audit, ACTION)) == 1

    for who in ("social_worker", "practice_manager", "qa_officer"):
        read = api(who).get(url(audit))
        assert read.status_code == 200, (who, read.content)
        assert read.json() == {"audit_id": audit.pk, "respondents": [CHILD, PARENT]}
    viewed = AccessLog.objects.filter(
        object_type="audit", object_ref=str(audit.pk), outcome="allowed", via="api"
    )
    assert viewed.filter(action="view").count() == 3
    assert viewed.filter(action="edit").count() == 1


def test_an_empty_list_clears_it(audit: Audit, api: Clients) -> None:
    put(api("group_manager"), audit, {"respondents": [CHILD]})
    response = put(api("group_manager"), audit, {"respondents": []})
    assert response.status_code == 200 and response.json()["respondents"] == []
    assert not FamilyRespondent.objects.filter(audit=audit).exists()
    assert api("group_manager").get(url(audit)).json() == {"audit_id": audit.pk, "respondents": []}


def test_not_visible_is_404_and_logged(audit: Audit, api: Clients) -> None:
    """SWB, of the other team, may not see SWA's audit: the same 404 as an audit that does not exist."""
    for client, target in ((api("SWB"), audit), (api("group_manager"), audit.pk + 1000)):
        assert_problem(client.get(url(target)), 404)
        assert_problem(put(client, target, {"respondents": [CHILD]}), 404)
    denied = AccessLog.objects.filter(outcome="denied", via="api", object_type="audit")
    assert denied.filter(object_ref=str(audit.pk)).count() == 2
    assert denied.filter(object_ref=str(audit.pk + 1000)).count() == 2
    assert not FamilyRespondent.objects.exists()


@pytest.mark.parametrize("who", ["social_worker", "qa_officer", "moderator"])
def test_may_see_but_not_record_is_403_and_logged(
    authority: Authority, audit: Audit, api: Clients, who: str
) -> None:
    body = assert_problem(put(api(who), audit, {"respondents": [CHILD]}), 403)
    assert "may not record family feedback" in body["detail"]
    assert AccessLog.objects.filter(
        outcome="denied",
        via="api",
        object_ref=str(audit.pk),
        action="record_family_feedback",
        actor=user_for(authority, who),
    ).exists()
    assert not FamilyRespondent.objects.exists()


def test_the_rules_are_422_naming_each_person_and_field(audit: Audit, api: Clients) -> None:
    body = assert_problem(
        put(
            api("group_manager"),
            audit,
            {
                "respondents": [
                    CHILD | {"consent_date": None},
                    {"who": "parent_carer", "consent": "na"},
                    {
                        "who": "other_family",
                        "consent": "no",
                        "answers": {"feedback.nope": "x", LISTENED: "Fine."},
                    },
                    {"who": "uncle", "consent": "maybe"},
                ]
            },
        ),
        422,
    )
    assert body["detail"] == "The family feedback was not saved: see `errors`."
    assert {(e["ref"], e["field"]) for e in body["errors"]} == {
        ("respondents[0]", "consent_date"),
        ("respondents[1]", "reason"),
        ("respondents[2]", "answers.feedback.nope"),
        ("respondents[2]", "answers"),
        ("respondents[3]", "who"),
        ("respondents[3]", "consent"),
    }
    assert all(e["message"] for e in body["errors"])
    assert not FamilyRespondent.objects.exists() and not events(audit, ACTION)


def test_too_many_people_is_422(audit: Audit, api: Clients) -> None:
    body = assert_problem(put(api("group_manager"), audit, {"respondents": [CHILD] * 21}), 422)
    assert [(e["ref"], e["field"]) for e in body["errors"]] == [("respondents", None)]


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"respondents": CHILD},
        {"respondents": "child"},
        {"respondents": [CHILD | {"answers": ["Fine."]}]},
        [CHILD],
    ],
)
def test_the_wrong_shape_is_400(audit: Audit, api: Clients, body: Any) -> None:
    assert_problem(put(api("group_manager"), audit, body), 400)
    assert not FamilyRespondent.objects.exists()


def test_a_body_that_does_not_parse_is_400(audit: Audit, api: Clients) -> None:
    response = api("group_manager").put(url(audit), "{", content_type="application/json")
    assert_problem(response, 400)


def test_the_audit_shows_it_in_its_later_stages(audit: Audit, api: Clients) -> None:
    put(api("group_manager"), audit, {"respondents": [CHILD, PARENT]})
    body = api("qa_officer").get(f"/api/audits/{audit.pk}").json()
    assert body["family_feedback"] == [CHILD, PARENT]
    put(api("group_manager"), audit, {"respondents": [PARENT]})
    assert api("qa_officer").get(f"/api/audits/{audit.pk}").json()["family_feedback"] == [PARENT]


def test_the_openapi_schema_documents_both(api: Clients) -> None:
    schema = api("qa_officer").get("/api/openapi.json").json()
    operations = schema["paths"]["/api/audits/{audit_id}/family-feedback"]
    assert operations["get"]["operationId"] == "audit_family_feedback_get"
    assert operations["put"]["operationId"] == "audit_family_feedback_replace"
    assert {"200", "400", "403", "404", "422"} <= set(operations["put"]["responses"])
    assert "application/problem+json" in operations["put"]["responses"]["422"]["content"]
