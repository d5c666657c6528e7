"""A year of the demo's history (issue 12, 6), played through the real services before this
month's story, so that Stage 3 has a year to count: for each of the twelve months before this
one, audits of cases across the service (not the demo social worker's team, whose story is its
own), each conducted by a group manager outside the worker's line, graded with varied answers,
grades and words (history_text), the worker's feedback, Stage 2 moderation (some grades changed,
with reasons), family feedback, SMART actions worked to done and signed off (a few left to drift),
and the escalation of an Inadequate audit closed with its outcome. Practice gets better over the
year, as a council's does when audit works.

The services run now; their times are then moved to the history's own dates (submitted a few
days after the audit, moderated before the 21st of the month after, actions done before their
due date or after it), as if the demo had been in use all year. All synthetic."""

import datetime
import random
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from caseaudit.accounts.roles import Role
from caseaudit.actions.escalation import escalation_close
from caseaudit.actions.models import ActionEvent, Escalation
from caseaudit.actions.rules import action_signer
from caseaudit.actions.services import action_done, action_progress, action_sign_off
from caseaudit.allocation.services.confirm import stage1_due_date
from caseaudit.audits.models import Audit, AuditAction, AuditStatusChange
from caseaudit.audits.services import audit_save, audit_start, audit_submit
from caseaudit.audits.services_family import family_feedback_replace
from caseaudit.cases.models import Case
from caseaudit.core.calendar import month_start, months_before
from caseaudit.demo import history_text as text
from caseaudit.demo.organisation import fixed_email
from caseaudit.demo.story_stage2 import _person, _working_day
from caseaudit.moderation.models import Moderation
from caseaudit.moderation.sampling import Quarter
from caseaudit.moderation.selectors import moderation_conflicts
from caseaudit.moderation.services.feedback import feedback_give
from caseaudit.moderation.services.stage2 import (
    GradeInput,
    moderation_assign,
    moderation_complete,
    moderation_save,
)
from caseaudit.org.models import LineManagementLink, Staff
from caseaudit.reports.services_quarterly import next_steps_save
from caseaudit.reports.services_themes import theme_confirm, themes_suggest
from caseaudit.templates_library.selectors import template_spec

MONTHS = 12
PER_MONTH = 6
SEED = 2026
GRADES = ["outstanding", "good", "requires_improvement", "inadequate"]
RI = GRADES.index("requires_improvement")
LIMITED_SECTIONS = ("assessment", "intervention")
MEANINGS = ("child_seen", "child_seen_alone", "child_voice")
NEXT_STEPS = (
    "Recording: every team will bring its chronologies up to date by the end of next quarter, and practice "
    "managers will check one case per worker in supervision.\n"
    "The child's voice: a practice week on direct work tools, led by the Principal Social Worker, with the "
    "results audited in the next thematic audit.\n"
    "Joint working: the Steering Group will ask partners to send someone to every core group, and QA will "
    "report the attendance next quarter."
)
NEXT_STEPS = (
    "Recording: every team will bring its chronologies up to date by the end of next quarter, and "
    "practice managers will check one case per worker in supervision.\n"
    "The child's voice: a practice week on direct work tools, led by the Principal Social Worker, with "
    "the results audited in the next thematic audit.\n"
    "Joint working: the Steering Group will ask partners to send someone to every core group, and QA "
    "will report the attendance next quarter."
)
REASONS_BETTER = [
    "The direct work recorded in the child's file shows more than the audit saw; the plan is having "
    "an impact.",
    "In discussion the worker showed how the family were involved; the grade should reflect that.",
]
REASONS_WORSE = [
    "The plan has no outcomes the family could measure, so the intervention cannot be Good yet.",
    "Management oversight is not evident for three months; the auditor's grade is too generous.",
    "The child's voice does not shape the plan; at best this requires improvement.",
]


@dataclass(frozen=True)
class HistoryStory:
    months: int
    audits: int
    moderated: int
    changed: int
    escalations: int
    themes_confirmed: int = 0


def _at(day: datetime.date, hour: int) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def _profile(rng: random.Random, progress: float) -> int:
    """The audit's overall grade index: more Requires improvement early, more Good later."""
    weights = [0.04 + 0.08 * progress, 0.40 + 0.22 * progress, 0.50 - 0.27 * progress, 0.06 - 0.03 * progress]
    return rng.choices(range(4), weights=weights)[0]


