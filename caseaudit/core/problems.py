"""The one shape of "refused by a rule", shared by every app, the web forms and the API
(CONTRACTS §4): each problem names what it is about (`ref`: a question, section, action, case,
row or record), the field, a message a person can act on, and the rule's stable `code` where
the rule has one (e.g. "limiting_judgement_unmet").

Problems in uploaded files (a register, a template) keep their own shape, with file, line and
column (CONTRACTS §2): they are about places in a file, not fields of a record."""

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    ref: str
    field: str | None  # None: about the whole record
    message: str
    code: str = ""
    cause: str = ""  # the ref of what makes it so, e.g. the limiting judgement behind a refused grade

    def as_dict(self) -> dict[str, str | None]:
        """The API's error item, `{"ref", "field", "message"}`."""
        return {"ref": self.ref, "field": self.field, "message": self.message}


class Refused(Exception):
    """Refused by a rule: nothing was saved. `problems` lists every reason, not only the first.
    `status` is the API's answer (422; 409 for a conflict such as a month already allocated)."""

    status = 422
    detail = ""  # what the API says of the whole refusal, where it is always the same

    def __init__(self, problems: Iterable[Problem], message: str = "") -> None:
        self.problems = list(problems)
        super().__init__(message or "; ".join(problem.message for problem in self.problems) or "Refused")


def refuse(ref: str, field: str | None, message: str, *, code: str = "") -> Refused:
    """One problem, as a Refused to raise."""
    return Refused([Problem(ref, field, message, code)])
