"""What the audits tell the case register about who may see a case (CONTRACTS §3), registered
into its scope so that the register never imports the audits."""

from caseaudit.audits.models import Audit
from caseaudit.cases.selectors import CaseGrant, CaseScope, case_grant_provider


@case_grant_provider
def auditor_grant(scope: CaseScope) -> CaseGrant | None:
    """The auditor sees every case they audit, restricted or not, at least as its summary, so they
    can find it and ask for access (SEL-6); its details only when it is not restricted (a granted
    access request opens a restricted one)."""
    if scope.staff_pk is None:
        return None
    audited = Audit.objects.filter(auditor_id=scope.staff_pk)
    return CaseGrant(
        name="auditor",
        visible=audited.values("case_id"),
        full=audited.filter(case__restricted=False).values("case_id"),
        opens_restricted_child=True,
    )


@case_grant_provider
def moderator_grant(scope: CaseScope) -> CaseGrant | None:
    """Moderators and panel chairs see a case only through an audit of it that is not restricted."""
    if not scope.all_audits:
        return None
    return CaseGrant(name="moderator", full=Audit.objects.filter(case__restricted=False).values("case_id"))
