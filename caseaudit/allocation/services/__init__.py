"""Writes of the monthly allocation, one module per concept: `drafts`, `adjust` (with
`adjusted_pair`, the changed pair's reasons), `confirm`, `settings`. Each write is one transaction
with its audit-history row; mail is queued in it and delivered after commit (CONTRACTS §7)."""
