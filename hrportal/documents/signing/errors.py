"""The one exception of signing, shared by every step so views catch a single type."""


class SigningError(Exception):
    """A refused step: `reason` is the short machine word the audit log records, `message` what the
    person is told (translated lazily, in their language)."""

    def __init__(self, reason: str, message):
        super().__init__(reason)
        self.reason = reason
        self.message = message
