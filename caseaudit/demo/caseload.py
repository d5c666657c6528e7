"""The demo authority's children and cases, made one child at a time (so 50,000 stream).

Each child has one case, a few two: a closed earlier case and the current one. Case types
follow the team (Early Help → early_help, Leaving Care → care_leaver, ...), ages follow the
case type, and dates are consistent: born ≤ start < closed ≤ today, audited within the case."""

import bisect
import itertools
import random
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Generic, TypeVar

from caseaudit.demo import names
from caseaudit.demo.organisation import KINDS, Organisation, Team, fixed_email

T = TypeVar("T")

DAYS_PER_YEAR = 365.25
# Ages (in years, inclusive) and how far back a case of each type may have started.
AGES = {"early_help": (0, 17), "cin": (0, 17), "cp": (0, 17), "cla": (0, 17), "care_leaver": (16, 21)}
LOOKBACK_DAYS = {"early_help": 540, "cin": 720, "cp": 540, "cla": 6 * 365, "care_leaver": 5 * 365}
CARE_LEAVER_FROM_AGE = 16

RESTRICTED_SHARE = 0.02
CLOSED_SHARE = 0.12  # closed within RECENTLY_CLOSED_DAYS, so still eligible
RECENTLY_CLOSED_DAYS = 60
TWO_CASES_SHARE = 0.04
AUDITED_LAST_QUARTER_SHARE = 0.10
AUDITED_EARLIER_SHARE = 0.35
QUARTER_DAYS = 89

# What came before the current case, for the few children with two.
EARLIER = {"cin": ("eh", "early_help"), "cp": ("eh", "early_help"), "early_help": ("ai", "cin")}
EARLIER |= {"cla": ("ai", "cp"), "care_leaver": ("lac", "cla")}

GENDERS = (("Female", 48), ("Male", 49), ("Not stated", 2), ("Non-binary", 1))
ETHNICITIES = (
    ("White British", 64), ("White Irish", 1), ("White other", 6), ("Gypsy, Roma or Traveller", 1),
    ("Mixed White and Black Caribbean", 4), ("Mixed White and Asian", 2), ("Mixed other", 3),
    ("Asian Indian", 2), ("Asian Pakistani", 4), ("Asian Bangladeshi", 2), ("Asian other", 1),
    ("Black African", 4), ("Black Caribbean", 2), ("Black other", 1), ("Chinese", 1), ("Arab", 1),
    ("Other ethnic group", 1), ("Not recorded", 2),
)  # fmt: skip
DISABILITIES = (
    "Autism", "Learning disability", "Physical disability", "Sensory impairment",
    "Communication needs", "Complex health needs",
)  # fmt: skip


@dataclass(frozen=True)
class ChildDetails:
    child_id: str
    name: str
    date_of_birth: date
    gender: str
    ethnicity: str
    disability: str
    restricted: bool


@dataclass(frozen=True)
class CaseRow:
    case_id: str
    child: ChildDetails
    team_id: str
    allocated_worker_id: str
    case_type: str
    start_date: date
    closed_date: date | None
    last_audited_on: date | None


@dataclass(frozen=True)
class _Forced:
    """What the demo social worker's first children must show."""

    case_type: str
    restricted: bool = False
    closed: bool = False


# The demo social worker's first children: open cases, one of them restricted.
DEMO_CASELOAD = (_Forced("cp", restricted=True), _Forced("cin"), _Forced("cin"), _Forced("cp", closed=True))


class _Weighted(Generic[T]):
    def __init__(self, pairs: Iterable[tuple[T, float]]) -> None:
        pairs = list(pairs)
        self.values = [value for value, _ in pairs]
        self.cumulative = list(itertools.accumulate(weight for _, weight in pairs))

    def pick(self, rng: random.Random) -> T:
        return self.values[bisect.bisect_right(self.cumulative, rng.random() * self.cumulative[-1])]


def _between(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, max(0, (last - first).days)))


