"""Every limiting judgement is marked on the form (issue 9, B6; GRD-2): its legend carries the
"Limiting judgement" tag and its hint says what it limits and which answers meet it, all from the
template data. Checked against every question flagged `limiting` in both shipped audit templates,
read straight from audit_templates/."""

import html as html_lib
from pathlib import Path
from typing import Any

import pytest

from caseaudit.audits.tests.test_services_helpers import audit_of, templates_load
from caseaudit.audits.tests.views.support import AUDITOR, client_for, section_url
from caseaudit.conftest import Authority
from caseaudit.questionnaires.presenters import LIMITING_TAG
from caseaudit.templates_library.tests.conftest import shipped_spec

pytestmark = pytest.mark.django_db

# Each shipped audit template, and an audit type that uses it
TEMPLATES = {"stage1_good_practice": {}, "practice_audit": {"type_details": {"line_of_enquiry": "Visits"}}}
TYPES = {"stage1_good_practice": "good_practice", "practice_audit": "dip_sample"}


@pytest.mark.parametrize("ref", sorted(TEMPLATES))
def test_each_limiting_judgement_of_the_template_is_marked(
    authority: Authority, settings: Any, tmp_path: Path, ref: str
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    templates_load()
    spec = shipped_spec(ref)
    audit = audit_of(authority, auditor=AUDITOR, audit_type=TYPES[ref], **TEMPLATES[ref])
    client = client_for(authority, AUDITOR)
    limiting = [question for question in spec.questions if question.limiting]
    assert len(limiting) >= 3  # seen, seen alone, the child's voice at least
    marked = set()
    for section in spec.sections:
        page = client.get(section_url(audit, section.ref)).content.decode()
        assert page.count(LIMITING_TAG) == sum(1 for q in section.questions if q.limiting), section.ref
        for question in section.questions:
            legend = f"{html_lib.escape(question.text)} {LIMITING_TAG}"
            assert (legend in page) == question.limiting, question.ref
            if question.limiting:
                marked.add(question.ref)
    assert marked == {question.ref for question in limiting}


def test_the_hint_says_what_a_limiting_judgement_limits_and_what_meets_it(
    authority: Authority, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    templates_load()
    stage1 = audit_of(authority, auditor=AUDITOR)
    page = client_for(authority, AUDITOR).get(section_url(stage1, "assessment")).content.decode()
    assert "Assessment and the overall grade can be Good or better only if the answer is Yes." in page
    assert (
        "Assessment and the overall grade can be Good or better only if the answer is Yes, or NA with "
        "the reason." in page
    )
    practice = audit_of(
        authority, "other_team", auditor=AUDITOR, **TEMPLATES["practice_audit"], audit_type="dip_sample"
    )
    page = client_for(authority, AUDITOR).get(section_url(practice, "assessment")).content.decode()
    assert "Assessment and the overall grade can be Good only if the answer is Yes." in page
