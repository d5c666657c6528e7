"""The pages of actions and escalations. Each part keeps its own URL list in its views module."""

from caseaudit.actions.views import detail, lists, supervision

app_name = "actions"

urlpatterns = [*detail.urlpatterns, *lists.urlpatterns, *supervision.urlpatterns]
