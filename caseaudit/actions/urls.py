"""The pages of actions and escalations. Each part keeps its own URL list in its views module."""

from caseaudit.actions.views import detail, supervision

app_name = "actions"

urlpatterns = [*detail.urlpatterns, *supervision.urlpatterns]
