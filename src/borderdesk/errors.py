"""The one base class of every error a user can fix.

``borderdesk`` (``cli.main``) catches ``BorderDeskError`` and prints its message on
one line; anything else is a bug and keeps its traceback. Each subclass lives beside
the code that raises it, for example ``paths.CourseNotFound``, ``chapters.ManifestError``,
``datasets.DataError``, ``drills.loader.DrillError`` and ``grading.sandbox.SandboxUnavailable``.
"""


class BorderDeskError(RuntimeError):
    """A problem the user can fix; its message says what is wrong and how to fix it."""
