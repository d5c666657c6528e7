"""`python manage.py demo_signins`: where to go and whom to sign in as."""

from typing import Any

from django.core.management.base import BaseCommand

from caseaudit.demo.generator import DEMO_PASSWORD
from caseaudit.demo.services import demo_signin_accounts

URL = "http://127.0.0.1:8000/"


class Command(BaseCommand):
    help = "Print the demo's address, password and one sign-in per role."

    def handle(self, *args: Any, **options: Any) -> None:
        accounts = demo_signin_accounts()
        if not accounts:
            self.stdout.write("No demo sign-ins exist yet: run python manage.py load_demo first.")
            return
        self.stdout.write(f"Open {URL} and sign in with one of these (password: {DEMO_PASSWORD})\n")
        role_width = max(len(signin.role) for signin, _ in accounts)
        email_width = max(len(signin.email) for signin, _ in accounts)
        for signin, user in accounts:
            name = str(user)
            self.stdout.write(
                f"  {signin.role:<{role_width}}  {signin.email:<{email_width}}  {name}\n"
                f"  {'':<{role_width}}  {signin.try_this}"
            )
