"""Stage 2 moderation on the pages (MOD-1, MOD-2, ESC-2, REC-1): the queue's rows, the grades part
of the Stage 2 form as GOV.UK components, the moderation part of the audit page (order 30) and of
the moderated PDF, and the home page's tasks (moderators: the audits to moderate; QA: the queue and
the QA inbox; everyone told: their case audit alerts)."""

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.core.paginator import Page
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from caseaudit.audits.machines import FINAL, MODERATION
from caseaudit.audits.models import Audit
from caseaudit.audits.presenters.panels import (
    AuditPanel,
    audit_document_panel_provider,
    audit_page_panel_provider,
)
from caseaudit.audits.services_grades import OVERALL, grade_refs
from caseaudit.core.calendar import long_date, long_datetime, time_span
from caseaudit.core.home import HomeLink, HomeRow, HomeTask, home_provider
from caseaudit.core.mail_text import display_name, plural
from caseaudit.moderation.models import Moderation, ModerationGrade
from caseaudit.moderation.selectors import moderation_conflicts, moderation_of
from caseaudit.moderation.selectors_stage2 import (
    moderation_alerts,
    moderations_of_mine,
    qa_inbox_unread,
    queue_counts,
    stage2_grade_changes,
)
from caseaudit.moderation.services.stage2 import FORM_SECTIONS, GradeInput, grade_title
from caseaudit.questionnaires.forms import FieldErrors
from caseaudit.questionnaires.presenters import Component, hint_of
from caseaudit.questionnaires.selectors import response_answers
from caseaudit.questionnaires.validation import parse_date
from caseaudit.templates_library import grading
from caseaudit.templates_library.selectors import audit_type_list, template_sections, template_spec
from caseaudit.templates_library.spec import NA, YES, Answer, TemplateSpec

NOT_ASSIGNED = "Not assigned"


def type_names() -> dict[str, str]:
    return {kind.token: kind.name for kind in audit_type_list(active_only=False)}


# --- the queue (MOD-2) ------------------------------------------------------------------------


@dataclass(frozen=True)
class QueueRow:
    audit_id: int
    case_id: str
    href: str
    team: str
    audit_type: str
    auditor: str
    moderator: str
    assigned: bool
    due: str
    overdue: bool
    can_take: bool


def queue_rows(*, audits: list[Audit], staff: Any, may_take: bool) -> list[QueueRow]:
    """Rows of the queue, read from what the queue's one select brought (no query per row)."""
    names = type_names()
    today = timezone.localdate()
    rows = []
    for audit in audits:
        moderation: Moderation = audit.moderation
        moderator = moderation.moderator
        conflicted = staff is None or bool(moderation_conflicts(audit=audit, staff=staff))
        rows.append(
            QueueRow(
                audit_id=audit.pk,
                case_id=audit.case.case_id,
                href=reverse("audits:overview", args=[audit.pk]),
                team=audit.case.team.name,
                audit_type=names.get(audit.audit_type, audit.audit_type),
                auditor=audit.auditor.name,
                moderator=moderator.name if moderator is not None else NOT_ASSIGNED,
                assigned=moderator is not None,
                due=long_date(moderation.due_date),
                overdue=moderation.due_date is not None and moderation.due_date < today,
                can_take=may_take and moderator is None and not conflicted,
            )
        )
    return rows


def pagination(page: Page[Any], query: dict[str, Any], label: str) -> dict[str, object] | None:
    """Arguments of the GOV.UK pagination component for a Django page."""
    paginator = page.paginator
    if paginator.num_pages <= 1:
        return None

    def href(n: int) -> str:
        return "?" + urlencode({**query, "page": n})

    items: list[dict[str, object]] = []
    for n in paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1):
        if n == paginator.ELLIPSIS:
            items.append({"ellipsis": True})
        else:
            items.append({"number": str(n), "href": href(int(n)), "current": n == page.number})
    result: dict[str, object] = {"items": items, "landmarkLabel": label}
    if page.has_previous():
        result["previous"] = {"href": href(page.number - 1)}
    if page.has_next():
        result["next"] = {"href": href(page.number + 1)}
    return result


# --- the grades part of the Stage 2 form (MOD-1) -----------------------------------------------


