"""`python manage.py load_demo`: the synthetic demo authority, imported like a real register."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from caseaudit.cases.models import Case
from caseaudit.core.calendar import month_label
from caseaudit.demo.generator import AUTHORITY_NAME
from caseaudit.demo.services import demo_authority_load


class Command(BaseCommand):
    help = "Generate the demo authority's register, import it and set up the demo sign-ins."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--seed", type=int, default=2026, help="same seed, same register (default 2026)")
        parser.add_argument("--children", type=int, default=3000, help="number of children (default 3000)")
        parser.add_argument("--staff", type=int, default=150, help="number of staff (default 150)")
        parser.add_argument(
            "--history-months",
            type=int,
            default=12,
            help="months of audited history before this month, for the reports (default 12; 0 for none)",
        )
        parser.add_argument(
            "--if-empty", action="store_true", help="do nothing if the register already has cases"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["if_empty"] and Case.objects.exists():
            self.stdout.write("The register already has cases: the demo is already loaded, nothing changed.")
            return
        if options["history_months"] > 0:
            self.stdout.write(
                f"Loading the demo authority, this month's story and {options['history_months']} months of "
                "history through the real services (a minute or two)..."
            )
        try:
            load = demo_authority_load(
                seed=options["seed"],
                children=options["children"],
                staff=options["staff"],
                history_months=options["history_months"],
            )
        except ValueError as error:
            raise CommandError(str(error)) from error
        if not load.ok:
            for problem in load.errors:
                self.stderr.write(str(problem))
            raise CommandError(f"The demo register was refused by the importer ({len(load.errors)} errors).")
        summary = load.summary
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {AUTHORITY_NAME}: {summary.areas} areas, {summary.teams} teams "
                f"({summary.eligible_teams} eligible for audit), {summary.staff} staff, "
                f"{summary.children} children, {summary.cases} cases ({summary.open_cases} open, "
                f"{summary.restricted_cases} restricted)."
            )
        )
        if load.story is not None:
            self.stdout.write(
                f"{month_label(load.story.month)} is allocated: {load.story.audits} Stage 1 audits, one of "
                "them the demo social worker's case for the demo group manager, with its discussion "
                "arranged and an access request to her restricted case waiting for the head of service."
            )
            later = load.story.after_stage1
            if later is not None:
                self.stdout.write(
                    f"After Stage 1: {later.awaiting_feedback} audit waiting for the worker's feedback, "
                    f"{later.disputed} disputed at the head of QA, {later.queued} in the moderation queue, "
                    f"{later.overdue} overdue with the moderator, {later.moderated} moderated with a changed "
                    f"grade, and a moderation panel with {len(later.sampled)} sampled audit(s)."
                )
            acts = load.story.actions
            if acts is not None:
                self.stdout.write(
                    f"Actions: {acts.signed_off} signed off, {acts.awaiting_sign_off} done and waiting for "
                    f"sign-off, {acts.overdue} overdue; escalations of Inadequate audits: "
                    f"{acts.escalations_open} open, {acts.escalations_closed} closed by the head of service; "
                    f"story boards: {acts.story_boards_published} published, "
                    f"{acts.story_boards_invited} to write."
                )
            history = load.story.history
            if history is not None:
                self.stdout.write(
                    f"A year of history for the reports: {history.audits} audits over "
                    f"{history.months} months, "
                    f"{history.moderated} moderated ({history.changed} with a grade changed), "
                    f"{history.escalations} escalation(s) closed; {history.themes_confirmed} themes "
                    "confirmed by QA over the last quarters."
                )
        self.stdout.write(f"{len(load.signins)} demo sign-ins ready: python manage.py demo_signins")
