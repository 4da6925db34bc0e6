"""Integration tests: the platform library against the machine's RabbitMQ and PostgreSQL."""
