"""identity: organisations, real-name verification, accounts, tokens and provincial ports."""
