"""The API of moderation (CONTRACTS §9), with the same services and permissions as the pages."""

from ninja import Router

router = Router(tags=["moderation"])
