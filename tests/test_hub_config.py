"""deploy/hub/jupyterhub_config.py as production loads it (PAM, SystemdSpawner), without starting a hub.

The config is loaded in a subprocess (it patches JupyterHub for its service start-up
wait) with a site file pointing every path into a temporary folder.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

from conftest import REPO
from prereqs import missing

HUB = REPO / "deploy" / "hub"

LOAD = """
import json, sys
from traitlets.config.loader import PyFileConfigLoader
cfg = PyFileConfigLoader("jupyterhub_config.py", path=sys.argv[1]).load_config()
hub, auth, spawner = cfg.JupyterHub, cfg.Authenticator, cfg.Spawner
print(json.dumps({
    "authenticator": hub.authenticator_class,
    "spawner": hub.spawner_class,
    "groups": hub.load_groups,
    "allowed": sorted(auth.allowed_users),
    "roles": hub.load_roles,
    "services": hub.services,
    "token_scopes": spawner.server_token_scopes,
    "mem": spawner.mem_limit, "cpu": spawner.cpu_limit, "url": spawner.default_url,
    "cmd": spawner.cmd,
    "env": {k: v for k, v in spawner.environment.items() if isinstance(v, str)},
    "systemd": {k: v for k, v in cfg.SystemdSpawner.items()},
}, default=str))
"""


def load(tmp_path, **site):
    base = {
        "state_dir": str(tmp_path / "state"),
        "exchange": str(tmp_path / "exchange"),
        "rosters": {
            "nbgrader-borderdesk": ["ana", "ben"],
            "formgrade-borderdesk": ["teacher"],
            "nbgrader-course101": ["ben", "chen"],
            "formgrade-course101": ["dora"],
        },
        "courses": {
            "borderdesk": {"root": str(tmp_path / "g1" / "borderdesk"), "grader_account": None, "port": 9101},
            "course101": {"root": str(tmp_path / "g2" / "course101"), "grader_account": None, "port": 9102},
        },
    }
    base.update(site)
    (tmp_path / "hub.json").write_text(json.dumps(base))
    done = subprocess.run(
        [sys.executable, "-c", LOAD, str(HUB)],
        env={"BORDERDESK_HUB_SITE": str(tmp_path / "hub.json"), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    return done


def test_production_config_for_two_courses(tmp_path):
    done = load(tmp_path)
    assert done.returncode == 0, done.stderr
    cfg = json.loads(done.stdout)
    assert cfg["authenticator"] == "pam"
    assert cfg["spawner"] == "systemdspawner.SystemdSpawner"
    assert cfg["groups"] == {
        "nbgrader-borderdesk": {"users": ["ana", "ben"]},
        "formgrade-borderdesk": {"users": ["teacher"]},
        "nbgrader-course101": {"users": ["ben", "chen"]},
        "formgrade-course101": {"users": ["dora"]},
    }
    assert cfg["allowed"] == ["ana", "ben", "chen", "dora", "teacher"]
    roles = {r["name"]: r for r in cfg["roles"]}
    for course in ("borderdesk", "course101"):
        assert roles[f"formgrade-{course}"]["groups"] == [f"formgrade-{course}"]
        assert f"access:services!service={course}" in roles[f"formgrade-{course}"]["scopes"]
    # No role gives learners access to any formgrader.
    assert not [
        r for r in cfg["roles"] if any(s.startswith("access:services") and "!service=" not in s for s in r["scopes"])
    ]
    assert set(roles["idle-culler"]["scopes"]) == {
        "list:users",
        "read:users:activity",
        "read:servers",
        "delete:servers",
    }
    # nbgrader's auth plugin reads the user's groups with the server's own token.
    assert "read:users:groups!user" in cfg["token_scopes"]

    services = {s["name"]: s for s in cfg["services"]}
    assert set(services) == {"borderdesk", "course101", "idle-culler"}
    fg = services["course101"]
    assert fg["url"] == "http://127.0.0.1:9102"
    assert fg["cwd"] == str(tmp_path / "g2")  # the course sits inside the server's root
    assert fg["environment"]["BORDERDESK_COURSE_ID"] == "course101"
    assert fg["environment"]["JUPYTER_CONFIG_PATH"] == str(HUB / "jupyter" / "formgrader")
    assert fg["environment"]["JUPYTERHUB_DEFAULT_URL"] == "/formgrader"
    assert "--timeout=3600" in services["idle-culler"]["command"]

    assert (cfg["mem"], cfg["cpu"], cfg["url"]) == ("1G", 1.0, "/lab")
    assert cfg["cmd"][1:] == ["-m", "jupyterhub.singleuser"]
    # The hub's learner settings, then the course's learner mode (shared with `borderdesk lab`).
    assert cfg["env"]["JUPYTER_CONFIG_PATH"].split(os.pathsep) == [
        str(HUB / "jupyter" / "learner"),
        str(REPO / "jupyter-config" / "learner"),
        str(REPO / "jupyter-config"),
    ]
    assert cfg["systemd"]["user_workingdir"] == "/home/{USERNAME}"
    assert stat.S_IMODE((tmp_path / "exchange").stat().st_mode) == 0o1777


def test_systemd_settings_exist_in_systemdspawner(tmp_path):
    try:
        from systemdspawner import SystemdSpawner
    except ImportError:
        missing("jupyterhub-systemdspawner is not installed; pip install jupyterhub-systemdspawner")
    cfg = json.loads(load(tmp_path).stdout)
    assert set(cfg["systemd"]) <= set(SystemdSpawner.class_trait_names(config=True))


def test_learner_and_formgrader_extensions():
    learner = json.loads((REPO / "jupyter-config" / "learner" / "jupyter_server_config.json").read_text())
    on = learner["ServerApp"]["jpserver_extensions"]
    assert on["nbgrader.server_extensions.formgrader"] is False
    assert on["nbgrader.server_extensions.course_list"] is False
    assert on["nbgrader.server_extensions.assignment_list"] is True
    page = json.loads((REPO / "jupyter-config" / "learner" / "labconfig" / "page_config.json").read_text())
    assert {
        "@jupyter/nbgrader:formgrader",
        "@jupyter/nbgrader:create-assignment",
        "@jupyterlab/apputils-extension:announcements",
    } <= set(page["disabledExtensions"])
    grader = json.loads((HUB / "jupyter" / "formgrader" / "jupyter_server_config.json").read_text())
    assert grader["ServerApp"]["jpserver_extensions"]["nbgrader.server_extensions.formgrader"] is True


def test_unknown_setting_and_missing_grader_account_are_clear(tmp_path):
    done = load(tmp_path, mem_limt="2G")
    assert done.returncode != 0 and "unknown settings ['mem_limt']" in done.stderr
    courses = {"borderdesk": {"root": str(tmp_path / "c"), "grader_account": "no-such-grader-x", "port": 9101}}
    done = load(tmp_path, courses=courses)
    assert done.returncode != 0
    assert "Unix user no-such-grader-x does not exist; create it with `adduser" in done.stderr
