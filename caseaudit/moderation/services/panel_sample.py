"""The moderation panel's quarterly sample (MOD-4, CONTRACTS §9): QA draw, for each panel type, a
percentage of the quarter's final audits with a seed (the draw itself is the pure
`moderation.sampling.sample_draw`), so a rerun samples the same audits and each says why."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from caseaudit.audits.machines import FINAL, PANEL
from caseaudit.audits.models import Audit
from caseaudit.core.calendar import long_date
from caseaudit.core.mail_text import display_name
from caseaudit.core.problems import Problem
from caseaudit.core.services import audit_event_record, user_or_none
from caseaudit.moderation.models import PanelAudit, PanelSampleDraw
from caseaudit.moderation.sampling import Quarter, draw_why, sample_draw, sample_size
from caseaudit.moderation.selectors_panel import (
    PanelType,
    draw_of,
    drawn_audits,
    panel_types,
    quarter_pool,
    quarter_waiting,
)
from caseaudit.moderation.services.lifecycle import audit_fire, audit_lock, require_status
from caseaudit.moderation.services.panel import PanelRefused, issue, panel_require

MAX_SEED = 2**63 - 1


@dataclass
class TypeDraw:
    """One panel type's draw for a quarter: the pool, those still waiting, the size, the seed and
    the audits drawn (or, once drawn, those the draw recorded), each with why."""

    kind: PanelType
    quarter: Quarter
    seed: int
    percent: int
    pool: list[Audit]
    waiting: list[Audit]
    size: int
    drawn: list[Audit]
    why: str
    draw: PanelSampleDraw | None = None  # the recorded draw, when it has been made
    drawn_now: bool = False

    @property
    def already_text(self) -> str:
        if self.draw is None:
            return ""
        who = display_name(self.draw.drawn_by) if self.draw.drawn_by else "a command"
        return f"already drawn on {long_date(timezone.localdate(self.draw.drawn_at))} by {who}"


@dataclass
class SampleResult:
    quarter: Quarter
    seed: int
    draws: list[TypeDraw] = field(default_factory=list)
    dry_run: bool = True


def sample_problems(*, quarter: Quarter, seed: int | None, today: date) -> list[Problem]:
    problems = []
    if not quarter.has_ended(today):
        problems.append(
            issue(
                "quarter",
                f"{quarter.label} ends on {long_date(quarter.end)}: draw its sample once it has ended.",
                "sample",
            )
        )
    if seed is not None and not 0 <= seed <= MAX_SEED:
        problems.append(issue("seed", "The seed must be a whole number, 0 or more.", "sample"))
    return problems


def _type_draw(kind: PanelType, quarter: Quarter, seed: int) -> TypeDraw:
    recorded = draw_of(audit_type=kind.token, quarter=quarter)
    waiting = list(quarter_waiting(audit_type=kind.token, quarter=quarter))
    if recorded is not None:
        entries = list(drawn_audits(draw=recorded))
        drawn = [entry.audit for entry in entries]
        return TypeDraw(
            kind=kind,
            quarter=quarter,
            seed=recorded.seed,
            percent=recorded.percent,
            pool=[],
            waiting=waiting,
            size=len(drawn),
            drawn=drawn,
            why=entries[0].why if entries else "",
            draw=recorded,
        )
    pool = list(quarter_pool(audit_type=kind.token, quarter=quarter))
    by_pk = {audit.pk: audit for audit in pool}
    chosen = sample_draw(by_pk, percent=kind.percent, seed=seed)
    return TypeDraw(
        kind=kind,
        quarter=quarter,
        seed=seed,
        percent=kind.percent,
        pool=pool,
        waiting=waiting,
        size=sample_size(len(pool), kind.percent),
        drawn=[by_pk[pk] for pk in chosen],
        why=draw_why(
            seed=seed,
            drawn=len(chosen),
            pool_size=len(pool),
            type_label=kind.label,
            quarter=quarter,
            percent=kind.percent,
        ),
    )


def panel_sample(
    *,
    actor: Any,
    quarter: Quarter,
    seed: int | None = None,
    audit_type: str | None = None,
    dry_run: bool = True,
    today: date | None = None,
) -> SampleResult:
    """The quarter's sample of each panel type (or of `audit_type`): with `dry_run` what would be
    drawn; else the draw of every type not yet drawn that has audits to draw, recorded (a
    PanelSampleDraw per type, a PanelAudit with its why per audit, each audit moved to `panel`) in
    one transaction. Drawing a type already drawn that quarter is refused, naming when and by whom."""
    panel_require(actor, "moderation.manage_panels", message="Only QA draw the panel's sample.")
    today = today or timezone.localdate()
    problems = sample_problems(quarter=quarter, seed=seed, today=today)
    kinds = panel_types()
    if audit_type is not None:
        kinds = [kind for kind in kinds if kind.token == audit_type]
        if not kinds:
            problems.append(
                issue("audit_type", f"{audit_type!r} is not an audit type sampled for the panel.", "sample")
            )
    if problems:
        raise PanelRefused(problems)
    used_seed = quarter.default_seed if seed is None else seed
    if dry_run:
        draws = [_type_draw(kind, quarter, used_seed) for kind in kinds]
        return SampleResult(quarter=quarter, seed=used_seed, draws=draws, dry_run=True)
    try:
        with transaction.atomic():
            draws = [_type_draw(kind, quarter, used_seed) for kind in kinds]
            to_draw = [d for d in draws if d.draw is None and d.pool]
            refused = [d for d in draws if d.draw is not None and (audit_type is not None or not to_draw)]
            if refused:
                raise PanelRefused(
                    [
                        issue(
                            "quarter",
                            f"The {d.kind.label} sample of {quarter.label} was {d.already_text}.",
                            d.kind.token,
                        )
                        for d in refused
                    ]
                )
            if not to_draw:
                raise PanelRefused(
                    [issue("quarter", f"There are no final audits of {quarter.label} to draw.", "sample")]
                )
            for type_draw in to_draw:
                _record(actor, type_draw)
    except IntegrityError as exc:  # two people drawing the same quarter at once
        raise PanelRefused(
            [
                issue(
                    "quarter", f"The sample of {quarter.label} has just been drawn by someone else.", "sample"
                )
            ]
        ) from exc
    return SampleResult(quarter=quarter, seed=used_seed, draws=draws, dry_run=False)


def _record(actor: Any, type_draw: TypeDraw) -> None:
    draw = PanelSampleDraw.objects.create(
        quarter=type_draw.quarter.start,
        audit_type=type_draw.kind.token,
        percent=type_draw.percent,
        seed=type_draw.seed,
        pool_size=len(type_draw.pool),
        drawn_by=user_or_none(actor),
    )
    for audit in type_draw.drawn:
        audit_lock(audit)
        require_status(audit, FINAL, doing="sample this audit for the panel")
        PanelAudit.objects.create(audit=audit, draw=draw, why=type_draw.why)
        audit_fire(actor=actor, audit=audit, event="panel_sampled", to_status=PANEL, note=type_draw.why)
    audit_event_record(
        actor=actor,
        action="panel.sample_drawn",
        object_type="panel_sample_draw",
        object_ref=str(draw.pk),
        summary=type_draw.why,
        changes={
            "quarter": type_draw.quarter.token,
            "audit_type": type_draw.kind.token,
            "seed": type_draw.seed,
            "percent": type_draw.percent,
            "pool": [audit.pk for audit in type_draw.pool],
            "drawn": [audit.pk for audit in type_draw.drawn],
        },
    )
    type_draw.draw, type_draw.drawn_now = draw, True
