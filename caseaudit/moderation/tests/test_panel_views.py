"""The moderation panel's pages (MOD-4): the sample page's preview and confirm, scheduling, the
panel page (restricted audits shown as "Restricted"), the chair's decision, the audit page's panel
part and the home page's tasks."""

import pytest
from django.test import Client
from django.urls import reverse

from caseaudit.conftest import Authority, user_for
from caseaudit.moderation.models import Panel, PanelAudit, PanelSampleDraw
from caseaudit.moderation.tests.helpers import people_added
from caseaudit.moderation.tests.test_panel_helpers import (
    QUARTER,
    fast_pdf,
    final_audit,
    in_a_week,
    sampled_all,
    scheduled,
)

__all__ = ["fast_pdf"]
pytestmark = pytest.mark.usefixtures("fast_pdf")


def client_for(authority: Authority, who: str) -> Client:
    client = Client()
    client.force_login(user_for(authority, who))
    return client


def test_the_sample_page_previews_the_last_quarter_and_confirm_draws_it(authority: Authority) -> None:
    final_audit(authority)
    qa = client_for(authority, "qa_officer")
    page = qa.get(reverse("moderation:panel-sample"))
    text = page.content.decode()
    assert page.status_code == 200 and QUARTER.label in text and f"seed {QUARTER.default_seed}" in text
    assert "Drawn by seed" in text and not PanelSampleDraw.objects.exists()
    response = qa.post(reverse("moderation:panel-sample"), {"quarter": QUARTER.token, "action": "confirm"})
    assert response.status_code == 302 and PanelSampleDraw.objects.count() == 1
    again = qa.post(reverse("moderation:panel-sample"), {"quarter": QUARTER.token, "action": "confirm"})
    assert again.status_code == 422 and "already drawn on" in again.content.decode()


def test_the_sample_page_is_for_qa_only(authority: Authority) -> None:
    assert client_for(authority, "moderator").get(reverse("moderation:panel-sample")).status_code == 403
    assert client_for(authority, "social_worker").get(reverse("moderation:panel-new")).status_code == 403


def test_scheduling_on_the_page(authority: Authority) -> None:
    audits = sampled_all(authority, ["own_team"])
    people_added(authority)
    qa = client_for(authority, "qa_officer")
    assert "Case C-OWN" in qa.get(reverse("moderation:panel-new")).content.decode()
    empty = qa.post(reverse("moderation:panel-new"), {"duration_minutes": "120"})
    assert empty.status_code == 200 and "There is a problem" in empty.content.decode()
    when = in_a_week()
    response = qa.post(
        reverse("moderation:panel-new"),
        {
            "day": when.day,
            "month": when.month,
            "year": when.year,
            "time": "10:00",
            "duration_minutes": "120",
            "chair": "CHAIR",
            "location": "County Hall",
            "audits": [str(audits[0].pk)],
        },
    )
    panel = Panel.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "moderation:panel", args=[panel.pk]
    )
    assert PanelAudit.objects.get().panel == panel


def test_the_panel_page_shows_restricted_audits_as_restricted_and_the_chair_decides(
    authority: Authority,
) -> None:
    audits = sampled_all(authority, ["own_team", "restricted"])
    panel = scheduled(authority, audits)
    chair = client_for(authority, "panel_chair")
    url = reverse("moderation:panel", args=[panel.pk])
    text = chair.get(url).content.decode()
    assert "C-RESTRICTED" in text and "Restricted" in text and "Record the decision on case C-OWN" in text
    assert "Record the decision on case C-RESTRICTED" not in text
    own = audits[0]
    prefix = f"audit-{own.pk}"
    refused = chair.post(url, {"audit_id": own.pk, f"{prefix}-decision": "changed", f"{prefix}-reason": ""})
    assert refused.status_code == 200 and "Give the reason" in refused.content.decode()
    grades = {f"{prefix}-grade_{ref}": grade for ref, grade in own.effective_grades.items()}
    grades[f"{prefix}-grade_overall"] = "requires_improvement"
    done = chair.post(
        url,
        {
            "audit_id": own.pk,
            f"{prefix}-decision": "changed",
            f"{prefix}-reason": "Plan not SMART.",
            **grades,
        },
    )
    assert done.status_code == 302
    own.refresh_from_db()
    assert own.status == "final" and own.effective_grades["overall"] == "requires_improvement"
    overview = chair.get(reverse("audits:overview", args=[own.pk])).content.decode()
    assert (
        "Moderation panel" in overview
        and "Grades the panel changed" in overview
        and "Plan not SMART." in overview
    )


def test_the_panel_page_is_404_for_someone_not_invited_and_403_to_decide_for_qa(authority: Authority) -> None:
    audits = sampled_all(authority, ["own_team"])
    panel = scheduled(authority, audits)
    url = reverse("moderation:panel", args=[panel.pk])
    assert client_for(authority, "social_worker_a2").get(url).status_code == 404
    assert client_for(authority, "social_worker").get(url).status_code == 200
    prefix = f"audit-{audits[0].pk}"
    qa = client_for(authority, "qa_officer")
    response = qa.post(
        url, {"audit_id": audits[0].pk, f"{prefix}-decision": "confirmed", f"{prefix}-reason": "ok"}
    )
    assert response.status_code == 403


def test_home_tasks(authority: Authority) -> None:
    final_audit(authority)
    home = client_for(authority, "qa_officer").get("/").content.decode()
    assert f"Panel sample for {QUARTER.label} not drawn yet" in home
    people_added(authority)
    audits = sampled_all(authority, [])
    audits = list(PanelAudit.objects.values_list("audit", flat=True))
    from caseaudit.audits.models import Audit

    panel = scheduled(authority, list(Audit.objects.filter(pk__in=audits)))
    chair_home = client_for(authority, "panel_chair").get("/").content.decode()
    assert "Moderation panel on" in chair_home and "1 audit to decide" in chair_home
    worker_home = client_for(authority, "social_worker").get("/").content.decode()
    assert "Invited to the moderation panel" in worker_home
    assert panel.pk


def test_the_pdf_part_shows_the_panels_decision_once_there_is_one(authority: Authority) -> None:
    from django.template.loader import render_to_string

    from caseaudit.moderation.presenters.panel import moderation_panel_document
    from caseaudit.moderation.services.panel_decide import panel_decide

    audits = sampled_all(authority, ["own_team"])
    panel = scheduled(authority, audits)
    assert moderation_panel_document(audit=audits[0], stage="panel") == []
    panel_decide(
        actor=user_for(authority, "panel_chair"),
        panel=panel,
        audit=audits[0],
        decision="changed",
        reason="Plan not SMART.",
        overall_grade="requires_improvement",
    )
    [part] = moderation_panel_document(audit=audits[0], stage="panel")
    html = render_to_string(part.template, {"panel": part.context})
    assert "Decision: Changed" in html and "Plan not SMART." in html and "Requires improvement" in html
