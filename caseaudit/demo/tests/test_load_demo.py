"""`load_demo` imports the demo register with the real importer and prepares the sign-ins."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from caseaudit.cases.models import Case, Child
from caseaudit.demo.generator import AUTHORITY_NAME, DEMO_PASSWORD, DEMO_SIGNINS
from caseaudit.org.models import Authority, Staff

pytestmark = pytest.mark.django_db

SMALL = ("--children", "120", "--staff", "60", "--history-months", "0")  # history: test_history.py


def run(*arguments: str) -> str:
    out = StringIO()
    call_command(*arguments, stdout=out)
    return out.getvalue()


def test_load_demo_imports_the_register_and_sets_up_the_sign_ins() -> None:
    output = run("load_demo", *SMALL)

    assert "Loaded Northshire County Council (demo)" in output
    assert Child.objects.count() == 120
    assert Case.objects.count() >= 120
    assert Staff.objects.count() == 60
    # The demo authority is an imported register: its staff are imported staff (issue 15).
    assert not Staff.objects.filter(created_by_import=False).exists()
    assert Case.objects.filter(
        allocated_worker__email="social.worker@northshire.example", restricted=True
    ).exists()
    authority = Authority.objects.get()
    assert (authority.name, authority.nation) == (AUTHORITY_NAME, "england")
    users = get_user_model().objects.filter(username__in=[signin.email for signin in DEMO_SIGNINS])
    assert users.count() == len(DEMO_SIGNINS)
    assert all(user.check_password(DEMO_PASSWORD) for user in users)
    # Everyone else keeps the importer's unusable password until they accept an invitation.
    others = get_user_model().objects.exclude(pk__in=users)
    assert others.exists()
    assert not any(user.has_usable_password() for user in others)


def test_load_demo_if_empty_leaves_a_loaded_register_alone() -> None:
    run("load_demo", *SMALL, "--seed", "1")
    cases = Case.objects.count()

    output = run("load_demo", "--if-empty", "--children", "300", "--staff", "60", "--history-months", "0")

    assert "already loaded" in output
    assert Case.objects.count() == cases


def test_loading_a_smaller_demo_replaces_the_larger_one() -> None:
    run("load_demo", *SMALL)

    # Half the children: more than the importer takes out of the latest import without
    # confirmation, but loading the demo is itself the confirmation.
    output = run("load_demo", "--children", "60", "--staff", "60", "--history-months", "0")

    assert "Loaded Northshire County Council (demo)" in output
    assert Staff.objects.filter(is_active=True).count() == 60
    assert Child.objects.filter(in_latest_import=True).count() == 60


def test_load_demo_refuses_too_few_staff() -> None:
    with pytest.raises(CommandError, match="at least"):
        run("load_demo", "--children", "10", "--staff", "5", "--history-months", "0")
    assert not Case.objects.exists()


def test_demo_signins_lists_the_accounts_with_url_and_password() -> None:
    assert "load_demo" in run("demo_signins")
    run("load_demo", *SMALL)

    output = run("demo_signins")

    assert "http://127.0.0.1:8000/" in output
    assert DEMO_PASSWORD in output
    for signin in DEMO_SIGNINS:
        assert signin.email in output
        assert signin.role in output
