"""The moderation panel's API (MOD-4, CONTRACTS §9 and §4), and its permission matrix over the
shared actors: who may draw and schedule (manage_panels), who may decide (decide_panel)."""

from collections.abc import Callable
from typing import cast

import pytest
from django.test import Client

from caseaudit.accounts.services import api_token_create
from caseaudit.conftest import Authority, user_for
from caseaudit.moderation.models import PanelSampleDraw
from caseaudit.moderation.tests.helpers import people_added
from caseaudit.moderation.tests.test_panel_helpers import (
    QUARTER,
    fast_pdf,
    final_audit,
    in_a_week,
    sampled_all,
    scheduled,
)
from caseaudit.org.models import Staff
from caseaudit.org.tests.factories import StaffFactory

__all__ = ["fast_pdf"]
pytestmark = pytest.mark.usefixtures("fast_pdf")
Clients = Callable[[str], Client]


@pytest.fixture
def api(authority: Authority) -> Clients:
    people_added(authority)

    def make(who: str) -> Client:
        _, raw = api_token_create(user=user_for(authority, who), name="test")
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    return make


def test_the_sample_dry_run_then_the_draw_then_a_rerun_refused(authority: Authority, api: Clients) -> None:
    audits = [final_audit(authority) for _ in range(2)]
    body = {"quarter": QUARTER.token, "dry_run": True}
    preview = api("qa_officer").post("/api/panel-samples", body, content_type="application/json").json()
    thematic = next(d for d in preview["draws"] if d["audit_type"] == "thematic")
    assert (
        preview["seed"] == QUARTER.default_seed
        and thematic["pool_size"] == 2
        and len(thematic["audit_ids"]) == 1
    )
    assert (
        thematic["why"].startswith(f"Drawn by seed {QUARTER.default_seed}: 1 of 2") and not thematic["drawn"]
    )
    drawn = (
        api("qa_officer")
        .post("/api/panel-samples", {**body, "dry_run": False}, content_type="application/json")
        .json()
    )
    assert (
        next(d for d in drawn["draws"] if d["audit_type"] == "thematic")["audit_ids"] == thematic["audit_ids"]
    )
    assert set(thematic["audit_ids"]) <= {a.pk for a in audits}
    again = api("qa_officer").post(
        "/api/panel-samples", {**body, "dry_run": False}, content_type="application/json"
    )
    assert again.status_code == 422 and "already drawn on" in again.json()["errors"][0]["message"]
    assert again.json()["errors"][0]["field"] == "quarter"
    bad = api("qa_officer").post(
        "/api/panel-samples", {"quarter": "2026-Q9"}, content_type="application/json"
    )
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "quarter"


def test_schedule_list_get_and_decide(authority: Authority, api: Clients) -> None:
    audits = sampled_all(authority, ["own_team", "restricted"])
    payload = {
        "date": in_a_week().isoformat(),
        "chair_id": "CHAIR",
        "audit_ids": [a.pk for a in audits],
        "location": "County Hall",
        "duration_minutes": 90,
    }
    created = api("qa_officer").post("/api/panels", payload, content_type="application/json")
    assert created.status_code == 201, created.content
    panel = created.json()
    assert panel["chair_id"] == "CHAIR" and panel["sequence"] == 0 and len(panel["audits"]) == 2
    restricted = next(a for a in panel["audits"] if a["case_id"] == "C-RESTRICTED")
    assert restricted["restricted"] is True and restricted.get("team") is None
    listed = api("panel_chair").get("/api/panels").json()
    assert listed["count"] == 1
    assert api("moderator").get(f"/api/panels/{panel['id']}").status_code == 404
    own = audits[0]
    decision = {
        "audit_id": own.pk,
        "decision": "confirmed",
        "reason": "Sound.",
        "overall_grade": "inadequate",
    }
    url = f"/api/panels/{panel['id']}/decisions"
    refused = api("panel_chair").post(url, decision, content_type="application/json")
    assert refused.status_code == 422 and refused.json()["errors"][0]["field"] == "section_grades"
    changed = {**decision, "decision": "changed", "overall_grade": "requires_improvement"}
    done = api("panel_chair").post(url, changed, content_type="application/json")
    assert done.status_code == 200, done.content
    entry = next(a for a in done.json()["audits"] if a["audit_id"] == own.pk)
    assert entry["decision"] == "changed" and entry["status"] == "final"
    second = api("panel_chair").post(url, decision | {"overall_grade": None}, content_type="application/json")
    assert second.status_code == 422
    refused_payload = {**payload, "location": "", "audit_ids": [999999]}
    bad = api("qa_officer").post("/api/panels", refused_payload, content_type="application/json")
    assert bad.status_code == 422 and {e["field"] for e in bad.json()["errors"]} == {"location", "audit_ids"}


ACTORS = {
    "social_worker": False,
    "practice_manager": False,
    "group_manager": False,
    "moderator": False,
    "qa_officer": True,
    "head_of_qa": True,
    "panel_chair": False,
    "administrator": False,
    "superuser": True,
}


@pytest.mark.parametrize(("who", "allowed"), ACTORS.items())
def test_manage_panels_matrix(authority: Authority, api: Clients, who: str, allowed: bool) -> None:
    response = api(who).post(
        "/api/panel-samples", {"quarter": QUARTER.token, "dry_run": True}, content_type="application/json"
    )
    assert response.status_code == (200 if allowed else 403)
    assert user_for(authority, who).has_perm("moderation.manage_panels") is allowed
    assert not PanelSampleDraw.objects.exists()


def test_decide_panel_matrix(authority: Authority, api: Clients) -> None:
    """Only the chair of the audit's panel (and the break-glass superuser) may decide it; the others
    who may see it get 403; a chair of another panel too; someone who may not see it, 404."""
    own, other = sampled_all(authority, ["own_team", "other_team"])
    panel = scheduled(authority, [own])
    other_chair = cast(Staff, StaffFactory(staff_id="CHAIR2", team=None, roles=["panel_chair"]))
    authority.people["panel_chair_2"] = other_chair
    scheduled_other = scheduled(authority, [other])
    scheduled_other.chair = other_chair
    scheduled_other.save(update_fields=["chair"])
    expected = {
        "social_worker": False,
        "practice_manager": False,
        "group_manager": False,
        "moderator": False,
        "qa_officer": False,
        "head_of_qa": False,
        "panel_chair": True,
        "panel_chair_2": False,
        "social_worker_a2": False,
        "superuser": True,
    }
    for who, allowed in expected.items():
        assert user_for(authority, who).has_perm("moderation.decide_panel", own) is allowed, who
    body = {"audit_id": own.pk, "decision": "confirmed", "reason": "Sound."}
    url = f"/api/panels/{panel.pk}/decisions"
    assert (
        api("panel_chair_2").post(url, body, content_type="application/json").status_code == 404
    )  # not invited
    assert api("qa_officer").post(url, body, content_type="application/json").status_code == 403
    assert api("social_worker").post(url, body, content_type="application/json").status_code == 403
    assert api("panel_chair").post(url, body, content_type="application/json").status_code == 200
