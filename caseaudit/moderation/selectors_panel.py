"""Reads of the moderation panel and its quarterly sample (MOD-4).

The pool of a quarter's draw is every audit of the type, restricted or not: the sample is the
council's, not the person's who draws it, so pages show a restricted audit as its case ID and
"Restricted" (CONTRACTS §3). A panel is seen by QA, by its chair, and by the people it invites
(the auditor, worker and practice manager of one of its audits); each audit on it in full only
to those who may see that audit."""

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from caseaudit.accounts.roles import Role
from caseaudit.accounts.selectors import user_is_qa
from caseaudit.audits.machines import FINAL, HEAD_OF_QA_REVIEW, PANEL, PANEL_SAMPLE, SUBMITTED
from caseaudit.audits.models import Audit
from caseaudit.audits.selectors import audit_visible_q
from caseaudit.cases.selectors import case_scope
from caseaudit.moderation.models import AuditAlert, Panel, PanelAudit, PanelSampleDraw
from caseaudit.moderation.sampling import Quarter
from caseaudit.moderation.selectors import moderation_settings_get
from caseaudit.org.models import Staff
from caseaudit.templates_library.models import AuditType
from caseaudit.templates_library.selectors import audit_type_list

DEFAULT_PERCENT = 20
AUDIT_RELATED = ("case__team", "auditor", "worker", "practice_manager")


@dataclass(frozen=True)
class PanelType:
    token: str
    name: str
    label: str  # "thematic audit", as a sentence says it
    percent: int


def panel_types() -> list[PanelType]:
    """The audit types sampled for the panel (`moderation: panel_sample`), with their percentage."""
    percents = moderation_settings_get().panel_sample_percent or {}
    kinds: list[AuditType] = [
        kind for kind in audit_type_list() if (kind.rules or {}).get("moderation") == PANEL_SAMPLE
    ]
    return [
        PanelType(
            token=kind.token,
            name=kind.name,
            label=kind.name.lower(),
            percent=max(0, min(100, int(percents.get(kind.token, DEFAULT_PERCENT)))),
        )
        for kind in kinds
    ]


def _submitted_in(quarter: Quarter) -> Q:
    start, end = quarter.bounds()
    return Q(submitted_at__gte=start, submitted_at__lt=end)


def quarter_pool(*, audit_type: str, quarter: Quarter) -> QuerySet[Audit]:
    """Audits of the type submitted in the quarter, final, and never sampled: what may be drawn."""
    return (
        Audit.objects.filter(
            _submitted_in(quarter), audit_type=audit_type, status=FINAL, panel_audit__isnull=True
        )
        .select_related(*AUDIT_RELATED)
        .order_by("pk")
    )


def quarter_waiting(*, audit_type: str, quarter: Quarter) -> QuerySet[Audit]:
    """Audits of the type submitted in the quarter still waiting for the worker's say or the head
    of QA: not in the pool."""
    return (
        Audit.objects.filter(
            _submitted_in(quarter), audit_type=audit_type, status__in=[SUBMITTED, HEAD_OF_QA_REVIEW]
        )
        .select_related(*AUDIT_RELATED)
        .order_by("pk")
    )


def draw_of(*, audit_type: str, quarter: Quarter) -> PanelSampleDraw | None:
    return (
        PanelSampleDraw.objects.filter(audit_type=audit_type, quarter=quarter.start)
        .select_related("drawn_by__staff")
        .first()
    )


def drawn_audits(*, draw: PanelSampleDraw) -> QuerySet[PanelAudit]:
    return draw.audits.select_related(*(f"audit__{name}" for name in AUDIT_RELATED)).order_by("audit_id")


def undrawn_types(*, quarter: Quarter) -> list[PanelType]:
    """The panel types with audits to draw in `quarter` and no draw yet (the QA home task)."""
    return [
        kind
        for kind in panel_types()
        if draw_of(audit_type=kind.token, quarter=quarter) is None
        and quarter_pool(audit_type=kind.token, quarter=quarter).exists()
    ]


