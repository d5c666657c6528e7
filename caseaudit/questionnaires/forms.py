"""What a questionnaire page sends, parsed into what the engine takes.

A questionnaire page is built from its template's questions, not from a Django form class: the
questions are data, and the GOV.UK components need what the person typed kept exactly as typed
(a date in three boxes, an NA with its reason) to show it back with its error. See
docs/adr/0006-questionnaire-engine.md. Parsing only: the rules live in the engine's check, whose
problems come back as `Problem`s shown against these fields (`FieldErrors`). Field names and ids
are stable so an error in the summary can link to its field."""

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.http import QueryDict

from caseaudit.core.problems import Problem
from caseaudit.templates_library.models import Question
from caseaudit.templates_library.spec import NA


class FieldErrors:
    """Errors of one page, in the order they were found: {field id: message}. Each becomes an
    item of the GOV.UK error summary linking to its field, and the field's own error message."""

    def __init__(self) -> None:
        self._by_id: dict[str, list[str]] = {}
        self._summary: list[dict[str, str]] = []

    def add(self, field_id: str, message: str, *, href: str | None = None) -> None:
        if message in self._by_id.get(field_id, []):
            return
        self._by_id.setdefault(field_id, []).append(message)
        self._summary.append({"text": message, "href": href if href is not None else f"#{field_id}"})

    def add_summary_only(self, message: str, href: str = "") -> None:
        if not any(item["text"] == message for item in self._summary):
            self._summary.append({"text": message, "href": href})

    def add_problems(self, problems: Iterable[Problem], *, fields: Iterable[str]) -> None:
        """A service's refusal on the page: each problem on its field where the page has it, else
        in the summary only."""
        on_page = set(fields)
        for problem in problems:
            if problem.field in on_page:
                self.add(problem.field, problem.message)
            else:
                self.add_summary_only(problem.message)

    def get(self, field_id: str) -> dict[str, str] | None:
        """The component's `errorMessage`, or None."""
        messages = self._by_id.get(field_id)
        return {"text": " ".join(messages)} if messages else None

    def message(self, field_id: str) -> str:
        return " ".join(self._by_id.get(field_id, []))

    @property
    def summary(self) -> list[dict[str, str]]:
        return list(self._summary)

    def __bool__(self) -> bool:
        return bool(self._summary)


@dataclass
class DateParts:
    """A GOV.UK date input: three boxes, kept as typed so a mistake is shown back as it was."""

    day: str = ""
    month: str = ""
    year: str = ""

    @classmethod
    def from_post(cls, data: Mapping[str, Any], prefix: str) -> "DateParts":
        return cls(
            str(data.get(f"{prefix}-day", "")).strip(),
            str(data.get(f"{prefix}-month", "")).strip(),
            str(data.get(f"{prefix}-year", "")).strip(),
        )

    @classmethod
    def from_date(cls, value: datetime.date | str | None) -> "DateParts":
        if isinstance(value, str):
            try:
                value = datetime.date.fromisoformat(value)
            except ValueError:
                return cls()
        if value is None:
            return cls()
        return cls(str(value.day), str(value.month), str(value.year))

    @property
    def blank(self) -> bool:
        return not (self.day or self.month or self.year)

    def parse(self, label: str) -> tuple[datetime.date | None, str | None]:
        """(date, None); (None, None) when blank; (None, a GOV.UK error message) when wrong."""
        if self.blank:
            return None, None
        missing = [
            name
            for name, value in (("day", self.day), ("month", self.month), ("year", self.year))
            if not value
        ]
        if missing:
            return None, f"{label} must include a {' and a '.join(missing)}"
        try:
            day, month, year = int(self.day), int(self.month), int(self.year)
        except ValueError:
            return None, f"{label} must be a real date"
        if year < 1900 or year > 2200:
            return None, f"{label} must include a year with 4 numbers, for example 2026"
        try:
            return datetime.date(year, month, day), None
        except ValueError:
            return None, f"{label} must be a real date"


def question_field_id(ref: str) -> str:
    """`assessment.child_seen` → `q-assessment-child_seen` (ids without dots link cleanly)."""
    return "q-" + ref.replace(".", "-")


@dataclass
class AnswerInput:
    value: str = ""
    reason: str = ""
    date: DateParts | None = None  # date questions, as typed


def answers_from_post(data: QueryDict, questions: Iterable[Question]) -> dict[str, AnswerInput]:
    """The answers to `questions` as the page posted them."""
    answers = {}
    for question in questions:
        field_id = question_field_id(question.ref)
        if question.answer_type == "date":
            na = question.na_allowed and data.get(f"{field_id}-na") == NA
            parts = DateParts.from_post(data, field_id)
            answers[question.ref] = AnswerInput(NA if na else "", date=parts)
        elif question.answer_type == "choice" and question.multiple:
            answers[question.ref] = AnswerInput(",".join(data.getlist(field_id)))
        else:
            answers[question.ref] = AnswerInput(
                data.get(field_id, "").strip(), data.get(f"{field_id}-reason", "").strip()
            )
    return answers


def answers_from_stored(questions: Iterable[Question], stored: Mapping[str, Any]) -> dict[str, AnswerInput]:
    """The answers to `questions` as stored ({ref: Answer}): what the page shows when opened."""
    answers = {}
    for question in questions:
        answer = stored.get(question.ref)
        value = (answer.value or "") if answer else ""
        if question.answer_type == "date":
            parts = DateParts() if value in ("", NA) else DateParts.from_date(value)
            answers[question.ref] = AnswerInput(NA if value == NA else "", date=parts)
        else:
            answers[question.ref] = AnswerInput(value, answer.reason if answer else "")
    return answers


def answers_payload(
    questions: Iterable[Question], given: Mapping[str, AnswerInput], errors: FieldErrors
) -> dict[str, Any]:
    """The answers as the engine takes them (CONTRACTS §5); a date that is not a real date goes to
    `errors` and is left out."""
    answers: dict[str, Any] = {}
    for question in questions:
        answer = given.get(question.ref, AnswerInput())
        field_id = question_field_id(question.ref)
        if answer.date is not None and answer.value != NA:
            parsed, problem = answer.date.parse(f"'{question.text}'")
            if problem:
                errors.add(field_id, problem, href=f"#{field_id}-day")
                continue
            answers[question.ref] = parsed.isoformat() if parsed else ""
        elif answer.reason and answer.value == NA:
            answers[question.ref] = {"value": answer.value, "reason": answer.reason}
        else:
            answers[question.ref] = answer.value
    return answers


def posted_version(data: QueryDict) -> int | None:
    """The version the form was loaded at; None only if the browser sent none."""
    value = data.get("version", "")
    return int(value) if value.isdigit() else None
