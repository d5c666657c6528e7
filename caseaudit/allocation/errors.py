"""What the allocation services refuse, in the shape the pages and the API both show
(CONTRACTS §4): each problem (core's one `Problem`) names the row it is about (`ref`: a case ID,
"allocation" or "settings"), the field, and a message a person can act on."""

from caseaudit.core.problems import Problem, Refused


class AllocationRefused(Refused):
    """Refused by a rule: nothing was saved. `problems` lists every reason, not only the first."""


class AllocationAlreadyConfirmed(AllocationRefused):
    """The month already has a confirmed allocation (SEL-1: one per month): a conflict (409)."""

    status = 409

    def __init__(self, message: str) -> None:
        super().__init__([Problem("allocation", "month", message)], message)
        self.detail = message