def panel_chairs() -> QuerySet[Staff]:
    """Active staff who hold the panel chair role, who can sign in."""
    return (
        Staff.objects.filter(roles__role=Role.PANEL_CHAIR, is_active=True, user__isnull=False)
        .distinct()
        .order_by("name")
    )


def panel_chair_get(*, staff_id: str) -> Staff | None:
    return panel_chairs().filter(staff_id=staff_id).first()


def sampled_unscheduled() -> QuerySet[PanelAudit]:
    """Sampled audits still waiting for a panel."""
    return (
        PanelAudit.objects.filter(panel__isnull=True, audit__status=PANEL)
        .select_related(*(f"audit__{name}" for name in AUDIT_RELATED))
        .order_by("audit_id")
    )


def _staff_pk(user: Any) -> int | None:
    return case_scope(user=user).staff_pk


def sees_every_panel(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False)) or user_is_qa(user)


def panel_visible_q(*, user: Any) -> Q:
    if sees_every_panel(user):
        return Q()
    staff_pk = _staff_pk(user)
    if staff_pk is None:
        return Q(pk__in=[])
    return (
        Q(chair_id=staff_pk)
        | Q(audits__audit__auditor_id=staff_pk)
        | Q(audits__audit__worker_id=staff_pk)
        | Q(audits__audit__practice_manager_id=staff_pk)
    )


def panel_list(*, user: Any) -> QuerySet[Panel]:
    """The panels `user` may see, newest first."""
    ids = Panel.objects.filter(panel_visible_q(user=user)).values("pk")
    return Panel.objects.filter(pk__in=ids).select_related("chair")


def panel_get(*, user: Any, panel_id: int) -> Panel | None:
    return panel_list(user=user).filter(pk=panel_id).first()


def panel_entries(*, panel: Panel) -> QuerySet[PanelAudit]:
    """The audits on the panel (every one: the caller shows each only as far as the viewer may see it)."""
    return panel.audits.select_related(
        *(f"audit__{name}" for name in AUDIT_RELATED), "audit__response", "decided_by__staff"
    ).order_by("audit_id")


def visible_audit_ids(*, user: Any, audit_ids: list[int]) -> set[int]:
    return set(
        Audit.objects.filter(audit_visible_q(user=user), pk__in=audit_ids).values_list("pk", flat=True)
    )


def panel_audit_of(*, audit: Audit) -> PanelAudit | None:
    return (
        PanelAudit.objects.filter(audit=audit)
        .select_related("panel__chair", "draw", "decided_by__staff")
        .first()
    )


def chaired_panels_to_decide(*, user: Any) -> QuerySet[Panel]:
    """The panels `user` chairs, not cancelled, with audits still to decide."""
    staff_pk = _staff_pk(user)
    if staff_pk is None:
        return Panel.objects.none()
    ids = Panel.objects.filter(
        chair_id=staff_pk, cancelled=False, audits__decision="", audits__audit__status=PANEL
    ).values("pk")
    return Panel.objects.filter(pk__in=ids).order_by("starts_at")


def panel_alerts(*, user: Any, limit: int = 10) -> list[AuditAlert]:
    """The person's undismissed panel alerts on audits they may still see: invitations while the
    audit waits for the panel, decisions."""
    staff_pk = _staff_pk(user)
    if staff_pk is None:
        return []
    alerts = (
        AuditAlert.objects.filter(
            staff_id=staff_pk,
            dismissed_at__isnull=True,
            kind__in=[AuditAlert.Kind.PANEL_INVITED, AuditAlert.Kind.PANEL_DECIDED],
        )
        .filter(audit__in=Audit.objects.filter(audit_visible_q(user=user)))
        .exclude(kind=AuditAlert.Kind.PANEL_INVITED, audit__status=FINAL)
        .select_related("audit__case__team")
    )
    return list(alerts[:limit])
