# JupyterHub configuration for BorderDesk classes on one Linux machine.
#
# Start it as root (it spawns each learner's server as that learner's Unix user):
#     jupyterhub -f /opt/borderdesk/deploy/hub/jupyterhub_config.py
# Site settings (courses, paths, limits) live in a JSON file, /etc/borderdesk/hub.json
# by default (BORDERDESK_HUB_SITE points elsewhere); deploy/hub/README.md explains every
# key. This file itself stays as shipped, so upgrading is `git pull`.
#
# The end-to-end test (tests/test_hub_e2e.py) loads THIS file unchanged with its own
# site file and then swaps only the authenticator, the spawner and the ports.
import grp
import json
import os
import pwd
import sys
from pathlib import Path

import jupyterhub

c = get_config()  # noqa: F821 (provided by traitlets when it loads this file)

HERE = Path(__file__).resolve().parent
SERVICE_START_TIMEOUT = 120  # seconds a formgrader service may take to start
JUPYTER_DIRS = HERE / "jupyter"  # per-role Jupyter config folders, see below
# Learner servers: the hub's own learner settings (the nbgrader exchange) first, then the
# course's learner mode, the same folders `borderdesk lab` uses (see borderdesk/lab.py).
LEARNER_CONFIG_PATH = os.pathsep.join(
    str(p)
    for p in (
        JUPYTER_DIRS / "learner",
        HERE.parents[1] / "jupyter-config" / "learner",
        HERE.parents[1] / "jupyter-config",
    )
)

DEFAULTS = {
    # course id -> where its instructor copy lives and which port its formgrader uses.
    # "root": a clone of the course owned by "grader_account"; the formgrader service
    # runs as that Unix user, in the folder above "root".
    "courses": {
        "borderdesk": {
            "root": "/home/grader-borderdesk/borderdesk",
            "grader_account": "grader-borderdesk",
            "port": 9101,
        }
    },
    # Who is in each course: None = read the Unix groups nbgrader-<course> and
    # formgrade-<course> at hub start; or a dict {group name: [user names]}.
    "rosters": None,
    "admins": [],  # hub admins (hub user list, start/stop servers); not graders by themselves
    "exchange": "/srv/nbgrader/exchange",  # nbgrader exchange shared by every course
    "state_dir": "/srv/jupyterhub",  # hub database and cookie secret
    "bind_url": "http://127.0.0.1:8000",  # a TLS proxy (nginx, Caddy) sits in front
    "hub_port": 8081,  # hub API, reached by the proxy and the servers on 127.0.0.1
    "proxy_api_port": 8001,
    # Per learner server; the arithmetic for a class of 100 is in README.md.
    "mem_limit": "1G",
    "cpu_limit": 1.0,
    "cull_idle_seconds": 3600,
    # Show formgrader inside JupyterLab's iframe panel. Off by default: JupyterHub >= 4.1
    # forbids iframes (frame-ancestors 'none') because on a hub without subdomains any
    # user's page could script a grader's framed page. Graders open /services/<course>/
    # instead, which lands on formgrader as a full page. See README, "Formgrader".
    "formgrader_in_iframe": False,
}


def load_site() -> dict:
    path = Path(os.environ.get("BORDERDESK_HUB_SITE", "/etc/borderdesk/hub.json"))
    site = dict(DEFAULTS)
    if path.is_file():
        site.update(json.loads(path.read_text()))
    elif "BORDERDESK_HUB_SITE" in os.environ:
        sys.exit(f"BORDERDESK_HUB_SITE={path} does not exist; create it (see deploy/hub/README.md)")
    unknown = set(site) - set(DEFAULTS)
    if unknown:
        sys.exit(f"{path}: unknown settings {sorted(unknown)}; known: {sorted(DEFAULTS)}")
    return site


SITE = load_site()
COURSES = SITE["courses"]


def group_members(group: str) -> list[str]:
    """Members of one course group: from the site roster, or the Unix group of that name."""
    if SITE["rosters"] is not None:
        return list(SITE["rosters"].get(group, []))
    try:
        return list(grp.getgrnam(group).gr_mem)
    except KeyError:
        return []  # no such Unix group yet: nobody in it


