class ApplicationError(Exception):
    """A request the application refuses for a reason a person can act on.

    The API turns it into one JSON error shape; web views into a form or page message.
    """

    def __init__(self, message: str, extra: dict | None = None):
        super().__init__(message)
        self.message = message
        self.extra = extra or {}
