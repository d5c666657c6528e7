"""The reads of Stage 3 (QA-1, CONTRACTS §11), scoped to the person asking.

Scope: QA, senior managers and the superuser have every audit counted (restricted ones too, so
that totals are true); everyone else has counted the audits they may see (a manager: their line's).
Lists behind a figure show only the audits the person may open (audits.selectors.audit_visible_q):
a restricted audit is counted, never listed, to whoever may not see it; the list says how many
it leaves out. Every figure is a fixed number of queries however many audits there are."""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Count, Exists, IntegerField, Min, OuterRef, Q, QuerySet, Value, When
from django.utils import timezone

from caseaudit.accounts.roles import Role
from caseaudit.accounts.selectors import user_has_role, user_is_qa
from caseaudit.actions.models import Escalation
from caseaudit.audits.judgements import JUDGEMENTS, VALUES
from caseaudit.audits.machines import AFTER_STAGE1
from caseaudit.audits.models import Audit, AuditAction, FamilyRespondent, GradeChange
from caseaudit.audits.selectors import audit_visible_q
from caseaudit.org.models import Staff
from caseaudit.reports.figures import (
    ACTION,
    AUDIT,
    ESCALATION,
    MODERATION,
    TIMELINESS,
    Figure,
    action_q,
    escalation_q,
    figure,
    moderation_q,
    timeliness_q,
)
from caseaudit.reports.filters import ReportFilter
from caseaudit.templates_library.models import Section, TemplateVersion
from caseaudit.templates_library.selectors import audit_type_get

FIGURE_ROLES = (Role.SENIOR_MANAGER,)


@dataclass(frozen=True)
class ReportScope:
    counted: Q  # the audits whose figures the person sees
    listed: Q  # the audits they may open from a figure

    @property
    def hides_some(self) -> bool:
        return self.counted is not self.listed


def report_scope(*, user: Any) -> ReportScope:
    """`user` None is the system (a command such as quarterly_report): every audit, as QA counts."""
    if user is None or getattr(user, "is_superuser", False):
        return ReportScope(counted=Q(), listed=Q())
    visible = audit_visible_q(user=user)
    if user_is_qa(user) or user_has_role(user, *FIGURE_ROLES):
        return ReportScope(counted=Q(), listed=visible)
    return ReportScope(counted=visible, listed=visible)


def grade_scale() -> list[tuple[str, str]]:
    """(token, label) of every grade of the audit templates, best first: the longest scale's
    order, with any grade only a shorter scale has after it."""
    scales = TemplateVersion.objects.filter(kind=TemplateVersion.Kind.AUDIT).order_by("-is_current", "ref")
    found: dict[str, str] = {}
    for scale in sorted(scales.values_list("grade_scale", flat=True), key=len, reverse=True):
        for grade in scale:
            found.setdefault(grade["token"], grade["label"])
    return list(found.items())


def graded_sections(*, audit_type: str = "") -> list[tuple[str, str]]:
    """(ref, title) of the graded sections of the audit templates, in their order (of the type's
    template when a type is given)."""
    sections = Section.objects.filter(graded=True, template__kind=TemplateVersion.Kind.AUDIT)
    if audit_type:
        kind = audit_type_get(token=audit_type)
        if kind is not None:
            sections = sections.filter(template__ref=kind.template_ref)
    found: dict[str, str] = {}
    for ref, title in sections.order_by("-template__is_current", "template__ref", "order").values_list(
        "ref", "title"
    ):
        found.setdefault(ref, title)
    return list(found.items())


def report_audits(*, user: Any, report: ReportFilter) -> QuerySet[Audit]:
    """The audits counted for `user` under the filter."""
    return Audit.objects.filter(report_scope(user=user).counted, report.audit_q())


def report_actions(*, audits: QuerySet[Audit]) -> QuerySet[AuditAction]:
    """The actions of these audits."""
    return AuditAction.objects.filter(audit__in=audits.values("pk"))


def report_escalations(*, audits: QuerySet[Audit]) -> QuerySet[Escalation]:
    return Escalation.objects.filter(audit__in=audits.values("pk"))


def _counts(queryset: QuerySet[Any], named: dict[str, Q]) -> dict[str, int]:
    if not named:
        return {}
    aliases = {f"f{index}": name for index, name in enumerate(named)}
    found = queryset.order_by().aggregate(
        **{alias: Count("pk", filter=named[name]) for alias, name in aliases.items()}
    )
    return {aliases[alias]: int(value or 0) for alias, value in found.items()}


