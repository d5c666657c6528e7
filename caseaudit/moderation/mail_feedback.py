"""Mail of the worker's say and the head of QA's decision (MOD-3, ESC-2), queued in the writer's
transaction through the outbox and sent after commit (CONTRACTS §7).

As all mail about an audit (see caseaudit/audits/mail.py): no audit text and never the child's
name, only the case ID, the team, what happened, a few figures (the grade's label, how many
actions, the first due date) and a link to the page, which checks permission and logs the view.
It goes only to people still active who may open the audit now (`audit_mail_recipients`). Each
person gets their own message, so each is addressed by name."""

from collections.abc import Iterable
from datetime import date

from django.urls import reverse

from caseaudit.audits.mail import SIGNATURE, audit_mail_recipients, escalation_sentence
from caseaudit.audits.models import Audit
from caseaudit.core.calendar import long_date
from caseaudit.core.mail_text import plural, site_url
from caseaudit.core.outbox import outbox_enqueue
from caseaudit.org.models import Staff


def _case(audit: Audit) -> str:
    return f"case {audit.case.case_id} ({audit.case.team.name})"


def _grade_label(audit: Audit, token: str) -> str:
    labels = {grade["token"]: grade["label"] for grade in audit.template_version.grade_scale}
    return labels.get(token, token or "not graded")


def _send(audit: Audit, people: Iterable[Staff | None], *, subject: str, lines: list[str], kind: str) -> int:
    """One message to each person mail may go to; returns how many were queued."""
    chosen = audit_mail_recipients(audit=audit, people=people)
    for person in chosen:
        outbox_enqueue(
            to=[person.email],
            subject=subject,
            body="\n".join([f"Dear {person.name},", "", *lines, "", SIGNATURE]),
            related_type=kind,
            related_ref=str(audit.pk),
        )
    return len(chosen)


def feedback_requested_mail_enqueue(*, audit: Audit, people: Iterable[Staff | None], due: date | None) -> int:
    """MOD-3: the worker and their practice manager are asked for their say on the audit."""
    actions = list(audit.actions.order_by("due_date", "order").values_list("due_date", flat=True))
    action_line = (
        f"It sets {plural(len(actions), 'action')}, the first due by {long_date(actions[0])}."
        if actions
        else "It sets no actions."
    )
    by = f" by {long_date(due)}" if due else ""
    return _send(
        audit,
        people,
        subject=f"Your feedback on the audit of case {audit.case.case_id} is asked for",
        lines=[
            f"The Stage 1 audit of {_case(audit)} has been submitted. Overall grade: "
            f"{_grade_label(audit, audit.overall_grade)}.",
            action_line,
            *([escalated] if (escalated := escalation_sentence(audit)) else []),
            "",
            f"Please give your feedback on the audit, its findings and its plan{by}. If you strongly "
            "disagree, the head of quality assurance decides before the audit is final.",
            site_url(reverse("moderation:feedback", args=[audit.pk])),
        ],
        kind="audit_feedback",
    )


def feedback_given_mail_enqueue(*, audit: Audit, given_by: str, agreement_label: str) -> int:
    """The auditor is told that the worker has given their feedback."""
    return _send(
        audit,
        [audit.auditor],
        subject=f"Feedback given on the audit of case {audit.case.case_id}",
        lines=[
            f"{given_by} has given feedback on the audit of {_case(audit)} you conducted: "
            f"{agreement_label.lower()}.",
            "",
            "Read the feedback on the audit:",
            site_url(reverse("audits:overview", args=[audit.pk]) + "#feedback"),
        ],
        kind="audit_feedback",
    )


def feedback_disputed_mail_enqueue(*, audit: Audit, heads: Iterable[Staff], given_by: str) -> int:
    """MOD-3: a strong disagreement goes to the head(s) of quality assurance to decide."""
    return _send(
        audit,
        heads,
        subject=f"Disputed audit to decide: case {audit.case.case_id}",
        lines=[
            f"{given_by} strongly disagrees with the audit of {_case(audit)}. The audit is not final "
            "until you decide whether the auditor's audit is upheld or its grades or plan change.",
            "",
            "Read both sides and record your decision:",
            site_url(reverse("moderation:head-of-qa-decision", args=[audit.pk])),
        ],
        kind="audit_feedback",
    )


def head_of_qa_decided_mail_enqueue(
    *, audit: Audit, people: Iterable[Staff | None], decision_label: str, changes: int
) -> int:
    """MOD-3: the worker, their practice manager and the auditor are told of the decision."""
    changed = f" {plural(changes, 'grade')} changed." if changes else ""
    return _send(
        audit,
        people,
        subject=f"Head of QA decision on the audit of case {audit.case.case_id}",
        lines=[
            f"The head of quality assurance has decided on the disputed audit of {_case(audit)}: "
            f"{decision_label.lower()}.{changed} Overall grade: {_grade_label(audit, audit.overall_grade)}.",
            "",
            "Read the decision and its reasons on the audit:",
            site_url(reverse("audits:overview", args=[audit.pk]) + "#feedback"),
        ],
        kind="audit_feedback",
    )
