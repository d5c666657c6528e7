"""Generated audits for the figure tests (no tests here): rows written straight to the tables
with random grades, judgements, dates, moderations, actions, escalations and family feedback
(a seeded `random.Random`), and, beside them, the same facts as plain Python records, so that a
test can count each figure independently of the SQL that reports.selectors runs."""

import datetime
import random
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from caseaudit.actions.models import ActionEvent, Escalation
from caseaudit.audits.models import Audit, AuditAction, FamilyRespondent, GradeChange
from caseaudit.conftest import Authority
from caseaudit.moderation.models import Moderation
from caseaudit.questionnaires.models import Response
from caseaudit.templates_library.selectors import template_version_current

LONDON = ZoneInfo("Europe/London")
GRADES = ["outstanding", "good", "requires_improvement", "inadequate"]
SECTIONS = ["assessment", "planning", "intervention"]
RECORDS = ["own_team", "other_team", "restricted"]
STATUSES = ["submitted", "head_of_qa_review", "moderation", "panel", "final", "in_progress"]
TODAY = datetime.date(2026, 12, 6)


def _at(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=LONDON)


@dataclass
class ActionFact:
    status: str
    due: datetime.date
    done_on: datetime.date | None


@dataclass
class AuditFact:
    pk: int
    record: str
    team_id: str
    audit_type: str
    auditor_id: str
    status: str
    audit_date: datetime.date
    stage1: dict[str, str]
    effective: dict[str, str]
    moderated: dict[str, str] | None
    judgements: dict[str, str]
    due: datetime.date | None
    submitted_on: datetime.date | None
    moderation_due: datetime.date | None
    moderation_done: datetime.date | None
    changed_refs: set[str]
    consented: int
    respondents: int
    actions: list[ActionFact] = field(default_factory=list)
    escalations: list[tuple[str, datetime.date]] = field(default_factory=list)


def _day(rng: random.Random, start: datetime.date, days: int) -> datetime.date:
    return start + datetime.timedelta(days=rng.randrange(days))


