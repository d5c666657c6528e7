"""The worker's say and the head of QA's decision (MOD-3) shaped for the pages, the PDF and the home
page: the feedback panel of the audit page, its part of the PDF, the home page's lists and alerts.

The reads here are about an audit already found through the scoped audit selectors (or, on the home
page, listed through them): nothing here shows an audit the person may not see."""

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from caseaudit.accounts.roles import Role
from caseaudit.accounts.selectors import user_has_role, user_is_qa, user_staff
from caseaudit.audits.machines import AFTER_STAGE1, HEAD_OF_QA_REVIEW, SUBMITTED
from caseaudit.audits.models import Audit, GradeChange
from caseaudit.audits.presenters.audit import grade_label
from caseaudit.audits.presenters.panels import (
    AuditPanel,
    audit_document_panel_provider,
    audit_page_panel_provider,
)
from caseaudit.audits.presenters.records import person_name
from caseaudit.audits.selectors import audit_visible_q
from caseaudit.audits.services_grades import OVERALL
from caseaudit.core.calendar import long_date, long_datetime
from caseaudit.core.home import HomeLink, HomeRow, HomeTask, home_provider
from caseaudit.core.mail_text import plural
from caseaudit.moderation.models import AuditAlert, HeadOfQaDecision, WorkerFeedback
from caseaudit.moderation.selectors import audits_after_stage1, feedback_due_date, moderation_settings_get

# Also connects its receiver: the feedback request on Stage 1 submission (apps.ready imports this).
from caseaudit.moderation.services import feedback as feedback_services
from caseaudit.templates_library.selectors import template_spec

SHOWN = 10
ALERT_KINDS = (
    AuditAlert.Kind.FEEDBACK_REQUESTED,
    AuditAlert.Kind.FEEDBACK_GIVEN,
    AuditAlert.Kind.HEAD_OF_QA_DECIDED,
)


# --- reads about one audit -------------------------------------------------------------------


def feedback_of(*, audit: Audit) -> WorkerFeedback | None:
    return WorkerFeedback.objects.filter(audit=audit).select_related("given_by").first()


def decision_of(*, audit: Audit) -> HeadOfQaDecision | None:
    return HeadOfQaDecision.objects.filter(audit=audit).select_related("decided_by").first()


def head_of_qa_changes(*, audit: Audit) -> list[GradeChange]:
    return list(
        GradeChange.objects.filter(audit=audit, stage=GradeChange.Stage.HEAD_OF_QA).select_related("by")
    )


def alert_get(*, user: Any, alert_id: int) -> AuditAlert | None:
    """An alert of the signed-in person's own (None for anyone else's)."""
    staff = user_staff(user)
    if staff is None:
        return None
    return AuditAlert.objects.filter(pk=alert_id, staff=staff).select_related("audit__case").first()


# --- views ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FeedbackView:
    agreement: str
    agreement_label: str
    none_given: bool
    on_process: str
    on_findings: str
    on_plan: str
    given_by: str
    given_at: str


@dataclass(frozen=True)
class GradeChangeView:
    ref: str
    title: str
    from_label: str
    to_label: str
    reason: str
    by: str
    at: str


@dataclass(frozen=True)
class DecisionView:
    decision: str
    decision_label: str
    reason: str
    plan_change: str
    decided_by: str
    decided_at: str
    changes: list[GradeChangeView] = field(default_factory=list)


@dataclass(frozen=True)
class GradeRow:
    ref: str
    title: str
    stage1_label: str
    current: str
    current_label: str


def feedback_view(feedback: WorkerFeedback | None) -> FeedbackView | None:
    if feedback is None:
        return None
    return FeedbackView(
        agreement=feedback.agreement,
        agreement_label=feedback.get_agreement_display(),
        none_given=feedback.agreement == WorkerFeedback.Agreement.NONE_GIVEN,
        on_process=feedback.on_process,
        on_findings=feedback.on_findings,
        on_plan=feedback.on_plan,
        given_by=person_name(feedback.given_by),
        given_at=long_datetime(feedback.given_at),
    )


def ref_titles(audit: Audit) -> dict[str, str]:
    spec = template_spec(template_version=audit.template_version)
    return {**{section.ref: section.title for section in spec.graded_sections}, OVERALL: "Overall grade"}


def grade_change_views(audit: Audit, changes: list[GradeChange]) -> list[GradeChangeView]:
    scale, titles = audit.template_version.grade_scale, ref_titles(audit)
    return [
        GradeChangeView(
            ref=change.ref,
            title=titles.get(change.ref, change.ref),
            from_label=grade_label(scale, change.from_grade) or "Not graded",
            to_label=grade_label(scale, change.to_grade),
            reason=change.reason,
            by=person_name(change.by),
            at=long_datetime(change.at),
        )
        for change in changes
    ]


