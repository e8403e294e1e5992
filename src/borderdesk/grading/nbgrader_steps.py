"""Our subclasses of nbgrader's steps, used by the grading worker.

- ``SandboxExecute`` (nbgrader's ``Execute``): caps each cell's output by bytes as it
  arrives (a single 50 MB line never reaches the notebook or the grader's memory),
  notes timed-out cells, and gives up with nbgrader's ``UnresponsiveKernelError`` when a
  kernel ignores the interrupt after a timeout (the next cell times out too). Sandboxed,
  each submission's kernel comes from the worker's ``KernelSlot``.
- ``Deduplicate`` (nbgrader's ``DeduplicateIds``): a duplicated grade cell becomes an
  ordinary cell instead of failing the whole submission.
- ``BorderDeskAutograde`` (nbgrader's ``Autograde``): remembers why a notebook failed.
- ``CheckMetadataOnce`` (nbgrader's ``CheckCellMetadata``) and ``SaveAutoGradesAtOnce``
  (nbgrader's ``SaveAutoGrades``): the same checks and the same grades, without the per-cell
  costs (a JSON schema compiled for every cell; two queries and two commits for every cell).
- ``ValidateOnceExporter`` (nbconvert's ``NotebookExporter``): validates the notebook after
  the last step instead of after every one.
- ``QuietChecksums``: a log filter for nbgrader's checksum warnings.

nbgrader is a heavy import (seconds): import this module in the worker, not in the
parent process.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from pathlib import Path
from typing import TYPE_CHECKING

from nbconvert.exporters import NotebookExporter
from nbformat.v4 import new_output
from nbgrader import utils as nbgrader_utils
from nbgrader.converters import Autograde
from nbgrader.nbgraderformat import MetadataValidator
from nbgrader.preprocessors import CheckCellMetadata, DeduplicateIds, Execute, SaveAutoGrades
from nbgrader.preprocessors.execute import UnresponsiveKernelError

from . import harness_guard
from .harness_guard import PREFIX as HARNESS_PREFIX

if TYPE_CHECKING:
    from .kernels import KernelSlot

NOTEBOOK_BYTES = 100_000  # output kept per cell; beyond it the output is cut with a note


class SandboxExecute(Execute):
    """nbgrader's Execute with a byte cap on output, a give-up on stuck kernels, and
    (sandboxed) a kernel forked by the worker's zygote (``KernelSlot``)."""

    slot: KernelSlot | None = None  # set by Grader, one per worker process
    harness: list[dict] = []  # what the kernels' harness_guard reported, per test cell (Grader clears it)

    def preprocess(self, nb, resources=None, km=None):
        import secrets

        from .harness_guard import test_hashes

        self.timed_out, self.truncated, self._stuck, self._bytes = [], [], False, {}
        self.notebook = resources.get("unique_key", "") if resources else ""
        self.secret, self.signed = secrets.token_hex(16), set()
        if self.slot is None:
            return super().preprocess(nb, resources, km)
        km = self.slot.take(Path(resources["metadata"]["path"]), test_hashes(nb), self.secret)
        try:
            result = super().preprocess(nb, resources, km)
            self._unsigned_passes(nb)
            return result
        finally:
            if self.kc is not None:
                self.kc.stop_channels()
                self.kc = None
            self.slot.finish(km)

    async def async_start_new_kernel_client(self):
        kc = await super().async_start_new_kernel_client()
        if self.slot is not None:  # the kernel has made its sockets: no more files there
            self.slot.lock_sockets()
        return kc

    async def _async_handle_timeout(self, timeout, cell=None):
        if self._stuck:  # the previous cell's interrupt did not stop the kernel
            raise UnresponsiveKernelError(f"the kernel ignored the interrupt after a cell ran longer than {timeout} s")
        self.timed_out.append(cell_name(cell))
        self._stuck = True
        return await super()._async_handle_timeout(timeout, cell)

    def on_cell_executed(self, **kwargs):
        reply = kwargs["execute_reply"]["content"]
        if reply.get("ename") != "CellTimeoutError":
            self._stuck = False
        return super().on_cell_executed(**kwargs)

    def output(self, outs, msg, display_id, cell_index):
        content = msg.get("content", {})
        if (
            msg["msg_type"] == "stream"
            and content.get("name") == "stdout"
            and content.get("text", "").startswith(HARNESS_PREFIX)
        ):
            kind, _, what = content["text"][len(HARNESS_PREFIX) + 2 :].strip().partition(": ")
            cell = self.nb.cells[cell_index]
            if kind == harness_guard.OK:
                digest = hashlib.sha256(cell.source.encode()).hexdigest()
                if hmac.compare_digest(what, harness_guard.signature(self.secret, digest)):
                    self.signed.add(cell_index)
            else:
                report = {"notebook": self.notebook, "cell": cell_name(cell), "kind": kind, "what": what}
                SandboxExecute.harness.append(report)
            return None  # evidence for the parent, not part of the cell's output
        size = len(json.dumps(content, default=str)) if msg["msg_type"] != "stream" else len(content.get("text", ""))
        used = self._bytes.get(cell_index, 0)
        self._bytes[cell_index] = used + size
        if used + size <= NOTEBOOK_BYTES:
            return super().output(outs, msg, display_id, cell_index)
        if used > NOTEBOOK_BYTES:
            return None  # already cut
        self.truncated.append(str(cell_index))
        room = max(NOTEBOOK_BYTES - used, 0)
        if msg["msg_type"] == "stream":
            kept = content.get("text", "")[:room]
            outs.append(new_output("stream", name=content.get("name", "stdout"), text=kept))
        note = f"\n... output truncated: this cell printed more than {NOTEBOOK_BYTES:,} bytes ...\n"
        out = new_output("stream", name="stderr", text=note)
        outs.append(out)
        self._bytes[cell_index] = NOTEBOOK_BYTES + 1
        return out

    def _unsigned_passes(self, nb) -> None:
        """A test that would score points although the kernel's guard did not sign it: the
        guard was removed (or imitated), so the test's outcome cannot be trusted."""
        for index, cell in enumerate(nb.cells):
            meta = cell.get("metadata", {}).get("nbgrader", {})
            if cell.cell_type != "code" or not meta.get("grade") or meta.get("solution") or index in self.signed:
                continue
            if not any(o.output_type == "error" or o.get("name") == "stderr" for o in cell.get("outputs", [])):
                report = {"notebook": self.notebook, "cell": cell_name(cell), "kind": harness_guard.MISSING}
                SandboxExecute.harness.append({**report, "what": "the kernel's guard was gone"})