# --- Hub process -------------------------------------------------------------------
state = Path(SITE["state_dir"])
state.mkdir(parents=True, exist_ok=True)
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
c.JupyterHub.bind_url = SITE["bind_url"]
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = SITE["hub_port"]
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{SITE['proxy_api_port']}"
# Learner servers keep running across a hub restart (e.g. after a roster change).
c.JupyterHub.cleanup_servers = False

# --- Who can log in: real Unix users through PAM -------------------------------------
# PAM because the learners' servers run as their own Unix users anyway: the account the
# admin creates with `adduser` is the login, its password is the hub password, and file
# permissions (homes, the exchange) are enforced by the kernel. NativeAuthenticator keeps
# a second user list in the hub and would still need the Unix accounts.
c.JupyterHub.authenticator_class = "pam"
c.Authenticator.admin_users = set(SITE["admins"])

# --- Course groups and what they may reach ----------------------------------------------
# nbgrader's JupyterHubAuthPlugin reads these group names: nbgrader-<course> = learners,
# formgrade-<course> = graders. Groups are (re)loaded from the rosters at every hub start;
# load_groups only adds members, so removing someone is done in the admin page too.
load_groups = {}
for course in COURSES:
    for prefix in ("nbgrader", "formgrade"):
        name = f"{prefix}-{course}"
        load_groups[name] = {"users": group_members(name)}
c.JupyterHub.load_groups = load_groups
# Only course members (and admins) may log in.
c.Authenticator.allowed_users = {u for g in load_groups.values() for u in g["users"]} | set(SITE["admins"])

roles = []
for course in COURSES:
    roles.append(
        {
            # Graders reach their course's formgrader service; nobody else does.
            "name": f"formgrade-{course}",
            "groups": [f"formgrade-{course}"],
            "scopes": [f"access:services!service={course}"],
        }
    )
c.JupyterHub.load_roles = roles

# Each server's own API token. JupyterHub's default ("server" role) cannot read the user's
# groups, which nbgrader's JupyterHubAuthPlugin needs to know the user's courses; the
# owner's permissions cap these, so no user gains anything new.
c.Spawner.server_token_scopes = [
    "users:activity!user",
    "access:servers!server",
    "read:users:groups!user",
    "read:users:name!user",
]

# --- Learner and instructor servers --------------------------------------------------
c.Spawner.default_url = "/lab"  # JupyterLab, not the classic tree
# The single-user server from the hub's own Python environment (same versions as the hub).
c.Spawner.cmd = [sys.executable, "-m", "jupyterhub.singleuser"]
c.Spawner.mem_limit = SITE["mem_limit"]
c.Spawner.cpu_limit = float(SITE["cpu_limit"])
# SystemdSpawner (jupyterhub-systemdspawner) runs each server as the user's own Unix
# account in a systemd unit, and systemd's cgroups ENFORCE mem_limit and cpu_limit
# (LocalProcessSpawner only advertises them).
c.JupyterHub.spawner_class = "systemdspawner.SystemdSpawner"
c.SystemdSpawner.user_workingdir = "/home/{USERNAME}"
c.SystemdSpawner.isolate_tmp = True
c.SystemdSpawner.isolate_devices = True
c.SystemdSpawner.disable_user_sudo = True
c.SystemdSpawner.dynamic_users = False  # real accounts: their homes and uids persist


# JUPYTER_CONFIG_PATH ranks above the install's own config (which enables every nbgrader
# extension) and below the user's ~/.jupyter. The course's jupyter-config/learner/ keeps
# the assignment list and Validate, and turns off formgrader, create-assignment, the course
# list and JupyterLab's news; jupyter-config/ adds Validate on assignments only, saved
# drills that say "Run this cell", encrypted kernel sockets and wrapped code lines.
# Instructors use the same: they grade in the formgrader service.
# (A learner who re-enables formgrader in ~/.jupyter gets an empty one: the course and
# its gradebook belong to grader-<course>, and file permissions keep them out.)
c.Spawner.environment = {
    "JUPYTER_CONFIG_PATH": LEARNER_CONFIG_PATH,
    "BORDERDESK_EXCHANGE": SITE["exchange"],
    # The hub's own read-only checkout: where `borderdesk` finds the case data when a
    # learner works outside a course clone (e.g. in ~/assignments).
    "BORDERDESK_ROOT": str(HERE.parents[1]),
}