def generate(authority: Authority, *, seed: int, count: int = 60) -> list[AuditFact]:
    rng = random.Random(seed)
    stage1_version = template_version_current(ref="stage1_good_practice")
    stage2_version = template_version_current(ref="stage2_moderation")
    assert stage1_version is not None and stage2_version is not None
    auditors = [authority.people["group_manager"], authority.people["group_manager_a"]]
    facts: list[AuditFact] = []
    for _ in range(count):
        record = rng.choice(RECORDS)
        case = authority.cases[record]
        status = rng.choice(STATUSES)
        audit_date = _day(rng, datetime.date(2026, 6, 1), 240)
        stage1 = {ref: rng.choice(GRADES) for ref in SECTIONS if rng.random() < 0.9}
        stage1["overall"] = rng.choice(GRADES)
        effective = dict(stage1)
        changed: set[str] = set()
        for ref in list(stage1):
            if rng.random() < 0.25:
                effective[ref] = rng.choice(GRADES)
                if effective[ref] != stage1[ref]:
                    changed.add(ref)
        judgements = {
            meaning: rng.choice(["yes", "no", "na"])
            for meaning in ("child_seen", "child_seen_alone", "child_voice")
            if rng.random() < 0.9
        }
        due = _day(rng, audit_date - datetime.timedelta(days=10), 20) if rng.random() < 0.8 else None
        submitted_on = _day(rng, audit_date, 15) if status != "in_progress" else None
        moderated = dict(effective) if rng.random() < 0.5 else None
        moderation_due = moderation_done = None
        auditor = rng.choice(auditors)
        audit = Audit.objects.create(
            case=case,
            response=Response.objects.create(template_version=stage1_version),
            audit_type=rng.choice(["good_practice", "thematic"]),
            auditor=auditor,
            worker=case.allocated_worker,
            audit_date=audit_date,
            status=status,
            due_date=due,
            submitted_at=_at(submitted_on) if submitted_on else None,
            stage1_grades=stage1 if status != "in_progress" else {},
            effective_grades=effective if status != "in_progress" else {},
            moderated_grades=moderated,
            judgements=judgements if status != "in_progress" else {},
        )
        if rng.random() < 0.5:
            moderation_due = _day(rng, audit_date, 40)
            moderation_done = _day(rng, audit_date, 50) if rng.random() < 0.6 else None
            Moderation.objects.create(
                audit=audit,
                response=Response.objects.create(template_version=stage2_version),
                due_date=moderation_due,
                completed_at=_at(moderation_done) if moderation_done else None,
            )
        for ref in changed:
            GradeChange.objects.create(
                audit=audit,
                stage="stage2",
                ref=ref,
                from_grade=stage1[ref],
                to_grade=effective[ref],
                reason="Generated.",
            )
        consented = respondents = 0
        for order in range(rng.randrange(3)):
            consent = rng.choice(["yes", "no", "not_asked", "na"])
            FamilyRespondent.objects.create(audit=audit, order=order, who="parent_carer", consent=consent)
            consented += consent == "yes"
        respondents = consented
        fact = AuditFact(
            pk=audit.pk,
            record=record,
            team_id=case.team.team_id,
            audit_type=audit.audit_type,
            auditor_id=auditor.staff_id,
            status=status,
            audit_date=audit_date,
            stage1=stage1,
            effective=effective,
            moderated=moderated,
            judgements=judgements,
            due=due,
            submitted_on=submitted_on,
            moderation_due=moderation_due,
            moderation_done=moderation_done,
            changed_refs=changed,
            consented=consented,
            respondents=respondents,
        )
        for order in range(rng.randrange(4)):
            action_status = rng.choice(["open", "done", "signed_off", "cancelled"])
            action_due = _day(rng, audit_date, 60)
            action = AuditAction.objects.create(
                audit=audit,
                order=order,
                what="Generated action",
                due_date=action_due,
                impact="Generated.",
                status=action_status,
            )
            done_on = None
            if action_status in ("done", "signed_off"):
                done_on = _day(rng, audit_date, 70)
                if rng.random() < 0.3:  # sent back once: an earlier "done" that did not stick
                    ActionEvent.objects.create(
                        action=action,
                        kind="done",
                        from_status="open",
                        to_status="done",
                        note="First.",
                        at=_at(done_on - datetime.timedelta(days=5)),
                    )
                ActionEvent.objects.create(
                    action=action,
                    kind="done",
                    from_status="open",
                    to_status="done",
                    note="Done.",
                    at=_at(done_on),
                )
                AuditAction.objects.filter(pk=action.pk).update(done_at=_at(done_on))
            fact.actions.append(ActionFact(action_status, action_due, done_on))
        if rng.random() < 0.3:
            escalation_status = rng.choice(["open", "closed"])
            escalation_due = _day(rng, audit_date, 30)
            Escalation.objects.create(
                audit=audit,
                status=escalation_status,
                stage="submitted",
                due_date=escalation_due,
                opened_at=_at(audit_date),
            )
            fact.escalations.append((escalation_status, escalation_due))
        facts.append(fact)
    return facts


