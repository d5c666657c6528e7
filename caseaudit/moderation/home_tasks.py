"""What the home page shows from the stages after Stage 1: each part registers its providers in
its presenters module (feedback, stage2, panel), imported here."""

from caseaudit.moderation.presenters import feedback, panel, stage2  # noqa: F401
