"""The family feedback pages (FAM-1, FAM-2): the auditor records each person asked, their consent
and, only with it, their answers; everyone who may see the audit sees it on the audit and in its
PDF; nobody else records it."""

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from caseaudit.audits.documents import audit_document_html
from caseaudit.audits.models import Audit, FamilyRespondent
from caseaudit.audits.services_family import family_feedback_replace
from caseaudit.audits.tests.views.support import AUDITOR, client_for, start_audit
from caseaudit.conftest import Authority
from caseaudit.core.models import AccessLog, AuditEvent

pytestmark = pytest.mark.django_db

LISTENED = "How far do you feel your social worker has listened to you?"


@pytest.fixture
def audit(authority: Authority, settings: Any, tmp_path: Path) -> Audit:
    return start_audit(authority, settings, tmp_path)


def child_agreed(**overrides: str) -> dict[str, str]:
    form = {
        "who": "child",
        "consent": "yes",
        "day": "2",
        "month": "11",
        "year": "2026",
        "reason": "",
        "answer_1": "She listens to me and writes it down.",
        "answer_3": "I can see my nan more now.",
    }
    form.update(overrides)
    return form


def test_the_auditor_records_a_child_who_agreed_and_a_parent_not_asked(
    authority: Authority, audit: Audit
) -> None:
    client = client_for(authority, AUDITOR)
    overview_url = reverse("audits:overview", args=[audit.pk])
    url = reverse("audits:family-feedback", args=[audit.pk])
    assert url in client.get(overview_url).content.decode()
    page = client.get(url).content.decode()
    assert LISTENED in page and "Did they agree to give feedback?" in page

    assert client.post(url, child_agreed()).status_code == 302
    response = client.post(
        url, {"who": "parent_carer", "consent": "not_asked", "reason": "Father in hospital this month"}
    )
    assert response.status_code == 302

    child, parent = FamilyRespondent.objects.filter(audit=audit).order_by("order")
    assert (child.who, child.consent, str(child.consent_date)) == ("child", "yes", "2026-11-02")
    assert (parent.consent, parent.reason, parent.response) == (
        "not_asked",
        "Father in hospital this month",
        None,
    )

    overview = client.get(overview_url).content.decode()
    assert "She listens to me and writes it down." in overview
    assert "Yes, on 2 November 2026" in overview and "Not asked: Father in hospital this month" in overview
    event = AuditEvent.objects.filter(action="family_feedback_recorded").latest("pk")
    assert "writes it down" not in str(event.changes) + event.summary


def test_the_auditor_changes_and_removes_a_person(authority: Authority, audit: Audit) -> None:
    client = client_for(authority, AUDITOR)
    client.post(reverse("audits:family-feedback", args=[audit.pk]), child_agreed())
    person = reverse("audits:family-feedback-person", args=[audit.pk, 1])
    page = client.get(person).content.decode()
    assert "She listens to me and writes it down." in page and 'value="2026"' in page

    client.post(person, child_agreed(answer_1="Most of the time."))
    assert "Most of the time." in client.get(reverse("audits:overview", args=[audit.pk])).content.decode()

    assert "Remove child or young person" in client.get(person + "?remove=1").content.decode()
    assert client.post(person, {"action": "remove"}).status_code == 302
    assert not FamilyRespondent.objects.filter(audit=audit).exists()
    assert client.get(person).status_code == 404


@pytest.mark.parametrize(
    ("form", "message", "href"),
    [
        ({"who": "", "consent": ""}, "Choose who gave feedback", "#who"),
        ({"consent": ""}, "Choose whether they agreed to give feedback", "#consent"),
        ({"day": "", "month": "", "year": ""}, "Enter the date they gave consent", "#consent_date-day"),
        ({"month": ""}, "The date they gave consent must include a month", "#consent_date-month"),
        ({"day": "31", "month": "2"}, "must be a real date", "#consent_date-day"),
        ({"year": "2099"}, "must be today or in the past", "#consent_date-day"),
        (
            {"consent": "no", "day": "", "month": "", "year": ""},
            "only be recorded for someone who agreed",
            "#answer_1",
        ),
        (
            {"consent": "na", "day": "", "month": "", "year": "", "answer_1": "", "answer_3": ""},
            "Say why they were not applicable",
            "#reason",
        ),
    ],
)
def test_refusals_name_their_field_and_save_nothing(
    authority: Authority, audit: Audit, form: dict[str, str], message: str, href: str
) -> None:
    response = client_for(authority, AUDITOR).post(
        reverse("audits:family-feedback", args=[audit.pk]), child_agreed(**form)
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and f'href="{href}"' in html
    assert "Error: " in html
    assert not FamilyRespondent.objects.filter(audit=audit).exists()


@pytest.mark.parametrize("who", ["social_worker", "practice_manager", "qa_officer"])
def test_only_the_auditor_records_it_but_those_who_see_the_audit_read_it(
    authority: Authority, audit: Audit, who: str
) -> None:
    family_feedback_replace(
        actor=audit.auditor.user,
        audit=audit,
        respondents=[
            {
                "who": "child",
                "consent": "yes",
                "consent_date": "2026-11-02",
                "answers": {"feedback.listened_to": "Yes, mostly."},
            }
        ],
    )
    client = client_for(authority, who)
    url = reverse("audits:family-feedback", args=[audit.pk])
    assert client.get(url).status_code == 404
    assert (
        client.post(
            reverse("audits:family-feedback-person", args=[audit.pk, 1]), {"action": "remove"}
        ).status_code
        == 404
    )
    assert AccessLog.objects.filter(object_ref=str(audit.pk), outcome="denied").exists()
    overview = client.get(reverse("audits:overview", args=[audit.pk]))
    if overview.status_code == 200:
        html = overview.content.decode()
        assert "Yes, mostly." in html and url not in html
    assert FamilyRespondent.objects.filter(audit=audit).count() == 1


def test_the_pdf_shows_consent_and_answers(authority: Authority, audit: Audit) -> None:
    family_feedback_replace(
        actor=audit.auditor.user,
        audit=audit,
        respondents=[
            {
                "who": "child",
                "consent": "yes",
                "consent_date": "2026-11-02",
                "answers": {"feedback.listened_to": "Yes, mostly."},
            },
            {"who": "parent_carer", "consent": "no", "answers": {}},
        ],
    )
    html = audit_document_html(audit=audit)
    assert "Family feedback" in html and LISTENED in html and "Yes, mostly." in html
    assert "Yes, on 2 November 2026" in html and "Parent or carer" in html


def test_a_dip_sample_without_family_feedback_says_it_is_expected(authority: Authority, audit: Audit) -> None:
    Audit.objects.filter(pk=audit.pk).update(audit_type="dip_sample")
    audit.refresh_from_db()
    overview = (
        client_for(authority, AUDITOR).get(reverse("audits:overview", args=[audit.pk])).content.decode()
    )
    assert "Family feedback is expected for dip sample audits" in overview
    assert "Family feedback is expected" in audit_document_html(audit=audit)
