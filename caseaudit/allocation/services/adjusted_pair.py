"""A QA officer's change to a draft (issue item 6): the reasons of the new (case, auditor) pair,
the warnings of the soft rules it breaks, and the draft's explanation brought up to date so that
its JSON stays in the shape of CONTRACTS §6 (every case once, every out-of-area pair relaxed).

Pure functions over the facts and the stored JSON; the service checks the hard rules first."""

import copy
from dataclasses import dataclass
from typing import Any

from caseaudit.allocation.engine import eligibility, explain
from caseaudit.allocation.models import AllocationItem, AllocationRun

# Stable codes (CONTRACTS §6) added by a change made on review.
ADJUSTED = "adjusted"
REPLACED = "replaced"
WARN_OUT_OF_AREA = "out_of_area"
WARN_OVER_LOAD = "over_load"
WARN_UNEVEN_LOAD = "uneven_load"
WARN_WORKER_HAS_SEVERAL = "worker_has_several"


@dataclass(frozen=True)
class AdjustedPair:
    case_id: str
    auditor_id: str
    auditor_name: str
    same_area: bool
    replaced: bool
    reasons: list[dict[str, str]]
    warnings: list[dict[str, str]]


def adjusted_pair(
    *,
    run: AllocationRun,
    item: AllocationItem,
    case: eligibility.CaseFacts,
    auditor: eligibility.AuditorFacts,
    replacing: bool,
    settings: eligibility.AllocationSettings,
    who: str,
    reason: str,
) -> AdjustedPair:
    """The new pair's reasons and warnings. The hard rules hold (the caller checked them)."""
    month = run.month
    kept = {} if replacing else {entry["code"]: entry for entry in item.reasons}
    same_area = eligibility.in_auditors_area(case, auditor)
    reasons = [
        kept.get("eligible")
        or _reason("eligible", eligibility.eligible_reason(case, month=month, settings=settings)),
        kept.get("priority") or _reason("priority", eligibility.priority_text(case, month)),
        *(_reason(fit.code, fit.message) for fit in explain.fit_reasons(case, auditor, relaxed=" on review")),
    ]
    done = (
        f"case {case.case_id} put in place of case {item.case.case_id}"
        if replacing
        else f"auditor changed from {item.auditor.name} to {auditor.who}"
    )
    reasons.append(_reason(ADJUSTED, f"{done} by {who} on review: {reason}"))
    if case.restricted:
        reasons.append(_reason("restricted_record", explain.RESTRICTED_RECORD))
    warnings = _warnings(run, item, case, auditor, same_area, replacing)
    return AdjustedPair(case.case_id, auditor.staff_id, auditor.who, same_area, replacing, reasons, warnings)


def _warnings(
    run: AllocationRun,
    item: AllocationItem,
    case: eligibility.CaseFacts,
    auditor: eligibility.AuditorFacts,
    same_area: bool,
    replacing: bool,
) -> list[dict[str, str]]:
    warnings = []
    if not same_area:
        warnings.append(
            _reason(
                WARN_OUT_OF_AREA,
                f"Case {case.case_id} is in {case.area or 'no area'} and {auditor.who} works in "
                f"{auditor.area or 'no area'}: the case is not in the auditor's area",
            )
        )
    loads = dict(run.result.get("auditor_load", {}))
    loads[item.auditor.staff_id] = loads.get(item.auditor.staff_id, 1) - 1
    loads[auditor.staff_id] = loads.get(auditor.staff_id, 0) + 1
    load = loads[auditor.staff_id]
    if load > run.per_auditor:
        warnings.append(
            _reason(
                WARN_OVER_LOAD,
                f"{auditor.who} will have {load} cases this month, more than the {run.per_auditor} "
                "each auditor is given",
            )
        )
    if loads and max(loads.values()) - min(loads.values()) > 1:
        warnings.append(
            _reason(
                WARN_UNEVEN_LOAD,
                f"Loads will range from {min(loads.values())} to {max(loads.values())} cases: they differ by "
                "more than one",
            )
        )
    if replacing and case.worker_id is not None:
        others = list(
            AllocationItem.objects.filter(run=run, case__allocated_worker__staff_id=case.worker_id)
            .exclude(pk=item.pk)
            .values_list("case__case_id", flat=True)
        )
        if others:
            warnings.append(
                _reason(
                    WARN_WORKER_HAS_SEVERAL,
                    f"{case.worker} already has case {', '.join(sorted(others))} in this allocation",
                )
            )
    return warnings


def result_after_adjustment(
    result: dict[str, Any], *, old_case_id: str, pair: AdjustedPair, who: str, reason: str
) -> dict[str, Any]:
    """The draft's JSON with the change made: the pair replaced, a replaced case passed over with
    its reason, the area relaxation restated, the loads recounted."""
    data = copy.deepcopy(result)
    data["allocations"] = sorted(
        [entry for entry in data.get("allocations", []) if entry["case_id"] != old_case_id]
        + [
            {
                "case_id": pair.case_id,
                "auditor_id": pair.auditor_id,
                "same_area": pair.same_area,
                "reasons": pair.reasons,
            }
        ],
        key=lambda entry: entry["case_id"],
    )
    relaxed = [
        entry
        for entry in data.get("relaxed", [])
        if entry["case_id"] != old_case_id or (not pair.replaced and entry["rule"] != "same_area")
    ]
    if not pair.same_area:
        relaxed.append(
            {
                "case_id": pair.case_id,
                "rule": "same_area",
                "code": ADJUSTED,
                "reason": f"{pair.auditor_name} was chosen by {who} on review: {reason}",
            }
        )
    data["relaxed"] = sorted(relaxed, key=lambda entry: (entry["case_id"], entry["rule"]))
    if pair.replaced:
        passed = [entry for entry in data.get("passed_over", []) if entry["case_id"] != pair.case_id]
        passed.append(
            {
                "case_id": old_case_id,
                "code": REPLACED,
                "reason": f"replaced by case {pair.case_id} by {who} on review: {reason}",
            }
        )
        data["passed_over"] = sorted(passed, key=lambda entry: entry["case_id"])
    loads = dict.fromkeys(data.get("auditor_load", {}), 0)
    for entry in data["allocations"]:
        loads[entry["auditor_id"]] = loads.get(entry["auditor_id"], 0) + 1
    data["auditor_load"] = dict(sorted(loads.items()))
    return data


def _reason(code: str, message: str) -> dict[str, str]:
    return {"code": code, "message": message}