def _auditors(case: Case, managers: list[Staff]) -> list[Staff]:
    """Group managers who may audit the case: not above its worker, not in its team (SEL-3)."""
    above = set(
        LineManagementLink.objects.filter(report=case.allocated_worker).values_list("manager_id", flat=True)
    )
    return [
        m
        for m in managers
        if m.pk not in above and m.team_id != case.team_id and m.pk != case.allocated_worker_id
    ]


def _answers_and_grades(
    audit: Audit, rng: random.Random, overall: int, audit_date: datetime.date
) -> dict[str, Any]:
    spec = template_spec(template_version=audit.template_version)
    unmet: set[str] = set()
    if overall >= RI:  # a limiting judgement not met in some weaker audits
        for limited in LIMITED_SECTIONS:
            if rng.random() < 0.35:
                unmet.add(f"{limited}.{rng.choice(MEANINGS)}")
    answers: dict[str, Any] = {}
    for question in spec.questions:
        if question.answer_type == "yes_no_na":
            value: Any = "yes"
            if question.ref in unmet:
                value = "no"
            elif question.ref.endswith("child_seen_alone") and rng.random() < 0.12:
                value = {"value": "na", "reason": "The child is under five; seen with their carer."}
            elif not question.limiting and overall >= RI and rng.random() < 0.3:
                value = "no"
            answers[question.ref] = value
        elif question.answer_type == "date":
            answers[question.ref] = (audit_date - datetime.timedelta(days=rng.randrange(10, 60))).isoformat()
        elif question.answer_type == "text":
            areas = list(text.CORE_AREAS)
            if question.ref.endswith("strengths"):
                answers[question.ref] = text.paragraph(rng, areas, "strength", 2)
            elif question.ref.endswith("issues") and overall >= RI:
                answers[question.ref] = text.paragraph(rng, areas, "barrier", 2)
            elif question.required:
                answers[question.ref] = text.paragraph(rng, areas, "strength", 1)
    grades: dict[str, str] = {}
    comments: dict[str, str] = {}
    weakest = rng.choice(spec.graded_sections).ref  # the section whose grade the overall one is
    for section in spec.graded_sections:
        index = overall if section.ref == weakest else max(0, overall - rng.choice([0, 0, 0, 1]))
        if any(ref.startswith(f"{section.ref}.") for ref in unmet):
            index = max(index, RI)
        grades[section.ref] = GRADES[index]
        areas = text.SECTION_AREAS.get(section.ref, list(text.CORE_AREAS))
        if index <= 1:
            comments[section.ref] = text.paragraph(rng, areas, "strength", rng.choice([1, 2]))
        elif index == RI:
            comments[section.ref] = (
                f"{text.paragraph(rng, areas, 'strength', 1)} {text.paragraph(rng, areas, 'barrier', 1)}"
            )
        else:
            comments[section.ref] = text.paragraph(rng, areas, "barrier", 2)
    lowest = max(GRADES.index(grade) for grade in grades.values())
    return {
        "answers": answers,
        "section_grades": grades,
        "comments": comments,
        "overall_grade": GRADES[lowest],
        "unmet": unmet,
    }


def _actions(
    rng: random.Random, audit_date: datetime.date, worker: Staff, overall: int
) -> list[dict[str, Any]]:
    due = _working_day(audit_date + datetime.timedelta(days=rng.choice([14, 21, 27])))
    count = 1 if overall <= 1 else rng.choice([2, 3])
    areas = rng.sample(list(text.CORE_AREAS), count)
    what = {
        "recording": "Bring the case notes and chronology up to date.",
        "engaging_families": "Meet the family to go through the plan and record their views.",
        "joint_working": "Invite the school and health to the next core group and record their actions.",
        "management_oversight": "Record the manager's decision and its reasons on the file.",
        "assessment_planning_review": "Update the plan with outcomes the family can measure.",
        "risk_factors": "Review the safety plan with the family after the recent incident.",
        "childs_journey": "Introduce the new worker to the child at a joint visit.",
        "impact_outcomes": "Review progress against each outcome at the next meeting.",
        "equalities": "Book an interpreter for every visit and meeting.",
        "staff_wellbeing": "Reflect on the case in supervision and agree support for the worker.",
        "social_work_processes": "Visit within timescales and see the child alone.",
    }
    return [
        {
            "what": what[area],
            "owner_id": worker.staff_id if rng.random() < 0.6 else None,
            "due_date": due.isoformat(),
            "impact": text.fragment(
                rng, area if area in text.STRENGTHS else "impact_outcomes", "strength"
            ).text,
        }
        for area in areas
    ]


