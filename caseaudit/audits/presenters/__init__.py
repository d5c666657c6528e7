"""The audit shaped for its pages and the PDF: the audit and its sections (audit), the action
table (actions), refusals and stale saves in words (feedback), actions, gaps and history (records),
the start pages (start), the discussion with the worker (discussion)."""