def audit_figure_qs(
    report: ReportFilter, *, sections: Iterable[str], grades: Iterable[str], today: datetime.date
) -> dict[str, Q]:
    """Every audit figure of the summary, by key."""
    grades = list(grades)
    field = report.grades_field
    named: dict[str, Q] = {"audits": Q()}
    for grade in grades:
        named[f"overall:{grade}"] = Q(**{f"{field}__overall": grade})
    for ref in sections:
        for grade in grades:
            named[f"section:{ref}:{grade}"] = Q(**{f"{field}__{ref}": grade})
    for meaning in JUDGEMENTS:
        for value in VALUES:
            named[f"limiting:{meaning}:{value}"] = Q(**{f"judgements__{meaning}": value})
    for name in TIMELINESS:
        named[f"timeliness:{name}"] = timeliness_q(name, today=today)
    named["moderation:moderated"] = moderation_q("moderated")
    return named


def _semi_join_counts(audits: QuerySet[Audit]) -> dict[str, int]:
    """The figures whose filter is an EXISTS (figures.moderation_q, family_q), counted as the
    number of distinct audits in the rows that make them true — the same audits, one pass over
    those rows instead of a subquery per audit — and the family's respondents."""
    ids = audits.values("pk")
    changes = GradeChange.objects.filter(audit__in=ids).aggregate(
        changed=Count("audit_id", distinct=True),
        overall=Count("audit_id", distinct=True, filter=Q(ref="overall")),
    )
    family = FamilyRespondent.objects.filter(audit__in=ids, consent=FamilyRespondent.Consent.YES).aggregate(
        audits=Count("audit_id", distinct=True), respondents=Count("pk")
    )
    return {
        "moderation:changed": int(changes["changed"] or 0),
        "moderation:overall_changed": int(changes["overall"] or 0),
        "family:audits": int(family["audits"] or 0),
        "family:respondents": int(family["respondents"] or 0),
    }


def report_summary(*, user: Any, report: ReportFilter, today: datetime.date) -> dict[str, Any]:
    """The summary of CONTRACTS §11, plus the dashboard's extras (`drifting` actions, moderation
    changes, the age of open escalations), in seven queries whatever the number of audits."""
    audits = report_audits(user=user, report=report)
    grades = [token for token, _ in grade_scale()]
    sections = [ref for ref, _ in graded_sections(audit_type=report.audit_type)]
    counts = _counts(audits, audit_figure_qs(report, sections=sections, grades=grades, today=today))
    counts.update(_semi_join_counts(audits))
    actions = _counts(
        report_actions(audits=audits),
        {
            name: action_q(name, today=today)
            for name in (
                "open",
                "done",
                "signed_off",
                "cancelled",
                "overdue",
                "drifting",
                "completed_on_time",
            )
        },
    )
    escalations = (
        report_escalations(audits=audits)
        .order_by()
        .aggregate(
            **{
                name: Count("pk", filter=escalation_q(name, today=today))
                for name in ("open", "overdue", "closed")
            },
            oldest=Min("opened_at", filter=Q(status=Escalation.Status.OPEN)),
        )
    )
    oldest = escalations.pop("oldest")
    escalation_counts = {name: int(value or 0) for name, value in escalations.items()}
    respondents = counts["family:respondents"]
    section_grades = {
        ref: {grade: counts[f"section:{ref}:{grade}"] for grade in grades}
        for ref in sections
        if any(counts[f"section:{ref}:{grade}"] for grade in grades)
    }
    return {
        "from": report.start.isoformat(),
        "to": report.end.isoformat(),
        "stage": report.stage,
        "audits": counts["audits"],
        "overall_grades": {grade: counts[f"overall:{grade}"] for grade in grades},
        "section_grades": section_grades,
        "limiting": {
            meaning: {value: counts[f"limiting:{meaning}:{value}"] for value in VALUES}
            for meaning in JUDGEMENTS
        },
        "timeliness": {name: counts[f"timeliness:{name}"] for name in TIMELINESS},
        "moderation": {name: counts[f"moderation:{name}"] for name in MODERATION},
        "actions": actions,
        "escalations": {
            **escalation_counts,
            "oldest_open_days": (today - timezone.localdate(oldest)).days if oldest else None,
        },
        "family_feedback": {"audits": counts["family:audits"], "respondents": respondents},
    }