def decision_view(audit: Audit, decision: HeadOfQaDecision | None) -> DecisionView | None:
    if decision is None:
        return None
    return DecisionView(
        decision=decision.decision,
        decision_label=decision.get_decision_display(),
        reason=decision.reason,
        plan_change=decision.plan_change,
        decided_by=person_name(decision.decided_by),
        decided_at=long_datetime(decision.decided_at),
        changes=grade_change_views(audit, head_of_qa_changes(audit=audit)),
    )


def grade_rows(audit: Audit) -> list[GradeRow]:
    """Each graded section, then the overall grade: Stage 1's and the effective one, as labels."""
    scale = audit.template_version.grade_scale
    stage1, current = audit.stage1_grades or {}, audit.effective_grades or {}
    return [
        GradeRow(
            ref=ref,
            title=title,
            stage1_label=grade_label(scale, stage1.get(ref)) or "Not graded",
            current=current.get(ref, ""),
            current_label=grade_label(scale, current.get(ref)) or "Not graded",
        )
        for ref, title in ref_titles(audit).items()
    ]


def no_feedback_allowed(audit: Audit, today: date | None = None) -> bool:
    """Whether the window has passed without feedback (the status check; not who may)."""
    start = feedback_services.no_feedback_from(audit=audit)
    return audit.status == SUBMITTED and start is not None and (today or timezone.localdate()) >= start


def feedback_panel_context(*, user: Any, audit: Audit) -> dict[str, Any]:
    feedback = feedback_of(audit=audit)
    return {
        "audit_id": audit.pk,
        "status": audit.status,
        "feedback": feedback_view(feedback),
        "decision": decision_view(audit, decision_of(audit=audit)),
        "due": long_date(feedback_due_date(audit=audit)),
        "can_give": feedback is None
        and audit.status == SUBMITTED
        and user is not None
        and user.has_perm("moderation.give_feedback", audit),
        "can_record_none": feedback is None
        and user is not None
        and no_feedback_allowed(audit)
        and user.has_perm("moderation.record_no_feedback", audit),
        "can_decide": audit.status == HEAD_OF_QA_REVIEW
        and user is not None
        and user.has_perm("moderation.decide_dispute", audit),
    }


@audit_page_panel_provider
def feedback_panel(*, user: Any, audit: Audit) -> list[AuditPanel]:
    if audit.status not in AFTER_STAGE1:
        return []
    return [
        AuditPanel("moderation/feedback/panel.html", feedback_panel_context(user=user, audit=audit), order=20)
    ]


@audit_document_panel_provider
def feedback_document_part(*, audit: Audit, stage: str) -> list[AuditPanel]:
    if audit.status not in AFTER_STAGE1:
        return []
    return [
        AuditPanel("moderation/feedback/pdf.html", feedback_panel_context(user=None, audit=audit), order=20)
    ]


# --- the home page -----------------------------------------------------------------------------


def _team(audit: Audit) -> str:
    return audit.case.team.name


def _waiting_for_feedback(user: Any) -> QuerySet[Audit]:
    staff = user_staff(user)
    if staff is None:
        return Audit.objects.none()
    audits = audits_after_stage1(user=user).filter(status=SUBMITTED, worker_feedback__isnull=True)
    if not getattr(user, "is_superuser", False):
        audits = audits.filter(Q(worker_id=staff.pk) | Q(practice_manager_id=staff.pk))
    return audits.order_by("submitted_at", "pk")


@home_provider
def audits_waiting_for_feedback(user: Any) -> list[HomeTask]:
    """MOD-3: to the worker and their practice manager, the audits asking for their say."""
    audits = [
        a for a in _waiting_for_feedback(user)[: SHOWN * 2] if user.has_perm("moderation.give_feedback", a)
    ]
    if not audits:
        return []
    rows = [
        HomeRow(
            HomeLink(
                f"Case {audit.case.case_id}",
                reverse("moderation:feedback", args=[audit.pk]),
                ": give your feedback",
            ),
            f"{_team(audit)}: audited by {audit.auditor.name}; your feedback is asked for by "
            f"{long_date(feedback_due_date(audit=audit))}.",
        )
        for audit in audits[:SHOWN]
    ]
    return [
        HomeTask(
            "Audits waiting for your feedback",
            ["Give your view of the audit, its findings and its plan before it moves on."],
            rows=rows,
            order=15,
        )
    ]


