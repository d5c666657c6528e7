"""The moderation panel's quarterly sample (MOD-4, CONTRACTS §9), as pure functions: no database.

Quarters are calendar quarters (January to March is Q1). The sample of one audit type in one
quarter is `ceil(pool × percent / 100)` audits of its pool, drawn with a seed (by default the year
and quarter as a number, 2026 Q4 → 20264) so that a rerun samples the same audits:

    ordered = sorted(set(pool))                     # audit pks, so the input's order never matters
    drawn = random.Random(seed).sample(ordered, size)

`random.Random` seeded with an int is Python's Mersenne Twister, whose output for a given seed is
stable across Python versions, as is `sample`'s algorithm (3.11 onwards); the drawn pks are then
sorted, so the draw is a set and its order is not a second source of variation."""

import random
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")
QUARTER_TOKEN = re.compile(r"^\s*(\d{4})\s*-?\s*[Qq]([1-4])\s*$")
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December")  # fmt: skip


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int  # 1..4

    def __post_init__(self) -> None:
        if not 1 <= self.number <= 4:
            raise ValueError("a quarter is numbered 1 to 4")

    @classmethod
    def parse(cls, token: str) -> "Quarter":
        """ "2026-Q4" (or "2026Q4") → Quarter(2026, 4); ValueError otherwise."""
        match = QUARTER_TOKEN.match(token or "")
        if match is None:
            raise ValueError(f"{token!r} is not a quarter: write it like 2026-Q4")
        return cls(int(match.group(1)), int(match.group(2)))

    @classmethod
    def of(cls, day: date) -> "Quarter":
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def last_complete(cls, today: date) -> "Quarter":
        """The latest quarter that has ended by `today`."""
        return cls.of(today).previous()

    @property
    def token(self) -> str:
        return f"{self.year}-Q{self.number}"

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> date:
        """Its last day."""
        return self.following().start - timedelta(days=1)

    @property
    def label(self) -> str:
        """ "October to December 2026"."""
        first = MONTHS[3 * self.number - 3]
        last = MONTHS[3 * self.number - 1]
        return f"{first} to {last} {self.year}"

    @property
    def default_seed(self) -> int:
        return self.year * 10 + self.number

    def previous(self) -> "Quarter":
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

    def following(self) -> "Quarter":
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    def bounds(self) -> tuple[datetime, datetime]:
        """[start, end) as aware datetimes, UK time: what "submitted in the quarter" means."""
        return (
            datetime.combine(self.start, time.min, tzinfo=LONDON),
            datetime.combine(self.following().start, time.min, tzinfo=LONDON),
        )

    def has_ended(self, today: date) -> bool:
        return self.end < today


def quarters_before(today: date, count: int) -> list[Quarter]:
    """The `count` latest complete quarters, newest first (what the sample page offers)."""
    quarters = [Quarter.last_complete(today)]
    while len(quarters) < count:
        quarters.append(quarters[-1].previous())
    return quarters


def sample_size(pool_size: int, percent: int) -> int:
    """ceil(pool × percent / 100), in integers (no floating point), never more than the pool."""
    if pool_size < 0 or not 0 <= percent <= 100:
        raise ValueError("the pool cannot be negative and the percentage is 0 to 100")
    return min(pool_size, -(-pool_size * percent // 100))


def was_rounded_up(pool_size: int, percent: int) -> bool:
    return (pool_size * percent) % 100 != 0


def sample_draw(pool: Iterable[int], *, percent: int, seed: int) -> list[int]:
    """The audit pks drawn from `pool` (see the module's docstring), ascending."""
    ordered = sorted(set(pool))
    size = sample_size(len(ordered), percent)
    return sorted(random.Random(seed).sample(ordered, size))  # noqa: S311 (reproducible, not secret)


def draw_why(
    *, seed: int, drawn: int, pool_size: int, type_label: str, quarter: Quarter, percent: int
) -> str:
    """ "Drawn by seed 20264: 2 of 9 thematic audits of October to December 2026, 20 % rounded up." """
    rounding = " rounded up" if was_rounded_up(pool_size, percent) else ""
    plural = type_label if pool_size == 1 else f"{type_label}s"
    return f"Drawn by seed {seed}: {drawn} of {pool_size} {plural} of {quarter.label}, {percent} %{rounding}."
