"""A class on a real JupyterHub running deploy/hub/jupyterhub_config.py (see hub_fixture.py).

Everything goes through the hub's proxy with each user's own API token, exactly as
JupyterLab's panels call it: learners use the assignment-list endpoints of their own
single-user server (nbgrader's real exchange on disk), the instructor uses the
course's formgrader service. Timings go to test-artifacts/hub-e2e.json.
"""

from __future__ import annotations

import json
import re
import shutil
import socket
import stat
import subprocess
import time

import nbformat
import pytest
from conftest import REPO, copy_course
from hub_fixture import processes_of_run, running_hub

from borderdesk.hub import link
from borderdesk.publish import publish

ASSIGNMENT = "01_platform_rules"
NOTEBOOK = f"{ASSIGNMENT}.ipynb"
TIMINGS = REPO / "test-artifacts" / "hub-e2e.json"


def record_timing(name: str, seconds: float) -> None:
    TIMINGS.parent.mkdir(exist_ok=True)
    data = json.loads(TIMINGS.read_text()) if TIMINGS.is_file() else {}
    data[name] = round(seconds, 1)
    TIMINGS.write_text(json.dumps(data, indent=2) + "\n")


def ok(response) -> dict:
    """The JSON of a successful nbgrader call (HTTP 200 and "success": true)."""
    assert response.status_code == 200, f"HTTP {response.status_code} from {response.url}: {response.text[:500]}"
    body = response.json()
    assert body.get("success", True) is not False, f"{response.url}: {body}"
    return body


def assignments(hub, user) -> dict:
    """What the learner's Assignments panel shows: {(assignment, status): entry}."""
    body = ok(hub.user_request(user, "GET", "assignments", params={"course_id": hub.course}))
    return {(a["assignment_id"], a["status"]): a for a in body["value"]}


def learner_action(hub, user, action) -> dict:
    data = {"course_id": hub.course, "assignment_id": ASSIGNMENT}
    return ok(hub.user_request(user, "POST", f"assignments/{action}", data=data))


def validate(hub, user, path) -> dict:
    """nbgrader's Validate on ``path`` (relative to the learner's home)."""
    return ok(hub.user_request(user, "POST", "assignments/validate", data={"path": path}))["value"]


def test_learners_get_only_learner_tools(hub):
    ana = hub.learners[0]
    hub.start_server(ana)
    # nbgrader's formgrader server extension is off in a learner's server ...
    assert hub.user_request(ana, "GET", "formgrader/api/status").status_code == 404
    assert hub.user_request(ana, "GET", "formgrader").status_code == 404
    # ... and so are formgrader, create-assignment, course list and news in JupyterLab.
    page = hub.user_request(ana, "GET", "lab")
    assert page.status_code == 200
    disabled = json.loads(re.search(r'"disabledExtensions": (\[[^\]]*\])', page.text).group(1))
    for plugin in (
        "@jupyter/nbgrader:formgrader",
        "@jupyter/nbgrader:create-assignment",
        "@jupyter/nbgrader:course-list",
        "@jupyterlab/apputils-extension:announcements",
    ):
        assert plugin in disabled
    assert "@jupyter/nbgrader:assignment-list" not in disabled
    # The course's formgrader service admits its graders only.
    assert hub.formgrader("GET", "api/status", as_user=ana).status_code == 403
    assert hub.formgrader("GET", "api/status").status_code == 200
    # Groups as the deploy config defines them, which nbgrader's auth plugin reads.
    groups = {g["name"]: sorted(g["users"]) for g in hub.api("GET", "/groups").json()}
    assert groups[f"nbgrader-{hub.course}"] == sorted(hub.learners)
    assert groups[f"formgrade-{hub.course}"] == [hub.instructor]


