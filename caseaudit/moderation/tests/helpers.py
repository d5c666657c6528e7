"""Helpers shared by the tests of the stages after Stage 1 (no tests here): audits taken through
Stage 1 by the real services, and the extra people Stage 2 needs (a second moderator, a panel
chair) added to the `authority` fixture of caseaudit/conftest.py.

The authority: team A (PMA → SWA, SWA2) under GMA; team B (PMB → SWB) under GMB; HOS above both
group managers; HQA (head of QA) above QA1; MOD (moderator); ADM (administrator). `audit_of`
makes GMB audit SWA's case C-OWN by default, so PMA is the worker's practice manager."""

from typing import Any, cast

from caseaudit.audits.models import Audit
from caseaudit.audits.services import audit_submit
from caseaudit.audits.tests.test_services_helpers import audit_of, complete, templates_load
from caseaudit.conftest import Authority
from caseaudit.org.models import Staff
from caseaudit.org.tests.factories import StaffFactory


def people_added(authority: Authority) -> dict[str, Staff]:
    """A second moderator (MOD2) and a panel chair (CHAIR), added to `authority.people`."""
    if "moderator_2" not in authority.people:
        authority.people["moderator_2"] = cast(
            Staff, StaffFactory(staff_id="MOD2", team=None, roles=["moderator"])
        )
        authority.people["panel_chair"] = cast(
            Staff, StaffFactory(staff_id="CHAIR", team=None, roles=["panel_chair"])
        )
    return authority.people


def submitted_audit(
    authority: Authority,
    record: str = "own_team",
    *,
    grade: str = "good",
    audit_type: str = "good_practice",
    **kwargs: Any,
) -> Audit:
    """An audit of `record` through Stage 1 and submitted (status `submitted`), every section and
    the overall grade `grade`, all limiting judgements met."""
    templates_load()
    audit = audit_of(authority, record, audit_type=audit_type, **kwargs)
    complete(audit, grade=grade)
    return audit_submit(actor=audit.auditor.user, audit=audit)
