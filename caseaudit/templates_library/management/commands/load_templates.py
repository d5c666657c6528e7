"""`python manage.py load_templates [--dir PATH]`: check and load the YAML audit templates.

Exit status: 0 loaded (or nothing new); 1 a file is invalid (nothing loaded, every problem
listed with its file and JSON path); 2 no such directory."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from caseaudit.templates_library.documents import TemplateFilesInvalid
from caseaudit.templates_library.loader import templates_directory, templates_load


class Command(BaseCommand):
    help = "Check the YAML audit templates against their schema and load new versions (safe to re-run)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dir", type=Path, default=None, help=f"the template directory (default {templates_directory()})"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = templates_load(directory=options["dir"])
        except FileNotFoundError as error:
            raise CommandError(str(error), returncode=2) from error
        except TemplateFilesInvalid as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            count = len(error.problems)
            raise CommandError(
                f"Nothing loaded: {count} problem{'s' if count != 1 else ''} in the template files."
            ) from error
        for line in report.lines():
            self.stdout.write(line)
        if report.changed:
            self.stdout.write(self.style.SUCCESS("Templates loaded."))