def test_release_fetch_submit_collect_grade_feedback(hub):
    started = time.monotonic()
    ana, ben = hub.learners
    for user in (ana, ben):
        hub.start_server(user)

    # Instructor: generate (fills the gradebook) and release, through formgrader.
    hub.release(ASSIGNMENT)
    course_exchange = hub.exchange / hub.course
    assert stat.S_IMODE(hub.exchange.stat().st_mode) == 0o1777
    assert stat.S_IMODE((course_exchange / "inbound").stat().st_mode) & 0o777 == 0o733
    assert stat.S_IMODE((course_exchange / "outbound").stat().st_mode) & 0o777 == 0o755

    # Learners: see it released, fetch it into ~/assignments/<course>/<assignment>/.
    for user in (ana, ben):
        assert (ASSIGNMENT, "released") in assignments(hub, user)
        learner_action(hub, user, "fetch")
        assert (ASSIGNMENT, "fetched") in assignments(hub, user)
        assert (hub.home(user) / "assignments" / hub.course / ASSIGNMENT / NOTEBOOK).is_file()

    # Ana answers (the solution, saved through the contents API); Ben submits it unanswered.
    solution = nbformat.read(REPO / "solutions" / ASSIGNMENT / NOTEBOOK, as_version=4)
    put = hub.user_request(
        ana,
        "PUT",
        f"api/contents/assignments/{hub.course}/{ASSIGNMENT}/{NOTEBOOK}",
        json={"type": "notebook", "format": "json", "content": solution},
    )
    assert put.status_code == 200, put.text
    # Validate, as the learner's button does: runs in her server, with her environment.
    # Ana's passes ({} is nbgrader's "Success!"); Ben's unanswered one fails with the
    # course's own message, so the kernel really ran there (borderdesk, case data).
    mine = f"assignments/{hub.course}/{ASSIGNMENT}/{NOTEBOOK}"
    assert validate(hub, ana, mine) == {}
    failed = validate(hub, ben, mine)["failed"]
    errors = [re.sub(r"\x1b\[[0-9;]*m", "", f["raw_error"]).strip().splitlines()[-1] for f in failed]
    assert sum("Not attempted yet" in e for e in errors) >= 8, errors
    assert not [e for e in errors if "ModuleNotFoundError" in e or "FileNotFoundError" in e], errors
    # BorderDesk's Validate (its button's endpoint) answers in her server too: one line per question.
    summary = ok(hub.user_request(ben, "POST", "borderdesk/validate", data={"path": mine}))["summary"]
    assert [q["state"] for q in summary["questions"]] == ["not attempted"] * len(failed), summary
    assert summary["line"].startswith("0 of "), summary
    for user in (ana, ben):
        learner_action(hub, user, "submit")
        assert (ASSIGNMENT, "submitted") in assignments(hub, user)

    # Instructor: collect, autograde each, generate and release feedback.
    ok(hub.formgrader("POST", f"api/assignment/{ASSIGNMENT}/collect"))
    for user in (ana, ben):
        assert (hub.course_root / "autograder" / "submitted" / user / ASSIGNMENT / NOTEBOOK).is_file()
        ok(hub.formgrader("POST", f"api/submission/{ASSIGNMENT}/{user}/autograde"))
    scores = {s["student"]: s for s in ok_list(hub.formgrader("GET", f"api/submissions/{ASSIGNMENT}"))}
    assert scores[ana]["max_code_score"] > 0
    assert scores[ana]["code_score"] == scores[ana]["max_code_score"], errors_in(hub, ana)
    assert scores[ben]["code_score"] == 0, scores[ben]
    ok(hub.formgrader("POST", f"api/assignment/{ASSIGNMENT}/generate_feedback"))
    ok(hub.formgrader("POST", f"api/assignment/{ASSIGNMENT}/release_feedback"))
    # Learners may open a feedback file whose name (a hash) they know, but not list them.
    assert stat.S_IMODE((course_exchange / "feedback").stat().st_mode) & 0o777 == 0o711

    # Learners: each fetches feedback, and gets exactly their own.
    feedback = {}
    for user in (ana, ben):
        learner_action(hub, user, "fetch_feedback")
        pages = list(
            (hub.home(user) / "assignments" / hub.course / ASSIGNMENT / "feedback").glob(f"*/{ASSIGNMENT}.html")
        )
        assert len(pages) == 1, f"{user} fetched {pages}"
        feedback[user] = pages[0].read_text()
        generated = hub.course_root / "autograder" / "feedback" / user / ASSIGNMENT / f"{ASSIGNMENT}.html"
        assert feedback[user] == generated.read_text(), f"{user} did not get their own feedback"
    assert feedback[ana] != feedback[ben]
    assert score_line(feedback[ana]) != score_line(feedback[ben])
    # Ana's token cannot act in Ben's server (so cannot fetch his feedback there).
    stolen = hub.user_request(
        ben,
        "POST",
        "assignments/fetch_feedback",
        as_user=ana,
        data={"course_id": hub.course, "assignment_id": ASSIGNMENT},
    )
    assert stolen.status_code == 403
    record_timing("hub start (s)", hub.start_seconds)
    record_timing("release-to-feedback round trip (s)", time.monotonic() - started)


