"""`python manage.py find_themes --from 2026-07-01 --to 2026-09-30 [--format json|text] [--save]`:
the themes of a period's free text (QA-2), offline. Without --save it changes nothing and prints
fresh suggestions (CONTRACTS §11's shape with --format json); with --save it stores them as the
period's suggestions for the QA officer (the themes page's "Suggest again")."""

import datetime
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from caseaudit.reports.selectors_themes import fresh_themes_json, themes_json
from caseaudit.reports.services_themes import themes_suggest


def _date(value: str, name: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--{name} {value!r} is not a date: write it as YYYY-MM-DD") from None


class Command(BaseCommand):
    help = "Find the themes of a period's free text (offline); --save stores them as suggestions."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--from", dest="start", required=True, help="first day, YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, help="last day, YYYY-MM-DD")
        parser.add_argument("--format", choices=["json", "text"], default="text")
        parser.add_argument("--save", action="store_true", help="store them as the period's suggestions")

    def handle(self, *args: Any, **options: Any) -> None:
        start, end = _date(options["start"], "from"), _date(options["end"], "to")
        if end < start:
            raise CommandError("--to must be on or after --from")
        if options["save"]:
            themes_suggest(actor=None, start=start, end=end)
            found = themes_json(start=start, end=end)
        else:
            found = fresh_themes_json(start=start, end=end)
        if options["format"] == "json":
            self.stdout.write(json.dumps(found, indent=2, ensure_ascii=False))
            return
        self.stdout.write(f"{len(found['themes'])} themes, {start} to {end}:")
        for theme in found["themes"]:
            audits = len({fragment["audit_id"] for fragment in theme["fragments"]})
            count = len(theme["fragments"])
            self.stdout.write(
                f"- {theme['label']} ({theme['kind']}, {theme['status']}): {count} fragments "
                f"from {audits} audits; key terms: {', '.join(theme['terms'])}"
            )
