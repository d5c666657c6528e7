"""What the home page shows from the audits: to the worker and their practice manager, the audits
of their cases not yet submitted, with the compliance gaps still to address (AUD-1, AUD-3).
Each names the case ID (the audit's own page names the child, to those who may see it)."""

from typing import Any

from django.urls import reverse

from caseaudit.audits.ui_selectors import audits_awaiting_me
from caseaudit.core.calendar import long_date
from caseaudit.core.home import HomeLink, HomeRow, HomeTask, home_provider
from caseaudit.core.mail_text import plural
from caseaudit.templates_library.selectors import audit_type_list

SHOWN = 10


@home_provider
def audits_of_my_cases(user: Any) -> list[HomeTask]:
    audits = list(audits_awaiting_me(user=user)[: SHOWN + 1])
    if not audits:
        return []
    names = {kind.token: kind.name for kind in audit_type_list(active_only=False)}
    rows = []
    gaps = 0
    for audit in audits[:SHOWN]:
        facts = [f"with {audit.auditor.name if audit.auditor else 'an auditor'}"]
        if audit.audit_date:
            facts.append(f"audit date {long_date(audit.audit_date)}")
        if audit.due_date:
            facts.append(f"due by {long_date(audit.due_date)}")
        open_gaps = getattr(audit, "open_gaps", 0)
        if open_gaps:
            facts.append(f"{plural(open_gaps, 'compliance gap')} to address")
        gaps += open_gaps
        kind = names.get(audit.audit_type, audit.audit_type)
        rows.append(
            HomeRow(
                HomeLink(
                    f"Case {audit.case.case_id}", reverse("audits:overview", args=[audit.pk]), f": {kind}"
                ),
                f"{kind} ({audit.case.team.name}), " + ", ".join(facts) + ".",
            )
        )
    lines = ["Audits not yet submitted of the cases you work on or manage."]
    if len(audits) > SHOWN:
        lines.append(f"The {SHOWN} due soonest are shown; find the others from each child's page.")
    return [
        HomeTask(
            "Audits of your cases",
            lines,
            rows=rows,
            tag=f"{plural(gaps, 'compliance gap')} to address" if gaps else "",
            order=40,
        )
    ]