def expected_summary(
    facts: list[AuditFact],
    *,
    start: datetime.date,
    end: datetime.date,
    stage: str,
    records: set[str],
    today: datetime.date = TODAY,
) -> dict[str, Any]:
    """The summary of CONTRACTS §11 counted in Python over the facts of the audits in `records`."""
    counted = [
        fact
        for fact in facts
        if fact.record in records and fact.status != "in_progress" and start <= fact.audit_date <= end
    ]
    grades = lambda fact: fact.stage1 if stage == "stage1" else fact.effective  # noqa: E731
    actions = [action for fact in counted for action in fact.actions]
    escalations = [escalation for fact in counted for escalation in fact.escalations]
    section_grades = {}
    for ref in SECTIONS:
        counts = {grade: sum(1 for fact in counted if grades(fact).get(ref) == grade) for grade in GRADES}
        if any(counts.values()):
            section_grades[ref] = counts
    return {
        "audits": len(counted),
        "overall_grades": {
            grade: sum(1 for fact in counted if grades(fact)["overall"] == grade) for grade in GRADES
        },
        "section_grades": section_grades,
        "limiting": {
            meaning: {
                value: sum(1 for fact in counted if fact.judgements.get(meaning) == value)
                for value in ("yes", "no", "na")
            }
            for meaning in ("child_seen", "child_seen_alone", "child_voice")
        },
        "timeliness": {
            "stage1_on_time": sum(1 for f in counted if f.due and f.submitted_on and f.submitted_on <= f.due),
            "stage1_late": sum(1 for f in counted if f.due and f.submitted_on and f.submitted_on > f.due),
            "stage2_on_time": sum(
                1
                for f in counted
                if f.moderation_due and f.moderation_done and f.moderation_done <= f.moderation_due
            ),
            "stage2_late": sum(
                1
                for f in counted
                if f.moderation_due
                and (
                    (f.moderation_done and f.moderation_done > f.moderation_due)
                    or (not f.moderation_done and f.moderation_due < today)
                )
            ),
        },
        "moderation": {
            "moderated": sum(1 for f in counted if f.moderation_done),
            "changed": sum(1 for f in counted if f.changed_refs),
            "overall_changed": sum(1 for f in counted if "overall" in f.changed_refs),
        },
        "actions": {
            "open": sum(1 for a in actions if a.status == "open"),
            "done": sum(1 for a in actions if a.status == "done"),
            "signed_off": sum(1 for a in actions if a.status == "signed_off"),
            "cancelled": sum(1 for a in actions if a.status == "cancelled"),
            "overdue": sum(1 for a in actions if a.status == "open" and a.due < today),
            "drifting": sum(
                1 for a in actions if a.status == "open" and a.due < today - datetime.timedelta(days=28)
            ),
            "completed_on_time": sum(1 for a in actions if a.done_on is not None and a.done_on <= a.due),
        },
        "escalations": {
            "open": sum(1 for status, _ in escalations if status == "open"),
            "overdue": sum(1 for status, due in escalations if status == "open" and due < today),
            "closed": sum(1 for status, _ in escalations if status == "closed"),
        },
        "family_feedback": {
            "audits": sum(1 for f in counted if f.consented),
            "respondents": sum(f.respondents for f in counted),
        },
    }


SECRET = "The restricted child's secret words about a locked flat."


def free_text_audits(
    authority: Authority, *, start: datetime.date, end: datetime.date, count: int = 30
) -> None:
    """`count` final audits of the period with section comments and action impacts from the labelled
    set of synthetic comments, and one of the restricted case with words no theme may hold."""
    from caseaudit.demo.history_text import labelled_set
    from caseaudit.questionnaires.models import ResponseSection

    version = template_version_current(ref="stage1_good_practice")
    assert version is not None
    fragments = iter(labelled_set(random.Random(5), 4 * count + 8))
    days = max((end - start).days, 1)
    for index in range(count + 1):
        record = "restricted" if index == count else ("own_team" if index % 2 else "other_team")
        case = authority.cases[record]
        audit = Audit.objects.create(
            case=case,
            response=Response.objects.create(template_version=version),
            audit_type="good_practice",
            auditor=authority.people["group_manager"],
            worker=case.allocated_worker,
            audit_date=start + datetime.timedelta(days=(index * 2) % days),
            status="final",
            stage1_grades={"overall": "good"},
            effective_grades={"overall": "good"},
        )
        for ref in ("assessment", "planning", "intervention"):
            text = SECRET if record == "restricted" else next(fragments).text
            ResponseSection.objects.create(response=audit.response, section_ref=ref, comments=text)
        impact = SECRET if record == "restricted" else next(fragments).text
        AuditAction.objects.create(audit=audit, what="Do it", due_date=end, impact=impact)
