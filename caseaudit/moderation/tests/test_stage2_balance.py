"""Balancing a month's Stage 2 queue (MOD-2): the pure plan (least-loaded first, never a
conflicted moderator, ties by staff ID, deterministic, loads within one where the conflicts allow,
an audit nobody may take reported), and the preview and confirm with the database."""

import datetime

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from caseaudit.audits.models import Audit
from caseaudit.conftest import Authority
from caseaudit.core.models import OutboxMessage
from caseaudit.moderation.models import Moderation
from caseaudit.moderation.services.balance import (
    ModeratorLoad,
    QueuedAudit,
    balance_plan,
    moderation_balance_confirm,
    moderation_balance_preview,
)
from caseaudit.moderation.services.stage2 import ModerationTaken, moderation_take
from caseaudit.moderation.tests.helpers import people_added
from caseaudit.moderation.tests.test_stage2_helpers import in_moderation
from caseaudit.moderation.tests.test_stage2_views import client_for

MONTH = datetime.date(2026, 11, 1)


def queued(n: int, conflicted: frozenset[int] = frozenset()) -> QueuedAudit:
    return QueuedAudit(
        audit_id=n, case_id=f"C{n:04d}", due_date=datetime.date(2026, 12, 21), conflicted=conflicted
    )


def moderators(*loads: int) -> list[ModeratorLoad]:
    return [
        ModeratorLoad(pk, f"M{pk:02d}", f"Moderator {pk}", load) for pk, load in enumerate(loads, start=1)
    ]


def test_least_loaded_first_with_ties_by_staff_id() -> None:
    plan = balance_plan([queued(n) for n in range(1, 6)], moderators(2, 0, 0))
    # M02 and M03 tie at 0: M02 first; then M03; then both at 1 ...
    assert plan.assignments == {1: 2, 2: 3, 3: 2, 4: 3, 5: 1}
    assert plan.loads_after == {1: 3, 2: 2, 3: 2}


def test_a_conflicted_moderator_is_never_chosen_and_an_audit_nobody_may_take_is_reported() -> None:
    plan = balance_plan([queued(1, frozenset({1})), queued(2, frozenset({1, 2}))], moderators(0, 0))
    assert plan.assignments == {1: 2}
    assert plan.unassignable == [2]


@given(
    loads=st.lists(st.integers(min_value=0, max_value=3), min_size=1, max_size=8),
    count=st.integers(min_value=0, max_value=60),
    conflicts=st.lists(st.sets(st.integers(min_value=1, max_value=8), max_size=2), max_size=60),
)
def test_plans_respect_conflicts_are_deterministic_and_even(
    loads: list[int], count: int, conflicts: list[set[int]]
) -> None:
    audits = [queued(n, frozenset(conflicts[n] if n < len(conflicts) else ())) for n in range(count)]
    people = moderators(*loads)
    plan = balance_plan(audits, people)
    assert plan == balance_plan(list(reversed(audits)), people)  # the order given does not matter
    by_id = {audit.audit_id: audit for audit in audits}
    for audit_id, staff in plan.assignments.items():
        assert staff not in by_id[audit_id].conflicted
    assert set(plan.assignments) | set(plan.unassignable) == set(by_id)
    for audit_id in plan.unassignable:
        assert {m.staff_pk for m in people} <= by_id[audit_id].conflicted
    if not any(conflicts) and count >= sum(max(loads) - load for load in loads):
        after = plan.loads_after.values()
        assert max(after) - min(after) <= 1


@pytest.mark.django_db
def test_preview_then_confirm_assigns_the_months_queue_and_mails_each_moderator_once(
    authority: Authority,
) -> None:
    people = people_added(authority)
    audits = [in_moderation(authority), in_moderation(authority), in_moderation(authority, "other_team")]
    Audit.objects.filter(pk__in=[a.pk for a in audits]).update(allocation_month=MONTH)
    qa = people["qa_officer"].user
    preview = moderation_balance_preview(user=qa, month=MONTH)
    assert len(preview.plan.assignments) == 3 and not preview.plan.unassignable
    OutboxMessage.objects.all().delete()
    plan = moderation_balance_confirm(actor=qa, month=MONTH, fingerprint=preview.plan.fingerprint())
    assert plan.assignments == preview.plan.assignments
    counts = sorted(Moderation.objects.values_list("moderator__staff_id", flat=True))
    assert counts == ["MOD", "MOD", "MOD2"]
    assert OutboxMessage.objects.count() == 2
    assert not moderation_balance_preview(user=qa, month=MONTH).plan.assignments


@pytest.mark.django_db
def test_a_queue_changed_since_the_preview_is_refused(authority: Authority) -> None:
    people = people_added(authority)
    first, second = in_moderation(authority), in_moderation(authority, "other_team")
    Audit.objects.filter(pk__in=[first.pk, second.pk]).update(allocation_month=MONTH)
    qa = people["qa_officer"].user
    preview = moderation_balance_preview(user=qa, month=MONTH)
    moderation_take(actor=people["moderator_2"].user, audit=first)
    with pytest.raises(ModerationTaken, match="changed since you previewed"):
        moderation_balance_confirm(actor=qa, month=MONTH, fingerprint=preview.plan.fingerprint())
    assert Moderation.objects.filter(moderator__isnull=True).count() == 1


@pytest.mark.django_db
def test_the_balance_page_previews_then_confirms(authority: Authority) -> None:
    people_added(authority)
    audit = in_moderation(authority)
    Audit.objects.filter(pk=audit.pk).update(allocation_month=MONTH)
    client = client_for(authority, "qa_officer")
    page = client.get(reverse("moderation:balance") + "?month=2026-11")
    assert page.status_code == 200 and "The plan for November 2026" in page.content.decode()
    fingerprint = page.context["preview"]["fingerprint"]
    done = client.post(reverse("moderation:balance"), {"month": "2026-11", "fingerprint": fingerprint})
    assert done.status_code == 302
    assert Moderation.objects.get().moderator is not None
    assert client_for(authority, "moderator").get(reverse("moderation:balance")).status_code == 403
