"""The moderation panel on the pages (MOD-4): the sample page's draws, the panel list and page (a
restricted audit as its case ID and "Restricted" to anyone who may not see it), the panel part of
the audit page and of its PDF, and the home page's tasks (QA: the quarter's sample not drawn yet;
the chair: the panel's audits to decide; the people invited: their alerts)."""

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.urls import reverse
from django.utils import timezone

from caseaudit.audits.machines import PANEL, status_label
from caseaudit.audits.models import Audit, GradeChange
from caseaudit.audits.presenters.panels import (
    AuditPanel,
    audit_document_panel_provider,
    audit_page_panel_provider,
)
from caseaudit.audits.services_grades import OVERALL, grade_refs
from caseaudit.core.calendar import long_date, long_datetime, time_span
from caseaudit.core.home import HomeLink, HomeRow, HomeTask, home_provider
from caseaudit.core.mail_text import display_name, plural
from caseaudit.moderation.models import Panel, PanelAudit
from caseaudit.moderation.sampling import Quarter
from caseaudit.moderation.selectors_panel import (
    chaired_panels_to_decide,
    panel_alerts,
    panel_audit_of,
    panel_entries,
    panel_get,
    undrawn_types,
    visible_audit_ids,
)
from caseaudit.moderation.services.panel_sample import TypeDraw
from caseaudit.templates_library.selectors import audit_type_list, template_spec

RESTRICTED = "Restricted"


@dataclass(frozen=True)
class AuditRow:
    """One audit as a panel or sample list shows it: in full, or its case ID and "Restricted"."""

    audit_id: int
    case_id: str
    visible: bool
    href: str = ""
    team: str = ""
    audit_type: str = ""
    auditor: str = ""
    status: str = ""
    decision: str = ""


def _type_names() -> dict[str, str]:
    return {kind.token: kind.name for kind in audit_type_list(active_only=False)}


def audit_rows(*, user: Any, audits: list[Audit], decisions: dict[int, str] | None = None) -> list[AuditRow]:
    visible = visible_audit_ids(user=user, audit_ids=[audit.pk for audit in audits])
    names = _type_names()
    rows = []
    for audit in audits:
        if audit.pk not in visible:
            rows.append(AuditRow(audit.pk, audit.case.case_id, False, status=RESTRICTED))
            continue
        rows.append(
            AuditRow(
                audit_id=audit.pk,
                case_id=audit.case.case_id,
                visible=True,
                href=reverse("audits:overview", args=[audit.pk]),
                team=audit.case.team.name,
                audit_type=names.get(audit.audit_type, audit.audit_type),
                auditor=audit.auditor.name,
                status=status_label(audit.status),
                decision=(decisions or {}).get(audit.pk, ""),
            )
        )
    return rows


@dataclass(frozen=True)
class DrawView:
    token: str
    name: str
    heading: str
    pool_count: int
    size: int
    seed: int
    percent: int
    why: str
    drawn: list[AuditRow]
    waiting: list[AuditRow]
    already: str
    drawn_now: bool


def draw_views(*, user: Any, draws: list[TypeDraw]) -> list[DrawView]:
    return [
        DrawView(
            token=d.kind.token,
            name=d.kind.name,
            heading=f"{d.kind.name}s of {d.quarter.label}",
            pool_count=len(d.pool) if d.draw is None else (d.draw.pool_size),
            size=d.size,
            seed=d.seed,
            percent=d.percent,
            why=d.why,
            drawn=audit_rows(user=user, audits=d.drawn),
            waiting=audit_rows(user=user, audits=d.waiting),
            already=d.already_text,
            drawn_now=d.drawn_now,
        )
        for d in draws
    ]


@dataclass(frozen=True)
class PanelSummary:
    panel_id: int
    href: str
    when: str
    date: str
    chair: str
    where: str
    online_link: str
    location: str
    audit_count: int
    to_decide: int
    cancelled: bool


def panel_summary(panel: Panel) -> PanelSummary:
    entries = list(panel.audits.all())
    return PanelSummary(
        panel_id=panel.pk,
        href=reverse("moderation:panel", args=[panel.pk]),
        when=time_span(panel.starts_at, panel.starts_at + timedelta(minutes=panel.minutes)),
        date=long_date(timezone.localdate(panel.starts_at)),
        chair=panel.chair.name,
        where=panel.location or ("Online" if panel.online_link else ""),
        online_link=panel.online_link,
        location=panel.location,
        audit_count=len(entries),
        to_decide=sum(1 for entry in entries if not entry.decision),
        cancelled=panel.cancelled,
    )


def panel_page_rows(*, user: Any, panel: Panel) -> tuple[list[PanelAudit], list[AuditRow]]:
    entries = list(panel_entries(panel=panel))
    decisions = {
        entry.audit_id: entry.get_decision_display() if entry.decision else "Not yet" for entry in entries
    }
    return entries, audit_rows(user=user, audits=[entry.audit for entry in entries], decisions=decisions)


