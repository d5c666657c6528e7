"""The API's routers, one per area of the domain; each is tagged in the OpenAPI document."""
