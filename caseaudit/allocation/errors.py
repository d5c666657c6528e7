"""What the allocation services refuse, in the shape the pages and the API both show
(CONTRACTS §4): each problem names the row it is about (`ref`: a case ID, "allocation" or
"settings"), the field, and a message a person can act on."""

from dataclasses import dataclass


@dataclass(frozen=True)
class AllocationProblem:
    ref: str
    field: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"ref": self.ref, "field": self.field, "message": self.message}


class AllocationRefused(Exception):
    """Refused by a rule: nothing was saved. `problems` lists every reason, not only the first."""

    def __init__(self, problems: list[AllocationProblem], message: str = "") -> None:
        self.problems = list(problems)
        super().__init__(message or "; ".join(problem.message for problem in self.problems) or "Refused")


class AllocationAlreadyConfirmed(AllocationRefused):
    """The month already has a confirmed allocation (SEL-1: one per month)."""

    def __init__(self, message: str) -> None:
        super().__init__([AllocationProblem("allocation", "month", message)], message)


def refuse(ref: str, field: str, message: str) -> AllocationRefused:
    return AllocationRefused([AllocationProblem(ref, field, message)])
