"""Family feedback (FAM-1, FAM-2; CONTRACTS §5, §9): the people asked for their view of the help
they have had — the child or young person, a parent or carer, another family member — each with
their consent and, only with consent, their answers to the five questions of
`family_feedback.yaml`, in their own words.

It can be attached to any audit at any stage (the family may be reached after the discussion, or
after submission), by the auditor only (`audits.record_family_feedback`). The list is replaced as a
whole, as the API's PUT does; the page changes one person at a time through the same check. The
audit history records who was asked and their consent, and that answers or a reason changed,
with counts (of answers; of characters, for a reason): never the family's words (they are in the
response and respondent rows, which only people who may see the audit can read)."""

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from caseaudit.audits.errors import AuditRefused
from caseaudit.audits.models import Audit, FamilyRespondent
from caseaudit.core.problems import Problem
from caseaudit.core.services import audit_event_record, user_or_none
from caseaudit.questionnaires.content import ResponseChanges, response_apply, response_check
from caseaudit.questionnaires.models import Response
from caseaudit.questionnaires.selectors import response_answers, response_sections
from caseaudit.questionnaires.services import response_create, response_version_raise
from caseaudit.questionnaires.validation import answer_from_payload, answer_problems, parse_date
from caseaudit.templates_library.models import TemplateVersion
from caseaudit.templates_library.selectors import template_spec, template_version_current
from caseaudit.templates_library.spec import QuestionSpec, TemplateSpec

TEMPLATE_REF = "family_feedback"
# The template's section of the five questions; its consent section and "who answered" questions
# are not used: consent and who are the respondent's own fields.
FEEDBACK_SECTION = "feedback"
MAX_ANSWER = 5000
MAX_REASON = 2000
MAX_RESPONDENTS = 20
WHO = tuple(FamilyRespondent.Who.values)
CONSENT = tuple(FamilyRespondent.Consent.values)
NEEDS_REASON = (FamilyRespondent.Consent.NOT_ASKED, FamilyRespondent.Consent.NA)
PERMISSION = "audits.record_family_feedback"
ACTION = "family_feedback_recorded"


@dataclass(frozen=True)
class FamilyQuestions:
    """The current version of the family feedback template and its five questions, in order."""

    template_version: TemplateVersion
    template: TemplateSpec
    questions: tuple[QuestionSpec, ...]

    @property
    def refs(self) -> tuple[str, ...]:
        return tuple(question.ref for question in self.questions)


def family_questions() -> FamilyQuestions:
    """The five questions of the current family feedback template (its feedback section's text
    questions)."""
    version = template_version_current(ref=TEMPLATE_REF)
    if version is None:
        raise AuditRefused([Problem("family_feedback", None, "The family feedback template is not loaded")])
    spec = template_spec(template_version=version)
    section = spec.section(FEEDBACK_SECTION)
    questions = tuple(q for q in (section.questions if section else ()) if q.answer_type == "text")
    return FamilyQuestions(template_version=version, template=spec, questions=questions)


@dataclass(frozen=True)
class RespondentInput:
    """One person as checked: tokens tidied, the date parsed, answers kept only where given."""

    who: str
    consent: str
    consent_date: datetime.date | None
    reason: str
    answers: dict[str, str]