# --- The nbgrader exchange --------------------------------------------------------------
# nbgrader wants the exchange root world-writable (it checks for rwx for all and
# chmods it to 0777 otherwise); the sticky bit on top, as on /tmp, stops users renaming
# or deleting a course folder they do not own. nbgrader creates <course>/inbound (0733),
# outbound (0755) itself at the first release, and feedback (0711, files named by hash)
# at the first feedback release.
exchange = Path(SITE["exchange"])
exchange.mkdir(parents=True, exist_ok=True)
os.chmod(exchange, 0o1777)

# --- One formgrader service per course ------------------------------------------------
services = []
for course, conf in sorted(COURSES.items()):
    root = Path(conf["root"])
    env = {
        "JUPYTER_CONFIG_PATH": str(JUPYTER_DIRS / "formgrader"),
        "BORDERDESK_COURSE_ID": course,
        "BORDERDESK_COURSE_ROOT": str(root),
        "BORDERDESK_ROOT": str(root),  # the course's data, for autograding
        "BORDERDESK_EXCHANGE": SITE["exchange"],
        # Graders land on formgrader as a full page (no iframe, see formgrader_in_iframe).
        "JUPYTERHUB_DEFAULT_URL": "/lab" if SITE["formgrader_in_iframe"] else "/formgrader",
        "BORDERDESK_FORMGRADER_IFRAME": "1" if SITE["formgrader_in_iframe"] else "0",
    }
    service = {
        # The service name must equal the course id: nbgrader's course list links
        # formgrade-<course> members to /services/<course>/.
        "name": course,
        "url": f"http://127.0.0.1:{conf['port']}",
        "command": [sys.executable, "-m", "jupyterhub.singleuser"],
        # Formgrader needs the course inside the server's root folder.
        "cwd": str(root.parent),
        "environment": env,
        "oauth_no_confirm": True,
    }
    if jupyterhub.version_info >= (6,):
        service["timeout"] = SERVICE_START_TIMEOUT
    if conf.get("grader_account"):
        try:
            env["HOME"] = pwd.getpwnam(conf["grader_account"]).pw_dir
        except KeyError:
            sys.exit(
                f"course {course}: Unix user {conf['grader_account']} does not exist; "
                f"create it with `adduser --disabled-password {conf['grader_account']}`"
            )
        service["user"] = conf["grader_account"]
    services.append(service)


def wait_longer_for_managed_services() -> None:
    """Give a managed service SERVICE_START_TIMEOUT seconds to answer, not ~10.

    JupyterHub 5 polls a managed service 10 times with a 1 s timeout and then EXITS
    ("Cannot connect to <name> service managed"): jupyterhub/jupyterhub#5138, fixed in
    6.0 by a per-service `timeout` (jupyterhub/jupyterhub#5207, set above). A formgrader
    imports JupyterLab and nbgrader; on a busy machine (a hub restart during class) that
    takes longer. Remove this when the hub runs JupyterHub >= 6.
    """
    from jupyterhub.app import JupyterHub
    from jupyterhub.objects import Server
    from jupyterhub.utils import AnyTimeoutError

    start_service = JupyterHub.start_service

    async def patient_start_service(self, service_name, service, ssl_context=None):
        if await start_service(self, service_name, service, ssl_context):
            return True
        if not service.managed or await service.spawner.poll() is not None:
            return False  # it exited or is external: a real failure
        self.log.warning("Service %s is still starting; waiting up to %d s more", service_name, SERVICE_START_TIMEOUT)
        try:
            await Server.from_orm(service.orm.server).wait_up(
                http=True, timeout=SERVICE_START_TIMEOUT, ssl_context=ssl_context
            )
        except AnyTimeoutError:
            return False
        return True

    JupyterHub.start_service = patient_start_service


if jupyterhub.version_info < (6,):
    wait_longer_for_managed_services()

# --- Stop idle servers ------------------------------------------------------------------
services.append(
    {
        "name": "idle-culler",
        "command": [
            sys.executable,
            "-m",
            "jupyterhub_idle_culler",
            f"--timeout={int(SITE['cull_idle_seconds'])}",
            "--cull-every=300",
        ],
    }
)
roles.append(
    {
        "name": "idle-culler",
        "services": ["idle-culler"],
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    }
)
c.JupyterHub.services = services
