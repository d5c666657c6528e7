"""The life of an audit, as a state machine of named events (CONTRACTS §9).

    (new) ──▶ allocated ──▶ in_progress ──▶ submitted ──▶ head_of_qa_review ──┐
      └──────────────────────▲                  │    └──────────▶ moderation ◀─┤
                                                └──────────▶ final ◀───────────┘
                                                               │  ▲
                                                               ▼  │
                                                              panel

An audit made by the monthly allocation starts `allocated`; the first save moves it to
`in_progress`. One started from the child's page starts `in_progress`. Only an audit in progress
can be submitted; a submitted audit is read-only for Stage 1. After submission the worker gives
feedback (or QA or the auditor records that none was given once the window has passed); strong
disagreement goes to the head of QA; then the audit type's rule (`moderation: stage2 |
panel_sample | none`) decides: Stage 2 moderation, or final. A final audit of a panel type that
QA samples for the quarter's moderation panel goes to `panel` until the chair's decision, which
is final.

Transitions happen only inside the services, by event; each one appends a status history row
(who, when, from, to, the event) and an audit-history event (REC-3)."""

from typing import Any

from django.utils import timezone

from caseaudit.audits.errors import TransitionNotAllowed
from caseaudit.audits.models import Audit, AuditStatusChange
from caseaudit.audits.signals import audit_final
from caseaudit.core.problems import Problem
from caseaudit.core.services import audit_event_record, user_or_none
from caseaudit.templates_library.selectors import audit_type_get

NEW = ""
ALLOCATED = Audit.Status.ALLOCATED.value
IN_PROGRESS = Audit.Status.IN_PROGRESS.value
SUBMITTED = Audit.Status.SUBMITTED.value
HEAD_OF_QA_REVIEW = Audit.Status.HEAD_OF_QA_REVIEW.value
MODERATION = Audit.Status.MODERATION.value
PANEL = Audit.Status.PANEL.value
FINAL = Audit.Status.FINAL.value

TRANSITIONS: dict[str, frozenset[str]] = {
    NEW: frozenset({ALLOCATED, IN_PROGRESS}),
    ALLOCATED: frozenset({IN_PROGRESS}),
    IN_PROGRESS: frozenset({SUBMITTED}),
    SUBMITTED: frozenset({HEAD_OF_QA_REVIEW, MODERATION, FINAL}),
    HEAD_OF_QA_REVIEW: frozenset({MODERATION, FINAL}),
    MODERATION: frozenset({FINAL}),
    FINAL: frozenset({PANEL}),
    PANEL: frozenset({FINAL}),
}
# The states in which the auditor may still change the Stage 1 audit.
EDITABLE = frozenset({ALLOCATED, IN_PROGRESS})
# Stage 1 is done: its grades are frozen (stage1_grades) and later stages may change the effective ones.
AFTER_STAGE1 = frozenset({SUBMITTED, HEAD_OF_QA_REVIEW, MODERATION, PANEL, FINAL})

# The named events, each with the states it may leave and the states it may reach (the type's rule
# and the worker's answer choose among those).
EVENTS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "created": (frozenset({NEW}), frozenset({ALLOCATED, IN_PROGRESS})),
    "started": (frozenset({ALLOCATED}), frozenset({IN_PROGRESS})),
    "submitted": (frozenset({IN_PROGRESS}), frozenset({SUBMITTED})),
    "feedback_given": (frozenset({SUBMITTED}), frozenset({MODERATION, FINAL})),
    "feedback_disputed": (frozenset({SUBMITTED}), frozenset({HEAD_OF_QA_REVIEW})),
    "no_feedback_given": (frozenset({SUBMITTED}), frozenset({MODERATION, FINAL})),
    "head_of_qa_decided": (frozenset({HEAD_OF_QA_REVIEW}), frozenset({MODERATION, FINAL})),
    "moderation_completed": (frozenset({MODERATION}), frozenset({FINAL})),
    "panel_sampled": (frozenset({FINAL}), frozenset({PANEL})),
    "panel_decided": (frozenset({PANEL}), frozenset({FINAL})),
}

# What each type's `moderation` rule (audit_types.yaml) makes of an audit once the worker's say
# (and any head of QA decision) is done.
STAGE2 = "stage2"
PANEL_SAMPLE = "panel_sample"
NO_MODERATION = "none"


def transition_allowed(from_status: str, to_status: str) -> bool:
    return to_status in TRANSITIONS.get(from_status, frozenset())


def status_label(status: str) -> str:
    return dict(Audit.Status.choices).get(status, status or "new")


def moderation_rule(audit: Audit) -> str:
    """The audit type's `moderation` rule: stage2, panel_sample or none (none for an unknown type)."""
    kind = audit_type_get(token=audit.audit_type)
    rule = str((kind.rules or {}).get("moderation", NO_MODERATION)) if kind is not None else NO_MODERATION
    return rule if rule in (STAGE2, PANEL_SAMPLE) else NO_MODERATION


def status_after_feedback(audit: Audit) -> str:
    """Where an audit goes once the worker's say (or the head of QA's decision) is done: Stage 2
    for the types moderated at Stage 2, else final (a panel type is sampled later, from final)."""
    return MODERATION if moderation_rule(audit) == STAGE2 else FINAL


def audit_event(*, audit: Audit, event: str, to_status: str, actor: Any, note: str = "") -> None:
    """Fire `event` on `audit`, moving it to `to_status` and recording both. The caller holds the
    audit's row lock and saves the audit (its `status`, `final_at`) in the same transaction."""
    leaves, reaches = EVENTS[event]
    current = audit.status
    if current not in leaves or to_status not in reaches:
        raise TransitionNotAllowed([_not_allowed(current, to_status)])
    audit_transition(audit=audit, to_status=to_status, actor=actor, event=event, note=note)
    if to_status == FINAL:
        audit.final_at = timezone.now()
        audit_final.send(sender=Audit, audit=audit, actor=actor)


def audit_transition(
    *,
    audit: Audit,
    to_status: str,
    actor: Any,
    from_status: str | None = None,
    event: str = "",
    note: str = "",
) -> None:
    """Move `audit` to `to_status` and record it. `from_status` is NEW ("") for a new audit,
    else its current status. The caller saves the audit in the same transaction."""
    current = audit.status if from_status is None else from_status
    if not transition_allowed(current, to_status):
        raise TransitionNotAllowed([_not_allowed(current, to_status)])
    if not event:
        event = {NEW: "created", ALLOCATED: "started", IN_PROGRESS: "submitted"}.get(current, "")
    audit.status = to_status
    AuditStatusChange.objects.create(
        audit=audit, from_status=current, to_status=to_status, event=event, by=user_or_none(actor), note=note
    )
    audit_event_record(
        actor=actor,
        action="audit.status_changed",
        object_type="audit",
        object_ref=str(audit.pk),
        summary=f"Audit {audit.pk}: {status_label(current)} → {status_label(to_status)}"
        + (f" ({event.replace('_', ' ')})" if event else ""),
        changes={"status": [current, to_status], "event": [None, event]},
    )


def _not_allowed(current: str, to_status: str) -> Problem:
    return Problem(
        "audit",
        "status",
        f"An audit that is {status_label(current).lower()} cannot become {status_label(to_status).lower()}.",
    )