def respondent_ref(index: int) -> str:
    """The ref of a person in problems: their place in the list, from 0 (`respondents[1]`)."""
    return f"respondents[{index}]"


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def respondent_check(
    index: int, raw: Mapping[str, Any], questions: FamilyQuestions, *, today: datetime.date
) -> tuple[RespondentInput | None, list[Problem]]:
    """One person's entry checked against the rules of CONTRACTS §9: every problem, each naming the
    person (`respondents[i]`) and the field."""
    ref = respondent_ref(index)
    problems: list[Problem] = []

    def refuse(field: str, message: str, code: str = "") -> None:
        problems.append(Problem(ref, field, message, code))

    if not isinstance(raw, Mapping):
        return None, [Problem(ref, None, "Each person must be an object with who, consent and answers")]
    who = _text(raw.get("who")).lower()
    consent = _text(raw.get("consent")).lower()
    reason = _text(raw.get("reason"))
    if not who:
        refuse(
            "who",
            "Choose who gave feedback: the child or young person, a parent or carer, or another "
            "family member",
        )
    elif who not in WHO:
        refuse("who", f"Who must be one of: {', '.join(WHO)}")
    if not consent:
        refuse("consent", "Choose whether they agreed to give feedback")
    elif consent not in CONSENT:
        refuse("consent", f"Consent must be one of: {', '.join(CONSENT)}")

    raw_date = raw.get("consent_date")
    consent_date = parse_date(raw_date) if raw_date not in (None, "") else None
    if raw_date not in (None, "") and consent_date is None:
        refuse("consent_date", "The date they gave consent must be a real date, like 2026-12-07")
    elif consent == FamilyRespondent.Consent.YES:
        if consent_date is None:
            refuse("consent_date", "Enter the date they gave consent", "consent_date_missing")
        elif consent_date > today:
            refuse(
                "consent_date",
                "The date they gave consent must be today or in the past",
                "consent_date_future",
            )
    elif consent_date is not None and consent in CONSENT:
        refuse("consent_date", "Give a consent date only for someone who agreed to give feedback")

    if consent in NEEDS_REASON and not reason:
        label = "not asked" if consent == FamilyRespondent.Consent.NOT_ASKED else "not applicable"
        refuse("reason", f"Say why they were {label}", "reason_missing")
    elif consent == FamilyRespondent.Consent.YES and reason:
        refuse(
            "reason",
            "Give a reason only for someone who did not agree, was not asked or where it is not applicable",
        )
    if len(reason) > MAX_REASON:
        refuse("reason", f"The reason must be {MAX_REASON} characters or fewer")

    answers_raw = raw.get("answers") or {}
    answers: dict[str, str] = {}
    if not isinstance(answers_raw, Mapping):
        refuse("answers", "Answers must be an object of question ref: text")
        answers_raw = {}
    by_ref = {question.ref: question for question in questions.questions}
    for question_ref, value in answers_raw.items():
        field = f"answers.{question_ref}"
        question = by_ref.get(str(question_ref))
        if question is None:
            refuse(
                field,
                f"There is no family feedback question {question_ref!r}: use one of {', '.join(by_ref)}",
            )
            continue
        if value is not None and not isinstance(value, str):
            refuse(field, f"The answer to '{question.text}' must be text")
            continue
        text = _text(value)
        if not text:
            continue
        if len(text) > MAX_ANSWER:
            refuse(field, f"The answer to '{question.text}' must be {MAX_ANSWER} characters or fewer")
            continue
        # The engine's own check of an answer to its question (none for free text today).
        for problem in answer_problems(questions.template, question, answer_from_payload(text, question)):
            refuse(field, problem.message, problem.code)
        answers[question.ref] = text
    if answers and consent in CONSENT and consent != FamilyRespondent.Consent.YES:
        # FAM-1: the family's words are recorded only with their consent.
        refuse(
            "answers",
            "Answers can only be recorded for someone who agreed to give feedback: choose Yes, or "
            "remove the answers",
            "answers_without_consent",
        )
    if problems:
        return None, problems
    return RespondentInput(
        who=who,
        consent=consent,
        consent_date=consent_date if consent == FamilyRespondent.Consent.YES else None,
        reason=reason,
        answers=answers,
    ), []


def respondents_check(
    respondents: Sequence[Mapping[str, Any]], questions: FamilyQuestions
) -> list[RespondentInput]:
    """Every person checked; AuditRefused (422) with every problem of every person."""
    if not isinstance(respondents, Sequence) or isinstance(respondents, str | bytes):
        raise AuditRefused([Problem("respondents", None, "Send the people as a list")])
    if len(respondents) > MAX_RESPONDENTS:
        raise AuditRefused([Problem("respondents", None, f"Record at most {MAX_RESPONDENTS} people")])
    today = timezone.localdate()
    checked, problems = [], []
    for index, raw in enumerate(respondents):
        item, found = respondent_check(index, raw, questions, today=today)
        problems += found
        if item is not None:
            checked.append(item)
    if problems:
        raise AuditRefused(problems)
    return checked


# --- reads -----------------------------------------------------------------------------