def _moderate(
    audit: Audit, moderator: Staff, rng: random.Random, *, on: datetime.date, unmet: set[str]
) -> bool:
    """The reflective discussion; the overall grade changed one step in about a third of them
    (better only where no limiting judgement is unmet). True when a grade changed."""
    spec = template_spec(template_version=audit.template_version)
    grades = {section.ref: GradeInput(agree=True) for section in spec.graded_sections}
    overall = GRADES.index(audit.overall_grade)
    changed = False
    if rng.random() < 0.33:
        better = rng.random() < 0.35 and overall > 0 and not (unmet and overall - 1 < RI)
        worse = not better and (overall < RI or (overall == RI and rng.random() < 0.15))
        if better or worse:
            to = overall - 1 if better else overall + 1
            reason = rng.choice(REASONS_BETTER if better else REASONS_WORSE)
            grades["overall"] = GradeInput(agree=False, grade=GRADES[to], reason=reason)
            changed = True
    if "overall" not in grades:
        grades["overall"] = GradeInput(agree=True)
    areas = ["management_oversight", "impact_outcomes", "engaging_families", "staff_wellbeing"]
    moderation_save(
        actor=moderator.user,
        audit=audit,
        answers={
            "discussion.date": on.isoformat(),
            "discussion.attendees": ["moderator", "group_manager", "practice_manager", "social_worker"],
            "discussion.record": " ".join(
                (text.paragraph(rng, areas, "strength", 1), text.paragraph(rng, areas, "barrier", 1))
            ),
            "difference.made_a_difference": rng.choice(["yes", "partly", "partly", "no", "too_early"]),
            "difference.evidence": text.paragraph(
                rng, ["impact_outcomes"], rng.choice(["strength", "barrier"]), 1
            ),
        },
        grades=grades,
    )
    moderation_complete(actor=moderator.user, audit=audit)
    return changed


def _family(audit: Audit, auditor: Staff, rng: random.Random, *, on: datetime.date, good: bool) -> None:
    respondents: list[dict[str, Any]] = [
        {
            "who": "child",
            "consent": "yes",
            "consent_date": on.isoformat(),
            "answers": text.family_answers(rng, good=good),
        }
    ]
    if rng.random() < 0.6:
        respondents.append(
            {
                "who": "parent_carer",
                "consent": "yes",
                "consent_date": on.isoformat(),
                "answers": text.family_answers(rng, good=good),
            }
        )
    else:
        respondents.append({"who": "parent_carer", "consent": "no", "reason": "", "answers": {}})
    family_feedback_replace(actor=auditor.user, audit=audit, respondents=respondents)


def _work_actions(audit: Audit, rng: random.Random, *, today: datetime.date) -> None:
    """Most actions done and signed off, a few done late; in the last months some still open."""
    for action in AuditAction.objects.filter(audit=audit).select_related(
        "audit__worker__line_manager", "owner__line_manager"
    ):
        owner = action.owner
        if owner is None or owner.user is None:
            continue
        recent = (today - action.due_date).days < 45
        roll = rng.random()
        if roll < (0.35 if recent else 0.08):
            if rng.random() < 0.5:
                action_progress(
                    actor=owner.user, action=action, note="Started; the family asked to meet after school."
                )
            continue  # still open (drifting, where its date has long passed)
        action_done(actor=owner.user, action=action, note="Done, and recorded on the child's file.")
        signer = action_signer(action)
        if signer is not None and signer.user is not None and roll > (0.45 if recent else 0.15):
            action_sign_off(actor=signer.user, action=action, note="Checked on the file: done.")


