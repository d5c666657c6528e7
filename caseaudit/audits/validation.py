"""The checks of what only an audit has, as pure functions (no database): its date, its type's
details and its actions. The checks of its questionnaire — answers, grades, completion — are
the engine's (questionnaires.validation); Stage 1 submission is both. Type details and actions
arrive as JSON (CONTRACTS §5)."""

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from caseaudit.audits.deadlines import DueRule, any_inadequate, due_date_problems
from caseaudit.core.calendar import long_date
from caseaudit.core.problems import Problem
from caseaudit.questionnaires.validation import completion_problems, parse_date
from caseaudit.templates_library.spec import NA, NO, YES, Answer, TemplateSpec

ACTION_FIELDS = ("what", "owner_id", "due_date", "due_reason", "impact")


# --- submission ------------------------------------------------------------------------


def audit_date_problems(audit_date: datetime.date | None, *, today: datetime.date) -> list[Problem]:
    if audit_date is None:
        return [Problem("audit", "audit_date", "Enter the date of the audit")]
    if audit_date > today:
        return [
            Problem(
                "audit",
                "audit_date",
                f"The date of the audit must be today or in the past: it is {long_date(audit_date)}",
                code="audit_date_in_future",
            )
        ]
    return []


def safeguarding_problems(
    *,
    section_grades: Mapping[str, str],
    overall_grade: str,
    concerns: bool | None,
    rule: DueRule | None,
    actions: Sequence[tuple[datetime.date, str]],
) -> list[Problem]:
    """ACT-2 at submission: with a grade Inadequate, the safeguarding question answered; every
    action's due date within the rule (`actions`: (due date, reason for a later date), in order)."""
    found = []
    if any_inadequate(section_grades, overall_grade) and concerns is None:
        found.append(
            Problem(
                "audit",
                "safeguarding_concerns",
                "A grade is Inadequate: say whether there are safeguarding concerns",
                code="safeguarding_concerns_unanswered",
            )
        )
    if rule is not None:
        for index, (due, reason) in enumerate(actions):
            found.extend(due_date_problems(rule, index=index, due=due, reason=reason))
    return found


def submission_problems(
    template: TemplateSpec,
    *,
    answers: Mapping[str, Answer],
    section_grades: Mapping[str, str],
    overall_grade: str,
    override_reason: str,
    audit_date: datetime.date | None,
    required_if: Mapping[str, Any],
    today: datetime.date,
) -> list[Problem]:
    """Everything that stops the Stage 1 audit being submitted, in the order of the form: its
    date, then what stops its response being complete."""
    return [
        *audit_date_problems(audit_date, today=today),
        *completion_problems(
            template,
            answers=answers,
            section_grades=section_grades,
            overall_grade=overall_grade,
            override_reason=override_reason,
            required_if=required_if,
        ),
    ]


# --- audit types (TPL-3) -----------------------------------------------------------------


def type_details_clean(
    fields: Sequence[Mapping[str, Any]], details: Mapping[str, Any]
) -> tuple[dict[str, Any], list[Problem]]:
    """What an audit type asks for (a theme, a line of enquiry, observed practice with the
    family's consent — AUD-6), checked and tidied: tokens in lower case, several choices as a list."""
    found: list[Problem] = []
    known = {field["ref"] for field in fields}
    for ref in details:
        if ref not in known:
            found.append(Problem("type_details", ref, f"This audit type does not record {ref!r}"))
    clean: dict[str, Any] = {}
    for field in fields:
        ref, text = field["ref"], field["text"]
        value = details.get(ref)
        if value is None or (isinstance(value, str | list) and not value):
            if field.get("required", True):
                found.append(Problem("type_details", ref, f"Enter '{text}'"))
            continue
        value, message = _type_field_value(field, value)
        if message:
            found.append(Problem("type_details", ref, message))
        else:
            clean[ref] = value
    return clean, found


def _type_field_value(field: Mapping[str, Any], value: Any) -> tuple[Any, str | None]:
    text = field["text"]
    kind = field["answer_type"]
    if kind == "choice":
        tokens = {choice["token"] for choice in field.get("choices", ())}
        chosen = value if isinstance(value, list) else str(value).split(",")
        chosen = [str(token).strip().lower() for token in chosen]
        if not chosen or any(token not in tokens for token in chosen):
            return value, f"'{text}' must be one of: {', '.join(sorted(tokens))}"
        if not field.get("multiple") and len(chosen) > 1:
            return value, f"Choose one answer to '{text}'"
        return (chosen if field.get("multiple") else chosen[0]), None
    if kind == "yes_no_na":
        token = str(value).strip().lower()
        allowed = {YES, NO, NA} if field.get("na_allowed") else {YES, NO}
        if token not in allowed:
            return value, f"'{text}' must be answered {' or '.join(sorted(allowed))}"
        must_be = field.get("must_be")
        if must_be and token not in must_be:
            help_text = field.get("help", "")
            return value, f"'{text}' must be answered {' or '.join(must_be)}. {help_text}".strip()
        return token, None
    if kind == "date":
        day = parse_date(value)
        return (day.isoformat(), None) if day else (value, f"'{text}' must be a real date, e.g. 2026-12-07")
    text_value = str(value).strip()
    return text_value, None if text_value else f"Enter '{text}'"


# --- actions (AUD-4) -------------------------------------------------------------------


@dataclass(frozen=True)
class ActionInput:
    """One SMART action as sent: what, who (a staff ID, or the default), by when, impact; the reason
    for a due date later than 4 weeks (ACT-2), and its place in the list sent."""

    id: int | None
    what: str
    owner_id: str | None
    due_date: datetime.date
    impact: str
    due_reason: str = ""
    index: int = 0


def actions_parse(raw: Any) -> tuple[list[ActionInput], list[Problem]]:
    if not isinstance(raw, list):
        return [], [Problem("actions", "actions", "Send the actions as a list")]
    actions, found = [], []
    for index, item in enumerate(raw):
        ref = f"actions[{index}]"
        number = index + 1
        if not isinstance(item, Mapping):
            found.append(Problem(ref, "action", f"Action {number} must be an object"))
            continue
        what = str(item.get("what") or "").strip()
        impact = str(item.get("impact") or "").strip()
        owner = item.get("owner_id")
        owner_id = str(owner).strip() if owner not in (None, "") else None
        due = parse_date(item.get("due_date"))
        if not what:
            found.append(Problem(ref, "what", f"Action {number}: say what needs to be done"))
        if item.get("due_date") in (None, ""):
            found.append(Problem(ref, "due_date", f"Action {number}: enter the date it is due by"))
        elif due is None:
            found.append(Problem(ref, "due_date", f"Action {number}: the due date must be a real date"))
        if not impact:
            found.append(
                Problem(ref, "impact", f"Action {number}: say what impact it will have for the child")
            )
        action_id = item.get("id")
        if action_id is not None and not isinstance(action_id, int):
            found.append(Problem(ref, "id", f"Action {number}: the id must be a number"))
            action_id = None
        reason = str(item.get("due_reason") or "").strip()
        if what and impact and due is not None:
            actions.append(ActionInput(action_id, what, owner_id, due, impact, reason, index))
    return actions, found
