"""The audit page's and PDF's panels from the stages after Stage 1, registered with the audits app
(each module registers its providers when imported)."""

from caseaudit.moderation.presenters import feedback, panel, stage2, status  # noqa: F401