def family_respondents(*, audit: Audit) -> list[FamilyRespondent]:
    """The people of an audit already found through a scoped selector, in order, with their
    answers (a fixed number of queries)."""
    return list(
        FamilyRespondent.objects.filter(audit=audit)
        .select_related("response", "recorded_by")
        .prefetch_related("response__answers")
    )


def respondent_answers(respondent: FamilyRespondent) -> dict[str, str]:
    """{question ref: text} of a person who consented; empty for anyone else."""
    if respondent.response is None or respondent.consent != FamilyRespondent.Consent.YES:
        return {}
    return {row.question_ref: row.value for row in respondent.response.answers.all() if row.value}


def respondent_payload(respondent: FamilyRespondent) -> dict[str, Any]:
    """A stored person in the shape the service and the API take (CONTRACTS §9)."""
    return {
        "who": respondent.who,
        "consent": respondent.consent,
        "consent_date": respondent.consent_date.isoformat() if respondent.consent_date else None,
        "reason": respondent.reason,
        "answers": respondent_answers(respondent),
    }


# --- writes ----------------------------------------------------------------------------


def _lock(audit: Audit) -> Audit:
    """The audit's row locked, so two saves of its family feedback wait for each other (the
    moderation app's audit_lock is a layer above)."""
    Audit.objects.select_for_update().filter(pk=audit.pk).values_list("pk", flat=True).first()
    return audit


def _check_permission(actor: Any, audit: Audit) -> None:
    if not actor.has_perm(PERMISSION, audit):
        raise PermissionDenied("Only the auditor can record the family's feedback.")


def _answers_write(
    *, actor: Any, respondent: FamilyRespondent, item: RespondentInput, questions: FamilyQuestions, had: bool
) -> tuple[Response | None, bool]:
    """The person's response after this save, and whether its answers changed (`had`: whether
    they had answers before). A response of an older template version is replaced by one of the
    current version."""
    response = respondent.response
    if item.consent != FamilyRespondent.Consent.YES:
        return None, had
    if response is not None and response.template_version_id != questions.template_version.pk:
        response = None
    if response is None:
        response = response_create(
            template_version=questions.template_version, section_refs=[FEEDBACK_SECTION]
        )
    stored = response_answers(response=response)
    changes = ResponseChanges(answers={ref: item.answers.get(ref) for ref in questions.refs})
    check = response_check(
        response=response,
        template=questions.template,
        stored_answers=stored,
        sections=response_sections(response=response),
        changes=changes,
    )
    if check.problems:  # already checked above; the engine's word is final
        raise AuditRefused(check.problems)
    changed = response_apply(
        actor=actor, response=response, sections=response_sections(response=response), check=check
    )
    if changed:
        response_version_raise(response=response, client=None)
    replaced = respondent.response is not None and respondent.response.pk != response.pk
    return response, bool(changed) or replaced


def _apply(*, actor: Any, audit: Audit, checked: list[RespondentInput], questions: FamilyQuestions) -> bool:
    """Write the checked list over the stored one, person by person in order; record one history
    row of what changed. Returns whether anything changed."""
    stored = family_respondents(audit=audit)
    now = timezone.now()
    user = user_or_none(actor)
    changes: dict[str, list[Any]] = {}
    orphans: list[Response] = []
    for index, item in enumerate(checked):
        ref = respondent_ref(index)
        row = stored[index] if index < len(stored) else None
        is_new = row is None
        if row is None:
            row = FamilyRespondent(audit=audit, order=index)
        # Counted before the consent below changes: respondent_answers reads it.
        old_count = 0 if is_new else len(respondent_answers(row))
        old_response = row.response
        for name in ("who", "consent", "consent_date"):
            old, new = (None if is_new else getattr(row, name)), getattr(item, name)
            if old != new:
                changes[f"{ref}.{name}"] = [_json(old), _json(new)]
                setattr(row, name, new)
        if (row.reason or "") != item.reason:
            # The reason may carry the family's words: its length only, as for the answers.
            changes[f"{ref}.reason"] = [len(row.reason or ""), len(item.reason)]
            row.reason = item.reason
        response, answers_changed = _answers_write(
            actor=actor, respondent=row, item=item, questions=questions, had=old_count > 0
        )
        if answers_changed or (is_new and item.answers):
            changes[f"{ref}.answers"] = [old_count, len(item.answers)]
        if old_response is not None and (response is None or response.pk != old_response.pk):
            orphans.append(old_response)
        linked = (old_response.pk if old_response else None) != (response.pk if response else None)
        row.response = response
        if is_new or linked or any(key.startswith(f"{ref}.") for key in changes):
            row.order, row.recorded_at, row.recorded_by = index, now, user
            row.save()
    removed = stored[len(checked) :]
    for row in removed:
        if row.response is not None:
            orphans.append(row.response)
        row.delete()
    for response in orphans:
        response.delete()
    if len(stored) != len(checked):
        changes["respondents"] = [len(stored), len(checked)]
    if not changes:
        return False
    consented = sum(1 for item in checked if item.consent == FamilyRespondent.Consent.YES)
    audit_event_record(
        actor=actor,
        action=ACTION,
        object_type="audit",
        object_ref=str(audit.pk),
        summary=(
            f"Family feedback recorded: {len(checked)} {'person' if len(checked) == 1 else 'people'}, "
            f"{consented} with consent"
            if checked
            else "Family feedback cleared"
        ),
        changes=changes,
    )
    return True


