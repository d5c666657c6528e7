"""Every figure of the summary against an independent count (CONTRACTS §11): generated audits
(three seeds), counted by reports.selectors in SQL and by generated.expected_summary in Python,
for QA (every audit counted, restricted ones included), a practice manager (their line only) and
the filters; and every number equals the length of the list it links to."""

import datetime
from typing import Any

import pytest

from caseaudit.audits.tests.test_services_helpers import templates_load
from caseaudit.conftest import Authority, user_for
from caseaudit.reports.filters import ReportFilter
from caseaudit.reports.selectors import audit_figure_qs, report_figure_list, report_summary
from caseaudit.reports.tests.generated import SECTIONS, TODAY, expected_summary, generate

pytestmark = pytest.mark.django_db

ALL = {"own_team", "other_team", "restricted"}
LINE_A = {"own_team", "restricted"}  # the practice manager of team A: both workers' cases
KEYS = [
    "audits",
    "overall_grades",
    "section_grades",
    "limiting",
    "timeliness",
    "moderation",
    "family_feedback",
]


@pytest.fixture
def loaded(authority: Authority) -> Authority:
    templates_load()
    return authority


def _summary(user: Any, report: ReportFilter) -> dict[str, Any]:
    found = report_summary(user=user, report=report, today=TODAY)
    found["escalations"] = {key: found["escalations"][key] for key in ("open", "overdue", "closed")}
    return found


def _same(found: dict[str, Any], expected: dict[str, Any]) -> None:
    for key in [*KEYS, "actions", "escalations"]:
        assert found[key] == expected[key], key


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_figure_equals_an_independent_count(loaded: Authority, seed: int) -> None:
    facts = generate(loaded, seed=seed, count=70)
    qa = user_for(loaded, "qa_officer")
    manager = user_for(loaded, "practice_manager")
    periods = [
        (datetime.date(2026, 10, 1), datetime.date(2026, 12, 31)),
        (datetime.date(2026, 7, 1), datetime.date(2026, 9, 30)),
        (datetime.date(2026, 6, 1), datetime.date(2027, 1, 31)),
        (datetime.date(2026, 11, 15), datetime.date(2026, 11, 15)),
    ]
    for start, end in periods:
        for stage in ("effective", "stage1"):
            report = ReportFilter(start=start, end=end, stage=stage)
            _same(
                _summary(qa, report), expected_summary(facts, start=start, end=end, stage=stage, records=ALL)
            )
            _same(
                _summary(manager, report),
                expected_summary(facts, start=start, end=end, stage=stage, records=LINE_A),
            )


def test_filters_narrow_to_the_team_type_and_auditor(loaded: Authority) -> None:
    facts = generate(loaded, seed=7, count=80)
    qa = user_for(loaded, "qa_officer")
    start, end = datetime.date(2026, 6, 1), datetime.date(2027, 1, 31)
    team_b = ReportFilter(start=start, end=end, team_id="TB")
    _same(
        _summary(qa, team_b),
        expected_summary(facts, start=start, end=end, stage="effective", records={"other_team"}),
    )
    thematic = ReportFilter(start=start, end=end, audit_type="thematic")
    found = _summary(qa, thematic)
    assert found["audits"] == sum(
        1 for f in facts if f.status != "in_progress" and f.audit_type == "thematic"
    )
    auditor = ReportFilter(start=start, end=end, auditor_id="GMA")
    assert _summary(qa, auditor)["audits"] == sum(
        1 for f in facts if f.status != "in_progress" and f.auditor_id == "GMA"
    )
    area = loaded.cases["other_team"].team.service_area.name
    by_area = ReportFilter(start=start, end=end, service_area=area)
    assert _summary(qa, by_area)["audits"] == sum(
        1
        for f in facts
        if f.status != "in_progress" and loaded.cases[f.record].team.service_area.name == area
    )


