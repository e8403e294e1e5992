"""System prerequisites of some tests (bwrap, PostgreSQL, Chromium, the hub's proxy).

`.ci/run` installs them. In CI (the ``CI`` environment variable is set) a missing
one fails the test, so a broken set-up can never pass as skipped; on a laptop
the test skips with a one-line reason that says how to install it.
"""

from __future__ import annotations

import os
import shutil

import pytest

HOW_TO_INSTALL = {
    "bwrap": "apt-get install bubblewrap",
    "chromium": "apt-get install chromium",
    "configurable-http-proxy": "npm install -g configurable-http-proxy",
    "pg_ctl": "apt-get install postgresql",
    "initdb": "apt-get install postgresql",
    "postgres": "apt-get install postgresql",
}

# Debian keeps the PostgreSQL server programs off PATH.
EXTRA_DIRS = sorted((str(p) for p in __import__("pathlib").Path("/usr/lib/postgresql").glob("*/bin")), reverse=True)


def missing(reason: str) -> None:
    """Fail in CI, skip elsewhere, with ``reason``."""
    if os.environ.get("CI"):
        pytest.fail(f"prerequisite missing in CI: {reason}", pytrace=False)
    pytest.skip(reason)


def require_program(name: str) -> str:
    """Full path of program ``name``, or fail/skip saying how to install it."""
    path = shutil.which(name) or shutil.which(name, path=os.pathsep.join(EXTRA_DIRS))
    if path is None:
        missing(f"`{name}` not found; install it with `{HOW_TO_INSTALL.get(name, name)}`")
    return path
