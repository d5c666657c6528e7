"""Family feedback (FAM-1, FAM-2, CONTRACTS §9): every rule of a person's entry, the list replaced
as a whole (rows and their responses created, changed, removed), the audit history's row (counts,
never the family's words), nothing saved on a refusal, the auditor only, and the page's saves of
one person at a time."""

import datetime
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from caseaudit.audits.errors import AuditRefused
from caseaudit.audits.models import Audit, FamilyRespondent
from caseaudit.audits.services_family import (
    ACTION,
    MAX_ANSWER,
    MAX_REASON,
    MAX_RESPONDENTS,
    family_feedback_replace,
    family_questions,
    family_respondent_remove,
    family_respondent_save,
    family_respondents,
    respondent_payload,
    respondents_check,
)
from caseaudit.audits.tests.test_services_helpers import (
    audit_of,
    events,
    refs,
    template_revised,
    templates_load,
)
from caseaudit.conftest import Authority
from caseaudit.questionnaires.models import Response, ResponseAnswer

LISTENED = "feedback.listened_to"
HELPED = "feedback.what_helped"
BETTER = "feedback.could_be_better"
CHILD_WORDS = "She listens to me and came to my school play."
PARENT_WORDS = "We would have liked the meetings after work."
CONSENT_DAY = "2026-11-30"


@pytest.fixture(autouse=True)
def _templates(db: Any) -> None:
    templates_load()


@pytest.fixture
def audit(authority: Authority) -> Audit:
    """GMB's audit of SWA's case C-OWN: GMB is the auditor."""
    return audit_of(authority)


def child(**overrides: Any) -> dict[str, Any]:
    person: dict[str, Any] = {
        "who": "child",
        "consent": "yes",
        "consent_date": CONSENT_DAY,
        "reason": "",
        "answers": {LISTENED: CHILD_WORDS},
    }
    return person | overrides


def parent(**overrides: Any) -> dict[str, Any]:
    person: dict[str, Any] = {
        "who": "parent_carer",
        "consent": "yes",
        "consent_date": CONSENT_DAY,
        "answers": {HELPED: "The family group conference.", BETTER: PARENT_WORDS},
    }
    return person | overrides


def replace(audit: Audit, respondents: list[Any]) -> list[FamilyRespondent]:
    return family_feedback_replace(actor=audit.auditor.user, audit=audit, respondents=respondents)


def check(*people: Any) -> AuditRefused:
    with pytest.raises(AuditRefused) as refused:
        respondents_check(list(people), family_questions())
    return refused.value


def latest(audit: Audit) -> Any:
    """The audit's newest family feedback history row."""
    return events(audit, ACTION)[0]


def family_responses() -> int:
    return Response.objects.filter(template_version__ref="family_feedback").count()


# --- the rules of one person -----------------------------------------------------------------


def test_the_five_questions_are_the_feedback_sections_text_questions() -> None:
    questions = family_questions()
    assert questions.refs == (
        "feedback.listened_to",
        "feedback.understand_plan",
        "feedback.what_changed",
        "feedback.what_helped",
        "feedback.could_be_better",
    )


def test_a_good_list_is_tidied() -> None:
    [item, other] = respondents_check(
        [
            child(who=" Child ", consent="YES", answers={LISTENED: f"  {CHILD_WORDS} ", HELPED: "  "}),
            {"who": "other_family", "consent": "no", "reason": "Did not want to."},
        ],
        family_questions(),
    )
    assert (item.who, item.consent, item.consent_date) == ("child", "yes", datetime.date(2026, 11, 30))
    assert item.answers == {LISTENED: CHILD_WORDS}  # blank answers are not answers
    assert (other.consent, other.consent_date, other.reason, other.answers) == (
        "no",
        None,
        "Did not want to.",
        {},
    )


