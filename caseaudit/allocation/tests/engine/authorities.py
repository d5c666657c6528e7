"""Random small authorities for the allocation's tests: areas, teams, a line-management forest,
auditors drawn from the staff (so they can be workers, or above them), and cases whose team and
area need not be their worker's."""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from hypothesis import strategies as st

from caseaudit.allocation.engine.eligibility import AuditorFacts, CaseFacts

MONTH = date(2026, 12, 1)


@dataclass(frozen=True)
class Authority:
    cases: list[CaseFacts]
    auditors: list[AuditorFacts]
    per_auditor: int


def random_authority(
    rng: random.Random,
    *,
    cases: int,
    auditors: int,
    per_auditor: int,
    teams: int = 3,
    staff: int = 8,
    workers: int | None = None,
    areas: tuple[str, ...] = ("North", "South"),
) -> Authority:
    team_ids = [f"T{i}" for i in range(1, teams + 1)]
    team_area = {t: rng.choice([*areas, *areas, None]) for t in team_ids}
    team_eligible = {t: rng.random() < 0.85 for t in team_ids}
    staff_ids = [f"S{i}" for i in range(1, max(staff, auditors) + 1)]
    manager: dict[str, str | None] = {}
    team_of: dict[str, str] = {}
    for position, person in enumerate(staff_ids):
        manager[person] = rng.choice(staff_ids[:position]) if position and rng.random() < 0.5 else None
        team_of[person] = rng.choice(team_ids)

    def above(person: str) -> frozenset[str]:
        chain, boss = set(), manager[person]
        while boss is not None:
            chain.add(boss)
            boss = manager[boss]
        return frozenset(chain)

    def manages(person: str) -> frozenset[str]:
        return frozenset(team_of[p] for p in staff_ids if person in above(p))

    auditor_facts = []
    for person in sorted(rng.sample(staff_ids, auditors)):
        area = team_area[team_of[person]] if rng.random() < 0.8 else rng.choice([*areas, None])
        capacity = rng.choice([None, None, None, 0, 1, 2])
        team = team_of[person] if rng.random() < 0.9 else None
        auditor_facts.append(AuditorFacts(person, team, area, manages(person), capacity))

    caseworkers = rng.sample(staff_ids, min(workers or len(staff_ids), len(staff_ids)))
    case_facts = []
    for number in range(1, cases + 1):
        worker = rng.choice(caseworkers) if rng.random() < 0.95 else None
        team = team_of[worker] if worker and rng.random() < 0.7 else rng.choice(team_ids)
        area = team_area[team] if rng.random() < 0.85 else rng.choice([*areas, None])
        closed = rng.random() < 0.2
        last_audit = (
            None if rng.random() < 0.35 else MONTH - timedelta(days=rng.choice([20, 200, 200, 400, 700]))
        )
        case_facts.append(
            CaseFacts(
                case_id=f"C{number}",
                child_id=f"K{number}",
                team_id=team,
                team_eligible=team_eligible[team],
                area=area,
                worker_id=worker,
                worker_chain=above(worker) if worker else frozenset(),
                status="closed" if closed else "open",
                closed_on=MONTH - timedelta(days=rng.choice([5, 29, 45])) if closed else None,
                last_audited_on=last_audit,
                already_allocated=rng.random() < 0.05,
                restricted=rng.random() < 0.1,
            )
        )
    return Authority(case_facts, auditor_facts, per_auditor)


@st.composite
def authorities(draw: st.DrawFn, *, max_cases: int = 40, max_auditors: int = 8) -> Authority:
    """Hypothesis strategy: sizes and shape drawn by hypothesis, details from a drawn seed."""
    seed = draw(st.integers(min_value=0, max_value=2**32 - 1))
    return random_authority(
        random.Random(seed),
        cases=draw(st.integers(min_value=0, max_value=max_cases)),
        auditors=draw(st.integers(min_value=0, max_value=max_auditors)),
        per_auditor=draw(st.integers(min_value=1, max_value=3)),
        teams=draw(st.integers(min_value=1, max_value=6)),
        staff=draw(st.integers(min_value=3, max_value=16)),
        workers=draw(st.integers(min_value=1, max_value=10)),
        areas=draw(st.sampled_from([("North",), ("North", "South"), ("North", "South", "East")])),
    )
