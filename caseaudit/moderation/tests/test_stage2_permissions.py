"""Who may do what in Stage 2 (SEC-1, CONTRACTS §3, §9): view the queue, assign a moderator, take
an audit, moderate and complete it, over the actors of the brief — the worker (SWA), their practice
manager (PMA), another team's worker (SWB), the auditor (GMB), a moderator (MOD), a conflicted
moderator (GMB-as-moderator: the auditor holding the moderator role), QA (QA1), the head of QA
(HQA), the panel chair (CHAIR) — on an audit of the own team and on a restricted one.

404: may not see the audit; 403: may see it but may not do this."""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from caseaudit.audits.models import Audit
from caseaudit.conftest import Authority
from caseaudit.moderation.tests.helpers import people_added
from caseaudit.moderation.tests.test_stage2_helpers import assigned, in_moderation, moderation
from caseaudit.org.models import Staff

pytestmark = pytest.mark.django_db

ACTORS = ["SWA", "PMA", "SWB", "GMB", "MOD", "CONFLICTED", "QA1", "HQA", "CHAIR"]


def client_of(authority: Authority, actor: str) -> Client:
    people_added(authority)
    if actor == "CONFLICTED":
        person = Staff.objects.get(staff_id="GMB")
        person.roles.get_or_create(role="moderator")
    else:
        person = Staff.objects.get(staff_id=actor)
    client = Client()
    client.force_login(person.user)
    return client


QUEUE = {"MOD": 200, "CONFLICTED": 200, "QA1": 200, "HQA": 200}


@pytest.mark.parametrize("actor", ACTORS)
def test_view_queue(authority: Authority, actor: str) -> None:
    assert client_of(authority, actor).get(reverse("moderation:queue")).status_code == QUEUE.get(actor, 404)


# Who may see the own team's audit at all (else 404): everyone but the other team's worker.
SEES = {"SWA", "PMA", "GMB", "MOD", "CONFLICTED", "QA1", "HQA", "CHAIR"}


def expected(actor: str, allowed: set[str], ok: int) -> int:
    if actor in allowed:
        return ok
    return 403 if actor in SEES else 404


@pytest.mark.parametrize("actor", ACTORS)
def test_assign(authority: Authority, actor: str) -> None:
    audit = in_moderation(authority)
    response = client_of(authority, actor).get(reverse("moderation:assign", args=[audit.pk]))
    assert response.status_code == expected(actor, {"QA1", "HQA"}, 200)


@pytest.mark.parametrize("actor", ACTORS)
def test_take(authority: Authority, actor: str) -> None:
    audit = in_moderation(authority)
    response = client_of(authority, actor).post(reverse("moderation:take", args=[audit.pk]))
    assert response.status_code == expected(actor, {"MOD"}, 302)
    taken = moderation(audit).moderator
    assert (taken is not None and taken.staff_id == actor) == (actor == "MOD")


@pytest.mark.parametrize("actor", ACTORS)
def test_moderate_and_complete(authority: Authority, actor: str) -> None:
    audit = in_moderation(authority)
    assigned(authority, audit)  # to MOD
    client = client_of(authority, actor)
    page = client.get(reverse("moderation:moderate", args=[audit.pk]))
    assert page.status_code == expected(actor, {"MOD"}, 200)
    complete = client.post(reverse("moderation:complete", args=[audit.pk]))
    assert complete.status_code == expected(actor, {"MOD"}, 422)  # MOD: refused as not filled in yet
    assert Audit.objects.get(pk=audit.pk).status == "moderation"


@pytest.mark.parametrize("actor", ["MOD", "QA1", "HQA", "CHAIR", "SWA", "GMB"])
def test_a_restricted_audit_is_never_listed_or_opened(authority: Authority, actor: str) -> None:
    audit = in_moderation(authority, "restricted")
    client = client_of(authority, actor)
    queue: Any = client.get(reverse("moderation:queue"))
    assert "C-RESTRICTED" not in queue.content.decode()
    for name in ("assign", "moderate"):
        assert client.get(reverse(f"moderation:{name}", args=[audit.pk])).status_code == 404
    assert client.post(reverse("moderation:take", args=[audit.pk])).status_code == 404
