class MovieLensFormatError(Exception):
    """A MovieLens file that cannot be imported; the message reads `file:line: reason`."""

    def __init__(self, file: str, line: int | None, reason: str):
        self.file, self.line, self.reason = file, line, reason
        where = f"{file}:{line}" if line is not None else file
        super().__init__(f"{where}: {reason}")
