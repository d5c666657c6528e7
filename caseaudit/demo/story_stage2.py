"""The demo's story after Stage 1 (issue 10, 8), played through the real services so each demo
sign-in has its own part of it. The demo auditor (Gareth Lloyd) audited more of the demo social
worker's (Jo Carter's) cases in earlier months:

- October: one audit with Jo's feedback given, assigned to the demo moderator (Claire Bennett) and
  now overdue for Stage 2; one moderated by her, its overall grade changed with a reason, final,
  with its moderated PDF and a case audit alert for Jo's practice manager (Joanne Hughes);
- November: one waiting for Jo's feedback; one Jo strongly disputes, waiting for the head of QA
  (Angela Price); two in the moderation queue, not yet assigned (for QA, or for a moderator to take);
- last quarter: five Thematic audits, final, of which the moderation panel's sample is drawn and a
  panel is scheduled, chaired by the demo panel chair (Martin Doyle), its decisions to record.

The dates are the demo's own history (synthetic): audits of past months are started and submitted
now with their past audit dates, and the Thematic audits' submission time is set to the quarter
they belong to, as if the demo had been in use then."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from caseaudit.audits.models import Audit
from caseaudit.audits.services import audit_save, audit_start, audit_submit
from caseaudit.audits.services_family import family_feedback_replace
from caseaudit.cases.models import Case
from caseaudit.core.calendar import is_working_day, month_start, months_before
from caseaudit.demo.organisation import fixed_email
from caseaudit.moderation.sampling import Quarter
from caseaudit.moderation.services.feedback import feedback_give
from caseaudit.moderation.services.panel import panel_schedule
from caseaudit.moderation.services.panel_sample import panel_sample
from caseaudit.moderation.services.stage2 import (
    GradeInput,
    moderation_assign,
    moderation_complete,
    moderation_save,
)
from caseaudit.org.models import Staff
from caseaudit.templates_library.selectors import template_spec

STRENGTHS = (
    "Jo knows the family well; the child's wishes are recorded in their own words and the plan "
    "follows from the assessment."
)
THEMES = ["recording", "engaging_families", "management_oversight", "joint_working", "impact_outcomes"]


def demo_actions(
    audit_date: datetime.date, worker: Staff, *, due: datetime.date | None = None
) -> list[dict[str, Any]]:
    """Two SMART actions (AUD-4): one for the practice manager (the default owner), one for the
    worker, due within 4 weeks of the audit (or on `due`)."""
    due = due or _working_day(audit_date + datetime.timedelta(days=21))
    return [
        {
            "what": "Bring the chronology up to date and add the school's concerns of September.",
            "owner_id": None,
            "due_date": due.isoformat(),
            "impact": "Everyone working with the child sees the whole history when planning.",
        },
        {
            "what": "Meet the child at school to hear their wishes about contact, and record them.",
            "owner_id": worker.staff_id,
            "due_date": due.isoformat(),
            "impact": "The child's own words shape the contact plan.",
        },
    ]


@dataclass(frozen=True)
class Stage2Story:
    awaiting_feedback: int
    disputed: int
    queued: int
    overdue: int
    moderated: int
    panel_id: int | None
    sampled: list[int]
    # The audits the story of actions (story_actions) goes on with, by their part in this one.
    audits: dict[str, int] = field(default_factory=dict)
    cases: list[int] = field(default_factory=list)


def _person(key: str) -> Staff:
    return Staff.objects.select_related("user").get(email=fixed_email(key))


def _answers(audit: Audit, audit_date: datetime.date) -> dict[str, Any]:
    """Every yes/no/NA question Yes, dates the audit date, required texts written."""
    spec = template_spec(template_version=audit.template_version)
    answers: dict[str, Any] = {}
    for question in spec.questions:
        if question.answer_type == "yes_no_na":
            answers[question.ref] = "yes"
        elif question.answer_type == "date":
            answers[question.ref] = audit_date.isoformat()
        elif question.answer_type == "text" and question.required:
            answers[question.ref] = STRENGTHS
    return answers


def _submitted(
    *,
    auditor: Staff,
    case: Case,
    audit_type: str,
    audit_date: datetime.date,
    allocation_month: datetime.date | None = None,
    type_details: dict[str, Any] | None = None,
    grade: str = "good",
    actions: list[dict[str, Any]] | None = None,
    safeguarding_concerns: bool | None = None,
) -> Audit:
    if grade == "inadequate" and safeguarding_concerns is None:
        safeguarding_concerns = False
    audit = audit_start(
        actor=auditor.user,
        case=case,
        audit_type=audit_type,
        auditor=auditor,
        audit_date=audit_date,
        allocation_month=allocation_month,
        type_details=type_details,
    )
    spec = template_spec(template_version=audit.template_version)
    audit_save(
        actor=auditor.user,
        audit=audit,
        answers=_answers(audit, audit_date),
        section_grades={section.ref: grade for section in spec.graded_sections},
        overall_grade=grade,
        audit_date=audit_date,
        actions=actions,
        safeguarding_concerns=safeguarding_concerns,
    )
    return audit_submit(actor=auditor.user, audit=audit)


def _worker_user(audit: Audit) -> Any:
    """The audited worker's account: they give their own feedback."""
    assert audit.worker is not None
    return audit.worker.user


