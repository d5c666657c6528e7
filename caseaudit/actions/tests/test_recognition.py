"""Recognition (ESC-3): a final Good or Outstanding invites a story board and tells SMT; the worker
and the auditor write it, never with the child's name, date of birth or IDs; QA publishes it; all
staff read it and its PDF."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from caseaudit.actions.models import StoryBoard
from caseaudit.actions.recognition import recognition_invite, story_board_publish, story_board_save
from caseaudit.actions.services import ActionRefused
from caseaudit.actions.tests.helpers import audit_with_actions
from caseaudit.audits.machines import FINAL, audit_event
from caseaudit.conftest import Authority, user_for
from caseaudit.core.models import OutboxMessage
from caseaudit.org.models import Staff
from caseaudit.org.tests.factories import StaffFactory

pytestmark = pytest.mark.django_db

GOOD_STORY = {
    "title": "Hearing a child's wishes about contact",
    "what_we_did": "Met the child at school, where they felt safe, three times.",
    "what_changed": "Contact now happens at the weekend, as the child asked.",
    "what_others_can_learn": "Ask the child where they want to talk.",
}


def final_audit(authority: Authority, grade: str = "good") -> StoryBoard | None:
    audit = audit_with_actions(authority, grade=grade)
    audit_event(
        audit=audit, event="no_feedback_given", to_status=FINAL, actor=user_for(authority, "qa_officer")
    )
    audit.save()
    return StoryBoard.objects.filter(audit=audit).first()


def test_a_final_good_audit_invites_a_story_board_and_tells_smt(authority: Authority) -> None:
    smt = StaffFactory(staff_id="SMT", team=None, roles=["senior_manager"])
    board = final_audit(authority)
    assert board is not None and board.status == "invited"
    mails = OutboxMessage.objects.filter(related_type="story_board")
    assert any(authority.people["social_worker"].email in m.to for m in mails)
    assert any(smt.email in m.to for m in mails)
    assert all(authority.cases["own_team"].child.name not in m.body for m in mails)
    assert recognition_invite(audit=board.audit, actor=None) is None  # once per audit


def test_an_inadequate_final_audit_invites_none(authority: Authority) -> None:
    assert final_audit(authority, grade="inadequate") is None


def test_the_childs_name_dob_and_ids_are_refused(authority: Authority) -> None:
    board = final_audit(authority)
    assert board is not None
    child = board.audit.case.child
    worker = user_for(authority, "social_worker")
    first_name = child.name.split()[0]
    texts = {
        **GOOD_STORY,
        "what_we_did": f"We met {first_name} at school.",
        "what_changed": f"Case {board.audit.case.case_id} is now stepped down.",
    }
    if child.date_of_birth:
        texts["what_others_can_learn"] = f"Born {child.date_of_birth:%d/%m/%Y}."
    with pytest.raises(ActionRefused) as refused:
        story_board_save(actor=worker, board=board, texts=texts)
    fields = {problem.field for problem in refused.value.problems}
    assert {"what_we_did", "what_changed"} <= fields
    if child.date_of_birth:
        assert "what_others_can_learn" in fields
    board.refresh_from_db()
    assert board.what_we_did == ""


def test_written_sent_and_published_then_read_by_all_staff(authority: Authority) -> None:
    board = final_audit(authority)
    assert board is not None
    worker, qa = user_for(authority, "social_worker"), user_for(authority, "qa_officer")
    with pytest.raises(ActionRefused):
        story_board_save(actor=worker, board=board, texts={"title": "Only a title"}, send_to_qa=True)
    with pytest.raises(PermissionDenied):
        story_board_save(actor=Staff.objects.get(staff_id="SWB").user, board=board, texts=GOOD_STORY)
    other = Client()
    other.force_login(Staff.objects.get(staff_id="SWB").user)
    url = reverse("actions:story-board", args=[board.pk])
    assert other.get(url).status_code == 404  # not yet published
    story_board_save(actor=worker, board=board, texts=GOOD_STORY, send_to_qa=True)
    with pytest.raises(PermissionDenied):
        story_board_publish(actor=worker, board=board)
    story_board_publish(actor=qa, board=board)
    page = other.get(url).content.decode()
    assert "Ask the child where they want to talk." in page and "Download the story board (PDF)" in page
    assert "Hearing a child" in other.get(reverse("actions:story-boards")).content.decode()
    pdf = other.get(reverse("actions:story-board-pdf", args=[board.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content[:4] == b"%PDF"
    with pytest.raises(ActionRefused):
        story_board_save(actor=worker, board=board, texts=GOOD_STORY)


def test_the_worker_writes_it_on_the_page(authority: Authority) -> None:
    board = final_audit(authority)
    assert board is not None
    client = Client()
    client.force_login(user_for(authority, "social_worker"))
    url = reverse("actions:story-board", args=[board.pk])
    assert url in client.get(reverse("actions:story-boards")).content.decode()
    refused = client.post(url, {"step": "send", "title": "Half"})
    assert refused.status_code == 200 and 'href="#what_we_did"' in refused.content.decode()
    assert client.post(url, {"step": "send", **GOOD_STORY}).status_code == 302
    board.refresh_from_db()
    assert board.status == "submitted"
