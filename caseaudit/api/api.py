"""The JSON API (INT-3). Filled in by the API module."""

from ninja import NinjaAPI

api = NinjaAPI(title="caseaudit API", version="1", urls_namespace="api")
