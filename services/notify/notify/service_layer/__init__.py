"""notify's use cases: deliveries recorded from events and sent by the worker's rounds, the
delivery log and its retry, the accounts' preferences; over a unit of work, no peewee."""
