"""What the audits app tells higher apps (ADR 0005: they listen; it does not import them).

`audit_submitted` is sent inside the submission's transaction, after the audit became submitted
and its PDF was stored, with `audit` and `actor`: a receiver that raises undoes the submission, so
what it writes (the worker's feedback request, say) exists exactly when the audit is submitted.

`audit_grades_changed` is sent inside the transaction of a later stage's grades (the head of QA's,
Stage 2's, the panel's), after the audit's effective grades were saved, with `audit`, `actor` and
`changes` (the GradeChange rows): escalation listens, so an Inadequate grade at any stage opens one.

`audit_final` is sent inside the transaction of the event that makes an audit final (no stage
left), with `audit` and `actor`, after the last stage's grades are the effective ones: recognition
listens (ESC-3: a final Good or Outstanding invites a story board)."""

from django.dispatch import Signal

audit_submitted = Signal()
audit_grades_changed = Signal()
audit_final = Signal()
