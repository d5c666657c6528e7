"""The questionnaire's GOV.UK components: a limiting judgement is marked and says, from the
template data, what it limits and what meets it (issue 9, B6)."""

import pytest

from caseaudit.audits.tests.test_services_helpers import templates_load
from caseaudit.questionnaires.forms import AnswerInput, FieldErrors
from caseaudit.questionnaires.presenters import LIMITING_TAG, limiting_note, question_component
from caseaudit.templates_library.models import Question
from caseaudit.templates_library.selectors import template_spec, template_version_current
from caseaudit.templates_library.spec import TemplateSpec

pytestmark = pytest.mark.django_db


def loaded(ref: str) -> tuple[dict[str, Question], TemplateSpec]:
    version = template_version_current(ref=ref)
    assert version is not None
    return {q.ref: q for q in Question.objects.filter(template=version)}, template_spec(
        template_version=version
    )


def test_limiting_notes_come_from_the_template() -> None:
    templates_load()
    questions, spec = loaded("stage1_good_practice")
    assert limiting_note(questions["intervention.child_seen"], spec) == (
        "Intervention and the overall grade can be Good or better only if the answer is Yes."
    )
    assert limiting_note(questions["intervention.child_seen_alone"], spec).endswith(
        "only if the answer is Yes, or NA with the reason."
    )
    assert limiting_note(questions["intervention.purposeful"], spec) == ""
    questions, spec = loaded("practice_audit")
    assert limiting_note(questions["assessment.child_voice"], spec) == (
        "Assessment and the overall grade can be Good only if the answer is Yes."
    )


def test_a_limiting_judgement_is_tagged_in_its_legend_with_its_note_before_its_help() -> None:
    templates_load()
    questions, spec = loaded("stage1_good_practice")
    question = questions["assessment.child_seen_alone"]
    component = question_component(question, AnswerInput(), FieldErrors(), spec)
    legend = component.params["fieldset"]["legend"]
    assert legend["html"] == f"Was the child seen alone? {LIMITING_TAG}"
    hint = component.params["hint"]["text"]
    assert hint.startswith("Assessment and the overall grade can be Good or better only if")
    assert hint.endswith(question.help)
    plain = question_component(questions["assessment.analysis"], AnswerInput(), FieldErrors(), spec)
    assert "html" not in plain.params["fieldset"]["legend"]
