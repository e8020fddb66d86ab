"""Demo content of the portal (companies, users, mandate). Filled in by the portal issues."""


def seed():
    return []