@home_provider
def disputed_audits_to_decide(user: Any) -> list[HomeTask]:
    """MOD-3: to the head of QA, the audits the worker strongly disputes."""
    if not (getattr(user, "is_superuser", False) or user_has_role(user, Role.HEAD_OF_QA)):
        return []
    audits = list(
        audits_after_stage1(user=user).filter(status=HEAD_OF_QA_REVIEW).order_by("updated_at", "pk")[:SHOWN]
    )
    audits = [audit for audit in audits if user.has_perm("moderation.decide_dispute", audit)]
    if not audits:
        return []
    rows = [
        HomeRow(
            HomeLink(
                f"Case {audit.case.case_id}",
                reverse("moderation:head-of-qa-decision", args=[audit.pk]),
                ": decide the dispute",
            ),
            f"{_team(audit)}: {audit.worker.name if audit.worker else 'the worker'} strongly disagrees with "
            f"the audit by {audit.auditor.name}.",
        )
        for audit in audits
    ]
    return [
        HomeTask(
            "Disputed audits to decide",
            ["The worker strongly disagrees: the audit is not final until you decide."],
            rows=rows,
            tag=plural(len(audits), "audit") + " to decide",
            order=12,
        )
    ]


@home_provider
def feedback_overdue(user: Any, today: date | None = None) -> list[HomeTask]:
    """MOD-3: to QA and the auditor, audits whose feedback window has passed without feedback."""
    today = today or timezone.localdate()
    staff = user_staff(user)
    is_qa = getattr(user, "is_superuser", False) or user_is_qa(user)
    if staff is None and not is_qa:
        return []
    # A working day is at least a calendar day, so the window cannot have passed for an audit
    # submitted fewer than `feedback_working_days` days ago: those are not read.
    days = moderation_settings_get().feedback_working_days
    audits = audits_after_stage1(user=user).filter(
        status=SUBMITTED,
        worker_feedback__isnull=True,
        submitted_at__date__lt=today - timedelta(days=days),
    )
    if not is_qa and staff is not None:
        audits = audits.filter(auditor_id=staff.pk)
    overdue = [
        audit
        for audit in audits.order_by("submitted_at", "pk")[: SHOWN * 5]
        if no_feedback_allowed(audit, today) and user.has_perm("moderation.record_no_feedback", audit)
    ]
    if not overdue:
        return []
    rows = [
        HomeRow(
            HomeLink(
                f"Case {audit.case.case_id}",
                reverse("audits:overview", args=[audit.pk]) + "#feedback",
                ": feedback overdue",
            ),
            f"{_team(audit)}: feedback was asked for by {long_date(feedback_due_date(audit=audit))}; you may "
            "record that none was given.",
        )
        for audit in overdue[:SHOWN]
    ]
    return [
        HomeTask(
            "Feedback overdue",
            ["The worker's feedback window has passed without feedback."],
            rows=rows,
            tag=f"{len(overdue)} overdue",
            order=18,
        )
    ]


@home_provider
def audit_alerts(user: Any) -> list[HomeTask]:
    """ESC-2, MOD-3: what a person is told about the audits of their line, until they dismiss it."""
    staff = user_staff(user)
    if staff is None:
        return []
    visible = Audit.objects.filter(audit_visible_q(user=user)).values("pk")
    alerts = list(
        AuditAlert.objects.filter(
            staff=staff, dismissed_at__isnull=True, kind__in=ALERT_KINDS, audit__in=visible
        )
        .select_related("audit__case")
        .order_by("-created_at", "-id")[:SHOWN]
    )
    if not alerts:
        return []
    rows = []
    links = []
    for alert in alerts:
        case_id = alert.audit.case.case_id
        about = f" about case {case_id} ({alert.get_kind_display().lower()})"
        href = (
            reverse("moderation:feedback", args=[alert.audit_id])
            if alert.kind == AuditAlert.Kind.FEEDBACK_REQUESTED
            else reverse("audits:overview", args=[alert.audit_id]) + "#feedback"
        )
        rows.append(
            HomeRow(
                HomeLink(f"Case {case_id}", href, f": {alert.get_kind_display().lower()}"),
                f"{alert.text} ({long_datetime(alert.created_at)})",
            )
        )
        links.append(
            HomeLink("Dismiss", reverse("moderation:alert-dismiss", args=[alert.pk]), " the alert" + about)
        )
    return [
        HomeTask(
            "Case audit alerts",
            ["What has happened to the audits of your work."],
            rows=rows,
            links=links,
            order=14,
        )
    ]
