"""Mail about an audit: a compliance gap flagged tells the worker and their practice manager what
to address, a gap addressed tells the auditor (AUD-3); the submitted Stage 1 audit goes to the
worker and their line manager (REC-1). Queued in the writer's transaction through the outbox
and sent after commit (CONTRACTS §7).

Mail travels further than the application and a reading of it cannot be logged (SEC-2), so it
carries no audit text and never names the child: the case ID, the team, what kind of thing
happened, and a link to the page, which checks permission and logs the view. It goes only to
people still active who may open the audit now (CONTRACTS §3): someone who has left, or who
was the practice manager before a change of line, is not written to."""

from collections.abc import Iterable

from django.urls import reverse

from caseaudit.audits.models import Audit, ComplianceGap
from caseaudit.audits.selectors import audit_is_visible
from caseaudit.core.calendar import long_date
from caseaudit.core.mail_text import plural, site_url
from caseaudit.core.outbox import outbox_enqueue
from caseaudit.org.models import Staff

SIGNATURE = "This message was sent by caseaudit."


def audit_mail_recipients(*, audit: Audit, people: Iterable[Staff | None]) -> list[Staff]:
    """Of `people`, those mail about `audit` may go to, in order, each once."""
    chosen: list[Staff] = []
    for person in people:
        if person is None or not person.is_active or not person.email or person in chosen:
            continue
        user = person.user
        if user is None or not user.is_active or not audit_is_visible(user=user, audit=audit):
            continue
        chosen.append(person)
    return chosen


def emailed_sentence(people: list[Staff]) -> str:
    """ "We have emailed A and B." for a confirmation message; "" when nobody could be."""
    names = [person.name for person in people]
    if not names:
        return ""
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return f"We have emailed {listed}."


def worker_and_manager_recipients(*, audit: Audit) -> list[Staff]:
    """The worker, then their line manager (the practice manager): told of a compliance gap
    (AUD-3) and sent the submitted audit (REC-1)."""
    return audit_mail_recipients(audit=audit, people=[audit.worker, audit.practice_manager])


def gap_addressed_recipients(*, audit: Audit) -> list[Staff]:
    return audit_mail_recipients(audit=audit, people=[audit.auditor])


def gap_flagged_mail_enqueue(*, gap: ComplianceGap, flagged_by: str) -> None:
    kind, case = _gap_words(gap)
    _gap_mail(
        gap,
        worker_and_manager_recipients(audit=gap.audit),
        subject="Compliance gap to address",
        happened=f"{flagged_by} has flagged a compliance gap ({kind}) on the audit of case {case}, to be "
        "addressed before the audit is final.",
        read="Read what is missing, and once it is put right record how, on the audit:",
    )


def gap_addressed_mail_enqueue(*, gap: ComplianceGap, addressed_by: str) -> None:
    kind, case = _gap_words(gap)
    _gap_mail(
        gap,
        gap_addressed_recipients(audit=gap.audit),
        subject="Compliance gap addressed",
        happened=f"{addressed_by} has addressed the compliance gap ({kind}) you flagged on the audit of "
        f"case {case}.",
        read="Read how it was addressed on the audit:",
    )


def _gap_words(gap: ComplianceGap) -> tuple[str, str]:
    """("supervision", "C-OWN (Assessment North)")."""
    case = gap.audit.case
    return gap.get_kind_display().lower(), f"{case.case_id} ({case.team.name})"


def _gap_mail(gap: ComplianceGap, people: list[Staff], *, subject: str, happened: str, read: str) -> None:
    audit = gap.audit
    _enqueue(
        audit,
        people,
        subject=f"{subject}: case {audit.case.case_id} ({gap.get_kind_display().lower()})",
        lines=[
            happened,
            "",
            read,
            site_url(reverse("audits:overview", args=[audit.pk]) + "#compliance-gaps"),
        ],
        related=("compliance_gap", gap.pk),
    )


def escalation_sentence(audit: Audit) -> str:
    """ESC-2: the words every mail after a stage adds when the audit's effective overall grade is
    Inadequate — that grade opens an escalation at once (ESC-1), whichever stage gave it."""
    if audit.overall_grade != "inadequate":
        return ""
    return (
        "Because the audit is graded Inadequate it has been escalated: the worker's managers and the "
        "QA team have been alerted, and will record what is done to keep the child safe."
    )


def submitted_mail_enqueue(*, audit: Audit, submitted_by: str) -> None:
    """REC-1: the finished Stage 1 audit goes to the worker and their line manager, as a link to
    the audit and its PDF rather than an attachment, so each reading is checked and logged."""
    grades = {grade["token"]: grade["label"] for grade in audit.template_version.grade_scale}
    actions = list(audit.actions.order_by("due_date", "order"))
    action_line = (
        f"It sets {plural(len(actions), 'action')}, the first due by {long_date(actions[0].due_date)}."
        if actions
        else "It sets no actions."
    )
    _enqueue(
        audit,
        worker_and_manager_recipients(audit=audit),
        subject=f"Stage 1 audit submitted: case {audit.case.case_id}",
        lines=[
            f"{submitted_by} has submitted the Stage 1 audit of case {audit.case.case_id} "
            f"({audit.case.team.name}), held on {long_date(audit.audit_date)}. Overall grade: "
            f"{grades.get(audit.response.overall_grade, audit.response.overall_grade or 'not graded')}.",
            action_line,
            *([escalated] if (escalated := escalation_sentence(audit)) else []),
            "",
            "Read what was done well, the issues and the actions, and download the audit (PDF):",
            site_url(reverse("audits:overview", args=[audit.pk])),
        ],
        related=("audit", audit.pk),
    )


def _enqueue(
    audit: Audit, people: list[Staff], *, subject: str, lines: list[str], related: tuple[str, int]
) -> None:
    """One message: to the first person, copied to the rest."""
    if not people:
        return
    outbox_enqueue(
        to=[people[0].email],
        cc=[person.email for person in people[1:]],
        subject=subject,
        body="\n".join([f"Dear {people[0].name},", "", *lines, "", SIGNATURE]),
        related_type=related[0],
        related_ref=str(related[1]),
    )
