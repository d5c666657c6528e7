"""The API of the audit moderation panel (MOD-4, CONTRACTS §9), with the same services and
permissions as the pages.

A panel the caller may not see is 404 (the denial logged); QA draw samples and schedule panels,
anyone else is 403; the chair of an audit's panel records its decision (403 for anyone else who
may see the audit, a chair of another panel included); a refusal by a rule is 422 with every
problem, each naming its field."""

from datetime import datetime
from typing import Any, Literal

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from ninja import Field, Path, Router, Schema

from caseaudit.api.problems import ApiProblem, Problem, not_visible, refused_problem
from caseaudit.audits.selectors import audit_get
from caseaudit.moderation.models import Panel
from caseaudit.moderation.presenters.panel import audit_rows
from caseaudit.moderation.sampling import Quarter
from caseaudit.moderation.selectors_panel import panel_entries, panel_get, panel_list
from caseaudit.moderation.services.panel import PanelRefused, panel_schedule
from caseaudit.moderation.services.panel_decide import panel_decide
from caseaudit.moderation.services.panel_sample import panel_sample

router = Router(tags=["panels"])

READ = {401: Problem, 404: Problem}
WRITE = {400: Problem, 401: Problem, 403: Problem, 404: Problem, 422: Problem}


class PanelIn(Schema):
    date: datetime = Field(description="When it starts: ISO 8601 with its UTC offset.")
    chair_id: str = Field(description="The chair's staff_id: active, with the panel_chair role.")
    audit_ids: list[int] = Field(description="Sampled audits not yet on a panel.")
    location: str = Field("", description="The place; this or `online_link` is required.")
    online_link: str = Field("", description="A link to join online; this or `location` is required.")
    duration_minutes: int = Field(120, description="15 to 480.")


class PanelAuditOut(Schema):
    audit_id: int
    case_id: str
    restricted: bool = Field(
        description="True when the caller may not see the audit: only its case ID is given."
    )
    team: str | None = None
    audit_type: str | None = None
    auditor_id: str | None = None
    status: str | None = None
    decision: str | None = None
    reason: str | None = None


class PanelOut(Schema):
    id: int
    date: datetime
    duration_minutes: int
    chair_id: str
    location: str
    online_link: str
    uid: str
    sequence: int
    cancelled: bool
    audits: list[PanelAuditOut]


class PanelListOut(Schema):
    items: list[PanelOut]
    count: int


class DecisionIn(Schema):
    audit_id: int
    decision: Literal["confirmed", "changed"]
    reason: str
    section_grades: dict[str, str] | None = None
    overall_grade: str | None = None


class SampleIn(Schema):
    quarter: str = Field(description="A calendar quarter, e.g. 2026-Q4 (January to March is Q1).")
    seed: int | None = Field(None, description="Default: the year and quarter as a number, e.g. 20264.")
    dry_run: bool = True
    audit_type: str | None = Field(None, description="One panel type only (default: every panel type).")


class DrawOut(Schema):
    audit_type: str
    quarter: str
    seed: int
    percent: int
    pool_size: int
    size: int
    audit_ids: list[int]
    waiting_ids: list[int] = Field(description="Submitted in the quarter but not final yet: not in the pool.")
    why: str
    drawn: bool = Field(description="True once the draw is recorded.")
    drawn_at: datetime | None = None
    drawn_by: str | None = None


class SampleOut(Schema):
    quarter: str
    seed: int
    dry_run: bool
    draws: list[DrawOut]


def _panel_out(request: HttpRequest, panel: Panel) -> dict[str, Any]:
    entries = list(panel_entries(panel=panel))
    rows = {row.audit_id: row for row in audit_rows(user=request.user, audits=[e.audit for e in entries])}
    audits = []
    for entry in entries:
        row = rows[entry.audit_id]
        if not row.visible:
            audits.append({"audit_id": entry.audit_id, "case_id": row.case_id, "restricted": True})
            continue
        audits.append(
            {
                "audit_id": entry.audit_id,
                "case_id": row.case_id,
                "restricted": False,
                "team": entry.audit.case.team.team_id,
                "audit_type": entry.audit.audit_type,
                "auditor_id": entry.audit.auditor.staff_id,
                "status": entry.audit.status,
                "decision": entry.decision or None,
                "reason": entry.reason or None,
            }
        )
    return {
        "id": panel.pk,
        "date": panel.starts_at,
        "duration_minutes": panel.minutes,
        "chair_id": panel.chair.staff_id,
        "location": panel.location,
        "online_link": panel.online_link,
        "uid": f"{panel.uid}@caseaudit",
        "sequence": panel.sequence,
        "cancelled": panel.cancelled,
        "audits": audits,
    }


def _panel(request: HttpRequest, panel_id: int) -> Panel:
    panel = panel_get(user=request.user, panel_id=panel_id)
    if panel is None:
        raise not_visible(
            request,
            object_type="panel",
            object_ref=panel_id,
            detail="No panel with that ID, or you do not have access to it.",
        )
    return panel


