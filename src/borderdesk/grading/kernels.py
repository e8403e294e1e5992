"""Kernels for submissions: one freshly forked kernel per submission, and how it ended.

``KernelSlot`` is a worker's source of sandboxed kernels: its ``zygote``
(``borderdesk.grading.zygote``) forks each one with the submission already in place,
and tells how a kernel ended, so a dead kernel is reported in words
(``describe_exit``: "segmentation fault", "exited (os._exit(3))", ...).
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path
from queue import Empty

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_core.utils import ensure_async


class KernelSlot:
    """The worker's source of sandboxed kernels, each forked by its ``zygote`` for one
    submission. The submission's files go in this worker's incoming folder (read-only
    in the sandbox); the kernel copies them to its own tmpfs and works there, so a
    student writes into a scratch copy, never onto the grader's disk.
    """

    def __init__(self, config, kernel_name: str, folder: Path, zygote):
        from .zygote import ZygoteProvisioner

        self.config, self.kernel_name, self.folder, self.zygote = config, kernel_name, folder, zygote
        self.sockets = Path(config.KernelManager.ip).parent
        self.folder.mkdir(parents=True, exist_ok=True)
        self.last_exit: int | None = None  # how the last kernel ended on its own (None: still running)
        ZygoteProvisioner.zygote = zygote
        ZygoteProvisioner.on_launch = self._open_sockets
        zygote.start()  # its imports overlap with the rest of the worker's start-up

    def _open_sockets(self, connection: str) -> None:
        """Let the kernel (uid nobody when we are root) read its connection file and make its sockets."""
        from .sandbox import NOBODY

        if os.geteuid() == 0:
            os.chown(connection, NOBODY, NOBODY)
            os.chown(self.sockets, NOBODY, NOBODY)

    def lock_sockets(self) -> None:
        if os.geteuid() == 0:
            os.chown(self.sockets, 0, 0)
            os.chmod(self.sockets, 0o755)

    def take(self, files: Path, tests: list[str], secret: str):
        """A new kernel working on a copy of ``files``, guarding the test cells hashed in
        ``tests`` and signing its reports with ``secret`` (``harness_guard``)."""
        import shutil
        import uuid

        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        from .sandbox import prepare_work
        from .zygote import ZygoteProvisioner

        for entry in self.folder.iterdir():  # the previous student's files
            if entry.is_dir() and not entry.is_symlink():
                shutil.rmtree(entry)
            else:
                entry.unlink()
        shutil.copytree(files, self.folder, symlinks=True, dirs_exist_ok=True)
        prepare_work(self.folder)
        ZygoteProvisioner.tests, ZygoteProvisioner.secret = tests, secret
        # The connection file goes beside the sockets, the one grader folder the sandbox sees.
        km = AsyncKernelManager(
            kernel_name=self.kernel_name,
            config=self.config,
            connection_file=str(self.sockets / f"kernel-{uuid.uuid4().hex}.json"),
            client_class=f"{__name__}.PromptClient",
        )
        run_sync(km.start_kernel)()
        return km

    def finish(self, km) -> None:
        """Note how the kernel ended, then kill it with every process it started."""
        from jupyter_core.utils import run_sync

        process = km.provisioner.process if km.provisioner is not None else None
        self.last_exit = process.poll() if process is not None else None
        run_sync(km.shutdown_kernel)(now=True)

    def close(self) -> None:
        self.zygote.close()


class PromptClient(AsyncKernelClient):
    """jupyter_client's kernel client, ready as soon as the kernel has answered kernel_info and
    IOPub has carried that request's idle status. jupyter_client's own ``wait_for_ready`` then
    waits for 0.2 s of silence on IOPub, for every submission; the idle status of our own
    request already proves IOPub connected, and messages arrive there in order, so nothing
    from the kernel's start can be left behind it."""

    async def wait_for_ready(self, timeout: float | None = None) -> None:
        deadline = time.monotonic() + (timeout if timeout is not None else float("inf"))
        asked: set[str] = set()
        while True:
            asked.add(self.kernel_info())
            try:
                reply = await ensure_async(self.shell_channel.get_msg(timeout=1))
            except Empty:
                reply = None
            if reply is not None and reply["msg_type"] == "kernel_info_reply" and await self._idle(asked, 0.5):
                self._handle_kernel_info_reply(reply)
                return
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")  # worker._why knows these words
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")

    async def _idle(self, asked: set[str], timeout: float) -> bool:
        """Whether IOPub brings the idle status of one of our kernel_info requests within ``timeout``
        (not if the kernel's IOPub is not connected yet: then we ask again)."""
        end = time.monotonic() + timeout
        while (left := end - time.monotonic()) > 0:
            try:
                msg = await ensure_async(self.iopub_channel.get_msg(timeout=left))
            except Empty:
                return False
            state = msg["content"].get("execution_state") if msg["msg_type"] == "status" else None
            if state == "idle" and msg["parent_header"].get("msg_id") in asked:
                return True
        return False


def describe_exit(code: int | None) -> str:
    """How a kernel ended, in words, from its exit status (``None``: unknown; negative or
    above 128: killed by a signal)."""
    if code is None:
        return "kernel died"
    if code > 128 or code < 0:
        number = code - 128 if code > 128 else -code
        name = {
            signal.SIGSEGV: "segmentation fault (SIGSEGV)",
            signal.SIGKILL: "killed (SIGKILL)",
            signal.SIGXCPU: "CPU time limit reached (SIGXCPU)",
            signal.SIGXFSZ: "file size limit reached (SIGXFSZ)",
            signal.SIGABRT: "aborted (SIGABRT)",
            signal.SIGBUS: "bus error (SIGBUS)",
        }.get(number)
        return f"kernel died: {name or f'signal {number}'}"
    return f"kernel died: the process exited with status {code} (os._exit or sys.exit in the kernel)"