@pytest.mark.parametrize(
    ("person", "field", "code"),
    [
        ({"consent": "no"}, "who", ""),
        ({"who": "", "consent": "no"}, "who", ""),
        ({"who": "neighbour", "consent": "no"}, "who", ""),
        ({"who": "child"}, "consent", ""),
        ({"who": "child", "consent": "maybe"}, "consent", ""),
        (child(consent_date=None), "consent_date", "consent_date_missing"),
        (child(consent_date=""), "consent_date", "consent_date_missing"),
        (child(consent_date="2026-02-30"), "consent_date", ""),
        (child(consent_date=20261130), "consent_date", ""),
        ({"who": "child", "consent": "no", "consent_date": CONSENT_DAY}, "consent_date", ""),
        ({"who": "child", "consent": "not_asked"}, "reason", "reason_missing"),
        ({"who": "child", "consent": "na", "reason": "   "}, "reason", "reason_missing"),
        (child(reason="She was keen."), "reason", ""),
        ({"who": "child", "consent": "no", "reason": "x" * (MAX_REASON + 1)}, "reason", ""),
        (
            {"who": "child", "consent": "no", "answers": {LISTENED: "Yes."}},
            "answers",
            "answers_without_consent",
        ),
        (
            {"who": "child", "consent": "na", "reason": "A baby.", "answers": {LISTENED: "Yes."}},
            "answers",
            "answers_without_consent",
        ),
        (child(answers=["Yes."]), "answers", ""),
        (child(answers={"feedback.horoscope": "Sunny."}), "answers.feedback.horoscope", ""),
        (child(answers={"consent.child": "yes"}), "answers.consent.child", ""),  # not one of the five
        (child(answers={LISTENED: 5}), f"answers.{LISTENED}", ""),
        (child(answers={LISTENED: "x" * (MAX_ANSWER + 1)}), f"answers.{LISTENED}", ""),
    ],
)
def test_each_rule_names_the_person_and_the_field(person: dict[str, Any], field: str, code: str) -> None:
    refused = check(child(), person)
    assert [(p.ref, p.field) for p in refused.problems] == [("respondents[1]", field)]
    if code:
        assert refused.problems[0].code == code
    assert all(p.message for p in refused.problems)


def test_the_longest_answer_and_reason_are_accepted() -> None:
    [item, other] = respondents_check(
        [
            child(answers={LISTENED: "x" * MAX_ANSWER}),
            {"who": "parent_carer", "consent": "not_asked", "reason": "y" * MAX_REASON},
        ],
        family_questions(),
    )
    assert len(item.answers[LISTENED]) == MAX_ANSWER and len(other.reason) == MAX_REASON


def test_consent_given_today_but_not_tomorrow() -> None:
    today = timezone.localdate()
    respondents_check([child(consent_date=today.isoformat())], family_questions())
    refused = check(child(consent_date=(today + datetime.timedelta(days=1)).isoformat()))
    assert [(p.ref, p.field, p.code) for p in refused.problems] == [
        ("respondents[0]", "consent_date", "consent_date_future")
    ]


def test_every_problem_of_every_person_at_once() -> None:
    refused = check(
        {"who": "dog", "consent": "yes", "reason": "Why not", "answers": {"nope": "x"}},
        child(),
        {"consent": "not_asked"},
        "not a person",
    )
    assert refs(refused) == {
        ("respondents[0]", "who"),
        ("respondents[0]", "consent_date"),
        ("respondents[0]", "reason"),
        ("respondents[0]", "answers.nope"),
        ("respondents[2]", "who"),
        ("respondents[2]", "reason"),
        ("respondents[3]", None),
    }


def test_at_most_twenty_people_and_a_list() -> None:
    questions = family_questions()
    assert len(respondents_check([child()] * MAX_RESPONDENTS, questions)) == MAX_RESPONDENTS
    refused = check(*[child()] * (MAX_RESPONDENTS + 1))
    assert refs(refused) == {("respondents", None)}
    for not_a_list in ({"who": "child"}, "child", None):
        with pytest.raises(AuditRefused) as wrong:
            respondents_check(not_a_list, questions)
        assert refs(wrong.value) == {("respondents", None)}


