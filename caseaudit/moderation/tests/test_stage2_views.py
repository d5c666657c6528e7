"""Stage 2 pages (MOD-1, MOD-2): the queue (scoped, filtered, a constant number of queries), the
assign page, taking, the Stage 2 form (limiting judgements refused at save, the rest kept), the
discussion page, completion, the QA inbox, the audit page's panel and the home page."""

import datetime
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from caseaudit.audits.models import Audit
from caseaudit.audits.services_grades import later_grade_problems
from caseaudit.conftest import Authority, user_for
from caseaudit.moderation.models import Moderation, ModerationGrade, QaInboxItem
from caseaudit.moderation.services.stage2 import GradeInput, moderation_complete
from caseaudit.moderation.tests.helpers import people_added
from caseaudit.moderation.tests.test_stage2_helpers import (
    ANSWERS,
    assigned,
    filled,
    in_moderation,
    limited_in_moderation,
    moderation,
    refs_of,
)
from caseaudit.questionnaires.forms import question_field_id

pytestmark = pytest.mark.django_db


def client_for(authority: Authority, who: str) -> Client:
    client = Client()
    client.force_login(user_for(authority, who))
    return client


def form_post(
    audit: Audit, *, grades: dict[str, tuple[str, str, str]] | None = None, **extra: Any
) -> dict[str, Any]:
    """What the Stage 2 form posts: every answer of ANSWERS, each grade agreed unless in `grades`."""
    data: dict[str, Any] = {"version": str(moderation(audit).response.version), "action_count": "1"}
    data[question_field_id("discussion.date") + "-day"] = "12"
    data[question_field_id("discussion.date") + "-month"] = "1"
    data[question_field_id("discussion.date") + "-year"] = "2027"
    data[question_field_id("discussion.attendees")] = ANSWERS["discussion.attendees"]
    data[question_field_id("discussion.record")] = ANSWERS["discussion.record"]
    data[question_field_id("difference.made_a_difference")] = "yes"
    data[question_field_id("difference.evidence")] = ANSWERS["difference.evidence"]
    for ref in refs_of(audit):
        agree, grade, reason = (grades or {}).get(ref, ("yes", "", ""))
        data[f"grade-{ref}-agree"] = agree
        data[f"grade-{ref}-grade"] = grade
        data[f"grade-{ref}-reason"] = reason
    data.update(extra)
    return data


# --- the queue ---------------------------------------------------------------------------------


def test_the_queue_lists_visible_audits_with_due_dates_and_overdue(authority: Authority) -> None:
    audit = in_moderation(authority)
    hidden = in_moderation(authority, "restricted")
    Moderation.objects.filter(audit=audit).update(due_date=timezone.localdate() - datetime.timedelta(days=1))
    response = client_for(authority, "qa_officer").get(reverse("moderation:queue"))
    assert response.status_code == 200
    text = response.content.decode()
    assert "C-OWN" in text and "Not assigned" in text and "Overdue" in text
    assert "C-RESTRICTED" not in text and f"queue-{hidden.pk}" not in text


def test_the_queue_filters_by_assignment(authority: Authority) -> None:
    mine = in_moderation(authority)
    other = in_moderation(authority, "other_team")
    assigned(authority, mine)
    client = client_for(authority, "moderator")
    text = client.get(reverse("moderation:queue") + "?assigned=unassigned").content.decode()
    assert f"queue-{other.pk}" in text and f"queue-{mine.pk}" not in text
    text = client.get(reverse("moderation:queue") + "?assigned=mine").content.decode()
    assert f"queue-{mine.pk}" in text and f"queue-{other.pk}" not in text


def test_the_queue_is_not_for_workers(authority: Authority) -> None:
    assert client_for(authority, "social_worker").get(reverse("moderation:queue")).status_code == 404


def test_the_queue_makes_the_same_number_of_queries_for_many_audits(
    authority: Authority, django_assert_max_num_queries: Any
) -> None:
    from bench.moderation import add_queued_audits

    first = in_moderation(authority)
    client = client_for(authority, "qa_officer")
    client.get(reverse("moderation:queue"))  # warm caches (template versions, sessions)
    with django_assert_max_num_queries(15) as few:
        assert client.get(reverse("moderation:queue")).status_code == 200
    add_queued_audits(template_audit=first, total=60)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("moderation:queue"))
    assert response.status_code == 200 and response.content.decode().count('id="queue-') == 50


