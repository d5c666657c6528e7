"""What the audit services refuse, in a shape the web form and the API both show (CONTRACTS §4):
each problem names the question, section or action it is about (`ref`), the field, and a
message a person can act on. The problem itself is core's one `Problem`. A stale save is the
questionnaire engine's (questionnaires.errors.StaleVersion, VersionRequired)."""

from collections.abc import Iterable
from dataclasses import dataclass, field

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