def _backdate(
    audit: Audit, rng: random.Random, *, audit_date: datetime.date, due: datetime.date, today: datetime.date
) -> None:
    """Move the services' times to the history's dates, none of them after today."""
    yesterday = today - datetime.timedelta(days=1)
    late = rng.random() < 0.15
    submitted_on = (
        due + datetime.timedelta(days=rng.randrange(1, 8))
        if late
        else min(due, audit_date + datetime.timedelta(days=rng.randrange(0, 4)))
    )
    submitted_on = max(min(submitted_on, yesterday), audit_date)
    submitted = _at(submitted_on, 16)
    moderation = Moderation.objects.filter(audit=audit).first()
    final = _at(max(min(submitted_on + datetime.timedelta(days=7), yesterday), submitted_on), 17)
    if moderation is not None and moderation.due_date is not None:
        on_time = rng.random() < 0.8
        done_on = (
            moderation.due_date - datetime.timedelta(days=rng.randrange(1, 10))
            if on_time
            else moderation.due_date + datetime.timedelta(days=rng.randrange(2, 12))
        )
        done_on = max(min(done_on, yesterday), submitted_on)
        final = _at(done_on, 17)
        Moderation.objects.filter(pk=moderation.pk).update(
            opened_at=submitted,
            assigned_at=min(submitted + datetime.timedelta(days=1), final),
            completed_at=final,
        )
    Audit.objects.filter(pk=audit.pk).update(
        submitted_at=submitted, final_at=final, created_at=_at(audit_date, 9), updated_at=final
    )
    AuditStatusChange.objects.filter(audit=audit, to_status="submitted").update(at=submitted)
    AuditStatusChange.objects.filter(audit=audit).exclude(to_status__in=["submitted", "in_progress"]).update(
        at=final
    )
    for action in AuditAction.objects.filter(audit=audit):
        events = list(ActionEvent.objects.filter(action=action).order_by("at", "pk"))
        if not events:
            continue
        on_time = rng.random() < 0.75
        done_on = (
            action.due_date - datetime.timedelta(days=rng.randrange(0, 10))
            if on_time
            else action.due_date + datetime.timedelta(days=rng.randrange(3, 20))
        )
        done_on = max(min(done_on, yesterday), submitted_on)
        days = [min(done_on + datetime.timedelta(days=2 * offset), today) for offset in range(len(events))]
        for offset, event in enumerate(events):
            ActionEvent.objects.filter(pk=event.pk).update(at=_at(days[offset], 11 + offset))
        done = [
            _at(days[i], 11 + i)
            for i, event in enumerate(events)
            if event.to_status == AuditAction.Status.DONE
        ]
        AuditAction.objects.filter(pk=action.pk).update(
            status_at=_at(days[-1], 11),
            created_at=submitted,
            done_at=done[-1] if done and action.status != AuditAction.Status.OPEN else None,
        )
    for escalation in Escalation.objects.filter(audit=audit):
        closed_on = max(min(escalation.due_date - datetime.timedelta(days=1), yesterday), submitted_on)
        closed = _at(closed_on, 17) if escalation.closed_at else None
        Escalation.objects.filter(pk=escalation.pk).update(opened_at=submitted, closed_at=closed)


def _due_again(
    audited: list[tuple[Case, datetime.date, int]], month: datetime.date
) -> tuple[Case, int] | None:
    """A case audited at least six months before `month` and not since, to audit again (QA-3:
    the grades of children re-audited show the impact), with its grade then; else None."""
    latest: dict[int, tuple[Case, datetime.date, int]] = {}
    for case, when, grade in audited:
        latest[case.pk] = (case, when, grade)
    for case, when, grade in latest.values():
        if months_before(month, 6) >= when:
            audited.append((case, month, grade))  # taken: not offered again this year
            return case, grade
    return None


