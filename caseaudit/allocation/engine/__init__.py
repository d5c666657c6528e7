"""The allocation engine: pure functions and data, no models and no database (docs/allocation.md).

`eligibility` (eligible cases, auditor fit, priority, the seeded draw), `solver` (the optimising
allocation) with `network` and `columns` (its min-cost flow), `explain` (the reasons), `result`
(the JSON of CONTRACTS §6) and `checker` (an independent check of a result, written apart)."""