class Caseload:
    def __init__(self, rng: random.Random, organisation: Organisation, *, today: date) -> None:
        self.rng = rng
        self.today = today
        practitioners = organisation.practitioners()
        demo_id = next(p.staff_id for p in organisation.people if p.email == fixed_email("social.worker"))
        self.demo_worker = next(w for w in practitioners if w[0] == demo_id)
        self.pick_worker = _Weighted((w, KINDS[w[1].kind].caseload) for w in practitioners)
        self.case_types = {key: _Weighted(kind.case_types) for key, kind in KINDS.items()}
        self.workers_by_kind_area: dict[tuple[str, str], list[tuple[str, Team]]] = {}
        for staff_id, team in practitioners:
            self.workers_by_kind_area.setdefault((team.kind, team.area), []).append((staff_id, team))
        self.genders = _Weighted(GENDERS)
        self.ethnicities = _Weighted(ETHNICITIES)
        self.case_numbers = itertools.count(1)

    def cases(self, children: int) -> Iterator[CaseRow]:
        for n in range(1, children + 1):
            forced = DEMO_CASELOAD[n - 1] if n <= len(DEMO_CASELOAD) else None
            yield from self._child(f"CH{n:06d}", forced)

    def _child(self, child_id: str, forced: _Forced | None) -> Iterator[CaseRow]:
        rng, today = self.rng, self.today
        if forced is not None:
            worker, team = self.demo_worker
            case_type = forced.case_type
        else:
            worker, team = self.pick_worker.pick(rng)
            case_type = self.case_types[team.kind].pick(rng)
        kind = KINDS[team.kind]
        youngest, oldest = kind.ages or AGES[case_type]
        born = today - timedelta(
            days=rng.randint(int(youngest * DAYS_PER_YEAR) + 2, int((oldest + 1) * DAYS_PER_YEAR) - 2)
        )
        earliest_start = max(born, today - timedelta(days=LOOKBACK_DAYS[case_type]))
        if case_type == "care_leaver":
            earliest_start = max(
                earliest_start, born + timedelta(days=int(CARE_LEAVER_FROM_AGE * DAYS_PER_YEAR) + 1)
            )
        start = _between(rng, earliest_start, today)
        closed: date | None = None
        if (forced.closed if forced else rng.random() < CLOSED_SHARE) and start < today:
            closed = _between(
                rng, max(start + timedelta(days=1), today - timedelta(days=RECENTLY_CLOSED_DAYS - 1)), today
            )
        restricted = forced.restricted if forced else rng.random() < RESTRICTED_SHARE
        gender = self.genders.pick(rng)
        given = rng.choice(
            names.GIVEN_NAMES_FEMALE
            if gender == "Female"
            else names.GIVEN_NAMES_MALE
            if gender == "Male"
            else rng.choice((names.GIVEN_NAMES_FEMALE, names.GIVEN_NAMES_MALE))
        )
        child = ChildDetails(
            child_id=child_id,
            name=f"{given} {rng.choice(names.SURNAMES)}",
            date_of_birth=born,
            gender=gender,
            ethnicity=self.ethnicities.pick(rng),
            disability=self._disability(team),
            restricted=restricted,
        )
        last_audited = self._last_audited(start, closed)  # drawn for every child: same seed, same register
        if forced is None and rng.random() < TWO_CASES_SHARE and (start - born).days > 3:
            yield self._earlier_case(child, case_type, team, born=born, before=start)
        yield CaseRow(
            case_id=self._next_case_id(),
            team_id=team.team_id,
            allocated_worker_id=worker,
            case_type=case_type,
            start_date=start,
            closed_date=closed,
            # The demo worker's first children were never audited, so the monthly allocation
            # picks them first and the demo story can give one to the demo auditor.
            last_audited_on=None if forced else last_audited,
            child=child,
        )

    def _earlier_case(
        self, child: ChildDetails, current: str, team: Team, *, born: date, before: date
    ) -> CaseRow:
        rng = self.rng
        kind, case_type = EARLIER[current]
        workers = self.workers_by_kind_area.get((kind, team.area)) or [
            w for (k, _), ws in self.workers_by_kind_area.items() if k == kind for w in ws
        ]
        worker, earlier_team = rng.choice(workers)
        closed = max(born + timedelta(days=2), before - timedelta(days=rng.randint(1, 120)))
        start = max(born + timedelta(days=1), closed - timedelta(days=rng.randint(30, 400)))
        audited = _between(rng, start, closed) if rng.random() < 0.3 else None
        return CaseRow(
            case_id=self._next_case_id(),
            team_id=earlier_team.team_id,
            allocated_worker_id=worker,
            case_type=case_type,
            start_date=start,
            closed_date=closed,
            last_audited_on=audited,
            child=child,
        )

    def _next_case_id(self) -> str:
        return f"C{next(self.case_numbers):06d}"

    def _disability(self, team: Team) -> str:
        rng = self.rng
        if team.kind == "cd":
            return rng.choice(DISABILITIES)
        roll = rng.random()
        return "None" if roll < 0.88 else rng.choice(DISABILITIES) if roll < 0.98 else ""

    def _last_audited(self, start: date, closed: date | None) -> date | None:
        """About a tenth audited in the last quarter (so not eligible this month), a third
        earlier, the rest never (or not known)."""
        rng, today = self.rng, self.today
        last = closed or today
        roll = rng.random()
        if roll < AUDITED_LAST_QUARTER_SHARE:
            return _between(rng, max(start, today - timedelta(days=QUARTER_DAYS)), last)
        earlier_end = min(last, today - timedelta(days=QUARTER_DAYS + 3))
        if roll < AUDITED_LAST_QUARTER_SHARE + AUDITED_EARLIER_SHARE and start <= earlier_end:
            return _between(rng, max(start, today - timedelta(days=900)), earlier_end)
        return None