def demo_history_play(
    *,
    today: datetime.date,
    taken: set[int],
    months: int = MONTHS,
    per_month: int = PER_MONTH,
    seed: int = SEED,
) -> HistoryStory:
    """Play the year before this month (oldest month first) on cases not in `taken`."""
    rng = random.Random(seed)
    worker = _person("social.worker")
    qa = _person("qa.officer")
    demo_auditor = _person("group.manager")
    managers = list(
        Staff.objects.filter(roles__role=Role.GROUP_MANAGER, is_active=True, user__isnull=False)
        .exclude(pk=demo_auditor.pk)
        .select_related("user")
        .order_by("staff_id")
    )
    moderators = list(
        Staff.objects.filter(roles__role=Role.MODERATOR, is_active=True, user__isnull=False)
        .exclude(email=fixed_email("moderator"))  # the demo moderator's queue is the story's
        .select_related("user")
        .order_by("staff_id")
    )
    cases = list(
        Case.objects.filter(status=Case.Status.OPEN, restricted=False, allocated_worker__user__isnull=False)
        .exclude(pk__in=taken)
        .exclude(allocated_worker__line_manager=worker.line_manager)
        .select_related("allocated_worker", "team")
        .order_by("case_id")
    )
    rng.shuffle(cases)
    this_month = month_start(today)
    audits = moderated = changed = escalations = 0
    audited: list[tuple[Case, datetime.date, int]] = []  # (case, month, overall grade index)
    for back in range(months, 0, -1):
        month = months_before(this_month, back)
        progress = (months - back) / max(months - 1, 1)
        due = stage1_due_date(month=month)
        done_this_month = 0
        while done_this_month < per_month and cases:
            again = _due_again(audited, month) if done_this_month == 0 else None
            case = again[0] if again is not None else cases.pop()
            auditors = _auditors(case, managers)
            if not auditors:
                continue
            auditor = rng.choice(auditors)
            worker_of_case = case.allocated_worker
            assert worker_of_case is not None and worker_of_case.user is not None
            latest = max((due - month).days - 1, 5)  # audited before the month's due date
            audit_date = _working_day(month + datetime.timedelta(days=rng.randrange(4, latest)))
            overall = _profile(rng, progress)
            if again is not None:  # audited again: mostly better than before (the plan worked)
                overall = max(0, min(3, again[1] + rng.choices([-1, 0, 1], weights=[6, 3, 1])[0]))
            with transaction.atomic():
                audit = audit_start(
                    actor=auditor.user,
                    case=case,
                    audit_type="good_practice",
                    auditor=auditor,
                    audit_date=audit_date,
                    allocation_month=month,
                    due_date=due,
                )
                content = _answers_and_grades(audit, rng, overall, audit_date)
                inadequate = content["overall_grade"] == "inadequate"
                audit_save(
                    actor=auditor.user,
                    audit=audit,
                    answers=content["answers"],
                    section_grades=content["section_grades"],
                    comments=content["comments"],
                    overall_grade=content["overall_grade"],
                    audit_date=audit_date,
                    actions=_actions(rng, audit_date, worker_of_case, GRADES.index(content["overall_grade"])),
                    safeguarding_concerns=False if inadequate else None,
                )
                audit = audit_submit(actor=auditor.user, audit=audit)
            feedback_give(
                actor=worker_of_case.user,
                audit=audit,
                agreement=rng.choice(["agree", "agree", "partly_agree"]),
                on_findings=text.paragraph(rng, list(text.CORE_AREAS), "strength", 1),
            )
            audit.refresh_from_db()
            free = [m for m in moderators if not moderation_conflicts(audit=audit, staff=m)]
            if audit.status == Audit.Status.MODERATION and free:
                moderator = rng.choice(free)
                moderation_assign(actor=qa.user, audit=audit, moderator=moderator)
                audit.refresh_from_db()
                changed += _moderate(
                    audit, moderator, rng, on=audit_date + datetime.timedelta(days=10), unmet=content["unmet"]
                )
                moderated += 1
            audit.refresh_from_db()
            if rng.random() < 0.45:
                _family(
                    audit,
                    auditor,
                    rng,
                    on=audit_date + datetime.timedelta(days=5),
                    good=GRADES.index(audit.overall_grade) <= 1,
                )
            _work_actions(audit, rng, today=today)
            for escalation in Escalation.objects.filter(audit=audit, status=Escalation.Status.OPEN):
                escalation_close(
                    actor=qa.user,
                    escalation=escalation,
                    outcome_code=rng.choice(
                        ["safety_plan_reviewed", "strategy_discussion", "case_stepped_up"]
                    ),
                    outcome="The safety plan was reviewed with the family and the school; visits are "
                    "now weekly.",
                )
                escalations += 1
            _backdate(audit, rng, audit_date=audit_date, due=due, today=today)
            audit.refresh_from_db()
            audited.append((case, month, GRADES.index(audit.overall_grade)))
            audits += 1
            done_this_month += 1
    confirmed = _themes(qa, today=today, months=months)
    return HistoryStory(
        months=months,
        audits=audits,
        moderated=moderated,
        changed=changed,
        escalations=escalations,
        themes_confirmed=confirmed,
    )


def _themes(qa: Staff, *, today: datetime.date, months: int) -> int:
    """QA's Stage 3 of the quarters the history covers (QA-2, QA-3): themes suggested from their
    free text, the largest confirmed (the last quarter's smaller ones wait for the QA officer),
    and what we will do next written for the last quarter's report."""
    confirmed = 0
    quarters = [Quarter.last_complete(today)]
    while len(quarters) < 4 and quarters[-1].start >= months_before(month_start(today), months):
        quarters.append(quarters[-1].previous())
    for number, quarter in enumerate(reversed(quarters)):
        suggested = themes_suggest(actor=qa.user, start=quarter.start, end=quarter.end)
        latest = number == len(quarters) - 1
        for theme in suggested[: 5 if latest else 8]:
            theme_confirm(actor=qa.user, theme=theme)
            confirmed += 1
    next_steps_save(actor=qa.user, quarter=quarters[0], text=NEXT_STEPS)
    return confirmed