class Deduplicate(DeduplicateIds):
    """nbgrader's DeduplicateIds leaves ``nbgrader: {}`` on a duplicate, which its own
    metadata check then rejects (schema version 0) and the whole submission fails.
    Removing the key instead makes the duplicate an ordinary cell, as intended."""

    def preprocess_cell(self, cell, resources, cell_index):
        cell, resources = super().preprocess_cell(cell, resources, cell_index)
        if cell.get("metadata", {}).get("nbgrader", None) == {}:
            del cell.metadata["nbgrader"]
        return cell, resources


class _CompiledValidator(MetadataValidator):
    """nbgrader's metadata validator with its JSON schema checked and compiled once, not
    once per cell (``jsonschema.validate`` re-checks the schema itself on every call)."""

    _compiled = None

    def validate_cell(self, cell) -> None:
        import jsonschema

        meta = cell.metadata.get("nbgrader")
        if meta is None:
            return
        if _CompiledValidator._compiled is None:
            kind = jsonschema.validators.validator_for(self.schema)
            kind.check_schema(self.schema)
            _CompiledValidator._compiled = kind(self.schema)
        if meta.get("schema_version", 0) != self.schema_version:
            return super().validate_cell(cell)  # nbgrader's own too-old / too-new errors
        error = jsonschema.exceptions.best_match(_CompiledValidator._compiled.iter_errors(meta))
        if error is not None:
            raise error


class CheckMetadataOnce(CheckCellMetadata):
    """nbgrader's CheckCellMetadata with the compiled validator (same errors, same log)."""

    def preprocess(self, nb, resources):
        import traceback

        from nbgrader.nbgraderformat import ValidationError

        try:
            _CompiledValidator().validate_nb(nb)
        except ValidationError:
            self.log.error(traceback.format_exc())
            msg = "Notebook failed to validate; the nbgrader metadata may be corrupted."
            self.log.error(msg)
            raise ValidationError(msg) from None
        return nb, resources


class SaveAutoGradesAtOnce(SaveAutoGrades):
    """nbgrader's SaveAutoGrades, reading the notebook's grades and comments in one query and
    committing once, instead of two queries and two commits per cell. Same rules: the auto
    score from ``determine_grade``, "needs manual grade" when a hand score exists or there
    is no auto score, "No response." for an unchanged answer cell."""

    def preprocess(self, nb, resources):
        from nbgrader.api import Gradebook
        from nbgrader.preprocessors import NbGraderPreprocessor

        info = resources["nbgrader"]
        with Gradebook(info["db_url"]) as gb:
            notebook = gb.find_submission_notebook(info["notebook"], info["assignment"], info["student"])
            self._grades = {grade.name: grade for grade in notebook.grades}
            self._comments = {comment.name: comment for comment in notebook.comments}
            nb, resources = NbGraderPreprocessor.preprocess(self, nb, resources)
            gb.db.commit()
        return nb, resources

    def _add_score(self, cell, resources) -> None:
        grade = self._grades[cell.metadata["nbgrader"]["grade_id"]]
        grade.auto_score, _ = nbgrader_utils.determine_grade(cell, self.log)
        grade.needs_manual_grade = grade.manual_score is not None or grade.auto_score is None

    def _add_comment(self, cell, resources) -> None:
        comment = self._comments[cell.metadata["nbgrader"]["grade_id"]]
        unchanged = cell.metadata.nbgrader.get("checksum", None) == nbgrader_utils.compute_checksum(cell)
        comment.auto_comment = "No response." if unchanged and not nbgrader_utils.is_task(cell) else None


class ValidateOnceExporter(NotebookExporter):
    """nbconvert validates the whole notebook against nbformat's schema after each of the
    eleven steps of a submission; the steps are ours and nbgrader's, not the student's (a
    kernel only sends outputs), so once, after the last, is enough."""

    def _validate_preprocessor(self, nbc, preprocessor):
        if preprocessor is self._preprocessors[-1]:
            super()._validate_preprocessor(nbc, preprocessor)


class BorderDeskAutograde(Autograde):
    """nbgrader's Autograde, remembering why a notebook failed."""

    failure: BaseException | None = None

    def convert_single_notebook(self, notebook_filename):
        try:
            super().convert_single_notebook(notebook_filename)
        except BaseException as exc:
            self.failure = exc
            raise


def cell_name(cell) -> str:
    if cell is None:
        return "?"
    return cell.get("metadata", {}).get("nbgrader", {}).get("grade_id") or cell.get("id") or "?"


class QuietChecksums(logging.Filter):
    """Drop nbgrader's per-cell checksum warnings (see ``integrity.tampering``); keep the rest."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "has changed!" not in record.getMessage()
