"""The moderation panel's services (MOD-4): the seeded draw and its refusals, scheduling with
invites, rescheduling and cancelling, and the chair's final decision."""

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction

from caseaudit.audits.models import Audit, AuditStatusChange, GradeChange
from caseaudit.audits.services import audit_save, audit_submit
from caseaudit.audits.tests.test_services_helpers import audit_of, complete, templates_load
from caseaudit.conftest import Authority, user_for
from caseaudit.core.models import OutboxMessage
from caseaudit.moderation.models import AuditAlert, PanelAudit, PanelSampleDraw, QaInboxItem
from caseaudit.moderation.sampling import Quarter, sample_draw
from caseaudit.moderation.services.lifecycle import audit_lock, audit_move_on
from caseaudit.moderation.services.panel import PanelRefused, panel_cancel, panel_reschedule
from caseaudit.moderation.services.panel_decide import panel_decide
from caseaudit.moderation.services.panel_sample import panel_sample
from caseaudit.moderation.tests.test_panel_helpers import (
    QUARTER,
    SUBMITTED_IN_QUARTER,
    drawn,
    fast_pdf,
    final_audit,
    in_a_week,
    sampled_all,
    scheduled,
    submitted_in_quarter,
)

__all__ = ["fast_pdf"]
pytestmark = pytest.mark.usefixtures("fast_pdf")


def test_the_preview_draws_20_percent_rounded_up_with_the_default_seed_and_writes_nothing(
    authority: Authority,
) -> None:
    audits = [final_audit(authority) for _ in range(3)]
    waiting = submitted_in_quarter(authority)
    result = panel_sample(actor=user_for(authority, "qa_officer"), quarter=QUARTER)
    thematic = next(d for d in result.draws if d.kind.token == "thematic")
    assert result.seed == QUARTER.default_seed
    assert [a.pk for a in thematic.pool] == [a.pk for a in audits] and thematic.size == 1
    assert [a.pk for a in thematic.waiting] == [waiting.pk]
    expected = sample_draw([a.pk for a in audits], percent=20, seed=QUARTER.default_seed)
    assert [a.pk for a in thematic.drawn] == expected
    assert thematic.why == (
        f"Drawn by seed {QUARTER.default_seed}: 1 of 3 thematic audits of {QUARTER.label}, 20 % rounded up."
    )
    assert not PanelSampleDraw.objects.exists() and not PanelAudit.objects.exists()


def test_confirming_records_the_draw_moves_the_audits_to_panel_and_a_rerun_is_refused(
    authority: Authority,
) -> None:
    audits = [final_audit(authority) for _ in range(2)]
    preview = panel_sample(actor=user_for(authority, "qa_officer"), quarter=QUARTER, seed=7)
    result = drawn(authority, seed=7)
    thematic = next(d for d in result.draws if d.kind.token == "thematic")
    previewed = next(d for d in preview.draws if d.kind.token == "thematic")
    assert [a.pk for a in thematic.drawn] == [a.pk for a in previewed.drawn]
    draw = PanelSampleDraw.objects.get(audit_type="thematic")
    assert (draw.seed, draw.pool_size, draw.percent, draw.quarter) == (7, 2, 20, QUARTER.start)
    entry = PanelAudit.objects.get()
    assert entry.why.startswith("Drawn by seed 7: 1 of 2 thematic audits")
    entry.audit.refresh_from_db()
    assert entry.audit.status == "panel"
    assert AuditStatusChange.objects.filter(audit=entry.audit, event="panel_sampled").exists()
    assert {a.pk for a in audits} >= {entry.audit_id}
    with pytest.raises(PanelRefused) as refused:
        drawn(authority)
    message = refused.value.problems[0].message
    assert "already drawn on" in message and authority.people["qa_officer"].name in message
    assert refused.value.problems[0].field == "quarter"


def test_a_quarter_not_yet_ended_and_a_bad_seed_are_refused(authority: Authority) -> None:
    with pytest.raises(PanelRefused) as refused:
        panel_sample(
            actor=user_for(authority, "qa_officer"),
            quarter=Quarter.last_complete(QUARTER.end).following().following(),
            seed=-1,
        )
    assert {p.field for p in refused.value.problems} == {"quarter", "seed"}


def test_only_qa_draw(authority: Authority) -> None:
    with pytest.raises(PermissionDenied):
        panel_sample(actor=user_for(authority, "moderator"), quarter=QUARTER)


def test_scheduling_invites_the_chair_and_each_audits_people_once_with_an_ics(authority: Authority) -> None:
    audits = sampled_all(authority, ["own_team", "own_team"])
    panel = scheduled(authority, audits)
    assert set(PanelAudit.objects.values_list("panel_id", flat=True)) == {panel.pk}
    messages = list(OutboxMessage.objects.filter(related_type="panel"))
    recipients = sorted(m.to[0] for m in messages)
    people = authority.people
    expected = sorted(
        p.email
        for p in (
            people["panel_chair"],
            people["group_manager"],
            people["social_worker"],
            people["practice_manager"],
        )
    )
    assert recipients == expected
    ics = messages[0].attachments[0]["content"]
    assert "METHOD:REQUEST" in ics and f"UID:{panel.uid}@caseaudit" in ics and "SEQUENCE:0" in ics
    assert "C-OWN" in messages[0].body
    alerts = AuditAlert.objects.filter(kind="panel_invited")
    assert alerts.filter(staff=people["social_worker"]).count() == 2
    assert alerts.filter(staff=people["panel_chair"]).count() == 2


