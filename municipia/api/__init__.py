"""The REST API: one place for every endpoint, writing through the same services
as the web forms. The OpenAPI document is committed under docs/api/ and a test
fails when it drifts from the code."""
