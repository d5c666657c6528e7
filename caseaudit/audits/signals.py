"""What the audits app tells higher apps (ADR 0005: they listen; it does not import them).

`audit_submitted` is sent inside the submission's transaction, after the audit became submitted
and its PDF was stored, with `audit` and `actor`: a receiver that raises undoes the submission, so
what it writes (the worker's feedback request, say) exists exactly when the audit is submitted."""

from django.dispatch import Signal

audit_submitted = Signal()
