"""The patent product filing platform's own library, shared by its five services."""
