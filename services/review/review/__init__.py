"""review: the reviewers' work queue, decisions with reasons, recognition rounds."""
