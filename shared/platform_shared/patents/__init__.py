"""Chinese patents as filing and review both need them: application numbers and their check
character, and the patent registry that says whether a patent is granted and in force."""
