"""The web portal: server-rendered pages in Chinese (and English) for everyone who uses the
platform, built only on the platform's public HTTP API (`../shared/CONTRACT.md`)."""
