"""What the audit services refuse, in a shape the web form and the API both show (CONTRACTS §4):
each problem names the question, section or action it is about (`ref`), the field, and a
message a person can act on. The problem itself is core's one `Problem`."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from caseaudit.core.problems import Problem, Refused


class AuditRefused(Refused):
    """Refused by a rule: nothing was saved. `problems` lists every reason, not the first."""

    def __init__(self, problems: Iterable[Problem], message: str = "") -> None:
        problems = list(problems)
        count = len(problems)
        super().__init__(problems, message or f"Refused: {count} problem{'s' if count != 1 else ''}.")


class AuditReadOnly(AuditRefused):
    """The audit can no longer be changed at this stage (a submitted Stage 1 audit)."""

    detail = "The audit has been submitted and is read-only."


class TransitionNotAllowed(AuditRefused):
    """The audit's status cannot move that way (see machines.py)."""


class StaleVersion(Exception):
    """The caller loaded an older version of the audit: nothing was saved. `changed` says what
    changed since their version, {what: [value at their version, value now]}, so a form can show
    it and keep the person's own text."""

    def __init__(self, *, current_version: int, changed: dict[str, list[Any]] | None = None) -> None:
        self.current_version = current_version
        self.changed: dict[str, list[Any]] = dict(changed or {})
        super().__init__(
            f"The audit has changed since you loaded it: it is now at version {current_version}."
        )


class VersionRequired(StaleVersion):
    """A save that names no version, from a client other than the one that saved the audit last
    (CONTRACTS §5): its base is unknown, so it may be older than that save and would overwrite it
    unseen. Nothing was saved; `changed` is empty, as there is no version to compare with."""

    def __init__(self, *, current_version: int) -> None:
        super().__init__(current_version=current_version)
        self.args = (
            "Another client saved this audit since you may have loaded it: send the version you loaded "
            f"(it is now at version {current_version}).",
        )


@dataclass
class ProblemList:
    """Collects problems while a request is checked, so every one is reported at once."""

    problems: list[Problem] = field(default_factory=list)

    def add(self, ref: str, field_name: str, message: str) -> None:
        self.problems.append(Problem(ref, field_name, message))

    def extend(self, problems: list[Problem]) -> None:
        self.problems.extend(problems)

    def raise_if_any(self) -> None:
        if self.problems:
            raise AuditRefused(self.problems)

    def __bool__(self) -> bool:
        return bool(self.problems)
