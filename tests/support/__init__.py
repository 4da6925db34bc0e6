"""Test doubles and tiny test services built from the real platform library."""