def decision_grading(audit: Audit) -> tuple[list[tuple[str, str]], list[tuple[str, str]], dict[str, str]]:
    """For the decision form: (ref, title) of each graded section and overall, the scale, and the
    current effective grades."""
    spec = template_spec(template_version=audit.template_version)
    titles = {section.ref: section.title for section in spec.graded_sections}
    refs = [(ref, titles.get(ref, "Overall")) for ref in grade_refs(spec)]
    scale = [(grade.token, grade.label) for grade in spec.grade_scale]
    return refs, scale, dict(audit.effective_grades or {})


# --- the audit page and its PDF ------------------------------------------------------------


@dataclass
class AuditPanelView:
    why: str
    scheduled: bool = False
    when: str = ""
    chair: str = ""
    location: str = ""
    online_link: str = ""
    panel_href: str = ""
    decision: str = ""
    reason: str = ""
    decided: str = ""
    changes: list[dict[str, str]] = field(default_factory=list)


def audit_panel_view(entry: PanelAudit, *, audit: Audit) -> AuditPanelView:
    view = AuditPanelView(why=entry.why)
    panel = entry.panel
    if panel is not None and not panel.cancelled:
        view.scheduled = True
        view.when = time_span(panel.starts_at, panel.starts_at + timedelta(minutes=panel.minutes))
        view.chair = panel.chair.name
        view.location, view.online_link = panel.location, panel.online_link
        view.panel_href = reverse("moderation:panel", args=[panel.pk])
    if entry.decision:
        view.decision = entry.get_decision_display()
        view.reason = entry.reason
        view.decided = f"{display_name(entry.decided_by)}, {long_datetime(entry.decided_at)}"
        spec = template_spec(template_version=audit.template_version)
        titles = {section.ref: section.title for section in spec.graded_sections}
        view.changes = [
            {
                "what": "Overall" if change.ref == OVERALL else titles.get(change.ref, change.ref),
                "from": spec.grade_label(change.from_grade),
                "to": spec.grade_label(change.to_grade),
                "reason": change.reason,
            }
            for change in GradeChange.objects.filter(audit=audit, stage=GradeChange.Stage.PANEL)
        ]
    return view


@audit_page_panel_provider
def moderation_panel_panel(*, user: Any, audit: Audit) -> list[AuditPanel]:
    entry = panel_audit_of(audit=audit)
    if entry is None:
        return []
    view = audit_panel_view(entry, audit=audit)
    if entry.panel is not None and panel_get(user=user, panel_id=entry.panel.pk) is None:
        view.panel_href = ""  # the panel's page is for QA, its chair and the people it invites
    return [AuditPanel("moderation/panel/audit_panel.html", {"view": view}, order=40)]


@audit_document_panel_provider
def moderation_panel_document(*, audit: Audit, stage: str) -> list[AuditPanel]:
    entry = panel_audit_of(audit=audit)
    if entry is None or not entry.decision:
        return []
    return [
        AuditPanel(
            "moderation/panel/document_panel.html", {"view": audit_panel_view(entry, audit=audit)}, order=40
        )
    ]


# --- the home page ---------------------------------------------------------------------------


@home_provider
def panel_sample_not_drawn(user: Any) -> list[HomeTask]:
    if not user.has_perm("moderation.manage_panels"):
        return []
    quarter = Quarter.last_complete(timezone.localdate())
    kinds = undrawn_types(quarter=quarter)
    if not kinds:
        return []
    names = " and ".join(kind.name for kind in kinds)
    return [
        HomeTask(
            f"Panel sample for {quarter.label} not drawn yet",
            [f"{names}s of {quarter.label} are waiting to be sampled for the moderation panel."],
            links=[HomeLink("Draw the panel sample", reverse("moderation:panel-sample"))],
            order=30,
        )
    ]


@home_provider
def panels_to_decide(user: Any) -> list[HomeTask]:
    tasks = []
    for panel in chaired_panels_to_decide(user=user):
        to_decide = panel.audits.filter(decision="", audit__status=PANEL).count()
        date = long_date(timezone.localdate(panel.starts_at))
        tasks.append(
            HomeTask(
                f"Moderation panel on {date}: {plural(to_decide, 'audit')} to decide",
                [f"You chair the panel, {long_datetime(panel.starts_at)}. Record its decision on each one."],
                links=[
                    HomeLink("Open the panel", reverse("moderation:panel", args=[panel.pk]), f" on {date}")
                ],
                order=20,
            )
        )
    return tasks


@home_provider
def panel_alert_rows(user: Any) -> list[HomeTask]:
    alerts = panel_alerts(user=user)
    if not alerts:
        return []
    rows = [
        HomeRow(
            HomeLink(
                f"Case {alert.audit.case.case_id}",
                reverse("audits:overview", args=[alert.audit_id]) + "#moderation-panel",
                f": {alert.get_kind_display().lower()}",
            ),
            f"{alert.get_kind_display()} ({alert.audit.case.team.name}). {alert.text}",
        )
        for alert in alerts
    ]
    return [
        HomeTask(
            "Audit moderation panel", ["Audits of yours the moderation panel considers."], rows=rows, order=45
        )
    ]