def agree_field_id(ref: str) -> str:
    return f"grade-{ref}-agree"


def grade_field_id(ref: str) -> str:
    return f"grade-{ref}-grade"


def reason_field_id(ref: str) -> str:
    return f"grade-{ref}-reason"


@dataclass(frozen=True)
class GradeRowView:
    ref: str
    title: str
    stage1: str
    current: str  # the effective grade, where a stage since Stage 1 changed it
    notes: list[str]
    agree: Component
    grade: Component
    reason: Component


def _answer_words(answer: Answer | None) -> str:
    if answer is None or not answer.value:
        return "not answered"
    if answer.value == YES:
        return "Yes"
    if answer.value == NA:
        return f"NA ({answer.reason})" if answer.reason else "NA"
    return answer.value.capitalize()


def limiting_notes(template: TemplateSpec, answers: dict[str, Answer], ref: str) -> list[str]:
    """The auditor's answers to the limiting judgements that cap the grade of `ref` (GRD-2), and
    the best grade they allow."""
    notes = [
        f"'{question.text}': {_answer_words(answers.get(question.ref))}."
        for question in template.questions
        if question.limiting and (ref == OVERALL or ref in question.limits)
    ]
    best = grading.best_grade_allowed(template, answers, section_ref=None if ref == OVERALL else ref)
    if best != template.grade_tokens[0]:
        notes.append(
            f"A limiting judgement is not met: the best grade allowed is {template.grade_label(best)}."
        )
    return notes


def grade_inputs(rows: dict[str, ModerationGrade]) -> dict[str, GradeInput]:
    """The stored grades as the form shows them."""
    return {ref: GradeInput(row.agree, row.grade, row.reason) for ref, row in rows.items()}


def grade_row_views(*, audit: Audit, given: dict[str, GradeInput], errors: FieldErrors) -> list[GradeRowView]:
    template = template_spec(template_version=audit.template_version)
    answers = response_answers(response=audit.response)
    stage1 = audit.stage1_grades or {}
    effective = audit.effective_grades or {}
    views = []
    for ref in grade_refs(template):
        title = grade_title(template, ref)
        what = "the overall grade" if ref == OVERALL else f"the grade for {title}"
        value = given.get(ref, GradeInput(None))
        chosen = "yes" if value.agree is True else ("no" if value.agree is False else "")
        items = [{"value": "", "text": "Choose a grade", "selected": not value.grade}] + [
            {"value": g.token, "text": g.label, "selected": g.token == value.grade}
            for g in template.grade_scale
        ]
        current = effective.get(ref, "")
        views.append(
            GradeRowView(
                ref=ref,
                title=title[:1].upper() + title[1:],
                stage1=template.grade_label(stage1.get(ref, "")) or "Not graded",
                current=template.grade_label(current) if current and current != stage1.get(ref) else "",
                notes=limiting_notes(template, answers, ref),
                agree=Component(
                    "radios",
                    {
                        "name": agree_field_id(ref),
                        "idPrefix": agree_field_id(ref),
                        "classes": "govuk-radios--inline",
                        "fieldset": {
                            "legend": {
                                "text": f"Do you agree with {what}?",
                                "classes": "govuk-fieldset__legend--s",
                            }
                        },
                        "errorMessage": errors.get(agree_field_id(ref)),
                        "items": [
                            {"value": "yes", "text": "Yes", "checked": chosen == "yes"},
                            {"value": "no", "text": "No", "checked": chosen == "no"},
                        ],
                    },
                ),
                grade=Component(
                    "select",
                    {
                        "id": grade_field_id(ref),
                        "name": grade_field_id(ref),
                        "label": {"text": f"If not, the moderated grade for {title}"},
                        "errorMessage": errors.get(grade_field_id(ref)),
                        "items": items,
                    },
                ),
                reason=Component(
                    "textarea",
                    {
                        "id": reason_field_id(ref),
                        "name": reason_field_id(ref),
                        "label": {"text": f"Why have you changed {what}?"},
                        "hint": hint_of("Only if you do not agree."),
                        "errorMessage": errors.get(reason_field_id(ref)),
                        "value": value.reason,
                        "rows": 3,
                    },
                ),
            )
        )
    return views


