"""The engine's writes: a new response to a template version, the stale-save check and the version
counter (CONTRACTS §5), and what changed since a version, read from the owner's history."""

import pytest

from caseaudit.audits.tests.test_services_helpers import templates_load
from caseaudit.core.services import audit_event_record
from caseaudit.questionnaires.errors import StaleVersion, VersionRequired
from caseaudit.questionnaires.models import Response
from caseaudit.questionnaires.selectors import changes_since, response_sections, response_state
from caseaudit.questionnaires.services import (
    UNNAMED_CLIENT,
    SaveLog,
    response_create,
    response_lock,
    response_version_raise,
)
from caseaudit.templates_library.selectors import template_version_current

pytestmark = pytest.mark.django_db

LOG = SaveLog(object_type="feedback", object_ref="7", action="feedback.saved")


@pytest.fixture
def response() -> Response:
    templates_load()
    version = template_version_current(ref="family_feedback")
    assert version is not None
    return response_create(template_version=version, section_refs=["consent", "questions"])


def test_a_new_response_is_empty_at_version_one(response: Response) -> None:
    assert (response.version, response.saved_by_client, response.overall_grade) == (1, "", "")
    assert sorted(response_sections(response=response)) == ["consent", "questions"]
    state = response_state(response=response)
    assert state.answers == {} and state.section_grades == {} and state.completed_sections == []


def test_a_stale_version_is_refused_with_what_changed_since(response: Response) -> None:
    raised = response_version_raise(response=response, client="session:a")
    audit_event_record(
        actor=None,
        action=LOG.action,
        object_type=LOG.object_type,
        object_ref=LOG.object_ref,
        summary="saved",
        changes={"version": raised, "comments.consent": ["", "Asked at home"]},
    )
    with pytest.raises(StaleVersion) as stale:
        response_lock(response=response, version=1, client="session:a", log=LOG)
    assert stale.value.current_version == 2
    assert stale.value.changed == {"comments.consent": ["", "Asked at home"]}
    response_lock(response=response, version=2, client="session:b", log=LOG)  # current: fine
    assert changes_since(object_type="feedback", object_ref="7", action=LOG.action, version=2) == {}


def test_without_a_version_only_the_client_that_saved_last_may_save(response: Response) -> None:
    response_lock(response=response, version=None, client="session:a", log=LOG)  # nobody saved yet
    response_version_raise(response=response, client="session:a")
    response_lock(response=response, version=None, client="session:a", log=LOG)
    response_lock(response=response, version=None, client=None, log=LOG)  # no client: not checked
    with pytest.raises(VersionRequired) as required:
        response_lock(response=response, version=None, client="token:b", log=LOG)
    assert required.value.current_version == 2 and required.value.changed == {}


def test_a_save_without_a_client_is_recorded_as_unnamed(response: Response) -> None:
    assert response_version_raise(response=response, client=None) == [1, 2]
    response.refresh_from_db()
    assert (response.version, response.saved_by_client) == (2, UNNAMED_CLIENT)