def test_each_number_is_the_length_of_its_list_and_restricted_audits_are_counted_not_listed(
    loaded: Authority,
) -> None:
    facts = generate(loaded, seed=11, count=60)
    qa = user_for(loaded, "qa_officer")
    superuser = user_for(loaded, "superuser")
    report = ReportFilter(start=datetime.date(2026, 6, 1), end=datetime.date(2027, 1, 31))
    summary = report_summary(user=qa, report=report, today=TODAY)
    keys = audit_figure_qs(report, sections=SECTIONS, grades=["good", "inadequate"], today=TODAY)
    restricted = {f.pk for f in facts if f.record == "restricted"}
    for key in [
        *keys,
        "moderation:changed",  # these three are counted by semi-joins, listed by EXISTS
        "moderation:overall_changed",
        "family:audits",
        "actions:overdue",
        "actions:completed_on_time",
        "escalations:open",
        "escalations:overdue",
    ]:
        listing = report_figure_list(user=qa, report=report, key=key, today=TODAY)
        assert listing.counted == _number(summary, key), key
        if listing.audits is not None:
            listed = {audit.pk for audit in listing.audits}
            assert not listed & restricted, key
            assert listing.listed == len(listed)
        everything = report_figure_list(user=superuser, report=report, key=key, today=TODAY)
        assert everything.counted == listing.counted and everything.not_listed == 0, key
    all_audits = report_figure_list(user=qa, report=report, key="audits", today=TODAY)
    in_period = [f for f in facts if f.status != "in_progress"]
    assert all_audits.not_listed == sum(1 for f in in_period if f.record == "restricted") > 0


def _number(summary: dict[str, Any], key: str) -> int:
    parts = key.split(":")
    if parts == ["audits"]:
        return summary["audits"]
    if parts[0] == "overall":
        return summary["overall_grades"][parts[1]]
    if parts[0] == "section":
        return summary["section_grades"].get(parts[1], {}).get(parts[2], 0)
    if parts[0] == "limiting":
        return summary["limiting"][parts[1]][parts[2]]
    if parts[0] == "family":
        return summary["family_feedback"]["audits"]
    group = {
        "actions": "actions",
        "escalations": "escalations",
        "timeliness": "timeliness",
        "moderation": "moderation",
    }
    return summary[group[parts[0]]][parts[1]]


def test_the_summary_is_a_fixed_number_of_queries(
    loaded: Authority, django_assert_max_num_queries: Any
) -> None:
    generate(loaded, seed=5, count=40)
    qa = user_for(loaded, "qa_officer")
    report = ReportFilter(start=datetime.date(2026, 6, 1), end=datetime.date(2027, 1, 31))
    with django_assert_max_num_queries(12):
        report_summary(user=qa, report=report, today=TODAY)


def test_the_trend_counts_each_quarter_as_its_own_summary(loaded: Authority) -> None:
    from caseaudit.reports.selectors import report_trend

    generate(loaded, seed=9, count=80)
    qa = user_for(loaded, "qa_officer")
    quarters = [
        (datetime.date(2026, 4, 1), datetime.date(2026, 6, 30)),
        (datetime.date(2026, 7, 1), datetime.date(2026, 9, 30)),
        (datetime.date(2026, 10, 1), datetime.date(2026, 12, 31)),
        (datetime.date(2027, 1, 1), datetime.date(2027, 3, 31)),
    ]
    report = ReportFilter(start=quarters[-1][0], end=quarters[-1][1], team_id="TA")
    for found, (start, end) in zip(
        report_trend(user=qa, report=report, periods=quarters, today=TODAY), quarters, strict=True
    ):
        alone = report_summary(user=qa, report=report.with_period(start, end), today=TODAY)
        assert found["audits"] == alone["audits"]
        assert found["overall_grades"] == alone["overall_grades"]
        assert found["limiting"]["child_seen"]["no"] == alone["limiting"]["child_seen"]["no"]
        assert found["timeliness"]["stage1_on_time"] == alone["timeliness"]["stage1_on_time"]
        assert found["timeliness"]["stage1_late"] == alone["timeliness"]["stage1_late"]
        assert found["actions"]["overdue"] == alone["actions"]["overdue"]


def test_good_or_better_is_one_figure_of_two_grades(loaded: Authority) -> None:
    facts = generate(loaded, seed=13, count=50)
    qa = user_for(loaded, "qa_officer")
    report = ReportFilter(start=datetime.date(2026, 6, 1), end=datetime.date(2027, 1, 31))
    listing = report_figure_list(user=qa, report=report, key="overall:outstanding+good", today=TODAY)
    expected = sum(
        1 for f in facts if f.status != "in_progress" and f.effective["overall"] in ("outstanding", "good")
    )
    assert listing.counted == expected