# --- the moderation on the audit page and in the PDF --------------------------------------------


@dataclass(frozen=True)
class ChangeView:
    ref: str
    what: str
    stage1: str
    moderated: str
    changed: bool
    reason: str


@dataclass(frozen=True)
class ModerationView:
    audit_id: int
    moderator: str
    due: str
    overdue: bool
    meeting: str
    meeting_place: str
    meeting_link: str
    meeting_cancelled: bool
    completed: str
    changes: list[ChangeView] = field(default_factory=list)
    record: list[tuple[str, str]] = field(default_factory=list)


def grade_table(audit: Audit) -> list[ChangeView]:
    """Every graded ref: Stage 1's grade, the moderated grade, and the moderator's reason."""
    template = template_spec(template_version=audit.template_version)
    stage1 = audit.stage1_grades or {}
    moderated = audit.moderated_grades or {}
    reasons = {change.ref: change.reason for change in stage2_grade_changes(audit=audit)}
    rows = []
    for ref in grade_refs(template):
        title = grade_title(template, ref)
        after = moderated.get(ref, "")
        rows.append(
            ChangeView(
                ref=ref,
                what=title[:1].upper() + title[1:],
                stage1=template.grade_label(stage1.get(ref, "")) or "Not graded",
                moderated=template.grade_label(after) if after else "Not graded",
                changed=ref in reasons,
                reason=reasons.get(ref, "Agreed"),
            )
        )
    return rows


def _record(moderation: Moderation) -> list[tuple[str, str]]:
    """The reflective discussion as recorded: (question, answer in words)."""
    answers = response_answers(response=moderation.response)
    rows = []
    for section in template_sections(template_version=moderation.response.template_version):
        if section.ref not in FORM_SECTIONS:
            continue
        for question in section.questions.all():
            labels = {choice["token"]: choice["label"] for choice in question.choices or []}
            answer = answers.get(question.ref)
            value = answer.value if answer is not None and answer.value else ""
            if question.answer_type == "date" and value:
                value = long_date(parse_date(value))
            elif question.answer_type == "choice" and value:
                value = ", ".join(labels.get(token, token) for token in value.split(","))
            rows.append((question.text, value or "Not answered"))
    return rows


def moderation_view(moderation: Moderation, audit: Audit, *, with_record: bool) -> ModerationView:
    meeting = place = link = ""
    if moderation.meeting_starts_at is not None:
        ends = moderation.meeting_starts_at + timedelta(minutes=moderation.meeting_minutes)
        meeting = time_span(moderation.meeting_starts_at, ends)
        place, link = moderation.meeting_location, moderation.meeting_link
    completed = ""
    if moderation.completed_at is not None:
        completed = f"{long_datetime(moderation.completed_at)} by {display_name(moderation.completed_by)}"
    return ModerationView(
        audit_id=audit.pk,
        moderator=moderation.moderator.name if moderation.moderator is not None else NOT_ASSIGNED,
        due=long_date(moderation.due_date),
        overdue=(
            moderation.completed_at is None
            and moderation.due_date is not None
            and moderation.due_date < timezone.localdate()
        ),
        meeting=meeting,
        meeting_place=place,
        meeting_link=link,
        meeting_cancelled=moderation.meeting_cancelled,
        completed=completed,
        changes=grade_table(audit) if moderation.completed_at is not None else [],
        record=_record(moderation) if with_record else [],
    )


@audit_page_panel_provider
def moderation_page_panel(*, user: Any, audit: Audit) -> list[AuditPanel]:
    if audit.status not in (MODERATION, FINAL) and not audit.moderated_grades:
        return []
    moderation = moderation_of(audit=audit)
    if moderation is None:
        return []
    in_stage2 = audit.status == MODERATION
    unassigned = moderation.moderator_id is None
    links = []
    if in_stage2 and user.has_perm("moderation.moderate", audit) and not unassigned:
        links.append(HomeLink("Moderate this audit", reverse("moderation:moderate", args=[audit.pk])))
    if in_stage2 and unassigned and user.has_perm("moderation.take_moderation", audit):
        links.append(HomeLink("Take this audit", reverse("moderation:take", args=[audit.pk])))
    if in_stage2 and user.has_perm("moderation.assign_moderator", audit):
        links.append(
            HomeLink(
                "Assign a moderator" if unassigned else "Change the moderator",
                reverse("moderation:assign", args=[audit.pk]),
            )
        )
    context = {"view": moderation_view(moderation, audit, with_record=False), "links": links}
    return [AuditPanel("moderation/stage2/audit_panel.html", context, order=30)]


