"""Monthly selection and allocation of cases to auditing managers (SEL-1..SEL-5). The audit
discussion the auditor arranges with the worker (SEL-7) is the audits app's.

The pure engine (no models, no database) is the `engine` package; the rest reads the register
into its facts, keeps drafts and confirmations, and shows them. See docs/allocation.md."""
