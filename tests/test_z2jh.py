"""The Kubernetes recipe (deploy/z2jh/), checked without a cluster or a Docker engine.

- values.yaml and course.yaml parse;
- every key values.yaml sets is documented by the pinned chart version's schema, as
  recorded in deploy/z2jh/chart-schema-keys.txt (extracted from the chart's
  values.schema.yaml; nothing is downloaded here), so a misspelt key fails;
- the image installs exactly what pyproject.toml asks for, at pinned versions;
- names agree across the files (groups, service, exchange volume, image).
"""

from __future__ import annotations

import copy
import re
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from conftest import REPO
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

Z2JH = REPO / "deploy" / "z2jh"
sys.path.insert(0, str(Z2JH))
from schema_keys import key_paths  # noqa: E402  (the extractor that made the record)

VALUES = yaml.safe_load((Z2JH / "values.yaml").read_text())
COURSE = [doc for doc in yaml.safe_load_all((Z2JH / "course.yaml").read_text()) if doc]
PYPROJECT = tomllib.loads((REPO / "pyproject.toml").read_text())
KEYS_FILE = Z2JH / "chart-schema-keys.txt"
# Hub-side only: the culler runs in the chart's hub pod, and SystemdSpawner is the
# one-machine hub's spawner (the chart uses KubeSpawner); neither belongs in the learners' image.
NOT_IN_IMAGE = {"jupyterhub-idle-culler", "jupyterhub-systemdspawner"}


# ----------------------------------------------------------------- schema keys
class SchemaKeys:
    """The record: key patterns, and the regex a ``*`` from patternProperties must match."""

    def __init__(self, path: Path = KEYS_FILE):
        self.version, self.keys, self.regexes = "", set(), {}
        for line in path.read_text().splitlines():
            if line.startswith("# chart-version:"):
                self.version = line.split(":", 1)[1].strip()
            elif line and not line.startswith("#"):
                dotted, _, regex = line.partition(" ~ ")
                key = tuple(dotted.split("."))
                self.keys.add(key)
                if regex:
                    self.regexes[key] = re.compile(regex)

    def documented(self, path: tuple[str, ...]) -> bool:
        """``*`` matches one key (and its regex, if any); a trailing ``**`` any keys below."""

        def match(pattern: tuple[str, ...]) -> bool:
            for i, part in enumerate(pattern):
                if part == "**":
                    return len(path) > i
                if i >= len(path):
                    return False
                if part == "*":
                    regex = self.regexes.get(pattern[: i + 1])
                    if regex is not None and not regex.search(path[i]):
                        return False
                elif part != path[i]:
                    return False
            return len(pattern) == len(path)

        return any(match(pattern) for pattern in self.keys)


def undocumented_keys(values: dict, schema: SchemaKeys) -> list[str]:
    """Every key path in ``values`` (through mappings; lists are values) not in the schema."""
    bad: list[str] = []

    def walk(node: dict, prefix: tuple[str, ...]) -> None:
        for key, value in node.items():
            path = (*prefix, str(key))
            if not schema.documented(path):
                bad.append(".".join(path))
                continue  # its children are unknown too; report the top one
            if isinstance(value, dict):
                walk(value, path)

    walk(values, ())
    return bad


def test_yaml_files_parse():
    assert isinstance(VALUES, dict) and {"hub", "singleuser", "cull"} <= set(VALUES)
    kinds = sorted(doc["kind"] for doc in COURSE)
    assert kinds == ["Deployment", "PersistentVolumeClaim", "PersistentVolumeClaim", "Service"]


def test_schema_record_names_its_source_and_version():
    text = KEYS_FILE.read_text()
    schema = SchemaKeys()
    version = schema.version
    assert re.fullmatch(r"4\.\d+\.\d+", version), "pin a released 4.x chart"
    assert (
        f"https://github.com/jupyterhub/zero-to-jupyterhub-k8s/blob/{version}/jupyterhub/values.schema.yaml"
    ) in text
    assert re.search(r"# sha256 of that file: [0-9a-f]{64}", text)
    assert len(schema.keys) > 400, "the record lists the whole schema, not only the keys we use"
    # The version deployed is the version recorded.
    for doc in ("values.yaml", "README.md"):
        pinned = set(re.findall(r"--version (\S+)", (Z2JH / doc).read_text()))
        assert pinned == {version}, f"{doc} pins {pinned}, the schema record is for {version}"


def test_every_key_values_sets_is_in_the_charts_schema():
    assert undocumented_keys(VALUES, SchemaKeys()) == []