# --- the list replaced ----------------------------------------------------------------------


def test_replace_creates_each_person_with_their_answers(authority: Authority, audit: Audit) -> None:
    gmb = audit.auditor.user
    rows = replace(
        audit, [child(), parent(), {"who": "other_family", "consent": "not_asked", "reason": "Abroad."}]
    )
    assert [respondent_payload(row) for row in rows] == [
        {
            "who": "child",
            "consent": "yes",
            "consent_date": CONSENT_DAY,
            "reason": "",
            "answers": {LISTENED: CHILD_WORDS},
        },
        {
            "who": "parent_carer",
            "consent": "yes",
            "consent_date": CONSENT_DAY,
            "reason": "",
            "answers": {HELPED: "The family group conference.", BETTER: PARENT_WORDS},
        },
        {
            "who": "other_family",
            "consent": "not_asked",
            "consent_date": None,
            "reason": "Abroad.",
            "answers": {},
        },
    ]
    assert [row.order for row in rows] == [0, 1, 2]
    assert all(row.recorded_by == gmb for row in rows)
    # One response (of the current family feedback template) per person who consented, none else.
    assert rows[2].response is None and family_responses() == 2
    assert rows[0].response is not None
    assert rows[0].response.template_version == family_questions().template_version
    assert ResponseAnswer.objects.filter(response=rows[1].response).count() == 2


def test_the_history_records_counts_never_the_familys_words(audit: Audit) -> None:
    replace(audit, [child(), {"who": "parent_carer", "consent": "no", "reason": "Said the plan is wrong."}])
    [event] = events(audit, ACTION)
    assert event.actor == audit.auditor.user
    assert event.summary == "Family feedback recorded: 2 people, 1 with consent"
    assert event.changes["respondents[0].who"] == [None, "child"]
    assert event.changes["respondents[0].consent"] == [None, "yes"]
    assert event.changes["respondents[0].consent_date"] == [None, CONSENT_DAY]
    assert event.changes["respondents[0].answers"] == [0, 1]
    assert event.changes["respondents[1].consent"] == [None, "no"]
    assert event.changes["respondents[1].reason"] == [0, len("Said the plan is wrong.")]
    assert event.changes["respondents"] == [0, 2]
    written = json.dumps(event.changes) + event.summary
    assert "school play" not in written and "plan is wrong" not in written

    replace(audit, [child(answers={LISTENED: "She listens.", HELPED: "Football."}), parent()])
    changed = latest(audit)
    assert changed.changes["respondents[0].answers"] == [1, 2]
    assert changed.changes["respondents[1].reason"] == [len("Said the plan is wrong."), 0]
    assert changed.changes["respondents[1].answers"] == [0, 2]
    assert "Football" not in json.dumps(changed.changes) and PARENT_WORDS not in json.dumps(changed.changes)


def test_changing_answers_keeps_the_response_and_raises_its_version(audit: Audit) -> None:
    [row] = replace(audit, [child()])
    response = row.response
    assert response is not None
    version = response.version
    [row] = replace(audit, [child(answers={LISTENED: "Sometimes.", HELPED: "Football."})])
    assert row.response == response
    assert respondent_payload(row)["answers"] == {LISTENED: "Sometimes.", HELPED: "Football."}
    response.refresh_from_db()
    assert response.version == version + 1
    [row] = replace(audit, [child(answers={HELPED: "Football."})])  # an answer cleared
    assert respondent_payload(row)["answers"] == {HELPED: "Football."}
    assert ResponseAnswer.objects.filter(response=response).count() == 1


