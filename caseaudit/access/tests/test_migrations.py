"""AccessRequest moved from the allocation app to this one (issue 9 A3) without losing a row: a
request made before the move is there after it, whole, in the renamed table, and still decided
through the service; the model's content type follows it."""

from typing import Any

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from caseaudit.access.models import AccessRequest
from caseaudit.access.tests.helpers import decide
from caseaudit.conftest import Authority

BEFORE_THE_MOVE = [("allocation", "0001_initial"), ("access", None)]


def migrate(targets: list[tuple[str, str | None]]) -> Any:
    """Migrate to `targets` (empty: every app's latest) and return the models as they were there."""
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


@pytest.mark.django_db(transaction=True)
def test_a_request_made_before_the_move_survives_it(authority: Authority) -> None:
    case = authority.cases["restricted"]
    requester, approver = authority.people["group_manager"], authority.people["head_of_service"]
    try:
        before = migrate(BEFORE_THE_MOVE)
        assert "allocation_accessrequest" in connection.introspection.table_names()
        old = before.get_model("allocation", "AccessRequest").objects.create(
            case_id=case.pk,
            requester_id=requester.pk,
            approver_id=approver.pk,
            reason="Asked before the move",
        )
    finally:
        migrate([])

    tables = connection.introspection.table_names()
    assert "access_accessrequest" in tables and "allocation_accessrequest" not in tables
    moved = AccessRequest.objects.get(pk=old.pk)
    assert (moved.case, moved.requester, moved.approver) == (case, requester, approver)
    assert (moved.reason, moved.status) == ("Asked before the move", AccessRequest.Status.PENDING)
    assert decide(authority, moved, grant=True).status == AccessRequest.Status.GRANTED
    assert ContentType.objects.get_for_model(AccessRequest).app_label == "access"
    assert not ContentType.objects.filter(app_label="allocation", model="accessrequest").exists()
