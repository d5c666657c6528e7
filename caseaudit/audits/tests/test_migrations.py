"""The audit's content moved into its questionnaire response (issue 9 A1) without losing a thing:
audits made before the move — one untouched, one in progress with answers and grades, one
submitted with an override — have, after it, responses with the same template version, version
counter, last client, overall grade, answers and section rows; they are read, saved and checked
for stale saves as before. Going back puts everything where it was."""

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from caseaudit.audits.models import Audit
from caseaudit.audits.selectors import audit_state
from caseaudit.audits.services import audit_save
from caseaudit.audits.tests.test_services_helpers import current_version_pk, templates_load
from caseaudit.conftest import Authority
from caseaudit.questionnaires.errors import StaleVersion

BEFORE_THE_MOVE = [("audits", "0002_audit_saved_by_client")]


def migrate(targets: list[tuple[str, str | None]]) -> Any:
    """Migrate to `targets` (empty: every app's latest) and return the models as they were there."""
    executor = MigrationExecutor(connection)
    targets = targets or executor.loader.graph.leaf_nodes()
    executor.migrate(targets)
    executor.loader.build_graph()
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


def old_audits(apps: Any, authority: Authority) -> dict[str, Any]:
    """Three audits as the old tables held them."""
    Audit_, Answer, Section = (
        apps.get_model("audits", name) for name in ("Audit", "AuditAnswer", "AuditSection")
    )
    version = current_version_pk("stage1_good_practice")
    auditor = authority.people["group_manager"]
    now = timezone.now()

    def audit(record: str, **fields: Any) -> Any:
        return Audit_.objects.create(
            case_id=authority.cases[record].pk,
            template_version_id=version,
            audit_type="good_practice",
            auditor_id=auditor.pk,
            created_at=now,
            updated_at=now,
            **fields,
        )

    untouched = audit("other_team", status="allocated")
    begun = audit("own_team", status="in_progress", version=4, saved_by_client="session:abc")
    done = audit(
        "own_team",
        status="submitted",
        version=9,
        saved_by_client="token:def",
        overall_grade="requires_improvement",
        overall_override_reason="The plan is not yet working",
    )
    for each in (untouched, begun, done):
        for ref in ("assessment", "planning"):
            Section.objects.create(audit=each, section_ref=ref)
    Answer.objects.create(audit=begun, question_ref="assessment.child_seen", value="yes")
    Answer.objects.create(audit=begun, question_ref="assessment.child_voice", value="yes")
    Answer.objects.create(
        audit=begun,
        question_ref="assessment.child_seen_alone",
        value="na",
        reason="Under 5",
        updated_by_id=auditor.user.pk,
    )
    Section.objects.filter(audit=begun, section_ref="assessment").update(
        grade="good", comments="Seen at home.", completed=True
    )
    Answer.objects.create(audit=done, question_ref="assessment.child_seen", value="no")
    Section.objects.filter(audit=done, section_ref="assessment").update(grade="requires_improvement")
    return {"untouched": untouched.pk, "begun": begun.pk, "done": done.pk}


@pytest.mark.django_db(transaction=True)
def test_audits_made_before_the_move_keep_their_content_in_their_responses(authority: Authority) -> None:
    templates_load()
    try:
        ids = old_audits(migrate(BEFORE_THE_MOVE), authority)
    finally:
        migrate([])

    assert "audits_auditanswer" not in connection.introspection.table_names()
    untouched, begun, done = (Audit.objects.get(pk=ids[name]) for name in ("untouched", "begun", "done"))
    assert len({untouched.response_id, begun.response_id, done.response_id}) == 3
    assert untouched.template_version.pk == current_version_pk("stage1_good_practice")
    assert (untouched.response.version, untouched.response.saved_by_client) == (1, "")
    assert sorted(audit_state(audit=untouched).sections) == ["assessment", "planning"]

    state = audit_state(audit=begun)
    assert (begun.response.version, begun.response.saved_by_client) == (4, "session:abc")
    assert {ref: (a.value, a.reason) for ref, a in state.answers.items()} == {
        "assessment.child_seen": ("yes", ""),
        "assessment.child_seen_alone": ("na", "Under 5"),
        "assessment.child_voice": ("yes", ""),
    }
    row = state.sections["assessment"]
    assert (row.grade, row.comments, row.completed) == ("good", "Seen at home.", True)

    response = done.response
    assert (response.version, response.overall_grade, response.overall_override_reason) == (
        9,
        "requires_improvement",
        "The plan is not yet working",
    )
    assert audit_state(audit=done).section_grades == {"assessment": "requires_improvement"}

    # Saved and checked for stale saves as any audit
    with pytest.raises(StaleVersion):
        audit_save(actor=begun.auditor.user, audit=begun, version=3, comments={"planning": "Late"})
    audit_save(actor=begun.auditor.user, audit=begun, version=4, comments={"planning": "On time"})
    assert begun.response.version == 5

    # And back again: the old fields and rows as they were
    try:
        before = migrate(BEFORE_THE_MOVE)
        old = before.get_model("audits", "Audit").objects.get(pk=ids["done"])
        assert (old.version, old.overall_grade, old.template_version_id) == (
            9,
            "requires_improvement",
            current_version_pk("stage1_good_practice"),
        )
        answers = before.get_model("audits", "AuditAnswer").objects.filter(audit_id=ids["begun"])
        assert sorted(answers.values_list("question_ref", "reason")) == [
            ("assessment.child_seen", ""),
            ("assessment.child_seen_alone", "Under 5"),
            ("assessment.child_voice", ""),
        ]
    finally:
        migrate([])