def test_consent_withdrawn_removes_the_answers_and_says_so(audit: Audit) -> None:
    [row] = replace(audit, [child(answers={LISTENED: CHILD_WORDS, HELPED: "Football."})])
    response_pk = row.response_id
    [row] = replace(audit, [{"who": "child", "consent": "no", "reason": "Changed her mind."}])
    assert row.response is None and row.consent_date is None
    assert not Response.objects.filter(pk=response_pk).exists()
    assert not ResponseAnswer.objects.filter(response_id=response_pk).exists()
    event = latest(audit)
    assert event.changes["respondents[0].consent"] == ["yes", "no"]
    assert event.changes["respondents[0].consent_date"] == [CONSENT_DAY, None]
    assert event.changes["respondents[0].answers"] == [2, 0]
    assert event.summary == "Family feedback recorded: 1 person, 0 with consent"


def test_a_shorter_list_removes_people_and_an_empty_one_clears(audit: Audit) -> None:
    replace(audit, [child(), parent()])
    assert family_responses() == 2
    [row] = replace(audit, [child()])
    assert row.who == "child" and FamilyRespondent.objects.filter(audit=audit).count() == 1
    assert family_responses() == 1
    assert latest(audit).changes == {"respondents": [2, 1]}
    assert replace(audit, []) == []
    assert not FamilyRespondent.objects.filter(audit=audit).exists() and family_responses() == 0
    cleared = latest(audit)
    assert cleared.summary == "Family feedback cleared" and cleared.changes == {"respondents": [1, 0]}


def test_the_same_list_again_changes_nothing(audit: Audit) -> None:
    replace(audit, [child(), parent()])
    replace(audit, [child(), parent()])
    assert len(events(audit, ACTION)) == 1
    assert replace(audit, []) == [] and replace(audit, []) == []
    assert len(events(audit, ACTION)) == 2


def test_nothing_is_saved_on_a_refusal(audit: Audit) -> None:
    replace(audit, [child()])
    before = (FamilyRespondent.objects.count(), family_responses(), ResponseAnswer.objects.count())
    with pytest.raises(AuditRefused) as refused:
        replace(audit, [child(answers={LISTENED: "Changed."}), parent(consent_date=None)])
    assert refs(refused.value) == {("respondents[1]", "consent_date")}
    assert (FamilyRespondent.objects.count(), family_responses(), ResponseAnswer.objects.count()) == before
    assert respondent_payload(family_respondents(audit=audit)[0])["answers"] == {LISTENED: CHILD_WORDS}
    assert len(events(audit, ACTION)) == 1


@pytest.mark.parametrize("who", ["social_worker", "practice_manager", "qa_officer", "group_manager_a"])
def test_only_the_auditor_records_it(authority: Authority, audit: Audit, who: str) -> None:
    actor = authority.people[who].user
    for call in (
        lambda: family_feedback_replace(actor=actor, audit=audit, respondents=[child()]),
        lambda: family_respondent_save(actor=actor, audit=audit, number=None, respondent=child()),
        lambda: family_respondent_remove(actor=actor, audit=audit, number=1),
    ):
        with pytest.raises(PermissionDenied):
            call()
    assert not FamilyRespondent.objects.exists() and not events(audit, ACTION)


def test_a_superuser_may_record_it(authority: Authority, audit: Audit) -> None:
    rows = family_feedback_replace(actor=authority.superuser, audit=audit, respondents=[child()])
    assert rows[0].recorded_by == authority.superuser


def test_at_any_stage(authority: Authority) -> None:
    from caseaudit.moderation.tests.helpers import submitted_audit

    audit = submitted_audit(authority)
    assert audit.status == "submitted"
    assert len(replace(audit, [child()])) == 1


# --- one person at a time (the page) ---------------------------------------------------------


def save(audit: Audit, number: int | None, person: dict[str, Any]) -> list[FamilyRespondent]:
    return family_respondent_save(actor=audit.auditor.user, audit=audit, number=number, respondent=person)


def test_the_page_adds_and_changes_one_person(audit: Audit) -> None:
    assert [row.who for row in save(audit, None, child())] == ["child"]
    assert [row.who for row in save(audit, None, parent())] == ["child", "parent_carer"]
    rows = save(audit, 1, child(answers={LISTENED: "Sometimes."}))
    assert [respondent_payload(row)["answers"] for row in rows] == [
        {LISTENED: "Sometimes."},
        {HELPED: "The family group conference.", BETTER: PARENT_WORDS},
    ]
    assert latest(audit).changes == {"respondents[0].answers": [1, 1]}