@pytest.mark.parametrize(
    "where, typo",
    [
        (("singleuser", "memory"), "limt"),
        (("cull",), "timout"),
        (("hub", "config"), "jupyterhub"),  # class names are case-sensitive
        ((), "singeluser"),
        (("singleuser", "storage"), "extraVolumeMount"),
    ],
)
def test_a_misspelt_key_is_caught(where, typo):
    values = copy.deepcopy(VALUES)
    node = values
    for key in where:
        node = node[key]
    node[typo] = {"x": 1}
    assert undocumented_keys(values, SchemaKeys()) == [".".join((*where, typo))]


def test_extractor_notation():
    schema = {
        "type": "object",
        "additionalProperties": False,
        "properties": {
            "strict": {"type": "object", "additionalProperties": False, "properties": {"a": {"type": "string"}}},
            "free": {"type": "object", "additionalProperties": True},
            "undescribed": {"type": "object"},
            "classes": {
                "type": "object",
                "additionalProperties": False,
                "patternProperties": {"^[A-Z]": {"type": "object", "additionalProperties": True}},
            },
            "named": {"type": "object", "additionalProperties": {"properties": {"url": {"type": "string"}}}},
            "listed": {"type": "object", "properties": {"b": {"type": "integer"}}},
        },
    }
    assert sorted(key_paths(schema)) == [
        "classes",
        "classes.* ~ ^[A-Z]",
        "classes.*.**",
        "free",
        "free.**",
        "listed",
        "listed.b",
        "named",
        "named.*",
        "named.*.url",
        "strict",
        "strict.a",
        "undescribed",
        "undescribed.**",
    ]


