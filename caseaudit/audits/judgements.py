"""The limiting judgements of an audit by what they mean (CONTRACTS §11): "child seen", "child seen
alone", "child's voice", whatever a template calls its questions (a question's `judgement`). A
template may ask the same judgement more than once (the Good Practice audit asks it of the
assessment and of the intervention); the audit's value for it is "no" if any answer is No, else
"yes" if any is Yes, else "na". Frozen at Stage 1 submission, like the Stage 1 grades."""

from collections import defaultdict
from collections.abc import Iterable

from caseaudit.audits.models import Audit
from caseaudit.questionnaires.models import ResponseAnswer
from caseaudit.templates_library.models import Judgement, Question

JUDGEMENTS = tuple(Judgement.values)
VALUES = ("yes", "no", "na")


def judgement_value(answers: Iterable[str]) -> str | None:
    """One meaning's value over its answers ("yes", "no" or "na"); None when none is answered."""
    given = {answer for answer in answers if answer in VALUES}
    for value in ("no", "yes", "na"):
        if value in given:
            return value
    return None


def stage1_judgements(*, audit: Audit) -> dict[str, str]:
    """{judgement: value} of the audit's Stage 1 answers, for every judgement its template asks."""
    asked = dict(
        Question.objects.filter(template_id=audit.response.template_version_id, limiting=True)
        .exclude(judgement="")
        .values_list("ref", "judgement")
    )
    answers: dict[str, list[str]] = defaultdict(list)
    for ref, value in ResponseAnswer.objects.filter(
        response_id=audit.response_id, question_ref__in=asked
    ).values_list("question_ref", "value"):
        answers[asked[ref]].append(value)
    found = {meaning: judgement_value(answers[meaning]) for meaning in sorted(set(asked.values()))}
    return {meaning: value for meaning, value in found.items() if value is not None}
