"""The one exception type the CLI turns into a one-line message."""


class BorderDeskError(RuntimeError):
    """A problem the user can fix; its message says how."""
