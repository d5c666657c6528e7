"""The outcome of a monthly allocation and its JSON (CONTRACTS §6)."""

from dataclasses import dataclass, field
from datetime import date
from typing import Any


@dataclass(frozen=True)
class Reason:
    code: str
    message: str


@dataclass(frozen=True)
class Allocation:
    case_id: str
    auditor_id: str
    same_area: bool
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class PassedOver:
    case_id: str
    code: str
    reason: str


@dataclass(frozen=True)
class Relaxation:
    case_id: str
    rule: str  # "same_area" or "spread": the only rules that may relax (CONTRACTS §6)
    code: str
    reason: str


@dataclass(frozen=True)
class AllocationResult:
    month: date
    seed: int
    per_auditor: int
    allocations: list[Allocation] = field(default_factory=list)
    passed_over: list[PassedOver] = field(default_factory=list)
    relaxed: list[Relaxation] = field(default_factory=list)
    auditor_load: dict[str, int] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "month": f"{self.month:%Y-%m}",
            "seed": self.seed,
            "allocations": [
                {
                    "case_id": allocation.case_id,
                    "auditor_id": allocation.auditor_id,
                    "same_area": allocation.same_area,
                    "reasons": [{"code": r.code, "message": r.message} for r in allocation.reasons],
                }
                for allocation in self.allocations
            ],
            "passed_over": [
                {"case_id": item.case_id, "code": item.code, "reason": item.reason}
                for item in self.passed_over
            ],
            "relaxed": [
                {"case_id": item.case_id, "rule": item.rule, "code": item.code, "reason": item.reason}
                for item in self.relaxed
            ],
            "auditor_load": dict(self.auditor_load),
        }