def test_the_pages_problems_name_the_persons_place(audit: Audit) -> None:
    save(audit, None, child())
    with pytest.raises(AuditRefused) as added:
        save(audit, None, parent(consent_date=None))
    assert refs(added.value) == {("respondents[1]", "consent_date")}
    with pytest.raises(AuditRefused) as changed:
        save(audit, 1, child(who=""))
    assert refs(changed.value) == {("respondents[0]", "who")}
    assert [row.who for row in family_respondents(audit=audit)] == ["child"]


@pytest.mark.parametrize("number", [0, 2, -1])
def test_the_page_cannot_change_someone_not_there(audit: Audit, number: int) -> None:
    save(audit, None, child())
    with pytest.raises(AuditRefused) as refused:
        save(audit, number, parent())
    assert refs(refused.value) == {(f"respondents[{number - 1}]", None)}
    assert len(family_respondents(audit=audit)) == 1


def test_the_page_cannot_add_a_twenty_first(audit: Audit) -> None:
    replace(audit, [child()] * MAX_RESPONDENTS)
    with pytest.raises(AuditRefused) as refused:
        save(audit, None, parent())
    assert refs(refused.value) == {("respondents", None)}


def test_the_page_removes_one_person_and_their_answers(audit: Audit) -> None:
    remove = family_respondent_remove
    replace(audit, [child(), parent(), {"who": "other_family", "consent": "na", "reason": "None."}])
    rows = remove(actor=audit.auditor.user, audit=audit, number=1)
    assert [row.who for row in rows] == ["parent_carer", "other_family"]
    assert respondent_payload(rows[0])["answers"] == {
        HELPED: "The family group conference.",
        BETTER: PARENT_WORDS,
    }
    assert family_responses() == 1 and ResponseAnswer.objects.count() == 2
    assert latest(audit).changes["respondents"] == [3, 2]
    rows = remove(actor=audit.auditor.user, audit=audit, number=2)
    assert [row.who for row in rows] == ["parent_carer"]
    with pytest.raises(AuditRefused) as refused:
        remove(actor=audit.auditor.user, audit=audit, number=2)
    assert refs(refused.value) == {("respondents[1]", None)}
    assert remove(actor=audit.auditor.user, audit=audit, number=1) == []
    assert family_responses() == 0 and latest(audit).summary == "Family feedback cleared"


def test_a_revised_template_does_not_stop_the_page_saving_someone_else(audit: Audit, tmp_path: Path) -> None:
    """The child answered a question the revised template no longer asks: adding a parent still
    saves, the child's other answers move to the current version, the dropped one goes."""
    replace(audit, [child(answers={LISTENED: CHILD_WORDS, BETTER: "More visits."})])
    template_revised(
        tmp_path, "family_feedback.yaml", "- ref: feedback.could_be_better\n", "- ref: feedback.better\n"
    )
    assert BETTER not in family_questions().refs
    rows = save(audit, None, parent(answers={"feedback.better": PARENT_WORDS}))
    assert [respondent_payload(row)["answers"] for row in rows] == [
        {LISTENED: CHILD_WORDS},
        {"feedback.better": PARENT_WORDS},
    ]
    current = family_questions().template_version
    assert all(row.response is not None and row.response.template_version == current for row in rows)
    assert family_responses() == 2


def test_a_person_who_consented_without_a_response_gets_one(audit: Audit) -> None:
    """A row stored with consent and no response (as before this service): saving it again links
    the response made for it, leaving none unlinked."""
    FamilyRespondent.objects.create(
        audit=audit, who="child", consent="yes", consent_date=datetime.date(2026, 11, 30)
    )
    [row] = replace(audit, [child(answers={})])
    assert row.response is not None and family_responses() == 1
    assert FamilyRespondent.objects.get(pk=row.pk).response_id == row.response_id