def _working_day(day: datetime.date) -> datetime.date:
    while not is_working_day(day):
        day -= datetime.timedelta(days=1)
    return day


def _moderate(audit: Audit, moderator: Staff, *, on: datetime.date) -> None:
    """The moderator's reflective discussion, agreeing every grade but the overall one."""
    spec = template_spec(template_version=audit.template_version)
    grades = {section.ref: GradeInput(agree=True) for section in spec.graded_sections}
    grades["overall"] = GradeInput(
        agree=False,
        grade="requires_improvement",
        reason="The plan's actions have no dates the family know about; the child's voice is not yet "
        "shaping the plan.",
    )
    moderation_save(
        actor=moderator.user,
        audit=audit,
        answers={
            "discussion.date": on.isoformat(),
            "discussion.attendees": ["moderator", "group_manager", "practice_manager", "social_worker"],
            "discussion.record": "We reflected on the strengths of the direct work and on how the plan is "
            "shared with the family.",
            "difference.made_a_difference": "partly",
            "difference.evidence": "School attendance is up since the plan began; the family say they "
            "understand the plan better.",
        },
        grades=grades,
    )
    moderation_complete(actor=moderator.user, audit=audit)


def _family(audit: Audit, auditor: Staff, *, on: datetime.date, parent_agreed: bool) -> None:
    """The family's voice on an audit (FAM-1): the child agreed and answered; a parent agreed or
    said no; another family member was not asked. Words of the demo's own (synthetic)."""
    child = {
        "who": "child",
        "consent": "yes",
        "consent_date": on.isoformat(),
        "answers": {
            "feedback.listened_to": "Jo listens. She writes down what I say and reads it back to me.",
            "feedback.understand_plan": "I know I am staying with Nan and that I see Mum on Saturdays.",
            "feedback.what_changed": "I go to school most days now and I am not worried at night.",
            "feedback.what_helped": "Having the same social worker since the summer.",
            "feedback.could_be_better": "Tell me sooner when a meeting is moved.",
        },
    }
    parent: dict[str, Any] = (
        {
            "who": "parent_carer",
            "consent": "yes",
            "consent_date": on.isoformat(),
            "answers": {
                "feedback.listened_to": "Mostly. Some weeks it felt like the plan was decided before we met.",
                "feedback.understand_plan": "Yes, the plan was explained at the review.",
                "feedback.what_helped": "The family group conference, where my sister could help.",
            },
        }
        if parent_agreed
        else {"who": "parent_carer", "consent": "no", "reason": "", "answers": {}}
    )
    other = {"who": "other_family", "consent": "not_asked", "reason": "Uncle moved away in September"}
    family_feedback_replace(actor=auditor.user, audit=audit, respondents=[child, parent, other])


