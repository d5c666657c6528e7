"""`python manage.py allocate --month YYYY-MM [--seed N] [--per-auditor N] [--dry-run]
[--format json] [--actor STAFF_ID]` (SEL-1..SEL-5, CONTRACTS §6).

Without `--dry-run` it drafts the month and confirms it, recorded as done by `--actor`.
Exit status: 0 done; 1 refused by a rule (e.g. the month is already allocated); 2 the command
was used wrongly (bad month, unknown actor, no `--actor` without `--dry-run`)."""

import contextlib
import json
import re
import sys
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from caseaudit.allocation.engine.eligibility import default_seed
from caseaudit.allocation.engine.solver import allocate
from caseaudit.allocation.errors import AllocationRefused
from caseaudit.allocation.facts import allocation_facts
from caseaudit.allocation.selectors import allocation_settings_get
from caseaudit.allocation.services.confirm import allocation_confirm
from caseaudit.allocation.services.drafts import MAX_PER_AUDITOR, allocation_draft
from caseaudit.core.calendar import month_label
from caseaudit.org.selectors import staff_list

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class Command(BaseCommand):
    help = "Select and allocate the month's Good Practice audits; without --dry-run, confirm them."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--month", required=True, help="The month to allocate, YYYY-MM")
        parser.add_argument(
            "--seed", type=int, default=None, help="Tie-break seed (default: the month, 202612)"
        )
        parser.add_argument("--per-auditor", type=int, default=None, dest="per_auditor")
        parser.add_argument("--dry-run", action="store_true", dest="dry_run", help="Show it; write nothing")
        parser.add_argument("--format", choices=["text", "json"], default="text", dest="output_format")
        parser.add_argument("--actor", default=None, help="Staff ID of the person confirming")

    def handle(self, *args: Any, **options: Any) -> None:
        month = _month(options["month"])
        per_auditor = options["per_auditor"]
        if per_auditor is not None and not 0 <= per_auditor <= MAX_PER_AUDITOR:
            raise CommandError(f"--per-auditor must be 0 to {MAX_PER_AUDITOR}", returncode=2)
        as_json = options["output_format"] == "json"
        if options["dry_run"]:
            data = _dry_run(month, options["seed"], per_auditor)
            self._print(data, as_json=as_json, confirmed=None)
            return
        actor = _actor(options["actor"])
        try:
            # Mail goes out after commit; a console mail backend (development) must not mix it into
            # the command's own output, which may be JSON for another program.
            with contextlib.redirect_stdout(sys.stderr):
                run = allocation_draft(
                    actor=actor, month=month, seed=options["seed"], per_auditor=per_auditor
                )
                run = allocation_confirm(actor=actor, run=run)
        except AllocationRefused as refused:
            if as_json:
                errors = [problem.as_dict() for problem in refused.problems]
                self.stdout.write(json.dumps({"ok": False, "errors": errors}))
            for problem in refused.problems:
                self.stderr.write(problem.message)
            sys.exit(1)
        self._print(run.result, as_json=as_json, confirmed=run)

    def _print(self, data: dict[str, Any], *, as_json: bool, confirmed: Any) -> None:
        if as_json:
            self.stdout.write(json.dumps(data))
            return
        allocations = data["allocations"]
        same = sum(1 for pair in allocations if pair["same_area"])
        self.stdout.write(
            f"{data['month']}: {len(allocations)} cases for {len(data['auditor_load'])} auditors "
            f"(seed {data['seed']}); {same} in the auditor's area; {len(data['relaxed'])} relaxed; "
            f"{len(data['passed_over'])} passed over."
        )
        for pair in allocations:
            area = "same area" if pair["same_area"] else "out of area"
            self.stdout.write(f"  {pair['case_id']} -> {pair['auditor_id']} ({area})")
        for entry in data["relaxed"]:
            self.stdout.write(f"  relaxed {entry['rule']} for {entry['case_id']}: {entry['reason']}")
        if confirmed is None:
            self.stdout.write("Dry run: nothing was saved.")
        else:
            self.stdout.write(
                f"Confirmed {month_label(confirmed.month)}: {len(allocations)} Stage 1 audits allocated; "
                "each auditor is emailed."
            )


def _month(text: str) -> date:
    match = MONTH.match(text or "")
    if match is None or not 1 <= int(match.group(2)) <= 12 or int(match.group(1)) < 1900:
        raise CommandError(f"--month must be YYYY-MM, e.g. 2026-12, not {text!r}", returncode=2)
    return date(int(match.group(1)), int(match.group(2)), 1)


def _dry_run(month: date, seed: int | None, per_auditor: int | None) -> dict[str, Any]:
    settings = allocation_settings_get()
    facts = allocation_facts(month=month, settings=settings)
    result = allocate(
        facts.cases,
        facts.auditors,
        month=month,
        seed=default_seed(month) if seed is None else seed,
        per_auditor=settings.cases_per_auditor if per_auditor is None else per_auditor,
        settings=facts.settings,
    )
    return result.as_json()


def _actor(staff_id: str | None) -> Any:
    if not staff_id:
        raise CommandError("--actor STAFF_ID is required to confirm (or use --dry-run)", returncode=2)
    staff = staff_list().filter(staff_id=staff_id).select_related("user").first()
    if staff is None or staff.user is None or not staff.is_active:
        raise CommandError(f'--actor: no active staff member "{staff_id}" with an account', returncode=2)
    if not staff.user.has_perm("allocation.run_allocation"):
        raise CommandError(
            f"--actor: {staff_id} may not run the allocation (QA officers and the head of QA may)",
            returncode=2,
        )
    return staff.user