@router.get(
    "/panels",
    response={200: PanelListOut, **READ},
    summary="List moderation panels",
    operation_id="panel_list",
)
def panels_get(request: HttpRequest) -> dict[str, Any]:
    """QA see every panel; a chair theirs; the people invited the panels of their audits."""
    panels = [_panel_out(request, panel) for panel in panel_list(user=request.user)]
    return {"items": panels, "count": len(panels)}


@router.get(
    "/panels/{panel_id}",
    response={200: PanelOut, **READ},
    summary="Get a moderation panel",
    operation_id="panel_get",
)
def panel_one(request: HttpRequest, panel_id: Path[int]) -> dict[str, Any]:
    return _panel_out(request, _panel(request, panel_id))


@router.post(
    "/panels",
    response={201: PanelOut, **WRITE},
    summary="Schedule a moderation panel",
    operation_id="panel_schedule",
)
def panel_post(request: HttpRequest, payload: PanelIn) -> tuple[int, dict[str, Any]]:
    """QA only. The chair and each audit's auditor, worker and practice manager are invited (mail
    with a calendar invite)."""
    if not request.user.has_perm("moderation.manage_panels"):
        raise ApiProblem(403, "Only QA schedule the moderation panel.")
    try:
        panel = panel_schedule(
            actor=request.user,
            starts_at=payload.date,
            chair_id=payload.chair_id,
            audit_ids=payload.audit_ids,
            duration_minutes=payload.duration_minutes,
            location=payload.location,
            online_link=payload.online_link,
        )
    except PanelRefused as exc:
        raise refused_problem(exc, "The panel was not scheduled: see `errors`.") from exc
    return 201, _panel_out(request, panel)


@router.post(
    "/panels/{panel_id}/decisions",
    response={200: PanelOut, **WRITE},
    summary="Record the panel's decision on an audit",
    operation_id="panel_decide",
)
def panel_decision(request: HttpRequest, panel_id: Path[int], payload: DecisionIn) -> dict[str, Any]:
    """The chair of the audit's panel only. Grades only with `changed`; the decision is final."""
    panel = _panel(request, panel_id)
    audit = audit_get(user=request.user, audit_id=payload.audit_id)
    if audit is None:
        raise not_visible(
            request,
            object_type="audit",
            object_ref=payload.audit_id,
            detail="No audit with that ID, or you do not have access to it.",
        )
    if not request.user.has_perm("moderation.decide_panel", audit):
        raise ApiProblem(403, "Only the chair of this audit's panel records its decision.")
    try:
        panel_decide(
            actor=request.user,
            panel=panel,
            audit=audit,
            decision=payload.decision,
            reason=payload.reason,
            section_grades=payload.section_grades,
            overall_grade=payload.overall_grade,
        )
    except PermissionDenied as exc:
        raise ApiProblem(403, str(exc)) from exc
    except PanelRefused as exc:
        raise refused_problem(exc, "The decision was not recorded: see `errors`.") from exc
    return _panel_out(request, _panel(request, panel_id))


@router.post(
    "/panel-samples",
    response={200: SampleOut, **WRITE},
    summary="Draw the quarter's panel sample",
    operation_id="panel_sample",
)
def panel_sample_post(request: HttpRequest, payload: SampleIn) -> dict[str, Any]:
    """QA only. With `dry_run` (the default) what would be drawn; else the draw is recorded and
    each sampled audit moves to `panel`. A type already drawn that quarter is refused (422)."""
    if not request.user.has_perm("moderation.manage_panels"):
        raise ApiProblem(403, "Only QA draw the panel's sample.")
    try:
        quarter = Quarter.parse(payload.quarter)
    except ValueError as exc:
        raise ApiProblem(
            422,
            "The quarter is not valid.",
            errors=[{"ref": "sample", "field": "quarter", "message": str(exc)}],
        ) from exc
    try:
        result = panel_sample(
            actor=request.user,
            quarter=quarter,
            seed=payload.seed,
            audit_type=payload.audit_type,
            dry_run=payload.dry_run,
        )
    except PanelRefused as exc:
        raise refused_problem(exc, "Nothing was drawn: see `errors`.") from exc
    draws = []
    for d in result.draws:
        draws.append(
            {
                "audit_type": d.kind.token,
                "quarter": quarter.token,
                "seed": d.seed,
                "percent": d.percent,
                "pool_size": d.draw.pool_size if d.draw is not None else len(d.pool),
                "size": d.size,
                "audit_ids": [audit.pk for audit in d.drawn],
                "waiting_ids": [audit.pk for audit in d.waiting],
                "why": d.why,
                "drawn": d.draw is not None,
                "drawn_at": d.draw.drawn_at if d.draw is not None else None,
                "drawn_by": str(d.draw.drawn_by) if d.draw is not None and d.draw.drawn_by else None,
            }
        )
    return {"quarter": quarter.token, "seed": result.seed, "dry_run": result.dry_run, "draws": draws}
