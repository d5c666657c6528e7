"""Writes of the monthly allocation and the audit discussion, one module per concept: `drafts`,
`adjust` (with `adjusted_pair`, the changed pair's reasons), `confirm`, `settings`,
`discussions`. Each write is one transaction with its audit-history row; mail is queued in it and
delivered after commit (CONTRACTS §7)."""
