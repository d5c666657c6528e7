"""The panel part of the audit page, the PDF and the home page (see caseaudit/moderation)."""
