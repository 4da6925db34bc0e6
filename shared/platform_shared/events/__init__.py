"""Domain events: the envelope (`envelope`), the registry of contracts (`registry`), the
catalogue of contracts (`catalogue`) and the checks against them (`contracts`)."""