def _json(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime.date) else value


def family_feedback_replace(
    *, actor: Any, audit: Audit, respondents: Sequence[Mapping[str, Any]]
) -> list[FamilyRespondent]:
    """Replace the audit's family feedback with `respondents` (CONTRACTS §9), each
    `{"who", "consent", "consent_date", "reason", "answers": {question ref: text}}`. An empty list
    clears it. At any status of the audit (FAM-1); the auditor only (PermissionDenied otherwise);
    AuditRefused (422) with every problem, nothing saved. Returns the stored list."""
    _check_permission(actor, audit)
    questions = family_questions()
    checked = respondents_check(respondents, questions)
    with transaction.atomic():
        _lock(audit)
        _apply(actor=actor, audit=audit, checked=checked, questions=questions)
    return family_respondents(audit=audit)


def _stored_payloads(audit: Audit, questions: FamilyQuestions) -> list[dict[str, Any]]:
    """The stored people as the replace takes them, for a save of one of them. Answers to a
    question the current template no longer asks are left out (the save moves each person's
    answers to the current version, which cannot hold them): otherwise nobody could be saved
    after a revision of the template, refused for someone else's answers."""
    payloads = []
    for row in family_respondents(audit=audit):
        payload = respondent_payload(row)
        payload["answers"] = {ref: text for ref, text in payload["answers"].items() if ref in questions.refs}
        payloads.append(payload)
    return payloads


def family_respondent_save(
    *, actor: Any, audit: Audit, number: int | None, respondent: Mapping[str, Any]
) -> list[FamilyRespondent]:
    """The page's save of one person: `number` (from 1) changes that person, None adds one. The
    rest of the list is read under the lock, so nobody's save is lost. Problems name the person by
    their place in the list, as the replace does."""
    _check_permission(actor, audit)
    questions = family_questions()
    with transaction.atomic():
        _lock(audit)
        payloads = _stored_payloads(audit, questions)
        if number is None:
            payloads.append(dict(respondent))
        elif 1 <= number <= len(payloads):
            payloads[number - 1] = dict(respondent)
        else:
            raise AuditRefused([Problem(respondent_ref(number - 1), None, "There is no such person")])
        checked = respondents_check(payloads, questions)
        _apply(actor=actor, audit=audit, checked=checked, questions=questions)
    return family_respondents(audit=audit)


def family_respondent_remove(*, actor: Any, audit: Audit, number: int) -> list[FamilyRespondent]:
    """Remove one person (from 1) and their answers."""
    _check_permission(actor, audit)
    questions = family_questions()
    with transaction.atomic():
        _lock(audit)
        payloads = _stored_payloads(audit, questions)
        if not 1 <= number <= len(payloads):
            raise AuditRefused([Problem(respondent_ref(number - 1), None, "There is no such person")])
        del payloads[number - 1]
        checked = respondents_check(payloads, questions)
        _apply(actor=actor, audit=audit, checked=checked, questions=questions)
    return family_respondents(audit=audit)