def errors_in(hub, user) -> list[str]:
    """The errors in a learner's autograded notebook, to explain a low score."""
    graded = hub.course_root / "autograder" / "autograded" / user / ASSIGNMENT / NOTEBOOK
    return [
        f"{o['ename']}: {o['evalue'][:200]}"
        for cell in nbformat.read(graded, as_version=4).cells
        for o in cell.get("outputs", [])
        if o.get("output_type") == "error"
    ]


def ok_list(response) -> list:
    assert response.status_code == 200, f"HTTP {response.status_code}: {response.text[:500]}"
    return response.json()


def score_line(html: str) -> str:
    match = re.search(r"Score:\s*([\d.]+)\s*/\s*([\d.]+)", re.sub(r"<[^>]+>", " ", html))
    assert match, "feedback page shows no score"
    return match.group(0)


def test_hub_link_pulls_the_course_into_the_learners_home(hub, tmp_path):
    # A local git repository of the course stands in for the course's public remote; the
    # trainer's side holds the solutions, and the link pulls the learner edition without them.
    repo = copy_course(tmp_path / "borderdesk", "course", "exercises", "solutions")
    shutil.copy(REPO / "nbgrader_config.py", repo)
    for args in (["init", "-q", "-b", "main"], ["add", "-A"], ["commit", "-qm", "course"]):
        subprocess.run(
            ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
            cwd=repo,
            check=True,
            capture_output=True,
        )
    publish(repo)
    chapter = "course/01_platform_rules/1_account_health.ipynb"
    url = link(hub.url, repo=f"file://{repo}", open_path=chapter, root=repo)
    assert _query(url)["branch"] == "learner"

    learner = hub.learners[1]
    hub.start_server(learner)
    session = hub.login(learner)
    page = session.get(url, timeout=60)  # hub login cookie -> user-redirect -> the server's OAuth -> nbgitpuller
    assert page.status_code == 200
    assert page.url.startswith(f"{hub.url}/user/{learner}/git-pull?"), page.url
    # The page's script then streams the pull from this endpoint; do what it does.
    params = {k: v for k, v in _query(url).items() if k in ("repo", "branch", "targetpath")}
    with session.get(f"{hub.url}/user/{learner}/git-pull/api", params=params, stream=True, timeout=120) as events:
        phases = [
            json.loads(line[len("data:") :])["phase"]
            for line in events.iter_lines(decode_unicode=True)
            if line.startswith("data:")
        ]
    assert phases[-1] == "finished", phases

    clone = hub.home(learner) / "borderdesk"
    arrived = clone / chapter
    assert arrived.read_bytes() == (repo / chapter).read_bytes()
    assert (clone / "exercises").is_dir() and not (clone / "solutions").exists()
    for path in clone.rglob("*.ipynb"):
        text = path.read_text()
        assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN TESTS" not in text, path
    # And the link's urlpath opens it in JupyterLab.
    opened = session.get(f"{hub.url}/user/{learner}/{_query(url)['urlpath']}", timeout=60)
    assert opened.status_code == 200 and "jupyter-config-data" in opened.text


def _query(url: str) -> dict:
    from urllib.parse import parse_qs, urlsplit

    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def test_hub_and_servers_stop_when_a_step_fails(tmp_path):
    with pytest.raises(RuntimeError, match="a step failed"):
        with running_hub(tmp_path / "hub") as failing:
            failing.start_server(failing.learners[0])
            assert processes_of_run(failing.run_id)  # hub, proxy, services, the server
            raise RuntimeError("a step failed")
    assert processes_of_run(failing.run_id) == []
    port = int(failing.url.rsplit(":", 1)[1])
    with pytest.raises(ConnectionRefusedError), socket.create_connection(("127.0.0.1", port), timeout=5):
        pass
