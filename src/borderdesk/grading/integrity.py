"""What a submission is, and whether its tests were changed.

- ``fingerprint``: a hash of the submission folder, so ``borderdesk grade`` regrades
  only new or changed submissions.
- ``tampering``: which test cells a student edited or deleted, compared with the
  released notebook (nbgrader restores them before grading; we record that it happened).
- ``harness_tampering``: cells whose source reaches into the test harness (IPython's
  machinery, builtins, trace hooks, objects that lie to checks); the tests after them
  score 0. The kernel side of this defence is ``harness_guard``.
"""

from __future__ import annotations

import functools
import hashlib
import re
from pathlib import Path


def fingerprint(folder: Path) -> str:
    """Hash of every file's relative path and bytes: changes when the submission does."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(folder)).encode() + b"\0")
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
        digest.update(b"\0")
    return digest.hexdigest()


def _test_cells(nb) -> dict[str, str]:
    out = {}
    for cell in nb.cells:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if meta.get("grade") and not meta.get("solution") and meta.get("grade_id"):
            out.setdefault(meta["grade_id"], cell.source.strip())
    return out


def tampering(submitted, released) -> str:
    """Which test cells a student edited or deleted, compared with the released notebook.

    nbgrader compares against the source, whose hidden tests the release never had,
    so its checksum warning fires for every student; the release is the fair yardstick.
    """
    theirs, ours = _test_cells(submitted), _test_cells(released)
    edited = [gid for gid in ours if gid in theirs and theirs[gid] != ours[gid]]
    deleted = [gid for gid in ours if gid not in theirs]
    parts = []
    if any("### BEGIN HIDDEN TESTS" in theirs[gid] for gid in edited):
        # Learners never see the hidden tests: only the instructor's solutions notebook has them.
        parts.append(
            "this notebook contains the assignment's hidden tests: it looks like a copy of the solutions "
            "notebook, not a learner's submission"
        )
    if edited:
        parts.append("edited test cells " + ", ".join(edited))
    if deleted:
        parts.append("deleted test cells " + ", ".join(deleted))
    return "; ".join(parts)


# ------------------------------------------------------------------ harness tampering (read from the source)
# What a notebook cell has no business touching: IPython's and the kernel's execution
# machinery, trace hooks, and the tools that reach objects the cell was not given (the
# kernel's harness_guard keeps its snapshot in the student's process: these reach it).
MACHINERY = {
    "get_ipython", "input_transformers_cleanup", "input_transformers_post", "input_transformer_manager",
    "ast_transformers", "set_custom_exc", "custom_exceptions", "CustomTB", "showtraceback", "_showtraceback",
    "showsyntaxerror", "InteractiveTB", "SyntaxTB", "excepthook", "displayhook", "display_pub", "display_trap",
    "builtin_trap", "settrace", "setprofile", "settrace_all_threads", "setprofile_all_threads", "_getframe",
    "run_cell", "run_cell_async", "run_code", "run_ast_nodes", "transform_cell", "do_execute", "execute_request",
    "send_response", "shell_handlers", "dispatch_shell", "iopub_socket", "iopub_thread", "_trait_values",
    "addaudithook", "__builtins__", "__builtin__", "__closure__", "__globals__", "__code__", "__dict__",
    "__class__", "__subclasses__", "__bases__", "__base__", "__mro__", "__self__", "__func__", "f_back",
    "f_globals", "f_locals", "f_builtins", "tb_frame", "gi_frame", "cr_frame", "__import__", "harness_guard",
    "meta_path", "path_hooks", "setitimer", "alarm", "monitoring", "read_pickle", "allow_pickle",
}  # fmt: skip
CALLS = {"exec", "eval", "compile", "globals", "vars", "setattr", "delattr", "breakpoint"}  # as bare names
MODULES = {
    "IPython", "ipykernel", "jupyter_client", "zmq", "traitlets", "tornado", "nbclient", "builtins", "__builtin__",
    "gc", "inspect", "ctypes", "importlib", "threading", "_thread", "multiprocessing", "concurrent", "atexit",
    "unittest", "pdb", "bdb", "trace", "cProfile", "profile", "weakref", "asyncio", "pickle", "marshal", "shelve",
    "dill", "joblib", "cloudpickle", "copyreg",
}  # fmt: skip
MAGICS = {"time", "timeit", "matplotlib", "who", "whos", "pwd", "precision", "pprint"}  # harmless IPython magics
VALUE_TYPES = {
    "int", "float", "complex", "str", "bytes", "bool", "list", "dict", "tuple", "set", "frozenset", "type",
    "DataFrame", "Series", "Index", "ndarray", "Timestamp", "Timedelta", "date", "datetime", "Decimal", "Fraction",
}  # fmt: skip
# Methods through which an object can pass any check: equal to everything, any length, any type.
LYING_METHODS = {
    "__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__", "__hash__", "__len__", "__bool__", "__contains__",
    "__instancecheck__", "__subclasscheck__", "__getattr__", "__getattribute__", "__array__", "__array_ufunc__",
    "__array_function__", "__float__", "__int__", "__index__", "__iter__", "__getitem__", "__del__",
    "__init_subclass__", "__class_getitem__", "__abs__", "__round__", "__sub__", "__rsub__",
}  # fmt: skip
_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def harness_tampering(submitted, released, modules: dict[str, str] | None = None) -> list[dict]:
    """Cells of ``submitted`` whose source reaches into the test harness: one
    ``{"index", "cell", "what"}`` per such cell (``what``: the evidence, in words).

    Read in the parent process, which no student code reaches. Only cells a student
    wrote are read: test cells (nbgrader puts the instructor's back) and cells as
    released are skipped. The tests after such a cell cannot be trusted. ``modules``
    (file name -> source): Python files submitted beside the notebook, which a cell may
    import; one that reaches into the harness counts from the first cell (index -1).
    """
    ours, protected = _released_view(
        tuple(
            (c.source, bool(c.get("metadata", {}).get("nbgrader", {}).get("solution")))
            for c in released.cells
            if c.cell_type == "code"
        )
    )
    findings = []
    for index, cell in enumerate(submitted.cells):
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.cell_type != "code" or (meta.get("grade") and not meta.get("solution")):
            continue
        if cell.source.strip() in ours:
            continue
        tree = _parse(cell.source)
        what = _suspicious(tree, protected) if tree is not None else []
        if what:
            label = meta.get("grade_id") or f"cell {index + 1}"
            findings.append({"index": index, "cell": label, "what": list(dict.fromkeys(what))})
    for name, source in sorted((modules or {}).items()):
        tree = _parse(source)
        what = _suspicious(tree, {}) if tree is not None else ["cannot be read as Python"]
        if what:
            findings.insert(0, {"index": -1, "cell": f"submitted file {name}", "what": list(dict.fromkeys(what))})
    return findings


def tests_after(nb, index: int) -> list[str]:
    """grade_ids of the graded test cells after cell ``index``."""
    out = []
    for cell in nb.cells[index + 1 :]:
        meta = cell.get("metadata", {}).get("nbgrader", {})
        if cell.cell_type == "code" and meta.get("grade") and not meta.get("solution") and meta.get("grade_id"):
            out.append(meta["grade_id"])
    return out


def _parse(source: str):
    import ast

    try:
        return ast.parse(source)
    except SyntaxError:
        pass
    try:  # IPython syntax (%magic, !command): read what IPython would run
        from IPython.core.inputtransformer2 import TransformerManager

        return ast.parse(TransformerManager().transform_cell(source))
    except Exception:
        return None  # fails in the kernel too: a SyntaxError, no harm to the tests


@functools.lru_cache(maxsize=16)
def _released_view(code_cells: tuple[tuple[str, bool], ...]) -> tuple[frozenset[str], dict[str, str]]:
    """The released notebook's code cells (source, is an answer cell) as the check needs them: their
    sources, and the names they protect. Cached: the same release is the yardstick for a whole class."""
    return frozenset(source.strip() for source, _ in code_cells), _protected_names(code_cells)


def _protected_names(code_cells: tuple[tuple[str, bool], ...]) -> dict[str, str]:
    """What the released cells (setup, helpers) import or define for the tests to use:
    name -> where it comes from (``_origin``; '' for a function or class they define)."""
    import ast

    names = {}
    for source, answer in code_cells:
        if answer:
            continue
        tree = _parse(source)
        for node in tree.body if tree is not None else []:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names.update(_imports(node))
            elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                names[node.name] = ""
    return names


def _imports(node) -> dict[str, str]:
    """Names an import statement binds -> what they are bound to ('pandas', 'borderdesk.checks:call')."""
    import ast

    if isinstance(node, ast.Import):
        return {(a.asname or a.name).split(".")[0]: a.name if a.asname else a.name.split(".")[0] for a in node.names}
    return {a.asname or a.name: f"{node.module}:{a.name}" for a in node.names}


def _top_level(tree):
    """The nodes of a cell that run when the cell runs (not inside a def, class or lambda)."""
    import ast

    todo = list(tree.body)
    while todo:
        node = todo.pop()
        yield node
        if not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            todo.extend(ast.iter_child_nodes(node))


def _suspicious(tree, protected: dict[str, str]) -> list[str]:
    import ast

    what = []
    imported: dict[str, str] = {}  # name -> module it is bound to in this cell
    allowed_magic = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            inner = node.func.value
            if (
                node.func.attr in ("run_line_magic", "run_cell_magic")
                and isinstance(inner, ast.Call)
                and isinstance(inner.func, ast.Name)
                and inner.func.id == "get_ipython"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                magic = str(node.args[0].value)
                if magic in MAGICS:
                    allowed_magic.add(id(inner.func))
                else:
                    what.append(f"runs the IPython magic %{magic}")
                    allowed_magic.add(id(inner.func))
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in MACHINERY and id(node) not in allowed_magic:
            what.append(f"uses {node.id}")
        elif isinstance(node, ast.Attribute) and node.attr in MACHINERY:
            what.append(f"uses .{node.attr}")
        elif isinstance(node, ast.Attribute) and node.attr == "modules" and getattr(node.value, "id", "") == "sys":
            what.append("uses sys.modules")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id in CALLS:
                what.append(f"calls {node.func.id}()")
            elif node.func.id == "type" and len(node.args) == 3:
                what.append("makes a class with type(name, bases, dict)")
            elif node.func.id == "getattr" and len(node.args) > 1:
                name = node.args[1]
                if not isinstance(name, ast.Constant) or str(name.value) in MACHINERY:
                    what.append("getattr() with a computed or harness name")
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            for alias in node.names:
                module = node.module if isinstance(node, ast.ImportFrom) else alias.name
                top = (module or "").split(".")[0]
                if top in MODULES or (module or "").startswith("borderdesk.grading"):
                    what.append(f"imports {module}")
                imported[(alias.asname or alias.name).split(".")[0]] = module or ""
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            hits = sorted(set(_IDENTIFIER.findall(node.value)) & (MACHINERY - {"__class__", "__dict__"}))
            if hits:
                what.append(f"names {', '.join(hits)} in a string")
        elif isinstance(node, ast.ClassDef):
            what += _lying_class(node)
        elif isinstance(node, ast.Global):
            what += [f"rebinds {name} (global), which the tests use" for name in node.names if name in protected]
    what += _patches(tree, protected, imported)
    return what


def _lying_class(node) -> list[str]:
    import ast

    what = []
    for base in node.bases:
        name = base.attr if isinstance(base, ast.Attribute) else getattr(base, "id", "")
        if name in VALUE_TYPES:
            what.append(f"class {node.name} subclasses {name}")
    if any(k.arg == "metaclass" for k in node.keywords):
        what.append(f"class {node.name} has a metaclass")
    for item in node.body:
        targets = [item.name] if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)) else []
        if isinstance(item, ast.Assign):
            targets = [t.id for t in item.targets if isinstance(t, ast.Name)]
        what += [f"class {node.name} defines {name}" for name in targets if name in LYING_METHODS]
    return what


def _patches(tree, protected: dict[str, str], imported: dict[str, str]) -> list[str]:
    """Assignments that change a module, a class or a name the tests rely on."""
    import ast

    what = []

    def root(node):
        while isinstance(node, (ast.Attribute, ast.Subscript)):
            node = node.value
        return node.id if isinstance(node, ast.Name) else None

    def chain(node):
        parts = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        return parts

    modules = set(protected) | set(imported) | VALUE_TYPES | {"math", "operator", "np", "pd", "numpy", "pandas"}
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, (ast.Assign, ast.Delete)):
            targets = node.targets
        elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
            targets = [node.target]
        for target in targets:
            for t in target.elts if isinstance(target, (ast.Tuple, ast.List)) else [target]:
                if isinstance(t, ast.Attribute) and root(t) in modules and "options" not in chain(t):
                    what.append(f"changes {ast.unparse(t)}")
    # Top-level rebinding of what the setup imported or defined (a re-import of the same thing is fine).
    for node in _top_level(tree):
        bound = []
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound = [node.name]
        elif isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            bound = [node.id]
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound = [name for name, origin in _imports(node).items() if protected.get(name, origin) != origin]
        elif isinstance(node, ast.alias):
            continue
        what += [f"rebinds {name}, which the tests use" for name in bound if name in protected]
    return what


def score_harness_tampering(gb, submission, job, result: dict) -> str:
    """Score 0 the tests that harness tampering may have subverted (in nbgrader's gradebook);
    return the evidence in words, '' if there was none.

    ``job.harness``: what ``harness_tampering`` read in the source; ``result["harness"]``:
    what the kernel's ``harness_guard`` found before or during each test cell. Restored
    before a test (blocked) leaves that test's score as it came out.
    """
    from .harness_guard import RESTORED

    zero: dict[str, list[str]] = {}
    parts = []
    for found in job.harness:
        parts.append(f"{found['cell']} {', '.join(found['what'])}")
        zero.setdefault(found["notebook"], []).extend(found["zero"])
    seen: dict[tuple[str, str], list[str]] = {}  # (kind, what) -> the test cells it was found at
    for report in result.get("harness", []):
        seen.setdefault((report["kind"], report["what"]), []).append(report["cell"])
        if report["kind"] != RESTORED:
            zero.setdefault(report["notebook"], []).append(report["cell"])
    parts += [f"{', '.join(cells)}: {kind}: {what}" for (kind, what), cells in seen.items()]
    if not parts:
        return ""
    scored = []
    for notebook, grade_ids in zero.items():
        for grade_id in dict.fromkeys(grade_ids):
            try:
                grade = gb.find_grade(grade_id, notebook, job.assignment, job.student)
            except Exception:  # MissingEntry: a cell nbgrader does not grade
                continue
            grade.auto_score, grade.manual_score, grade.needs_manual_grade = 0, None, False
            scored.append(grade_id)
    gb.db.commit()
    if scored:
        parts.append("scored 0: " + ", ".join(scored))
    return "harness tampering: " + "; ".join(parts)
