"""The audit discussion (SEL-7) moved from the allocation app to this one (issue 9 A3) without
losing a row: a discussion arranged before the move is there after it, whole, in the renamed
table, and is changed through the service as before (same UID, SEQUENCE raised); the model's
content type follows it."""

import uuid
from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from caseaudit.access.tests.helpers import allocated, fresh, future
from caseaudit.audits.models import Discussion
from caseaudit.audits.services_discussions import discussion_arrange
from caseaudit.audits.tests.test_services_helpers import templates_load
from caseaudit.conftest import Authority

BEFORE_THE_MOVE = [
    ("allocation", "0002_accessrequest_moved_to_access"),
    ("audits", "0005_audit_content_in_responses"),
]


def migrate(targets: list[tuple[str, str | None]]) -> Any:
    """Migrate to `targets` (empty: every app's latest) and return the models as they were there."""
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


@pytest.mark.django_db(transaction=True)
def test_a_discussion_arranged_before_the_move_survives_it(authority: Authority) -> None:
    templates_load()
    audit = allocated(authority, "own_team")
    starts, meeting = future(days=20), uuid.uuid4()
    try:
        before = migrate(BEFORE_THE_MOVE)
        tables = connection.introspection.table_names()
        assert "allocation_discussion" in tables and "audits_discussion" not in tables
        assert ContentType.objects.filter(app_label="allocation", model="discussion").exists()
        old = before.get_model("allocation", "Discussion").objects.create(
            audit_id=audit.pk,
            uid=meeting,
            sequence=2,
            starts_at=starts,
            duration_minutes=45,
            location="Team office, room 2",
            online_link="https://meet.example.test/abc",
        )
    finally:
        migrate([])

    tables = connection.introspection.table_names()
    assert "audits_discussion" in tables and "allocation_discussion" not in tables
    moved = Discussion.objects.get(pk=old.pk)
    assert (moved.audit_id, moved.uid, moved.sequence, moved.cancelled) == (audit.pk, meeting, 2, False)
    assert (moved.starts_at, moved.duration_minutes) == (starts, 45)
    assert (moved.location, moved.online_link) == ("Team office, room 2", "https://meet.example.test/abc")
    assert audit.__class__.objects.get(pk=audit.pk).discussion == moved

    changed = discussion_arrange(
        actor=fresh(authority, "group_manager"),
        audit=audit,
        starts_at=future(days=21),
        duration_minutes=45,
        location="Team office, room 2",
        online_link="https://meet.example.test/abc",
    )
    assert (changed.pk, changed.uid, changed.sequence) == (moved.pk, meeting, 3)
    assert ContentType.objects.get_for_model(Discussion).app_label == "audits"
    assert not ContentType.objects.filter(app_label="allocation", model="discussion").exists()
