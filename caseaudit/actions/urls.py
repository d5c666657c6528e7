"""The pages of actions and escalations. Each part keeps its own URL list in its views module."""

from caseaudit.actions.views import audits, detail, lists, story_boards, supervision

app_name = "actions"

urlpatterns = [
    *detail.urlpatterns,
    *lists.urlpatterns,
    *supervision.urlpatterns,
    *story_boards.urlpatterns,
    *audits.urlpatterns,
]
