"""Monthly selection and allocation of cases to auditing managers (SEL-1..SEL-4).

The pure core (no models, no database) lives in `rules` (eligibility, auditor fit, priority),
`solver` (the optimising allocation), `explain` (reasons), `checker` (an independent check of
a result) and `result` (the JSON of CONTRACTS §6). See docs/allocation.md."""
