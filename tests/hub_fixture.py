"""A real JupyterHub on 127.0.0.1 running deploy/hub/jupyterhub_config.py, for tests.

The hub loads the shipped config unchanged, with a site file of temporary paths and
free ports, and swaps only what a test machine cannot have: PAM becomes
SharedPasswordAuthenticator (one password for everyone), SystemdSpawner becomes
SimpleLocalProcessSpawner (every user runs as this OS user, each with a home under
the run's temporary folder), and the rosters come from the site file instead of Unix
groups. Because every learner is the same OS user here, a test-only config folder sets
each learner's ``CourseDirectory.student_id`` to their hub name (nbgrader otherwise
takes the OS user name) and the formgrader's ``ExchangeCollect.check_owner = False``
(it would skip submissions whose files this OS user owns). Production keeps both
defaults: there the Unix owner IS the learner, and the owner check is what stops one
learner submitting as another.

Use it from a test module (tests/conftest.py registers the ``hub`` fixture)::

    def test_something(hub):
        session = hub.login(hub.learners[0])      # through the login form
        hub.release("01_platform_rules")          # instructor releases, via formgrader

or ``with running_hub(tmp_path) as hub:`` outside pytest fixtures. Everything (hub
database, homes, exchange, course copy, logs) lives in the given temporary folder; the
hub and every server it started are stopped at the end, also when the test fails.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import REPO, copy_course
from prereqs import require_program
from support import free_port, log_tail, stop_process_group

COURSE = "borderdesk"
INSTRUCTOR = "teacher"
LEARNERS = ("ana", "ben")
HUB_CONFIG = REPO / "deploy" / "hub" / "jupyterhub_config.py"
START_TIMEOUT = 180  # seconds, hub and formgrader service; ~10 on an idle 2-core machine, far more under load


@dataclass
class Hub:
    url: str  # http://127.0.0.1:<port>, the proxy's public address
    password: str  # shared by every user
    instructor: str
    learners: tuple[str, ...]
    course: str
    root: Path  # the run's temporary folder
    course_root: Path  # the formgrader's copy of the course
    exchange: Path
    log: Path  # the hub's log (servers log into it too)
    admin_token: str  # a test-only hub service with admin scopes
    run_id: str  # marks every process of this run (env BORDERDESK_E2E_RUN)
    start_seconds: float = 0.0
    _tokens: dict = field(default_factory=dict)

    @property
    def users(self) -> tuple[str, ...]:
        return (self.instructor, *self.learners)

    def home(self, user: str) -> Path:
        return self.root / "homes" / user

    # -- hub REST API ----------------------------------------------------------------
    def api(self, method: str, path: str, token: str | None = None, **kwargs):
        import requests

        headers = {"Authorization": f"token {token or self.admin_token}"}
        return requests.request(method, f"{self.url}/hub/api{path}", headers=headers, timeout=60, **kwargs)

    def token(self, user: str) -> str:
        """An API token of ``user`` (with all of the user's own permissions)."""
        if user not in self._tokens:
            r = self.api("POST", f"/users/{user}/tokens", json={"note": "e2e test"})
            r.raise_for_status()
            self._tokens[user] = r.json()["token"]
        return self._tokens[user]

    def start_server(self, user: str, timeout: float = 90) -> None:
        r = self.api("POST", f"/users/{user}/server")
        if r.status_code not in (201, 202, 400):  # 400: already running
            r.raise_for_status()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            server = self.api("GET", f"/users/{user}").json().get("servers", {}).get("")
            if server and server.get("ready"):
                return
            time.sleep(0.5)
        raise TimeoutError(f"{user}'s server not ready after {timeout} s; see {self.log}")

    def user_request(self, user: str, method: str, path: str, as_user: str | None = None, **kwargs):
        """Call ``/user/<user>/<path>`` through the proxy with ``as_user``'s token (default: the owner)."""
        import requests

        headers = {"Authorization": f"token {self.token(as_user or user)}"}
        return requests.request(method, f"{self.url}/user/{user}/{path}", headers=headers, timeout=300, **kwargs)

    def formgrader(self, method: str, path: str, as_user: str | None = None, **kwargs):
        """Call the course's formgrader service (``/services/<course>/formgrader/<path>``)."""
        import requests

        headers = {"Authorization": f"token {self.token(as_user or self.instructor)}"}
        url = f"{self.url}/services/{self.course}/formgrader/{path}"
        return requests.request(method, url, headers=headers, timeout=600, allow_redirects=False, **kwargs)

    def release(self, assignment: str) -> None:
        """Generate (fills the gradebook) and release ``assignment`` as the instructor."""
        for step in ("assign", "release"):
            r = self.formgrader("POST", f"api/assignment/{assignment}/{step}")
            r.raise_for_status()
            result = r.json()
            if not result.get("success"):
                raise AssertionError(f"formgrader {step} {assignment} failed: {result.get('error') or result}")

    def login(self, user: str):
        """A requests session logged in through the hub's login form."""
        import requests

        s = requests.Session()
        s.get(f"{self.url}/hub/login", timeout=30).raise_for_status()
        r = s.post(
            f"{self.url}/hub/login",
            data={"username": user, "password": self.password, "_xsrf": s.cookies.get("_xsrf", "")},
            allow_redirects=False,
            timeout=30,
        )
        if r.status_code != 302:
            raise AssertionError(f"login as {user} failed: HTTP {r.status_code}")
        return s


def _course_copy(dest: Path) -> Path:
    """The formgrader's instructor copy: config, sources, release, case data."""
    copy_course(dest, "solutions", "exercises", "data")
    shutil.copy(REPO / "nbgrader_config.py", dest)
    return dest


def _write_configs(root: Path, ports: dict, password: str, admin_token: str, run_id: str) -> Path:
    homes = root / "homes"
    homes.mkdir()
    course_root = _course_copy(root / "homes" / f"grader-{COURSE}" / COURSE)
    site = {
        "courses": {COURSE: {"root": str(course_root), "grader_account": None, "port": ports["service"]}},
        "rosters": {f"nbgrader-{COURSE}": list(LEARNERS), f"formgrade-{COURSE}": [INSTRUCTOR]},
        "exchange": str(root / "exchange"),
        "state_dir": str(root / "hub-state"),
        "bind_url": f"http://127.0.0.1:{ports['public']}",
        "hub_port": ports["hub"],
        "proxy_api_port": ports["proxy_api"],
    }
    (root / "hub.json").write_text(json.dumps(site, indent=2))

    # Only-in-tests nbgrader settings, ranked above deploy/hub/jupyter/* (see module doc).
    learner_cfg = root / "test-config" / "learner"
    grader_cfg = root / "test-config" / "formgrader"
    learner_cfg.mkdir(parents=True)
    grader_cfg.mkdir(parents=True)
    (learner_cfg / "nbgrader_config.py").write_text(
        "import os\nc = get_config()\nc.CourseDirectory.student_id = os.environ['JUPYTERHUB_USER']\n"
    )
    (grader_cfg / "nbgrader_config.py").write_text("c = get_config()\nc.ExchangeCollect.check_owner = False\n")

    allow_root = ["--allow-root"] if os.geteuid() == 0 else []
    wrapper = root / "jupyterhub_config.py"
    wrapper.write_text(
        f"""# Generated by tests/hub_fixture.py: the shipped config, with test swaps.
import os
c = get_config()
load_subconfig({str(HUB_CONFIG)!r})

c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = {password!r}
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = {str(homes)!r} + "/{{username}}"
c.Spawner.args = {allow_root!r}
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
# Stop every server with the hub (production keeps them across hub restarts).
c.JupyterHub.cleanup_servers = True

env = c.Spawner.environment
env["JUPYTER_CONFIG_PATH"] = {str(learner_cfg)!r} + os.pathsep + env["JUPYTER_CONFIG_PATH"]
env["BORDERDESK_E2E_RUN"] = {run_id!r}
for service in c.JupyterHub.services:
    service.setdefault("environment", {{}})["BORDERDESK_E2E_RUN"] = {run_id!r}
    if service["name"] == {COURSE!r}:
        service["command"] = service["command"] + {allow_root!r}
        e = service["environment"]
        e["JUPYTER_CONFIG_PATH"] = {str(grader_cfg)!r} + os.pathsep + e["JUPYTER_CONFIG_PATH"]
        e["HOME"] = service["cwd"]

# A test-only service whose token can create users' tokens and start their servers.
c.JupyterHub.services.append({{"name": "e2e-admin", "api_token": {admin_token!r}}})
c.JupyterHub.load_roles.append({{
    "name": "e2e-admin",
    "services": ["e2e-admin"],
    "scopes": ["admin:users", "admin:servers", "tokens", "list:users", "read:users", "list:groups", "read:groups"],
}})
"""
    )
    return wrapper


def processes_of_run(run_id: str) -> list[int]:
    """PIDs whose environment carries this run's marker (servers, services, kernels)."""
    marker = f"BORDERDESK_E2E_RUN={run_id}".encode()
    pids = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            with contextlib.suppress(OSError):
                if marker in (proc / "environ").read_bytes().split(b"\0"):
                    pids.append(int(proc.name))
    return pids


def _stop(process: subprocess.Popen, run_id: str) -> None:
    # The hub and its proxy (one process group) first, gracefully: it stops the servers it spawned.
    stop_process_group(process, grace=30)
    # Then anything of this run still alive (e.g. after a hub crash), by PID.
    for pid in processes_of_run(run_id):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)


