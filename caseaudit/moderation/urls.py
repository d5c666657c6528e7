"""The pages after Stage 1. Each part of the app keeps its own URL list in its views module."""

from caseaudit.moderation.views import feedback, panel, stage2

app_name = "moderation"

urlpatterns = [*feedback.urlpatterns, *stage2.urlpatterns, *panel.urlpatterns]