# --- assign and take ---------------------------------------------------------------------------


def test_qa_assign_on_the_page_and_a_conflicted_moderator_is_refused(authority: Authority) -> None:
    audit = in_moderation(authority)
    authority.people["group_manager"].roles.create(role="moderator")
    client = client_for(authority, "qa_officer")
    url = reverse("moderation:assign", args=[audit.pk])
    page = client.get(url).content.decode()
    assert "may not: they conducted the audit" in page
    refused = client.post(url, {"moderator": "GMB"})
    assert refused.status_code == 422
    assert "may not moderate this audit: they conducted the audit" in refused.content.decode()
    assert client.post(url, {"moderator": "MOD"}).status_code == 302
    assert moderation(audit).moderator == authority.people["moderator"]


def test_taking_from_the_queue_and_the_second_is_told(authority: Authority) -> None:
    people = people_added(authority)
    audit = in_moderation(authority)
    url = reverse("moderation:take", args=[audit.pk])
    assert client_for(authority, "moderator").post(url).status_code == 302
    second = client_for(authority, "moderator_2").post(url)
    assert second.status_code == 409
    assert f"already been taken by {people['moderator'].name}" in second.content.decode()


# --- the form ----------------------------------------------------------------------------------


def test_the_form_shows_the_template_questions_and_stage1_grades_without_practitioner_feedback(
    authority: Authority,
) -> None:
    audit = limited_in_moderation(authority)
    assigned(authority, audit)
    page = client_for(authority, "moderator").get(reverse("moderation:moderate", args=[audit.pk]))
    assert page.status_code == 200
    text = page.content.decode()
    assert "Date of the reflective discussion" in text and "Who took part?" in text
    assert "Have we made a difference for the child or young person?" in text
    assert "Stage 1 grade: <strong>Requires improvement</strong>" in text
    assert "&#x27;Was the child seen during the assessment?&#x27;: No." in text
    assert "practitioner_feedback" not in text and "The practitioner&#x27;s feedback" not in text


def test_a_grade_past_a_limiting_judgement_is_refused_and_the_rest_saved(authority: Authority) -> None:
    audit = limited_in_moderation(authority)
    assigned(authority, audit)
    url = reverse("moderation:moderate", args=[audit.pk])
    message = later_grade_problems(audit=audit, grades={"assessment": "good"}, reasons={})[0].message
    response = client_for(authority, "moderator").post(
        url, form_post(audit, grades={"assessment": ("no", "good", "It was better")})
    )
    assert response.status_code == 422
    text = response.content.decode()
    assert message.replace("'", "&#x27;") in text and "saved-in-part" in text
    assert "It was better" in text  # what was typed is kept
    assert not ModerationGrade.objects.filter(ref="assessment").exists()
    assert ModerationGrade.objects.filter(ref="planning", agree=True).exists()