@audit_document_panel_provider
def moderation_document_panel(*, audit: Audit, stage: str) -> list[AuditPanel]:
    if stage != "stage2":
        return []
    moderation = moderation_of(audit=audit)
    if moderation is None:
        return []
    view = moderation_view(moderation, audit, with_record=True)
    return [AuditPanel("moderation/pdf/stage2.html", {"view": view, "changes": grade_table(audit)}, order=30)]


# --- the home page (MOD-2, ESC-2) ---------------------------------------------------------------

SHOWN = 10


@home_provider
def audits_to_moderate(user: Any) -> list[HomeTask]:
    if not user.has_perm("moderation.view_queue"):
        return []
    audits = list(moderations_of_mine(user=user)[: SHOWN + 1])
    if not audits:
        return []
    today = timezone.localdate()
    rows, overdue = [], 0
    for audit in audits[:SHOWN]:
        due = audit.moderation.due_date
        late = due is not None and due < today
        overdue += late
        rows.append(
            HomeRow(
                HomeLink(f"Case {audit.case.case_id}", reverse("moderation:moderate", args=[audit.pk])),
                f"{audit.case.team.name}, audited by {audit.auditor.name}"
                + (f", due by {long_date(due)}" if due else "")
                + (" (overdue)" if late else "")
                + ".",
            )
        )
    lines = ["Audits assigned to you for Stage 2 moderation."]
    if len(audits) > SHOWN:
        lines.append(f"The {SHOWN} due soonest are shown.")
    return [
        HomeTask(
            "Audits to moderate",
            lines,
            rows=rows,
            links=[
                HomeLink(
                    "Your audits in the moderation queue", reverse("moderation:queue") + "?assigned=mine"
                )
            ],
            tag=f"{overdue} overdue" if overdue else "",
            order=20,
        )
    ]


@home_provider
def moderation_queue_task(user: Any) -> list[HomeTask]:
    if not user.has_perm("moderation.assign_moderator"):
        return []
    unassigned, overdue = queue_counts(user=user)
    if not unassigned and not overdue:
        return []
    return [
        HomeTask(
            f"Moderation queue: {unassigned} unassigned, {overdue} overdue",
            [f"{plural(unassigned, 'audit')} in Stage 2 without a moderator; {overdue} past the due date."],
            links=[HomeLink("Open the moderation queue", reverse("moderation:queue"))],
            tag=f"{overdue} overdue" if overdue else "",
            order=25,
        )
    ]


@home_provider
def qa_inbox_task(user: Any) -> list[HomeTask]:
    if not user.has_perm("moderation.view_qa_inbox"):
        return []
    unread = qa_inbox_unread(user=user)
    if not unread:
        return []
    return [
        HomeTask(
            f"QA inbox: {unread} unread",
            [f"{plural(unread, 'completed moderation')} to read, each with its moderated audit (PDF)."],
            links=[HomeLink("Open the QA inbox", reverse("moderation:qa-inbox"))],
            order=26,
        )
    ]


@home_provider
def case_audit_alerts(user: Any) -> list[HomeTask]:
    alerts = list(moderation_alerts(user=user)[:SHOWN])
    if not alerts:
        return []
    rows = [
        HomeRow(
            HomeLink(
                f"Case {alert.audit.case.case_id}",
                reverse("audits:overview", args=[alert.audit_id]),
                ": case audit alert",
            ),
            f"{alert.text} Moderated audit (PDF) on the audit's page.",
        )
        for alert in alerts
    ]
    return [
        HomeTask(
            "Case audit alerts: Stage 2 moderation completed",
            [
                "Stage 2 moderation is complete for these audits of your line: "
                "read the strengths and the actions."
            ],
            rows=rows,
            order=15,
        )
    ]