def report_figure(key: str, *, report: ReportFilter, today: datetime.date) -> Figure:
    return figure(key, grades_field=report.grades_field, today=today)


@dataclass(frozen=True)
class FigureList:
    """What a figure counts that the person may open, and how many it counts that they may not."""

    figure: Figure
    audits: QuerySet[Audit] | None
    actions: QuerySet[AuditAction] | None
    escalations: QuerySet[Escalation] | None
    counted: int
    listed: int

    @property
    def not_listed(self) -> int:
        return self.counted - self.listed


def report_figure_list(*, user: Any, report: ReportFilter, key: str, today: datetime.date) -> FigureList:
    """The records behind one figure (UnknownFigure for a key that is none)."""
    found = report_figure(key, report=report, today=today)
    scope = report_scope(user=user)
    counted = Audit.objects.filter(scope.counted, report.audit_q())
    listed = counted.filter(scope.listed)
    if found.counts == AUDIT:
        audits = (
            listed.filter(found.q)
            .select_related("case__child", "case__team", "auditor", "worker")
            .order_by("-audit_date", "-pk")
        )
        return FigureList(found, audits, None, None, counted.filter(found.q).count(), audits.count())
    if found.counts == ACTION:
        actions = report_actions(audits=listed).filter(found.q)
        rows = actions.select_related("audit__case__team", "audit__worker", "owner").order_by(
            "due_date", "pk"
        )
        total = report_actions(audits=counted).filter(found.q).count()
        return FigureList(found, None, rows, None, total, actions.count())
    assert found.counts == ESCALATION
    escalations = report_escalations(audits=listed).filter(found.q)
    ordered = escalations.select_related("audit__case__team", "audit__worker").order_by("due_date", "pk")
    total = report_escalations(audits=counted).filter(found.q).count()
    return FigureList(found, None, None, ordered, total, escalations.count())


BREAKDOWNS = {
    "team": ("case__team__team_id", "case__team__name"),
    "service_area": ("case__team__service_area__name", "case__team__service_area__name"),
    "audit_type": ("audit_type", "audit_type"),
    "auditor": ("auditor__staff_id", "auditor__name"),
}


def report_breakdown(
    *, user: Any, report: ReportFilter, by: str, today: datetime.date
) -> list[dict[str, Any]]:
    """One row per team, service area, audit type or auditor: its audits, overall grades, limiting
    judgements not met and Stage 1 lateness, in one query."""
    key_field, label_field = BREAKDOWNS[by]
    grades = [token for token, _ in grade_scale()]
    field = report.grades_field
    named = {"audits": Q(), **{f"overall:{g}": Q(**{f"{field}__overall": g}) for g in grades}}
    for meaning in JUDGEMENTS:
        named[f"limiting:{meaning}:no"] = Q(**{f"judgements__{meaning}": "no"})
    named["timeliness:stage1_late"] = timeliness_q("stage1_late", today=today)
    aliases = {f"f{index}": name for index, name in enumerate(named)}
    rows = (
        report_audits(user=user, report=report)
        .order_by()
        .values(key_field, label_field)
        .annotate(**{alias: Count("pk", filter=named[name]) for alias, name in aliases.items()})
        .order_by(label_field)
    )
    return [
        {
            "key": row[key_field],
            "label": row[label_field],
            "counts": {aliases[alias]: int(row[alias] or 0) for alias in aliases},
        }
        for row in rows
    ]