def test_a_grade_changed_down_and_an_action_added(authority: Authority) -> None:
    audit = in_moderation(authority)
    assigned(authority, audit)
    due = timezone.localdate() + datetime.timedelta(days=14)  # within 4 weeks of today (ACT-2)
    data = form_post(
        audit,
        grades={"planning": ("no", "requires_improvement", "No SMART outcomes.")},
        **{
            "action-0-what": "Make the plan SMART",
            "action-0-owner_id": "PMA",
            "action-0-due_date-day": str(due.day),
            "action-0-due_date-month": str(due.month),
            "action-0-due_date-year": str(due.year),
            "action-0-impact": "The family know what will change.",
        },
    )
    response = client_for(authority, "moderator").post(reverse("moderation:moderate", args=[audit.pk]), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    grade = ModerationGrade.objects.get(ref="planning")
    assert (grade.agree, grade.grade) == (False, "requires_improvement")
    assert audit.actions.filter(what="Make the plan SMART").exists()


def test_completion_on_the_page_is_refused_with_every_problem_then_done(authority: Authority) -> None:
    audit = in_moderation(authority)
    assigned(authority, audit)
    client = client_for(authority, "moderator")
    url = reverse("moderation:complete", args=[audit.pk])
    refused = client.post(url)
    assert refused.status_code == 422
    text = refused.content.decode()
    assert "Answer &#x27;Date of the reflective discussion&#x27;" in text
    assert "Say whether you agree with the auditor&#x27;s grade for Assessment" in text
    done = client.post(url, form_post(audit))
    assert done.status_code == 302
    audit.refresh_from_db()
    assert audit.status == "final" and audit.documents.filter(stage="stage2").exists()


def test_the_discussion_page_arranges_the_invite(authority: Authority) -> None:
    audit = in_moderation(authority)
    assigned(authority, audit)
    day = timezone.localdate() + datetime.timedelta(days=10)
    response = client_for(authority, "moderator").post(
        reverse("moderation:meeting", args=[audit.pk]),
        {
            "day": day.day,
            "month": day.month,
            "year": day.year,
            "time": "10:00",
            "duration_minutes": "60",
            "location": "Room 2",
        },
    )
    assert response.status_code == 302
    assert moderation(audit).meeting_starts_at is not None
    too_long = client_for(authority, "moderator").post(
        reverse("moderation:meeting", args=[audit.pk]),
        {
            "day": day.day,
            "month": day.month,
            "year": day.year,
            "time": "10:00",
            "duration_minutes": "90",
            "location": "Room 2",
        },
    )
    assert too_long.status_code == 422 and "an hour at most" in too_long.content.decode()


def test_only_the_assigned_moderator_opens_the_form(authority: Authority) -> None:
    people_added(authority)
    audit = in_moderation(authority)
    assigned(authority, audit)
    url = reverse("moderation:moderate", args=[audit.pk])
    assert client_for(authority, "moderator_2").get(url).status_code == 403
    assert client_for(authority, "social_worker_a2").get(url).status_code == 404


# --- after completion: inbox, panel, home --------------------------------------------------------


def completed(authority: Authority) -> Audit:
    audit = in_moderation(authority)
    filled(authority, audit, planning=GradeInput(False, "requires_improvement", "No SMART outcomes."))
    moderation_complete(actor=authority.people["moderator"].user, audit=audit)
    return Audit.objects.get(pk=audit.pk)


def test_the_qa_inbox_lists_unread_first_and_marks_read(authority: Authority) -> None:
    audit = completed(authority)
    client = client_for(authority, "qa_officer")
    page = client.get(reverse("moderation:qa-inbox")).content.decode()
    assert "C-OWN" in page and "Unread" in page and reverse("audits:document", args=[audit.pk]) in page
    item = QaInboxItem.objects.get()
    assert client.post(reverse("moderation:qa-inbox-read", args=[item.pk])).status_code == 302
    item.refresh_from_db()
    assert item.read_at is not None
    assert client_for(authority, "moderator").get(reverse("moderation:qa-inbox")).status_code == 404


def test_the_audit_page_shows_the_moderation_and_the_pm_sees_the_alert(authority: Authority) -> None:
    audit = completed(authority)
    overview = client_for(authority, "practice_manager").get(reverse("audits:overview", args=[audit.pk]))
    text = overview.content.decode()
    assert "Stage 2 moderation" in text and "No SMART outcomes." in text
    home = client_for(authority, "practice_manager").get("/").content.decode()
    assert "Case audit alerts: Stage 2 moderation completed" in home and "C-OWN" in home
    pdf = client_for(authority, "practice_manager").get(reverse("audits:document", args=[audit.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_the_panel_links_by_permission_and_the_home_tasks(authority: Authority) -> None:
    audit = in_moderation(authority)
    url = reverse("audits:overview", args=[audit.pk])
    qa = client_for(authority, "qa_officer").get(url).content.decode()
    assert "Assign a moderator" in qa and "Take this audit" not in qa
    mod = client_for(authority, "moderator").get(url).content.decode()
    assert "Take this audit" in mod and "Assign a moderator" not in mod
    assert (
        "Moderation queue: 1 unassigned, 0 overdue"
        in client_for(authority, "qa_officer").get("/").content.decode()
    )
    assigned(authority, audit)
    assert "Moderate this audit" in client_for(authority, "moderator").get(url).content.decode()
    home = client_for(authority, "moderator").get("/").content.decode()
    assert "Audits to moderate" in home and "C-OWN" in home
