"""CONTRACTS §1: "above" is anywhere up the chain; "below" the reverse; cycles are found."""

import itertools
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from caseaudit.accounts.roles import Role
from caseaudit.org.selectors import nearest_above_with_role, staff_above, staff_below
from caseaudit.org.services import line_management_chains, line_management_rebuild
from caseaudit.org.tests.factories import StaffFactory


@pytest.mark.django_db
def test_walk_up_and_down() -> None:
    hos = StaffFactory(team=None, roles=["head_of_service"])
    gm = StaffFactory(team=None, line_manager=hos, roles=["group_manager"])
    pm = StaffFactory(line_manager=gm, roles=["practice_manager"])
    sw = StaffFactory(team=pm.team, line_manager=pm, roles=["social_worker"])
    assert list(staff_above(staff=sw)) == [pm, gm, hos]
    assert set(staff_below(staff=hos)) == {gm, pm, sw}
    assert set(staff_below(staff=sw)) == set()
    assert nearest_above_with_role(staff=sw, role=Role.GROUP_MANAGER) == (gm, False)


@pytest.mark.django_db
def test_fallback_to_line_manager_is_flagged() -> None:
    boss = StaffFactory(team=None)
    sw = StaffFactory(line_manager=boss)
    assert nearest_above_with_role(staff=sw, role=Role.PRACTICE_MANAGER) == (boss, True)


@pytest.mark.django_db
def test_rebuild_matches_incremental_links() -> None:
    hos = StaffFactory(team=None)
    gm = StaffFactory(team=None, line_manager=hos)
    StaffFactory(line_manager=gm)
    before = set(gm.report_links.values_list("report_id", "depth")) | set(
        hos.report_links.values_list("report_id", "depth")
    )
    line_management_rebuild()
    after = set(gm.report_links.values_list("report_id", "depth")) | set(
        hos.report_links.values_list("report_id", "depth")
    )
    assert before == after


def test_cycle_is_reported_on_everyone_in_it() -> None:
    chains, cycle = line_management_chains({"a": "b", "b": "c", "c": "a", "d": "a", "e": None})
    assert cycle == {"a", "b", "c"}
    assert chains["e"] == []


@given(st.dictionaries(st.integers(0, 12), st.one_of(st.none(), st.integers(0, 12)), max_size=13))
def test_chains_never_repeat_and_follow_managers(raw: dict[int, Any]) -> None:
    managers = {str(k): (str(v) if v is not None else None) for k, v in raw.items()}
    chains, cycle = line_management_chains(managers)
    for person, chain in chains.items():
        assert len(chain) == len(set(chain))
        assert person not in chain
        if chain:
            assert chain[0] == managers[person]
        for lower, upper in itertools.pairwise(chain):
            assert managers.get(lower) == upper
    for person in cycle:
        current, seen = managers[person], set()
        while current is not None and current not in seen and current != person:
            seen.add(current)
            current = managers.get(current)
        assert current == person
