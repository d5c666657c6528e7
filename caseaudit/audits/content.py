"""One save of an audit's content, checked as a whole and then applied (used by services.py,
inside its transaction): its questionnaire response — answers, comments, grades — through the
engine (questionnaires.content), and what only an audit has, its actions (AUD-4)."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from caseaudit.audits.deadlines import due_date_problems
from caseaudit.audits.models import Audit, AuditAction
from caseaudit.audits.selectors import audit_due_rule
from caseaudit.audits.validation import ActionInput, actions_parse
from caseaudit.core.problems import Problem
from caseaudit.org.models import Staff
from caseaudit.questionnaires.content import ResponseChanges, ResponseCheck, response_apply, response_check
from caseaudit.questionnaires.models import ResponseSection
from caseaudit.questionnaires.selectors import response_answers
from caseaudit.templates_library.spec import TemplateSpec


@dataclass(frozen=True)
class AuditChanges:
    """What one save of an audit sends: its response's changes, the actions (None: not sent; a
    list replaces them) and the answer to "are there safeguarding concerns?" (None: not sent)."""

    response: ResponseChanges
    actions: list[Any] | None = None
    safeguarding_concerns: bool | None = None

    def without(
        self, problems: Iterable[Problem], template: TemplateSpec, stored: list[AuditAction]
    ) -> "AuditChanges":
        """These changes less what `problems` refuse, to save the rest (AUD-2: no lost input; see
        ResponseChanges.without). A refused action is left out; one that is already stored (sent
        with its id) stays as stored rather than being deleted by the list that replaces them."""
        problems = list(problems)
        actions = self.actions
        refused = {p.ref for p in problems if p.ref.startswith("actions")}
        if actions is not None and refused:
            if "actions" in refused or not isinstance(actions, list):
                actions = None
            else:
                by_id = {action.pk: action for action in stored}
                kept = []
                for index, item in enumerate(actions):
                    if f"actions[{index}]" not in refused:
                        kept.append(item)
                    elif isinstance(item, dict) and (action := by_id.get(item.get("id") or 0)) is not None:
                        kept.append(action_payload(action))
                actions = kept
        concerns = self.safeguarding_concerns
        if any(p.field == "safeguarding_concerns" for p in problems):
            concerns = None
        return AuditChanges(
            response=self.response.without(problems, template),
            actions=actions,
            safeguarding_concerns=concerns,
        )


@dataclass
class AuditCheck:
    response: ResponseCheck
    problems: list[Problem] = field(default_factory=list)
    actions: list[ActionInput] | None = None
    owners: dict[str, Staff] = field(default_factory=dict)
    safeguarding_concerns: bool | None = None  # None: not changed


def content_check(
    *,
    audit: Audit,
    template: TemplateSpec,
    sections: dict[str, ResponseSection],
    changes: AuditChanges,
    counts_from: datetime.date | None = None,
    section_grades: dict[str, str] | None = None,
) -> AuditCheck:
    """Check one save as a whole. The actions' due dates are checked against the deadline rule
    (ACT-2) of the audit as it would be after the save, counted from `counts_from` (default the
    audit date) with the grades of the response (or `section_grades`, Stage 2's effective ones)."""
    checked = response_check(
        response=audit.response,
        template=template,
        stored_answers=response_answers(response=audit.response),
        sections=sections,
        changes=changes.response,
    )
    check = AuditCheck(response=checked, problems=list(checked.problems))
    check.safeguarding_concerns = changes.safeguarding_concerns
    if changes.actions is not None:
        _actions_check(check, audit, changes.actions)
        grades = section_grades if section_grades is not None else checked.merged_grades
        concerns = changes.safeguarding_concerns
        rule = audit_due_rule(
            audit=audit,
            section_grades=grades,
            overall_grade=checked.overall_grade if section_grades is None else grades.get("overall", ""),
            concerns=concerns if concerns is not None else audit.safeguarding_concerns,
            counts_from=counts_from,
        )
        if rule is not None:
            # A new action, or one whose date or reason changes, is checked now; one kept as stored
            # is checked at submission (audit_action_problems), so a rule that changed since (an
            # answer of yes, a later audit date) never stops the rest of a save being kept.
            stored = {
                pk: (due, reason)
                for pk, due, reason in AuditAction.objects.filter(audit=audit).values_list(
                    "pk", "due_date", "due_reason"
                )
            }
            for item in check.actions or []:
                if item.id is not None and stored.get(item.id) == (item.due_date, item.due_reason):
                    continue
                check.problems.extend(
                    due_date_problems(rule, index=item.index, due=item.due_date, reason=item.due_reason)
                )
    check.problems[:] = list(dict.fromkeys(check.problems))  # each problem once, in order
    return check


def _actions_check(check: AuditCheck, audit: Audit, raw: list[Any]) -> None:
    parsed, found = actions_parse(raw)
    check.problems.extend(found)
    # Every owner sent is looked up, not only those of the actions that parsed: an action left
    # without its impact is refused for its impact, not for its owner (issue 9, B7).
    wanted = {
        str(item.get("owner_id")).strip()
        for item in (raw if isinstance(raw, list) else [])
        if isinstance(item, dict) and item.get("owner_id") not in (None, "")
    }
    check.owners = {
        person.staff_id: person for person in Staff.objects.filter(staff_id__in=wanted, is_active=True)
    }
    existing = set(AuditAction.objects.filter(audit=audit).values_list("pk", flat=True))
    seen: dict[int, int] = {}  # id -> the number of the action that first sent it
    for index, item in enumerate(raw if isinstance(raw, list) else []):
        if not isinstance(item, dict):
            continue
        owner_id = item.get("owner_id")
        if owner_id not in (None, "") and str(owner_id).strip() not in check.owners:
            check.problems.append(
                Problem(
                    f"actions[{index}]",
                    "owner_id",
                    f"Action {index + 1}: there is no member of staff with the ID {owner_id!r}",
                )
            )
        action_id = item.get("id")
        if isinstance(action_id, bool):  # JSON true is an int to Python, not an action's id
            check.problems.append(
                Problem(f"actions[{index}]", "id", f"Action {index + 1}: the id must be a number")
            )
        elif isinstance(action_id, int) and action_id not in existing:
            check.problems.append(
                Problem(
                    f"actions[{index}]", "id", f"Action {index + 1}: this audit has no action {action_id}"
                )
            )
        elif isinstance(action_id, int) and action_id in seen:
            # Sent twice, the later would overwrite the earlier in place: one action lost.
            check.problems.append(
                Problem(
                    f"actions[{index}]",
                    "id",
                    f"Action {index + 1}: action {action_id} is already in the list "
                    f"(action {seen[action_id]})",
                )
            )
        if isinstance(action_id, int) and not isinstance(action_id, bool):
            seen.setdefault(action_id, index + 1)
    check.actions = parsed


def content_apply(
    *, actor: Any, audit: Audit, sections: dict[str, ResponseSection], check: AuditCheck
) -> dict[str, list[Any]]:
    """Write what `check` accepted; returns what changed, {what: [old, new]}. The caller saves
    the audit and its response rows itself."""
    changes = response_apply(actor=actor, response=audit.response, sections=sections, check=check.response)
    concerns = check.safeguarding_concerns
    if concerns is not None and concerns != audit.safeguarding_concerns:
        changes["safeguarding_concerns"] = [audit.safeguarding_concerns, concerns]
        audit.safeguarding_concerns = concerns  # saved by the caller with the audit
    if check.actions is not None:
        _actions_apply(audit, check, changes)
    return changes


def _actions_apply(audit: Audit, check: AuditCheck, changes: dict[str, list[Any]]) -> None:
    """The sent list replaces the actions; an action sent with its `id` is updated in place."""
    assert check.actions is not None
    stored = {action.pk: action for action in AuditAction.objects.filter(audit=audit).select_related("owner")}
    before = [_action_json(action) for action in stored.values()]
    kept = set()
    for order, item in enumerate(check.actions):
        owner = check.owners.get(item.owner_id) if item.owner_id else audit.practice_manager
        fallback = (
            owner is not None and owner.pk == audit.practice_manager_id and audit.practice_manager_is_fallback
        )
        values = {
            "order": order,
            "what": item.what,
            "owner": owner,
            "owner_is_fallback": fallback,
            "due_date": item.due_date,
            "due_reason": item.due_reason,
            "impact": item.impact,
        }
        action = stored.get(item.id) if item.id is not None else None
        if action is None:
            action = AuditAction.objects.create(audit=audit, **values)
        else:
            for name, value in values.items():
                setattr(action, name, value)
            action.save(update_fields=list(values))
        kept.add(action.pk)
        stored[action.pk] = action
    AuditAction.objects.filter(audit=audit).exclude(pk__in=kept).delete()
    after = [_action_json(stored[pk]) for pk in sorted(kept, key=lambda pk: stored[pk].order)]
    if before != after:
        changes["actions"] = [before, after]


def action_payload(action: AuditAction) -> dict[str, Any]:
    """A stored action as a save sends it (CONTRACTS §5), with its id so it is kept in place."""
    return {"id": action.pk, **_action_json(action)}


def _action_json(action: AuditAction) -> dict[str, Any]:
    return {
        "what": action.what,
        "owner_id": action.owner.staff_id if action.owner is not None else None,
        "due_date": action.due_date.isoformat(),
        "due_reason": action.due_reason,
        "impact": action.impact,
    }
