"""A granted access request opens its restricted case, its child and its audits to the requester
(SEL-6), told to the case register through its scope so the register never imports this app."""

from caseaudit.access.models import AccessRequest
from caseaudit.cases.selectors import CaseGrant, CaseScope, case_grant_provider


@case_grant_provider
def access_request_grant(scope: CaseScope) -> CaseGrant | None:
    if scope.staff_pk is None:
        return None
    granted = AccessRequest.objects.filter(requester_id=scope.staff_pk, status=AccessRequest.Status.GRANTED)
    return CaseGrant(
        name="access_request",
        full=granted.values("case_id"),
        opens_restricted_child=True,
        opens_audits=True,
    )
