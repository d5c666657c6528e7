"""`python manage.py import_register PATH [--format json] [--actor STAFF_ID_OR_EMAIL]
[--confirm-removals]` (INT-1).

Exit status: 0 imported; 1 refused (errors in the data, removals not confirmed, the register
changed meanwhile; nothing written); 2 the command was used wrongly (no such path, unreadable
or too large archive, unknown actor)."""

import json
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from caseaudit.cases.importer import ImportOutcome, ImportSourceError, register_import_from_path
from caseaudit.cases.importer.problems import more_errors_text
from caseaudit.cases.importer.removals import removal_share
from caseaudit.org.models import Staff

TABLE_NAMES = {"teams": "Teams", "staff": "Staff", "children": "Children", "cases": "Cases"}


class Command(BaseCommand):
    help = "Import the case register: a folder or .zip of teams.csv, staff.csv, cases.csv, or an .xlsx."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", type=Path, help="Folder, .zip or .xlsx holding the register")
        parser.add_argument("--format", choices=["text", "json"], default="text", dest="output_format")
        parser.add_argument("--actor", default=None, help="Staff ID or email of the person importing")
        parser.add_argument(
            "--confirm-removals",
            action="store_true",
            help="import even if it deactivates or un-lists more than REGISTER_IMPORT_MAX_REMOVAL_SHARE",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        actor = self._actor(options["actor"])
        try:
            outcome = register_import_from_path(
                path=options["path"], actor=actor, via="command", confirm_removals=options["confirm_removals"]
            )
        except ImportSourceError as error:
            raise CommandError(str(error), returncode=2) from error
        if options["output_format"] == "json":
            self.stdout.write(json.dumps(outcome.as_json()))
        elif outcome.ok:
            self._print_summary(outcome)
        else:
            self._print_refusal(outcome)
        if not outcome.ok:
            sys.exit(1)

    def _print_refusal(self, outcome: ImportOutcome) -> None:
        for problem in outcome.errors:
            self.stdout.write(str(problem))
        if outcome.errors_not_listed:
            self.stdout.write(more_errors_text(outcome.errors_not_listed))
        for warning in outcome.warnings:
            self.stdout.write(f"Warning: {warning}")
        if outcome.confirmation_needed and outcome.removals is not None:
            self.stderr.write(
                f"Nothing was imported. {outcome.removals.message(removal_share())}: if the files are right, "
                "run the command again with --confirm-removals."
            )
        elif outcome.register_changed:
            self.stderr.write("Nothing was imported: the register changed meanwhile. Run the command again.")
        else:
            self.stderr.write(f"Nothing was imported: {outcome.error_count:,} error(s) to correct.")

    def _actor(self, reference: str | None) -> Any:
        if not reference:
            return None
        staff = (
            Staff.objects.select_related("user")
            .filter(Q(staff_id=reference) | Q(email__iexact=reference))
            .first()
        )
        if staff is None or staff.user is None:
            raise CommandError(f'--actor: no staff member "{reference}" with an account', returncode=2)
        return staff.user

    def _print_summary(self, outcome: ImportOutcome) -> None:
        self.stdout.write("Register imported.")
        for table, label in TABLE_NAMES.items():
            counts = outcome.counts[table]
            line = (
                f"{label}: {counts['created']} created, {counts['updated']} updated, "
                f"{counts['unchanged']} unchanged, {counts.get('not_in_latest_import', 0)} not in this import"
            )
            if "deactivated" in counts:
                line += f", {counts['deactivated']} deactivated"
            self.stdout.write(line)
        if outcome.warnings:
            self.stdout.write(f"Warnings ({len(outcome.warnings)}):")
            for warning in outcome.warnings:
                self.stdout.write(f"  {warning}")
