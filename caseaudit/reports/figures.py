"""Every figure of Stage 3 is defined once here, as a filter, and both counted and listed with
it (CONTRACTS §11): the dashboard's number, the API's, the quarterly report's and the length of
the list the number links to are the same query's. A figure has a key (`overall:good`,
`limiting:child_seen:no`, `actions:overdue`...) that the pages carry in their links.

What counts:
- audits: audit date in the period, Stage 1 submitted (filters.ReportFilter);
- grades: each audit's effective grades, or its Stage 1 grades with `stage=stage1`;
- limiting judgements: by meaning (`Audit.judgements`, frozen at submission);
- Stage 1 on time: submitted on or before its due date (audits with a due date); Stage 2 on time:
  moderation completed on or before its due date, late when completed after it or still open
  after it;
- moderation changes: audits whose grades a later stage changed (any grade, or the overall one);
- actions of the counted audits: by status; overdue (open, due date passed); drifting (open and
  more than 4 weeks past its due date); completed on time (done, or signed off, last marked done
  — `AuditAction.done_at` — on or before its due date);
- escalations of the counted audits: open, overdue (open after its deadline), closed;
- family feedback: audits with at least one respondent who consented, and those respondents."""

import datetime
import re
from dataclasses import dataclass

from django.db.models import Exists, F, OuterRef, Q

from caseaudit.actions.models import Escalation
from caseaudit.audits.judgements import JUDGEMENTS, VALUES
from caseaudit.audits.models import AuditAction, FamilyRespondent, GradeChange

TOKEN = re.compile(r"^[a-z0-9_\-]{1,63}$")
DRIFT_DAYS = 28

STATUSES = tuple(AuditAction.Status.values)
ACTION_FIGURES = (*STATUSES, "all", "overdue", "drifting", "completed_on_time")
ESCALATION_FIGURES = ("all", "open", "overdue", "closed")
TIMELINESS = ("stage1_on_time", "stage1_late", "stage2_on_time", "stage2_late")
MODERATION = ("moderated", "changed", "overall_changed")

AUDIT, ACTION, ESCALATION = "audit", "action", "escalation"


class UnknownFigure(ValueError):
    pass


@dataclass(frozen=True)
class Figure:
    key: str
    counts: str  # AUDIT, ACTION or ESCALATION: what the figure counts, and what its list lists
    q: Q


def _token(value: str) -> str:
    if not TOKEN.match(value):
        raise UnknownFigure(f"{value!r} is not a grade, section or judgement")
    return value


def timeliness_q(name: str, *, today: datetime.date) -> Q:
    if name == "stage1_on_time":
        return Q(due_date__isnull=False, submitted_at__date__lte=F("due_date"))
    if name == "stage1_late":
        return Q(due_date__isnull=False, submitted_at__date__gt=F("due_date"))
    due = Q(moderation__due_date__isnull=False)
    if name == "stage2_on_time":
        return due & Q(
            moderation__completed_at__isnull=False,
            moderation__completed_at__date__lte=F("moderation__due_date"),
        )
    if name == "stage2_late":
        return due & (
            Q(moderation__completed_at__date__gt=F("moderation__due_date"))
            | Q(moderation__completed_at__isnull=True, moderation__due_date__lt=today)
        )
    raise UnknownFigure(f"{name!r} is not a timeliness figure")


def moderation_q(name: str) -> Q:
    if name == "moderated":
        return Q(moderation__completed_at__isnull=False)
    if name == "changed":
        return Q(Exists(GradeChange.objects.filter(audit=OuterRef("pk"))))
    if name == "overall_changed":
        return Q(Exists(GradeChange.objects.filter(audit=OuterRef("pk"), ref="overall")))
    raise UnknownFigure(f"{name!r} is not a moderation figure")


def family_q() -> Q:
    consented = FamilyRespondent.objects.filter(audit=OuterRef("pk"), consent=FamilyRespondent.Consent.YES)
    return Q(Exists(consented))


def action_q(name: str, *, today: datetime.date) -> Q:
    Status = AuditAction.Status
    if name == "all":
        return Q()
    if name in STATUSES:
        return Q(status=name)
    if name == "overdue":
        return Q(status=Status.OPEN, due_date__lt=today)
    if name == "drifting":
        return Q(status=Status.OPEN, due_date__lt=today - datetime.timedelta(days=DRIFT_DAYS))
    if name == "completed_on_time":
        return Q(status__in=[Status.DONE, Status.SIGNED_OFF], done_at__date__lte=F("due_date"))
    raise UnknownFigure(f"{name!r} is not an actions figure")


def escalation_q(name: str, *, today: datetime.date) -> Q:
    Status = Escalation.Status
    if name == "all":
        return Q()
    if name == "open":
        return Q(status=Status.OPEN)
    if name == "overdue":
        return Q(status=Status.OPEN, due_date__lt=today)
    if name == "closed":
        return Q(status=Status.CLOSED)
    raise UnknownFigure(f"{name!r} is not an escalations figure")


def figure(key: str, *, grades_field: str, today: datetime.date) -> Figure:
    """The figure of a key; UnknownFigure when there is none."""
    parts = key.split(":")
    kind, rest = parts[0], parts[1:]
    if kind == "audits" and not rest:
        return Figure(key, AUDIT, Q())
    if kind == "overall" and len(rest) == 1 and "+" in rest[0]:  # one of several: "outstanding+good"
        tokens = [_token(token) for token in rest[0].split("+")]
        return Figure(key, AUDIT, Q(**{f"{grades_field}__overall__in": tokens}))
    if kind == "overall" and len(rest) == 1:
        return Figure(key, AUDIT, Q(**{f"{grades_field}__overall": _token(rest[0])}))
    if kind == "section" and len(rest) == 2:
        ref, grade = _token(rest[0]), _token(rest[1])
        return Figure(key, AUDIT, Q(**{f"{grades_field}__{ref}": grade}))
    if kind == "limiting" and len(rest) == 2 and rest[0] in JUDGEMENTS and rest[1] in VALUES:
        return Figure(key, AUDIT, Q(**{f"judgements__{rest[0]}": rest[1]}))
    if kind == "timeliness" and len(rest) == 1 and rest[0] in TIMELINESS:
        return Figure(key, AUDIT, timeliness_q(rest[0], today=today))
    if kind == "moderation" and len(rest) == 1 and rest[0] in MODERATION:
        return Figure(key, AUDIT, moderation_q(rest[0]))
    if kind == "family" and rest == ["audits"]:
        return Figure(key, AUDIT, family_q())
    if kind == "actions" and len(rest) == 1 and rest[0] in ACTION_FIGURES:
        return Figure(key, ACTION, action_q(rest[0], today=today))
    if kind == "escalations" and len(rest) == 1 and rest[0] in ESCALATION_FIGURES:
        return Figure(key, ESCALATION, escalation_q(rest[0], today=today))
    raise UnknownFigure(f"{key!r} is not a figure")