def report_trend(
    *,
    user: Any,
    report: ReportFilter,
    periods: list[tuple[datetime.date, datetime.date]],
    today: datetime.date,
) -> list[dict[str, Any]]:
    """The headline figures of each period (the last four quarters), oldest first, in two grouped
    queries: audits, overall grades, "child seen" answered No, Stage 1 on time and late, and
    overdue actions — each as report_summary counts it for that period alone."""
    if not periods:
        return []
    grades = [token for token, _ in grade_scale()]
    whole = report.with_period(min(start for start, _ in periods), max(end for _, end in periods))
    which = Case(
        *[
            When(audit_date__gte=start, audit_date__lte=end, then=Value(index))
            for index, (start, end) in enumerate(periods)
        ],
        default=Value(-1),
        output_field=IntegerField(),
    )
    field = report.grades_field
    named: dict[str, Q] = {"audits": Q(), **{f"overall:{g}": Q(**{f"{field}__overall": g}) for g in grades}}
    named["limiting:child_seen:no"] = Q(judgements__child_seen="no")
    for name in ("stage1_on_time", "stage1_late"):
        named[f"timeliness:{name}"] = timeliness_q(name, today=today)
    aliases = {f"f{index}": name for index, name in enumerate(named)}
    audits = report_audits(user=user, report=whole)
    rows: dict[int, dict[str, Any]] = {
        row["period"]: dict(row)
        for row in audits.order_by()
        .annotate(period=which)
        .values("period")
        .annotate(**{alias: Count("pk", filter=named[name]) for alias, name in aliases.items()})
    }
    overdue = {
        row["period"]: row["overdue"]
        for row in report_actions(audits=audits)
        .filter(status=AuditAction.Status.OPEN)  # only an open action is overdue
        .order_by()
        .annotate(
            period=Case(
                *[
                    When(audit__audit_date__gte=start, audit__audit_date__lte=end, then=Value(index))
                    for index, (start, end) in enumerate(periods)
                ],
                default=Value(-1),
                output_field=IntegerField(),
            )
        )
        .values("period")
        .annotate(overdue=Count("pk", filter=action_q("overdue", today=today)))
    }
    found = []
    for index, (start, end) in enumerate(periods):
        row: dict[str, Any] = rows.get(index, {})
        count = {name: int(row.get(alias) or 0) for alias, name in aliases.items()}
        found.append(
            {
                "from": start.isoformat(),
                "to": end.isoformat(),
                "audits": count["audits"],
                "overall_grades": {g: count[f"overall:{g}"] for g in grades},
                "limiting": {"child_seen": {"no": count["limiting:child_seen:no"]}},
                "timeliness": {
                    "stage1_on_time": count["timeliness:stage1_on_time"],
                    "stage1_late": count["timeliness:stage1_late"],
                },
                "actions": {"overdue": int(overdue.get(index) or 0)},
            }
        )
    return found


def report_grades(
    *, user: Any, report: ReportFilter, summary: dict[str, Any] | None = None
) -> dict[str, dict[str, Any]]:
    """Overall and section grade counts at Stage 1 and effective, side by side:
    {"stage1" | "effective": {"overall": {grade: n}, "sections": {ref: {grade: n}}}}. With the
    period's `summary` (report_summary of the same filter), its grades are taken as they are and
    only the other stage's are counted: one scan of the audits fewer."""
    grades = [token for token, _ in grade_scale()]
    sections = [ref for ref, _ in graded_sections(audit_type=report.audit_type)]
    fields = {"stage1": "stage1_grades", "effective": "effective_grades"}
    known = report.stage if summary is not None and summary.get("stage") == report.stage else None
    named: dict[str, Q] = {}
    for stage, field in fields.items():
        if stage == known:
            continue
        for grade in grades:
            named[f"{field}:overall:{grade}"] = Q(**{f"{field}__overall": grade})
            for ref in sections:
                named[f"{field}:{ref}:{grade}"] = Q(**{f"{field}__{ref}": grade})
    counts = _counts(report_audits(user=user, report=report), named)
    found: dict[str, dict[str, Any]] = {}
    for stage, field in fields.items():
        if stage == known and summary is not None:
            found[stage] = {
                "overall": dict(summary["overall_grades"]),
                "sections": {
                    ref: {grade: summary["section_grades"].get(ref, {}).get(grade, 0) for grade in grades}
                    for ref in sections
                },
            }
            continue
        found[stage] = {
            "overall": {grade: counts[f"{field}:overall:{grade}"] for grade in grades},
            "sections": {
                ref: {grade: counts[f"{field}:{ref}:{grade}"] for grade in grades} for ref in sections
            },
        }
    return found


def report_auditors(*, user: Any) -> list[tuple[str, str]]:
    """(staff ID, name) of everyone who conducted an audit the person's figures count, by name
    (one lookup per member of staff, not a scan of every audit)."""
    audited = Audit.objects.filter(
        report_scope(user=user).counted, auditor=OuterRef("pk"), status__in=AFTER_STAGE1
    )
    rows = Staff.objects.filter(Exists(audited)).order_by("name", "staff_id").values_list("staff_id", "name")
    return [(staff_id, name) for staff_id, name in rows]
