"""Who may read Stage 3 (CONTRACTS §3, §11), as django-rules predicates.

- The dashboard and the lists behind its figures: QA, senior managers (SMT), heads of service and
  managers (practice, group and service managers) — each over their report scope
  (selectors.report_scope) — and the superuser. Social workers, moderators and panel chairs as
  such, and the administrator role alone, may not.
- Moderation agreement (an auditor's development conversation): QA and the superuser.
- Themes (they quote audits): QA and the superuser.
- The quarterly report: QA write "what we will do next"; QA and senior managers download it."""

from typing import Any

import rules

from caseaudit.accounts.predicates import is_qa, is_superuser
from caseaudit.accounts.roles import Role
from caseaudit.accounts.selectors import user_has_role, user_staff

READER_ROLES = (
    Role.SENIOR_MANAGER,
    Role.HEAD_OF_SERVICE,
    Role.SERVICE_MANAGER,
    Role.GROUP_MANAGER,
    Role.PRACTICE_MANAGER,
)


@rules.predicate
def reads_figures(user: Any) -> bool:
    staff = user_staff(user)
    return staff is not None and staff.is_active and user_has_role(user, *READER_ROLES)


@rules.predicate
def reads_figures_as_senior_manager(user: Any) -> bool:
    staff = user_staff(user)
    return staff is not None and staff.is_active and user_has_role(user, Role.SENIOR_MANAGER)


@rules.predicate
def is_active_qa(user: Any) -> bool:
    staff = user_staff(user)
    return staff is not None and staff.is_active and is_qa(user)


rules.add_perm(
    "reports.view_dashboard", rules.is_authenticated & (is_superuser | is_active_qa | reads_figures)
)
rules.add_perm("reports.view_agreement", rules.is_authenticated & (is_superuser | is_active_qa))
# Themes quote audits' words: the QA team (who may see every audit not restricted) keeps them.
rules.add_perm("reports.manage_themes", rules.is_authenticated & (is_superuser | is_active_qa))
# The quarterly report: QA write it; QA and senior managers (the Steering Group's) download it.
rules.add_perm("reports.write_quarterly", rules.is_authenticated & (is_superuser | is_active_qa))
rules.add_perm(
    "reports.view_quarterly",
    rules.is_authenticated & (is_superuser | is_active_qa | reads_figures_as_senior_manager),
)


@rules.predicate
def answers_subject_access(user: Any) -> bool:
    staff = user_staff(user)
    return (
        staff is not None
        and staff.is_active
        and user_has_role(user, Role.HEAD_OF_QA, Role.INFORMATION_GOVERNANCE)
    )


# A subject access export (REC-2): the head of QA and information governance; logged.
rules.add_perm("reports.subject_access", rules.is_authenticated & (is_superuser | answers_subject_access))