# ----------------------------------------------------------------- image
def _requirements() -> dict[str, Requirement]:
    out = {}
    for line in (Z2JH / "requirements.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            req = Requirement(line)
            out[canonicalize_name(req.name)] = req
    return out


def _pyproject_requirements() -> dict[str, Requirement]:
    project = PYPROJECT["project"]
    reqs = [Requirement(r) for r in project["dependencies"] + project["optional-dependencies"]["hub"]]
    return {canonicalize_name(r.name): r for r in reqs if canonicalize_name(r.name) not in NOT_IN_IMAGE}


def test_image_pins_every_dependency_within_pyprojects_ranges():
    pins, wanted = _requirements(), _pyproject_requirements()
    assert sorted(pins) == sorted(wanted), (
        "deploy/z2jh/requirements.txt must list exactly pyproject's runtime and hub dependencies; "
        f"missing: {sorted(set(wanted) - set(pins))}, extra: {sorted(set(pins) - set(wanted))}"
    )
    for name, pin in pins.items():
        specs = list(pin.specifier)
        assert len(specs) == 1 and specs[0].operator == "==", f"{pin}: pin an exact version (==)"
        version = Version(specs[0].version)
        assert wanted[name].specifier.contains(version, prereleases=True), (
            f"{pin} is outside pyproject's {wanted[name]}"
        )
        assert pin.extras == wanted[name].extras, f"{pin}: extras differ from pyproject's {wanted[name]}"


DOCKERFILE = (Z2JH / "Dockerfile").read_text()


def test_dockerfile_pins_its_base_and_borderdesk_version():
    base = re.search(r"^FROM (\S+)$", DOCKERFILE, re.MULTILINE)[1]
    assert re.fullmatch(r"quay\.io/jupyter/[a-z-]+-notebook:\d{4}-\d{2}-\d{2}", base), (
        f"{base}: use a Jupyter Docker Stacks image at a dated tag, not a moving one"
    )
    arg = re.search(r"^ARG BORDERDESK_VERSION=(\S+)$", DOCKERFILE, re.MULTILINE)[1]
    assert arg == PYPROJECT["project"]["version"]
    assert VALUES["singleuser"]["image"]["tag"] == arg


def test_dockerfile_installs_the_pins_then_borderdesk_without_deps():
    assert re.search(r"COPY deploy/z2jh/requirements\.txt (\S+)", DOCKERFILE)
    target = re.search(r"COPY deploy/z2jh/requirements\.txt (\S+)", DOCKERFILE)[1]
    assert f"pip install --no-cache-dir --requirement {target}" in DOCKERFILE
    assert "pip install --no-cache-dir --no-deps /opt/borderdesk" in DOCKERFILE
    assert "pip check" in DOCKERFILE
    # Nothing else is pip-installed (a stray package would escape the version check).
    assert DOCKERFILE.count("pip install") == 2


def test_everything_the_dockerfile_copies_exists():
    sources = [src for line in re.findall(r"^COPY (.+)$", DOCKERFILE, re.MULTILINE) for src in line.split()[:-1]]
    assert sources
    missing = [s for s in sources if not (REPO / s).exists()]
    assert missing == [], f"Dockerfile copies files that are not in the repository: {missing}"


# ----------------------------------------------------------------- names agree
def _by_kind(kind: str, name: str | None = None) -> dict:
    return next(d for d in COURSE if d["kind"] == kind and (name is None or d["metadata"]["name"] == name))


def test_groups_roles_and_formgrader_service_use_the_course_id():
    hub = VALUES["hub"]
    assert set(hub["config"]["JupyterHub"]["load_groups"]) == {"nbgrader-borderdesk", "formgrade-borderdesk"}
    role = hub["loadRoles"]["formgrade-borderdesk"]
    assert role["groups"] == ["formgrade-borderdesk"]
    assert "access:services!service=borderdesk" in role["scopes"]
    assert set(hub["services"]) == {"borderdesk"}
    host = re.match(r"http://([^:/]+):(\d+)$", hub["services"]["borderdesk"]["url"])
    service = _by_kind("Service")
    assert host[1] == service["metadata"]["name"] and int(host[2]) == service["spec"]["ports"][0]["port"]
    env = {e["name"]: e for e in _by_kind("Deployment")["spec"]["template"]["spec"]["containers"][0]["env"]}
    assert env["JUPYTERHUB_SERVICE_NAME"]["value"] == "borderdesk"
    assert env["BORDERDESK_COURSE_ID"]["value"] == "borderdesk"
    assert env["JUPYTERHUB_SERVICE_PREFIX"]["value"] == "/services/borderdesk/"
    assert env["JUPYTERHUB_API_TOKEN"]["valueFrom"]["secretKeyRef"] == {
        "name": "hub",
        "key": "hub.services.borderdesk.apiToken",
    }


def test_exchange_is_one_shared_volume_at_the_configured_path():
    claim = _by_kind("PersistentVolumeClaim", "nbgrader-exchange")
    assert claim["spec"]["accessModes"] == ["ReadWriteMany"]
    storage = VALUES["singleuser"]["storage"]
    (volume,) = storage["extraVolumes"]
    (mount,) = storage["extraVolumeMounts"]
    assert volume["persistentVolumeClaim"]["claimName"] == "nbgrader-exchange"
    assert mount["name"] == volume["name"]
    assert VALUES["singleuser"]["extraEnv"]["BORDERDESK_EXCHANGE"] == mount["mountPath"]
    pod = _by_kind("Deployment")["spec"]["template"]["spec"]
    mounts = {m["name"]: m["mountPath"] for m in pod["containers"][0]["volumeMounts"]}
    claims = {v["name"]: v["persistentVolumeClaim"]["claimName"] for v in pod["volumes"]}
    exchange = next(name for name, claim_name in claims.items() if claim_name == "nbgrader-exchange")
    assert mounts[exchange] == mount["mountPath"]


def test_formgrader_runs_the_learners_image():
    image = f"{VALUES['singleuser']['image']['name']}:{VALUES['singleuser']['image']['tag']}"
    pod = _by_kind("Deployment")["spec"]["template"]["spec"]
    assert {c["image"] for c in pod["containers"] + pod["initContainers"]} == {image}


def test_role_config_folders_exist_in_the_repository():
    learner = VALUES["singleuser"]["extraEnv"]["JUPYTER_CONFIG_PATH"]
    env = {
        e["name"]: e.get("value") for e in _by_kind("Deployment")["spec"]["template"]["spec"]["containers"][0]["env"]
    }
    # The image copies deploy/hub/jupyter to /etc/borderdesk/jupyter and jupyter-config to
    # /opt/borderdesk/jupyter-config.
    copies = {"/etc/borderdesk/jupyter/": REPO / "deploy/hub/jupyter", "/opt/borderdesk/": REPO}
    paths = [*learner.split(":"), *env["JUPYTER_CONFIG_PATH"].split(":")]
    assert "/opt/borderdesk/jupyter-config/learner" in paths
    for path in paths:
        prefix = next((p for p in copies if path.startswith(p)), None)
        assert prefix, f"{path} is not a folder the image copies"
        assert (copies[prefix] / path.removeprefix(prefix)).is_dir(), path


def test_extra_config_is_valid_python():
    for name, code in VALUES["hub"]["extraConfig"].items():
        compile(code, f"hub.extraConfig.{name}", "exec")


def test_culling_and_resources_are_set():
    single = VALUES["singleuser"]
    assert VALUES["cull"]["enabled"] is True and VALUES["cull"]["timeout"] > 0
    assert single["memory"]["guarantee"] and single["memory"]["limit"]
    assert single["cpu"]["guarantee"] and single["cpu"]["limit"]
    hook = " ".join(single["lifecycleHooks"]["postStart"]["exec"]["command"])
    assert "gitpuller" in hook