def test_scheduling_refuses_no_place_a_past_date_an_unknown_chair_and_unsampled_audits(
    authority: Authority,
) -> None:
    audit = final_audit(authority)
    with pytest.raises(PanelRefused) as refused:
        scheduled(authority, [audit], location="", starts_at=in_a_week().replace(year=2020))
    fields = {p.field for p in refused.value.problems}
    assert fields == {"date", "location", "audit_ids"}


def test_rescheduling_raises_the_sequence_and_cancelling_sends_method_cancel(authority: Authority) -> None:
    audits = sampled_all(authority, ["own_team"])
    panel = scheduled(authority, audits)
    OutboxMessage.objects.all().delete()
    panel = panel_reschedule(
        actor=user_for(authority, "qa_officer"),
        panel=panel,
        starts_at=in_a_week().replace(hour=14),
        chair_id="CHAIR",
        audit_ids=[audits[0].pk],
        location="County Hall, room 5",
    )
    assert panel.sequence == 1
    ics = OutboxMessage.objects.filter(related_type="panel").first().attachments[0]["content"]
    assert "SEQUENCE:1" in ics and "METHOD:REQUEST" in ics and "room 5" in ics
    OutboxMessage.objects.all().delete()
    panel = panel_cancel(actor=user_for(authority, "qa_officer"), panel=panel)
    assert panel.cancelled and panel.sequence == 2
    ics = OutboxMessage.objects.filter(related_type="panel").first().attachments[0]["content"]
    assert "METHOD:CANCEL" in ics and "SEQUENCE:2" in ics
    assert PanelAudit.objects.get().panel is None


def _decide(
    authority: Authority, panel: Any, audit: Any, who: str = "panel_chair", **kwargs: Any
) -> PanelAudit:
    kwargs.setdefault("reason", "The plan is not yet SMART enough for Good.")
    return panel_decide(actor=user_for(authority, who), panel=panel, audit=audit, **kwargs)


def test_the_chair_changes_the_overall_grade_which_is_final_and_told(authority: Authority) -> None:
    audits = sampled_all(authority, ["own_team"])
    panel = scheduled(authority, audits)
    audit = audits[0]
    entry = _decide(authority, panel, audit, decision="changed", overall_grade="requires_improvement")
    audit.refresh_from_db()
    assert audit.status == "final" and audit.effective_grades["overall"] == "requires_improvement"
    change = GradeChange.objects.get(audit=audit)
    assert (change.stage, change.ref, change.from_grade, change.to_grade) == (
        "panel",
        "overall",
        "good",
        "requires_improvement",
    )
    assert change.reason == entry.reason and entry.decided_by == user_for(authority, "panel_chair")
    assert QaInboxItem.objects.filter(audit=audit, kind="panel_decided").exists()
    assert AuditAlert.objects.filter(audit=audit, kind="panel_decided").count() == 3
    assert OutboxMessage.objects.filter(subject__startswith="Moderation panel decision").count() == 1
    with pytest.raises(PanelRefused) as refused:
        _decide(authority, panel, audit, decision="confirmed")
    assert "it is final" in refused.value.problems[0].message


def test_decision_refusals(authority: Authority) -> None:
    audits = sampled_all(authority, ["own_team"])
    panel = scheduled(authority, audits)
    audit = audits[0]
    with pytest.raises(PanelRefused) as refused:
        _decide(authority, panel, audit, decision="confirmed", overall_grade="inadequate", reason="")
    assert {p.field for p in refused.value.problems} == {"reason", "section_grades"}
    with pytest.raises(PanelRefused) as refused:
        _decide(authority, panel, audit, decision="changed")
    assert refused.value.problems[0].field == "overall_grade"
    with pytest.raises(PanelRefused) as refused:
        _decide(authority, panel, audit, decision="changed", overall_grade="outstanding")
    assert refused.value.problems[0].field == "overall_grade"
    with pytest.raises(PermissionDenied):
        _decide(authority, panel, audit, who="qa_officer", decision="confirmed")
    audit.refresh_from_db()
    assert audit.status == "panel"
    entry = _decide(authority, panel, audit, decision="confirmed")
    assert entry.decision == "confirmed" and not GradeChange.objects.exists()


def test_a_grade_above_a_limiting_judgement_is_refused_with_its_message(authority: Authority) -> None:
    templates_load()
    audit = audit_of(authority, audit_type="thematic", type_details={"theme": "recording"})
    complete(audit, grade="requires_improvement")
    audit_save(actor=audit.auditor.user, audit=audit, answers={"assessment.child_seen": "no"})
    audit_submit(actor=audit.auditor.user, audit=audit)
    Audit.objects.filter(pk=audit.pk).update(submitted_at=SUBMITTED_IN_QUARTER)
    with transaction.atomic():
        audit_lock(audit)
        audit_move_on(actor=user_for(authority, "qa_officer"), audit=audit, event="feedback_given")
    sampled_all(authority, [])
    panel = scheduled(authority, [audit])
    with pytest.raises(PanelRefused) as refused:
        _decide(authority, panel, audit, decision="changed", overall_grade="good")
    problem = refused.value.problems[0]
    assert problem.field == "overall_grade" and "child seen" in problem.message.lower()
    audit.refresh_from_db()
    assert audit.status == "panel" and not PanelAudit.objects.get(audit=audit).decision
