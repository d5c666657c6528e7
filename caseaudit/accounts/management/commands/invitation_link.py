"""Print the invitation link with which a member of staff chooses their first password."""

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from caseaudit.accounts.services import invitation_path


class Command(BaseCommand):
    help = "Print the invitation link for the account with this email address (valid for 3 days)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email")
        parser.add_argument("--base-url", default="http://127.0.0.1:8000", help="the site's address")

    def handle(self, *args: Any, **options: Any) -> None:
        email = options["email"].strip().lower()
        user = get_user_model().objects.filter(username=email, is_active=True).first()
        if user is None:
            raise CommandError(f"no active account with the email address {email}", returncode=2)
        self.stdout.write(options["base_url"].rstrip("/") + invitation_path(user=user))
