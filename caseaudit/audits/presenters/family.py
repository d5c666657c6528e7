"""Family feedback (FAM-1, FAM-2) shaped for the audit overview, the family feedback page and the
PDF: per person who they are, their consent (with its date, or the reason), and, only with
consent, their answers in their own words."""

from dataclasses import dataclass, field

from django.urls import reverse

from caseaudit.audits.errors import AuditRefused
from caseaudit.audits.models import Audit, FamilyRespondent
from caseaudit.audits.services_family import family_questions, family_respondents, respondent_answers
from caseaudit.core.calendar import long_date
from caseaudit.templates_library.selectors import audit_type_get

EXPECTED_NOTE = "Family feedback is expected for dip sample audits"


@dataclass(frozen=True)
class AnswerView:
    question: str
    text: str


@dataclass(frozen=True)
class RespondentView:
    number: int
    who: str
    consent: str  # "Yes", "No", "Not asked", "Not applicable"
    consented: bool
    consent_date: str
    reason: str
    answers: list[AnswerView]
    change_href: str
    remove_href: str

    @property
    def consent_text(self) -> str:
        """The consent as one line: "Yes, on 7 December 2026", "Not asked: too unwell"."""
        if self.consented:
            return f"Yes, on {self.consent_date}" if self.consent_date else "Yes"
        return f"{self.consent}: {self.reason}" if self.reason else self.consent


@dataclass(frozen=True)
class FamilyView:
    audit_id: int
    respondents: list[RespondentView] = field(default_factory=list)
    # FAM-2: the dip sample type's rules expect family feedback; said while none is recorded.
    expected_note: str = ""
    can_record: bool = False
    record_href: str = ""


def question_texts() -> dict[str, str]:
    """{question ref: its words} of the current family feedback template (empty if not loaded)."""
    try:
        return {question.ref: question.text for question in family_questions().questions}
    except AuditRefused:
        return {}


def respondent_view(
    respondent: FamilyRespondent, number: int, *, audit_id: int, texts: dict[str, str]
) -> RespondentView:
    consented = respondent.consent == FamilyRespondent.Consent.YES
    answers = respondent_answers(respondent) if consented else {}
    ordered = [ref for ref in texts if ref in answers] + sorted(ref for ref in answers if ref not in texts)
    href = reverse("audits:family-feedback-person", args=[audit_id, number])
    return RespondentView(
        number=number,
        who=respondent.get_who_display(),
        consent=respondent.get_consent_display(),
        consented=consented,
        consent_date=long_date(respondent.consent_date),
        reason=respondent.reason,
        answers=[AnswerView(texts.get(ref, ref), answers[ref]) for ref in ordered],
        change_href=href,
        remove_href=f"{href}?remove=1",
    )


def family_expected(audit: Audit) -> bool:
    audit_type = audit_type_get(token=audit.audit_type)
    rules = audit_type.rules if audit_type is not None else {}
    return isinstance(rules, dict) and rules.get("family_feedback") == "expected"


def family_view(audit: Audit, *, can_record: bool = False) -> FamilyView:
    """The audit's family feedback; `can_record` (the page's `audits.record_family_feedback`)
    adds the link to record it."""
    texts = question_texts()
    respondents = [
        respondent_view(row, number, audit_id=audit.pk, texts=texts)
        for number, row in enumerate(family_respondents(audit=audit), start=1)
    ]
    return FamilyView(
        audit_id=audit.pk,
        respondents=respondents,
        expected_note=EXPECTED_NOTE if not respondents and family_expected(audit) else "",
        can_record=can_record,
        record_href=reverse("audits:family-feedback", args=[audit.pk]) if can_record else "",
    )