@contextlib.contextmanager
def running_hub(root: Path) -> Iterator[Hub]:
    """Start the hub in the empty folder ``root``; stop it and its servers on exit."""
    import requests

    require_program("configurable-http-proxy")
    root.mkdir(parents=True, exist_ok=True)
    ports = {k: free_port() for k in ("public", "hub", "proxy_api", "service")}
    password = secrets.token_hex(8)
    admin_token = secrets.token_hex(16)
    run_id = secrets.token_hex(8)
    wrapper = _write_configs(root, ports, password, admin_token, run_id)
    log = root / "jupyterhub.log"
    env = {
        **os.environ,
        "BORDERDESK_HUB_SITE": str(root / "hub.json"),
        "BORDERDESK_E2E_RUN": run_id,
        "CONFIGPROXY_AUTH_TOKEN": secrets.token_hex(16),
    }
    hub = Hub(
        url=f"http://127.0.0.1:{ports['public']}",
        password=password,
        instructor=INSTRUCTOR,
        learners=LEARNERS,
        course=COURSE,
        root=root,
        course_root=root / "homes" / f"grader-{COURSE}" / COURSE,
        exchange=root / "exchange",
        log=log,
        admin_token=admin_token,
        run_id=run_id,
    )
    started = time.monotonic()
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "jupyterhub", "-f", str(wrapper)],
            cwd=root,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, so teardown reaches the proxy
        )
    try:
        deadline = started + START_TIMEOUT
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"JupyterHub exited with {process.returncode}:\n{log_tail(log)}")
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"{hub.url}/hub/api/", timeout=2).ok:
                    break
            if time.monotonic() > deadline:
                raise TimeoutError(f"JupyterHub not up after {START_TIMEOUT} s:\n{log_tail(log)}")
            time.sleep(0.3)
        # The hub answers before its managed formgrader service does.
        while hub.formgrader("GET", "api/status").status_code != 200:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"the formgrader service did not come up:\n{log_tail(log)}")
            time.sleep(0.3)
        hub.start_seconds = time.monotonic() - started
        yield hub
    finally:
        _stop(process, run_id)


@pytest.fixture(scope="module")
def hub(tmp_path_factory) -> Iterator[Hub]:
    """A running hub for the whole test module (see the module docstring)."""
    with running_hub(tmp_path_factory.mktemp("hub")) as running:
        yield running
