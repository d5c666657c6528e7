"""Mail of Stage 2 moderation (MOD-1, MOD-2, ESC-2, REC-1), queued in the writer's transaction
through the outbox (CONTRACTS §7).

As every mail about an audit (audits.mail), it carries no audit text and never names the child:
the case ID, the team, counts, and a link to the page, which checks permission and logs the view.
It goes only to people still active who may open the audit now (`audit_mail_recipients`)."""

from collections.abc import Iterable
from datetime import date

from django.urls import reverse

from caseaudit.audits.mail import SIGNATURE, audit_mail_recipients, escalation_sentence
from caseaudit.audits.models import Audit
from caseaudit.core.calendar import long_date
from caseaudit.core.mail_text import plural, site_url
from caseaudit.core.outbox import outbox_enqueue
from caseaudit.org.models import Staff


def _overview(audit: Audit) -> str:
    return site_url(reverse("audits:overview", args=[audit.pk]))


def _case(audit: Audit) -> str:
    return f"{audit.case.case_id} ({audit.case.team.name})"


def _send(audit: Audit, person: Staff, *, subject: str, lines: list[str], cc: Iterable[str] = ()) -> None:
    outbox_enqueue(
        to=[person.email],
        cc=list(cc),
        subject=subject,
        body="\n".join([f"Dear {person.name},", "", *lines, "", SIGNATURE]),
        related_type="audit",
        related_ref=str(audit.pk),
    )


def moderator_assigned_mail_enqueue(
    *, audit: Audit, moderator: Staff, due: date | None, assigned_by: str, taken: bool
) -> None:
    """MOD-2: the moderator is told of the audit to moderate and its due date."""
    people = audit_mail_recipients(audit=audit, people=[moderator])
    if not people:
        return
    happened = (
        f"You have taken the Stage 2 moderation of the audit of case {_case(audit)}."
        if taken
        else f"{assigned_by} has asked you to moderate the audit of case {_case(audit)} (Stage 2)."
    )
    _send(
        audit,
        people[0],
        subject=f"Stage 2 moderation of case {audit.case.case_id}"
        + (f", due by {long_date(due)}" if due else ""),
        lines=[
            happened,
            f"It is due by {long_date(due)}." if due else "",
            "",
            "Arrange the reflective discussion and record the moderation:",
            site_url(reverse("moderation:moderate", args=[audit.pk])),
        ],
    )


def moderations_balanced_mail_enqueue(
    *, moderator: Staff, count: int, month_label: str, assigned_by: str
) -> None:
    """MOD-2: after QA balance the month's queue, each moderator is told once how many they have."""
    if not moderator.is_active or not moderator.email:
        return
    outbox_enqueue(
        to=[moderator.email],
        subject=f"Stage 2 moderation: {plural(count, 'audit')} of {month_label} for you",
        body="\n".join(
            [
                f"Dear {moderator.name},",
                "",
                f"{assigned_by} has shared out the Stage 2 moderation of {month_label}: "
                f"{plural(count, 'audit')} {'is' if count == 1 else 'are'} now yours to moderate.",
                "",
                "See them, with their due dates, on your home page or the moderation queue:",
                site_url(reverse("moderation:queue") + "?assigned=mine"),
                "",
                SIGNATURE,
            ]
        ),
        related_type="moderation_balance",
        related_ref=month_label,
    )


def moderation_completed_qa_mail_enqueue(
    *, audit: Audit, mailbox: str, completed_by: str, changes: int
) -> None:
    """MOD-2: a copy of every completed moderation goes to the QA team's mailbox."""
    if not mailbox:
        return
    outbox_enqueue(
        to=[mailbox],
        subject=f"Stage 2 moderation completed: case {audit.case.case_id}",
        body="\n".join(
            [
                "Dear QA team,",
                "",
                f"{completed_by} has completed the Stage 2 moderation of the audit of case {_case(audit)}: "
                f"{plural(changes, 'grade')} changed. It is in the QA inbox with the moderated audit (PDF):",
                site_url(reverse("moderation:qa-inbox")),
                "",
                f"The audit: {_overview(audit)}",
                "",
                SIGNATURE,
            ]
        ),
        related_type="audit",
        related_ref=str(audit.pk),
    )


def case_audit_alert_mail_enqueue(
    *,
    audit: Audit,
    person: Staff,
    role: str,
    grade_label: str,
    strengths: int,
    actions: int,
    own_actions: int,
) -> None:
    """MOD-2, ESC-2: the case audit alert to the worker, their practice manager and group manager:
    the strengths and the actions as counts, and the link (never the audit's text)."""
    people = audit_mail_recipients(audit=audit, people=[person])
    if not people:
        return
    must = (
        f"{plural(own_actions, 'action')} {'is' if own_actions == 1 else 'are'} yours to take."
        if own_actions
        else "None of its actions is yours to take."
    )
    _send(
        audit,
        people[0],
        subject=f"Case audit alert: Stage 2 moderation of case {audit.case.case_id} completed",
        lines=[
            f"The Stage 2 moderation of the audit of case {_case(audit)} is complete, and the audit "
            "is final. "
            f"You are told as {role}.",
            f"Overall grade: {grade_label}.",
            f"Strengths recorded: {plural(strengths, 'section')} graded Good or better.",
            f"The audit sets {plural(actions, 'action')}. {must}",
            *([escalated] if (escalated := escalation_sentence(audit)) else []),
            "",
            "Read the strengths, the actions and the moderated audit (PDF):",
            _overview(audit),
        ],
    )