def demo_stage2_play(*, today: datetime.date, taken: set[int]) -> Stage2Story:
    """Play the story after Stage 1 on the demo worker's cases not in `taken` (this month's)."""
    auditor, worker = _person("group.manager"), _person("social.worker")
    qa, moderator, chair = _person("qa.officer"), _person("moderator"), _person("panel.chair")
    # Jo's own cases first, then her team's (a small demo gives her few); a case may be audited twice.
    open_cases = Case.objects.filter(status=Case.Status.OPEN, restricted=False).exclude(pk__in=taken)
    own = list(open_cases.filter(allocated_worker=worker).order_by("case_id")[:11])
    team = list(
        open_cases.filter(allocated_worker__line_manager=worker.line_manager)
        .exclude(allocated_worker=worker)
        .order_by("case_id")[: 11 - len(own)]
    )
    available = own + team
    if not available:
        raise ValueError("the demo social worker's team needs an open case for the story after Stage 1")
    cases = [available[index % len(available)] for index in range(11)]
    this_month = month_start(today)
    october, november = months_before(this_month, 2), months_before(this_month, 1)

    def monthly(case: Case, month: datetime.date, *, actions: bool = False) -> Audit:
        audit_date = _working_day(month + datetime.timedelta(days=13))
        return _submitted(
            auditor=auditor,
            case=case,
            audit_type="good_practice",
            audit_date=audit_date,
            allocation_month=month,
            actions=demo_actions(audit_date, worker) if actions else None,
        )

    # October: assigned to the moderator, overdue; and one moderated, with its grade changed.
    overdue = monthly(cases[0], october, actions=True)
    feedback_give(
        actor=_worker_user(overdue),
        audit=overdue,
        agreement="agree",
        on_plan="The actions are right for the child.",
    )
    moderation_assign(actor=qa.user, audit=overdue, moderator=moderator)
    moderated = monthly(cases[1], october, actions=True)
    feedback_give(
        actor=_worker_user(moderated),
        audit=moderated,
        agreement="partly_agree",
        on_findings="The grade is fair.",
    )
    moderation_assign(actor=qa.user, audit=moderated, moderator=moderator)
    _family(moderated, auditor, on=_working_day(october + datetime.timedelta(days=10)), parent_agreed=True)
    _moderate(moderated, moderator, on=_working_day(today - datetime.timedelta(days=3)))
    _family(overdue, auditor, on=_working_day(october + datetime.timedelta(days=12)), parent_agreed=False)
    # November: waiting for Jo's feedback; disputed; two in the queue.
    awaiting = monthly(cases[2], november, actions=True)
    disputed = monthly(cases[3], november)
    feedback_give(
        actor=_worker_user(disputed),
        audit=disputed,
        agreement="strongly_disagree",
        on_findings="The audit did not see the direct work recorded in the child's own file.",
        on_plan="Two of the actions are already done.",
    )
    for case in cases[4:6]:
        queued = monthly(case, november)
        feedback_give(actor=_worker_user(queued), audit=queued, agreement="agree")

    # Last quarter's Thematic audits, final, then the panel's sample and its panel.
    quarter = Quarter.last_complete(today)
    thematic = []
    for index, case in enumerate(cases[6:11]):
        audit_date = _working_day(quarter.start + datetime.timedelta(days=20 + index * 12))
        audit = _submitted(
            auditor=auditor,
            case=case,
            audit_type="thematic",
            audit_date=audit_date,
            type_details={"theme": THEMES[index]},
        )
        feedback_give(actor=_worker_user(audit), audit=audit, agreement="agree")
        thematic.append((audit, audit_date))
    with transaction.atomic():
        for audit, audit_date in thematic:
            submitted = timezone.make_aware(datetime.datetime.combine(audit_date, datetime.time(15, 0)))
            Audit.objects.filter(pk=audit.pk).update(submitted_at=submitted, final_at=submitted)
    panel_sample(actor=qa.user, quarter=quarter, dry_run=False, today=today)
    sampled = sorted(
        Audit.objects.filter(status=Audit.Status.PANEL, audit_type="thematic").values_list("pk", flat=True)
    )
    panel_id = None
    if sampled:
        day = _working_day(today + datetime.timedelta(days=9))
        panel = panel_schedule(
            actor=qa.user,
            starts_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(14, 0))),
            chair_id=chair.staff_id,
            audit_ids=list(sampled),
            location="Northshire House, the council chamber",
        )
        panel_id = panel.pk
    return Stage2Story(
        awaiting_feedback=1,
        disputed=1,
        queued=2,
        overdue=1,
        moderated=1,
        panel_id=panel_id,
        sampled=sampled,
        audits={"overdue": overdue.pk, "moderated": moderated.pk, "awaiting": awaiting.pk},
        cases=[case.pk for case in cases],
    )
