"""The "My audits" page (SEL-5): the audits the monthly allocation gave the signed-in auditor, with their
deadlines, a link to each audit, or to request access to a restricted record first (SEL-6), and
to arrange the discussion with the worker (SEL-7)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from caseaudit.access.selectors import access_requests_of
from caseaudit.accounts.selectors import user_staff
from caseaudit.allocation.presenters.my_audits import my_audit_row
from caseaudit.allocation.selectors import my_audits
from caseaudit.core.denials import denied


@login_required
@require_GET
def my_audits_page(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("allocation.view_my_audits"):
        raise denied(request, object_type="my_audits", object_ref="list")
    audits = list(my_audits(user=request.user))
    staff = user_staff(request.user)
    restricted = [audit.case_id for audit in audits if audit.case.restricted]
    access = access_requests_of(staff=staff, case_pks=restricted) if staff is not None and restricted else {}
    today = timezone.localdate()
    rows = [my_audit_row(audit, access=access, today=today) for audit in audits]
    return render(
        request,
        "allocation/my_audits.html",
        {
            "current": [row for row in rows if not row.submitted],
            "done": [row for row in rows if row.submitted],
        },
    )
