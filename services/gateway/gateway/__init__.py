"""The gateway: one address for the platform, routing `/api/v1/<service>/…` to each service."""
