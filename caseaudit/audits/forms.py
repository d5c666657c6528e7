"""What the audit pages send, parsed into what the services take.

The forms only parse (a date typed into three boxes, a row of the action table); the rules —
what may be answered, graded or submitted — live in the services, whose refusals come back as
`Problem`s and are shown against these fields (`FieldErrors`). A section's questions are the
questionnaire engine's (questionnaires.forms); the action table is the audit's own. Field names
and ids are stable so an error in the summary can link to its field."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.http import QueryDict

from caseaudit.questionnaires.forms import (
    AnswerInput,
    DateParts,
    FieldErrors,
    answers_from_post,
    answers_payload,
)
from caseaudit.templates_library.models import AuditType, Section

MAX_WINDOW_MONTHS = 60


def action_field_id(index: int, name: str) -> str:
    return f"action-{index}-{name}"


# --- starting an audit ----------------------------------------------------------------------


def type_field_id(token: str, ref: str) -> str:
    return f"{token}-{ref}"


@dataclass
class StartInput:
    audit_type: str = ""
    audit_date: DateParts = field(default_factory=DateParts)
    window_months: str = ""
    template_version: str = ""  # a version number, where the type's template has more than one
    type_values: dict[str, Any] = field(default_factory=dict)  # {field id: value as posted}

    @classmethod
    def initial(cls, today: datetime.date) -> "StartInput":
        return cls(audit_date=DateParts.from_date(today))

    @classmethod
    def from_post(cls, data: QueryDict, audit_types: Iterable[AuditType]) -> "StartInput":
        values: dict[str, Any] = {}
        for kind in audit_types:
            for spec in kind.requires:
                field_id = type_field_id(kind.token, spec["ref"])
                if spec["answer_type"] == "date":
                    values[field_id] = DateParts.from_post(data, field_id)
                elif spec.get("multiple"):
                    values[field_id] = data.getlist(field_id)
                else:
                    values[field_id] = data.get(field_id, "").strip()
        return cls(
            audit_type=data.get("audit_type", "").strip(),
            audit_date=DateParts.from_post(data, "audit_date"),
            window_months=data.get("window_months", "").strip(),
            template_version=data.get("template_version", "").strip(),
            type_values=values,
        )

    def clean(
        self, audit_types: Iterable[AuditType], errors: FieldErrors
    ) -> tuple[datetime.date | None, int | None, dict[str, Any]]:
        """(audit date, window months, type details) with what cannot even be parsed in `errors`."""
        kinds = {kind.token: kind for kind in audit_types}
        if self.audit_type not in kinds:
            errors.add("audit_type", "Select the type of audit")
        audit_date, problem = self.audit_date.parse("The audit date")
        if problem:
            errors.add("audit_date", problem, href="#audit_date-day")
        elif audit_date is None:
            errors.add("audit_date", "Enter the date of the audit", href="#audit_date-day")
        window: int | None = None
        if self.window_months:
            try:
                window = int(self.window_months)
            except ValueError:
                errors.add("window_months", "The review window must be a whole number of months, like 6")
            else:
                if not 1 <= window <= MAX_WINDOW_MONTHS:
                    errors.add(
                        "window_months", f"The review window must be between 1 and {MAX_WINDOW_MONTHS} months"
                    )
        details: dict[str, Any] = {}
        kind = kinds.get(self.audit_type)
        for spec in kind.requires if kind is not None else []:
            field_id = type_field_id(self.audit_type, spec["ref"])
            value = self.type_values.get(field_id)
            if isinstance(value, DateParts):
                parsed, problem = value.parse(spec["text"])
                if problem:
                    errors.add(field_id, problem, href=f"#{field_id}-day")
                elif parsed is not None:
                    details[spec["ref"]] = parsed.isoformat()
            elif value:
                details[spec["ref"]] = value
        return audit_date, window, details


# --- a section of the audit -----------------------------------------------------------------


@dataclass
class ActionRow:
    id: str = ""
    what: str = ""
    owner_id: str = ""
    due_date: DateParts = field(default_factory=DateParts)
    impact: str = ""
    due_reason: str = ""
    proposed: str = ""  # the due date the page proposed for a new row (ACT-2), ISO

    @property
    def blank(self) -> bool:
        """A new row with nothing typed: no what, impact or reason, and no date but the one the
        page proposed. A stored row (with its id) is never blank: emptied, it is refused, not
        deleted."""
        if self.id or self.what.strip() or self.impact.strip() or self.due_reason.strip():
            return False
        return self.due_date.blank or (
            bool(self.proposed) and self.due_date == DateParts.from_date(self.proposed)
        )


@dataclass
class SectionInput:
    """A section page's form: answers, comments, grade and (Comments and Actions) the action table."""

    answers: dict[str, AnswerInput] = field(default_factory=dict)
    comments: str = ""
    grade: str = ""
    actions: list[ActionRow] = field(default_factory=list)
    has_actions: bool = False
    safeguarding: str = ""  # "yes", "no" or "" (not asked, or not answered)

    @classmethod
    def from_post(cls, data: QueryDict, section: Section) -> "SectionInput":
        answers = answers_from_post(data, section.questions.all())
        rows = []
        has_actions = bool(section.actions_table)
        if has_actions:
            count = _int(data.get("action_count"), 0)
            for index in range(min(count, 50)):
                rows.append(
                    ActionRow(
                        id=data.get(action_field_id(index, "id"), "").strip(),
                        what=data.get(action_field_id(index, "what"), "").strip(),
                        owner_id=data.get(action_field_id(index, "owner_id"), "").strip(),
                        due_date=DateParts.from_post(data, action_field_id(index, "due_date")),
                        impact=data.get(action_field_id(index, "impact"), "").strip(),
                        due_reason=data.get(action_field_id(index, "due_reason"), "").strip(),
                        proposed=data.get(action_field_id(index, "proposed"), "").strip(),
                    )
                )
        return cls(
            answers=answers,
            comments=data.get("comments", "").strip(),
            grade=data.get("grade", "").strip(),
            actions=rows,
            has_actions=has_actions,
            safeguarding=data.get("safeguarding_concerns", "").strip() if has_actions else "",
        )

    @property
    def safeguarding_concerns(self) -> bool | None:
        """The answer to "are there safeguarding concerns?" as a save sends it (None: not given)."""
        return {"yes": True, "no": False}.get(self.safeguarding)

    def payload(
        self, section: Section, errors: FieldErrors
    ) -> tuple[dict[str, Any], list[dict[str, Any]] | None, dict[int, int]]:
        """(answers, actions, {index in actions sent: row of the form}) for `audit_save`. Blank
        action rows are left out; dates that are not real dates go to `errors`, and are left out:
        an answer's, or all the actions while a row's date is wrong (the list sent replaces the
        stored one, so a row left out would be deleted; the rows stay on the page as typed)."""
        answers = answers_payload(section.questions.all(), self.answers, errors)
        if not self.has_actions:
            return answers, None, {}
        actions: list[dict[str, Any]] = []
        rows: dict[int, int] = {}
        for index, row in enumerate(self.actions):
            if row.blank:
                continue
            due, problem = row.due_date.parse(f"Action {index + 1}: the date it is due by")
            if problem:
                errors.add(
                    action_field_id(index, "due_date"),
                    problem,
                    href=f"#{action_field_id(index, 'due_date')}-day",
                )
                continue
            item: dict[str, Any] = {
                "what": row.what,
                "owner_id": row.owner_id or None,
                "due_date": due.isoformat() if due else "",
                "due_reason": row.due_reason,
                "impact": row.impact,
            }
            if row.id.isdigit():
                item["id"] = int(row.id)
            rows[len(actions)] = index
            actions.append(item)
        if len(rows) < sum(1 for row in self.actions if not row.blank):
            return answers, None, {}
        return answers, actions, rows


@dataclass
class OverallInput:
    """The overall grade on the check-your-answers page (GRD-3)."""

    grade: str = ""
    override_reason: str = ""

    @classmethod
    def from_post(cls, data: QueryDict) -> "OverallInput":
        return cls(data.get("overall_grade", "").strip(), data.get("overall_override_reason", "").strip())


def _int(value: Any, default: int) -> int:
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return default
