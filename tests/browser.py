"""Helpers for the browser tests: Debian's Chromium driven by Playwright, a throwaway JupyterLab.

Everything that could make a run depend on an earlier one is fresh per run (issue 5,
section 6): the browser context (a reused profile would skip login forms), HOME and
the XDG folders of Chromium, JupyterLab and the kernel (so learner progress and
settings never touch the real home), and the workspace (``lab?reset``). Waits are on
page state (kernel status, prompts, dialogs), never fixed sleeps.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from conftest import REPO
from playwright.sync_api import Browser, Locator, Page, Playwright, expect
from support import free_port, log_tail, stop_process_group

from borderdesk.lab import config_dirs

# Headless flags for a root user on a machine without internet: Chromium's background
# traffic (updates, sync, field trials) would otherwise be refused many times a run.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
ARTIFACTS = REPO / "test-artifacts" / "browser"
README_SCREENSHOTS = REPO / "docs" / "screenshots"  # refreshed by the tests that take them
# Generous, because 5 test runs may share 2 cores; every wait ends as soon as the state is reached.
SLOW = 180_000  # ms: server start, running a whole lesson, nbgrader validate
STEP = 30_000  # ms: one click and its visible answer
expect.set_options(timeout=STEP)


def isolated_env(home: Path) -> dict[str, str]:
    """The environment with HOME and the XDG folders inside ``home`` (created)."""
    dirs = {
        "HOME": home,
        "XDG_CONFIG_HOME": home / ".config",
        "XDG_CACHE_HOME": home / ".cache",
        "XDG_DATA_HOME": home / ".local" / "share",
        "XDG_STATE_HOME": home / ".local" / "state",
        "XDG_RUNTIME_DIR": home / "runtime",
    }
    for path in dirs.values():
        path.mkdir(parents=True, exist_ok=True)
    (home / "runtime").chmod(0o700)  # as the XDG spec requires
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "XDG_"))}
    env.update({k: str(v) for k, v in dirs.items()})
    return env


def launch_chromium(playwright: Playwright, executable: str, home: Path) -> Browser:
    """The system's Chromium (/usr/bin/chromium on Debian), headless, with HOME in ``home``.

    Never Playwright's own browser download: CI machines here have no internet.
    """
    return playwright.chromium.launch(
        executable_path=executable, headless=True, args=CHROMIUM_ARGS, env=isolated_env(home)
    )


# ------------------------------------------------------------------------ JupyterLab
@dataclass
class Lab:
    url: str  # http://127.0.0.1:PORT
    token: str
    root: Path
    log: Path

    def open_url(self, path: str) -> str:
        """URL that opens ``path`` in a reset workspace (a restored one may hide it)."""
        return f"{self.url}/lab/tree/{path}?reset&token={self.token}"


@contextmanager
def jupyter_lab(root: Path, home: Path, log: Path, instructor: bool = False) -> Iterator[Lab]:
    """JupyterLab serving ``root`` (a course copy) as ``borderdesk lab`` does, on a free port.

    Started from ``root`` so nbgrader's Validate reads the course's nbgrader_config.py,
    with its own HOME, and with the course's Jupyter config (the learner's view unless
    ``instructor``): the same folders, from this checkout, that `borderdesk lab` uses.
    """
    env = isolated_env(home)
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(str(d) for d in config_dirs(REPO, instructor))
    env["BORDERDESK_ROOT"] = str(root)
    env["BORDERDESK_PROGRESS_DIR"] = str(home / "progress")
    # Figures inline in the page even where the caller's environment sets e.g. MPLBACKEND=Agg.
    env["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    port, token = free_port(), secrets.token_hex(16)
    argv = [
        sys.executable,
        "-m",
        "jupyterlab",
        "--no-browser",
        "--ip=127.0.0.1",
        f"--port={port}",
        f"--ServerApp.root_dir={root}",
        f"--IdentityProvider.token={token}",
        "--ServerApp.port_retries=0",
    ]
    if os.geteuid() == 0:
        argv.append("--allow-root")
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(log, "wb") as out:
        # Own process group, so the kernels it starts end with it.
        proc = subprocess.Popen(argv, cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    lab = Lab(f"http://127.0.0.1:{port}", token, root, log)
    try:
        _wait_until_up(proc, lab)
        yield lab
    finally:
        stop_process_group(proc)


def _wait_until_up(proc: subprocess.Popen, lab: Lab, timeout: float = SLOW / 1000) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"JupyterLab exited with {proc.returncode}; its log:\n{log_tail(lab.log)}")
        try:
            with urllib.request.urlopen(f"{lab.url}/api/status?token={lab.token}", timeout=5):
                return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)  # polling a server that is starting, not waiting for the page
    raise RuntimeError(f"JupyterLab did not answer within {timeout:.0f} s; its log:\n{log_tail(lab.log)}")


# ------------------------------------------------------------------------ screenshots
class Steps:
    """Numbered screenshots of one test: ``test-artifacts/browser/<test>/01-<step>.png``."""

    def __init__(self, test_name: str):
        self.folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", test_name)
        shutil.rmtree(self.folder, ignore_errors=True)
        self.folder.mkdir(parents=True)
        self.count = 0

    def shot(self, page: Page, step: str, element: Locator | None = None, readme: str | None = None) -> Path:
        """Save a screenshot; with ``readme``, also as ``docs/screenshots/<readme>.png`` (the README's pictures)."""
        self.count += 1
        path = self.folder / f"{self.count:02d}-{step}.png"
        (element or page).screenshot(path=path, animations="disabled")
        if readme:
            shutil.copy(path, README_SCREENSHOTS / f"{readme}.png")
        return path


# ------------------------------------------------------------------------ notebook UI
PANEL = ".jp-NotebookPanel:not(.lm-mod-hidden)"  # the notebook in front


def notebook_panel(page: Page) -> Locator:
    return page.locator(PANEL)


def wait_kernel_idle(page: Page, timeout: float = SLOW) -> None:
    """Wait until the kernel of the notebook in front reports idle in the status bar.

    A cell run before the kernel is connected is silently dropped, so every run waits
    here. The status bar says "Initializing", "Starting" or "Connecting" until then.
    (The toolbar's indicator is not used: a narrow window folds it into a menu.)
    """
    expect(page.locator(".jp-StatusBar-Widget")).to_contain_text(re.compile(r"\(ipykernel\) \| Idle"), timeout=timeout)


def open_notebook(page: Page, lab: Lab, path: str) -> Locator:
    """Open ``path`` (relative to the lab's root) and wait for its kernel; the notebook panel."""
    page.goto(lab.open_url(path))
    panel = notebook_panel(page)
    expect(panel.locator(".jp-Notebook")).to_be_visible(timeout=SLOW)
    expect(page.get_by_role("tab", name=re.compile(re.escape(Path(path).name)))).to_be_visible(timeout=SLOW)
    wait_kernel_idle(page)
    return panel


def run_all_cells(page: Page) -> None:
    """Run > Run All Cells, then wait until every code cell has run; fail on a traceback."""
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name=re.compile(r"^Run All Cells")).click()
    # Queued or running cells show [*], cells that ran [n]. Run All stops at an error,
    # leaving later cells at [ ], so a traceback with nothing queued also ends the wait.
    page.wait_for_function(
        """(panel) => {
            const root = document.querySelector(panel);
            // Cells whose code is hidden (drills) show a placeholder without a prompt; the
            // kernel-idle wait below covers a hidden last cell.
            const prompts = [...root.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')]
                .map(p => p.textContent.trim());
            const failed = [...root.querySelectorAll('.jp-OutputArea-output')]
                .some(o => o.textContent.includes('Traceback'));
            return prompts.length > 0 && (prompts.every(t => /^\\[\\d+\\]:$/.test(t))
                || (failed && !prompts.includes('[*]:')));
        }""",
        arg=PANEL,
        timeout=SLOW,
    )
    tracebacks = [
        t for t in notebook_panel(page).locator(".jp-OutputArea-output").all_inner_texts() if "Traceback" in t
    ]
    assert not tracebacks, "a cell raised while running the notebook:\n" + "\n".join(tracebacks)
    wait_kernel_idle(page)


def code_cell(page: Page, starts_with: str) -> Locator:
    """The one code cell whose source contains ``starts_with`` (e.g. ``def name(``)."""
    cells = notebook_panel(page).locator(".jp-CodeCell").filter(has=page.locator(".cm-content", has_text=starts_with))
    expect(cells).to_have_count(1, timeout=STEP)
    return cells


def replace_cell_source(page: Page, cell: Locator, source: str) -> None:
    """Replace a cell's source as a paste would (typing would trigger auto-indent and auto-close)."""
    editor = cell.locator(".cm-content")
    editor.click()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.insert_text(source)
    expect(editor).to_have_text(_lines_as_text(source), timeout=STEP)


def _lines_as_text(source: str) -> str:
    # CodeMirror renders one element per line and no newline characters between them.
    return "".join(source.splitlines())
