"""The platform's test suite: unit, integration (real RabbitMQ and PostgreSQL) and e2e."""
