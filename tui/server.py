"""The ``kept`` command, and the background server that keeps it warm.

A ``kept`` command in a fresh Python process pays, every time, for starting Python,
importing Kept, loading the index's snapshot and checking every file; on a workspace
of 12,000 files that is most of its time. So after a command on a large workspace
(:data:`SERVE_FROM` files), Kept starts this server in the background, and the next
commands hand it their arguments, environment, working folder and terminal — the file
descriptors themselves, over a Unix socket. The server runs each in a fork of itself:

* the fork has every module imported and the index in memory, brought up to date
  with the disk just before: the kernel's watch (tui.index.watch) says which files
  changed since, and when it cannot say, every file is stated as any command does —
  so a command sees exactly what a fresh process would;
* it writes to the caller's own terminal (colours, width and ``isatty`` as usual), a
  Ctrl-C of the caller reaches it, and the caller exits with its exit code;
* nothing it changes in memory outlives the command.

Between commands, the server reads and keeps in the cache the full records that a
first start left for later (:meth:`Index.keep_full`), a few files at a time, so a
command arriving meanwhile waits for one small step at most. The app starts it too,
or asks the one running to warm its workspace (:func:`serve_from_app`), so its first
search finds them kept.

The server serves one user (its socket sits in a folder only they can open, and the
caller's uid is checked), one build of Kept (the socket's name carries a fingerprint
of the sources, so an upgraded Kept never talks to an old server), and exits after
:data:`IDLE` seconds without a request. ``KEPT_SERVER=0`` turns it off, ``1`` uses it
for a workspace of any size. Commands that talk to a person (the app, ``note``,
``sync``, ``init``) always run in their own process.

This module's top stays light: a command the server answers imports only the socket
machinery before handing over.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False  # not typing's: importing typing costs a fresh process ~10 ms
if TYPE_CHECKING:
    import _socket
    import socket
    from collections.abc import Callable, Mapping
    from pathlib import Path
    from typing import Any

    from tui.index import Index, View

#: Commands the server may answer: they read the workspace or change it in one step,
#: and never wait for a person.
SERVED = frozenset({"agenda", "check", "done", "move", "drop", "touch", "add", "chase",
                    "chased", "answered", "ask", "stats", "report", "export", "handover"})
SERVE_FROM = 2000  # files; below this a fresh process answers as quickly
# Seconds without a request before the server exits. Commands come through a working
# day an hour or two apart, and each one the server is gone for pays a fresh process
# (5 times as long on a large workspace); build tools' daemons keep 3 hours too
# (gradle, bazel). The price is the warm index's memory, ~60 MB for 12,000 files.
IDLE = 3 * 3600.0
KEEP_WARM = 4  # workspaces kept in memory at once
# While idle, the full records a first start left unkept are read and kept this many
# files at a time (a command arriving meanwhile waits for one such step, ~20 ms).
FILL_AT_ONCE = 40
FILL_PAUSE = 0.01  # seconds waited for a command between two steps
_STARTED = b"S"  # the command has started: from here it must not run twice


# --- the command -------------------------------------------------------------------


def main() -> None:
    """``kept``: answered by the server when one runs for this build, else here (and
    a server started for next time when the workspace is large)."""
    args = sys.argv[1:]
    mode = os.environ.get("KEPT_SERVER", "")
    served = mode != "0" and _command(args) in SERVED and _possible()
    path = socket_path() if served else None
    if path is not None:
        code = _ask(path, args)
        if code is not None:
            sys.exit(code)
    from tui import cli

    try:
        code = outcome(cli.main)
    finally:
        if path is not None and worth_serving(os.environ, cli.opened.files):
            session = cli.opened.session
            start_server(path, None if session is None else session.root)
    leave(code)


def worth_serving(env: Mapping[str, str], files: int) -> bool:
    """Whether a workspace of this many files is worth a server for the commands
    after this one (``KEPT_SERVER`` decides first)."""
    mode = env.get("KEPT_SERVER", "")
    return mode == "1" or (mode != "0" and files >= SERVE_FROM)


def serve_from_app(root: Path, files: int, env: Mapping[str, str]) -> None:
    """The app, once its agenda is up: a server for this workspace when one is worth
    it. It reads and keeps the full records in a process of its own, so the app's
    first search finds them kept, and the commands typed meanwhile are answered warm."""
    if worth_serving(env, files) and _possible():
        path = socket_path(env)
        if path is not None and not _warm(path, root, env):
            start_server(path, root, env)


def _warm(path: str, root: Path, env: Mapping[str, str]) -> bool:
    """Ask the server that runs to warm ``root`` and keep its full records (no
    command runs); False when none answers."""
    import marshal
    import socket

    request = marshal.dumps({"warm": True, "argv": ["-w", str(root), "agenda"],
                             "cwd": str(root), "env": dict(env)})
    devnull = os.open(os.devnull, os.O_RDWR)  # the request's three descriptors
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(10)  # the server may be running a command
            sock.connect(path)
            socket.send_fds(sock, [len(request).to_bytes(8, "big")], [devnull] * 3)
            sock.sendall(request)
            return _exactly(sock, 13)[:1] == _STARTED
    except (OSError, ValueError):
        return False
    finally:
        os.close(devnull)


def outcome(command: Callable[[], object]) -> int:
    """Run a command and give its exit code (a bug's traceback printed), its output
    written out."""
    import contextlib
    import traceback

    code = 0
    try:
        command()
    except SystemExit as exc:
        if isinstance(exc.code, int):
            code = exc.code
        elif exc.code is not None:
            print(exc.code, file=sys.stderr)
            code = 1
    except KeyboardInterrupt:
        code = 130
    except BaseException:
        traceback.print_exc()
        code = 1
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    return code


def leave(code: int) -> None:
    """Exit with ``code``. When no other thread works, at once: a command that read a
    large workspace holds a million objects, and freeing them one by one at exit took
    a tenth of its time. (Its files are written and its output flushed by now.)"""
    import threading

    if all(t.daemon for t in threading.enumerate() if t is not threading.main_thread()):
        os._exit(code)
    sys.exit(code)


def _command(args: list[str]) -> str | None:
    """The command word of ``kept [-w DIR] COMMAND ...`` (None: an option we do not
    know comes first, or there is no command)."""
    i = 0
    while i < len(args):
        arg = args[i]
        if arg in ("-w", "--workspace"):
            i += 2
        elif arg.startswith(("--workspace=", "-w")):
            i += 1
        elif arg.startswith("-"):
            return None
        else:
            return arg
    return None


def _possible() -> bool:
    import _socket

    return hasattr(os, "fork") and hasattr(_socket, "AF_UNIX") and hasattr(
        _socket, "SCM_RIGHTS")


def socket_path(env: Mapping[str, str] = os.environ) -> str | None:
    """This user's socket for this build of Kept, in a folder only they can open
    (None: no such folder can be had)."""
    base = env.get("KEPT_SERVER_DIR") or os.path.join(
        env.get("XDG_RUNTIME_DIR") or "/tmp", f"kept-{os.getuid()}")
    try:
        os.mkdir(base, 0o700)
    except FileExistsError:
        pass
    except OSError:
        return None
    try:
        st = os.lstat(base)
    except OSError:
        return None
    is_dir = st.st_mode & 0o170000 == 0o040000  # stat.S_ISDIR, without importing stat
    if not is_dir or st.st_uid != os.getuid() or st.st_mode & 0o077:
        return None  # somebody else's folder, or one others can write into: not ours
    return os.path.join(base, f"{fingerprint()}.sock")


def fingerprint() -> str:
    """Which build of Kept this is: the Python, its installed packages (their folders'
    mtimes), and every source file's size and mtime."""
    import zlib

    here = os.path.dirname(os.path.abspath(__file__))
    parts = [sys.executable, sys.version, here]
    for folder in sys.path:  # a package installed, upgraded or removed moves these
        if folder.endswith("-packages"):
            parts.append(f"{folder}:{_mtime(folder)}")
    for top, dirs, names in os.walk(here):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(names):
            if name.endswith(".py"):
                st = os.stat(os.path.join(top, name))
                parts.append(f"{top}/{name}:{st.st_size}:{st.st_mtime_ns}")
    data = "\0".join(parts).encode("utf-8", "surrogateescape")
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}"


def _ask(path: str, args: list[str]) -> int | None:
    """Run the command in the server; its exit code, or None when no server took it
    (then nothing ran, and this process runs it)."""
    # The C socket module and marshal: `socket`, `json` and `signal` would cost this
    # side ~35 ms of imports (enum classes, regexes); both sides are the same Python.
    import _socket
    import marshal

    mask = os.umask(0)
    os.umask(mask)
    request = marshal.dumps({
        "argv": args, "prog": _prog_name(), "cwd": os.getcwd(), "env": dict(os.environ),
        "umask": mask,
        "encoding": [(f.encoding, f.errors) for f in (sys.stdin, sys.stdout, sys.stderr)],
    })
    fds = b"".join(fd.to_bytes(4, sys.byteorder, signed=True) for fd in (0, 1, 2))
    sock = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    try:
        try:
            sock.connect(path)
            sock.sendmsg([len(request).to_bytes(8, "big")],
                         [(_socket.SOL_SOCKET, _socket.SCM_RIGHTS, fds)])
            sock.sendall(request)
            started = _exactly(sock, 9)
        except (OSError, ValueError):
            return None  # no server, a dead one, or a stdio this process lacks
        if started[:1] != _STARTED:
            return None
        child = int.from_bytes(started[1:], "big")
        try:
            answer = _exactly(sock, 4)
        except KeyboardInterrupt:
            # Ctrl-C stops the command where it runs, as it would here.
            try:
                os.kill(child, 2)  # SIGINT
                answer = _exactly(sock, 4)
            except (OSError, ValueError, KeyboardInterrupt):
                return 130
        except (OSError, ValueError):
            answer = b""
    finally:
        sock.close()
    if len(answer) != 4:
        print("kept: error: the background server stopped before the command ended; "
              "check with 'git status' and 'kept agenda' (KEPT_SERVER=0 turns it off)",
              file=sys.stderr)
        return 1
    return int.from_bytes(answer, "big", signed=True)


def _prog_name() -> str:
    """What this command is called in its messages, as click would name it here:
    ``kept``, or ``python -m tui``."""
    package = getattr(sys.modules.get("__main__"), "__package__", None)
    name = os.path.basename(sys.argv[0])
    if not package:
        return name
    stem = os.path.splitext(name)[0]
    return f"python -m {package if stem == '__main__' else f'{package}.{stem}'}"


def _mtime(path: str) -> int | None:
    try:
        return os.stat(path).st_mtime_ns
    except OSError:
        return None


def _exactly(sock: socket.socket | _socket.socket, n: int) -> bytes:
    data = b""
    while len(data) < n:
        more = sock.recv(n - len(data))
        if not more:
            raise ValueError("the other side closed the connection")
        data += more
    return data


def start_server(path: str, root: Path | None = None,
                 env: Mapping[str, str] | None = None) -> None:
    """Start a server for next time, unless one answers already; it warms ``root``
    (the workspace the command opened, in the command's environment: ``env``, else
    this process's) at once. Never fails the command that asks."""
    import contextlib
    import socket
    import subprocess

    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    with probe:
        try:
            probe.connect(path)
            return  # one runs (another command started it meanwhile)
        except OSError:
            pass
    with contextlib.suppress(OSError):
        subprocess.Popen([sys.executable, "-m", "tui.server", path,
                          *([] if root is None else [str(root)])], cwd="/",
                         env=None if env is None else dict(env),
                         stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                         stderr=subprocess.DEVNULL, start_new_session=True)


def running() -> tuple[int, str] | None:
    """The pid and log file of this build's server, when one runs."""
    from tui.workspace.procs import pid_alive

    path = socket_path()
    if path is None:
        return None
    try:
        with open(f"{path}.lock", encoding="utf-8") as fh:
            pid = int(fh.read().strip() or 0)
        if pid <= 0 or not pid_alive(pid):
            return None
    except (OSError, ValueError):
        return None
    return pid, f"{path}.log"


def stop() -> int | None:
    """Stop this build's server and wait (a few seconds at most) until it has; the
    pid it had, or None when none ran."""
    import signal
    import time

    from tui.workspace.procs import pid_alive

    found = running()
    if found is None:
        return None
    os.kill(found[0], signal.SIGTERM)
    end = time.monotonic() + 5
    while pid_alive(found[0]) and time.monotonic() < end:
        time.sleep(0.02)
    return found[0]


# --- the server --------------------------------------------------------------------


def serve(path: str, idle: float = IDLE, root: str | None = None) -> None:
    """Answer commands on ``path`` until ``idle`` seconds pass without one; ``root``:
    a workspace to warm before the first (the one the starting command opened)."""
    import contextlib
    import fcntl
    import socket
    import time

    # Everything a command may need, imported once here rather than in every fork.
    import orjson  # noqa: F401

    import tui.cli
    import tui.services.actions
    import tui.vcs.git
    import tui.workspace.edit  # noqa: F401

    with open(f"{path}.lock", "a+") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return  # another server is starting on this socket
        lock.truncate(0)
        lock.write(f"{os.getpid()}\n")  # who serves, for `kill` and the tests
        lock.flush()
        listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        with contextlib.suppress(FileNotFoundError):
            os.unlink(path)  # a dead server's socket (a live one holds the lock)
        try:
            listener.bind(path)
        except OSError:
            return
        listener.listen(16)
        listener.settimeout(idle)
        bound = os.stat(path).st_ino
        indexes: dict[tuple[Any, ...], Warm] = {}
        filling: list[Warm] = []  # workspaces with full records still to keep
        if root is not None:
            from pathlib import Path

            warm = _warm_at_start(Path(root), indexes)
            if warm is not None:
                filling.append(warm)
        deadline = time.monotonic() + idle
        try:
            while True:
                listener.settimeout(FILL_PAUSE if filling
                                    else max(deadline - time.monotonic(), 0.001))
                try:
                    conn, _ = listener.accept()
                except TimeoutError:
                    if filling:
                        if not filling[0].keep_full():
                            filling.pop(0)
                        continue
                    if time.monotonic() >= deadline:
                        break
                    continue
                with conn:
                    warm = _handle(conn, listener, indexes, f"{path}.log")
                deadline = time.monotonic() + idle
                if warm is not None and warm not in filling:
                    # A pull may have brought files read for their light parts only:
                    # looked for once after each command (a query of a few ms).
                    warm.lacking = sys.maxsize
                    filling.append(warm)
        finally:
            listener.close()
            with contextlib.suppress(OSError):
                if os.stat(path).st_ino == bound:
                    os.unlink(path)


def _handle(conn: socket.socket, listener: socket.socket,
            indexes: dict[tuple[Any, ...], Warm], log: str) -> Warm | None:
    """Serve one command; the workspace it was primed for, if any."""
    import contextlib
    import gc
    import marshal
    import socket
    import struct
    import time

    conn.settimeout(10)
    fds: list[int] = []
    try:
        creds = conn.getsockopt(socket.SOL_SOCKET, socket.SO_PEERCRED,
                                struct.calcsize("3i"))
        if struct.unpack("3i", creds)[1] != os.getuid():
            return None
        head, fds, _, _ = socket.recv_fds(conn, 8, 3)
        if len(head) != 8 or len(fds) != 3:
            return None
        size = int.from_bytes(head, "big")
        request = marshal.loads(_exactly(conn, size))
        start = time.perf_counter()
        primed = _prime(request, indexes)
        if request.get("warm"):  # the app's: a workspace to keep warm, nothing to run
            conn.sendall(_STARTED + bytes(12))
            _log(log, f"warm {(time.perf_counter() - start) * 1000:.0f} ms "
                      f"primed {primed is not None}")
            return None if primed is None else primed[1]
        conn.settimeout(None)
        gc.freeze()  # the fork's collector then leaves the pages it shares with us alone
        child = os.fork()
        if child == 0:
            listener.close()
            os._exit(_run(conn, request, fds, primed))
        conn.sendall(_STARTED + child.to_bytes(8, "big"))
        _, status = os.waitpid(child, 0)
        code = os.waitstatus_to_exitcode(status)
        code = code if code >= 0 else 128 - code
        conn.sendall(code.to_bytes(4, "big", signed=True))
        _log(log, f"{_command(request['argv'])} exit {code} "
                  f"{(time.perf_counter() - start) * 1000:.0f} ms primed {primed is not None}")
        if primed is not None:
            # What the command wrote is read now, while nobody waits, not by the next.
            with contextlib.suppress(Exception):  # the next command meets it and says so
                primed[1].ready()
            return primed[1]
    except (OSError, ValueError):
        pass  # the caller went away or sent nonsense: it runs the command itself
    finally:
        for fd in fds:
            os.close(fd)
    return None


def _log(path: str, line: str) -> None:
    """One line a command served, for whoever wonders what the server did."""
    import contextlib
    import time

    with contextlib.suppress(OSError):
        if os.path.exists(path) and os.path.getsize(path) > 1_000_000:
            os.replace(path, f"{path}.old")
        with open(path, "a", encoding="utf-8") as fh:
            fh.write(f"{time.strftime('%Y-%m-%d %H:%M:%S')} {line}\n")


class Warm:
    """One workspace kept warm: its index, and the kernel's watch over its folders."""

    def __init__(self, index: Index) -> None:
        from tui.index.watch import Watch

        self.index = index
        self.watch = Watch(index.root)
        self.lacking = sys.maxsize  # files whose full records the cache lacks (not known)
        self._todo: list[str] = []  # those of them still to read in this pass

    def view(self) -> View:
        """The view, up to date with the disk: from the watch when it knows what
        changed (nothing: the last view as it is; some files: their folders listed
        and stated again), else by stating every file."""
        changed = self.watch.changes()
        if changed is None:
            self.watch.start()  # before the stat of every file, so nothing is missed
            return self.index.refresh()
        if not changed:
            last = self.index.last_view()
            if last is not None:
                return last
        return self.index.refresh(changed=changed)

    def keep_full(self) -> bool:
        """Keep a few more files' full records in the cache; False when none lack
        them any more (or a pass over them left as many: files changing under it)."""
        view = self.index.last_view()
        if view is None:
            return False
        if not self._todo:
            lacking = self.index.lacking_full()
            fewer = 0 < len(lacking) < self.lacking
            self.lacking = len(lacking)
            if not fewer:
                return False
            self._todo = lacking
        step, self._todo = set(self._todo[:FILL_AT_ONCE]), self._todo[FILL_AT_ONCE:]
        self.index.keep_full(view, step)
        return True

    def ready(self) -> View:
        """The view up to date, with its agenda rows made (here once, not in every
        fork)."""
        view = self.view()
        view.promise_rows()
        return view


def _warm_at_start(root: Path, indexes: dict[tuple[Any, ...], Warm]) -> Warm | None:
    """The workspace the starting command opened, warmed in its environment (this
    process's), keyed as :func:`_prime` will look it up; None if it cannot be."""
    from tui.index import Index

    try:
        warm = Warm(Index(root, os.environ))
        warm.ready()
    except Exception:  # the first command will meet it and say what is wrong
        return None
    indexes[_warm_key(root, os.environ)] = warm
    return warm


def _warm_key(root: Path, env: Mapping[str, str]) -> tuple[Any, ...]:
    """What a warm workspace is found by: its root and its cache (the environment
    may move the cache)."""
    from tui.index.cache import cache_path

    return (root, cache_path(root, env))


def _prime(request: dict[str, Any], indexes: dict[tuple[Any, ...], Warm]
           ) -> tuple[Path, Warm, View] | None:
    """The command's workspace, brought up to date here, before the fork; None when
    the command will say what is wrong."""
    from pathlib import Path

    from tui import cli
    from tui.index import Index
    from tui.workspace.layout import resolve_root

    env = request["env"]
    try:
        os.chdir(request["cwd"])
        ctx = cli.main.make_context("kept", list(request["argv"]), resilient_parsing=True)
        root = resolve_root(ctx.params.get("workspace"), env, Path(request["cwd"]))
        key = _warm_key(root, env)
        warm = indexes.pop(key, None) or Warm(Index(root, env))
        while len(indexes) >= KEEP_WARM:  # the least recently used one goes
            indexes.pop(next(iter(indexes))).watch.close()
        view = warm.ready()
    except Exception:  # a user's mistake or worse: the command meets it and says so
        return None
    indexes[key] = warm
    return root, warm, view


def _run(conn: socket.socket, request: dict[str, Any], fds: list[int],
         primed: tuple[Path, Warm, View] | None) -> int:
    """In the fork: become the caller's command, run it, and give its exit code."""
    import signal
    import time

    from tui import cli, faults
    from tui.services import context

    conn.close()
    signal.signal(signal.SIGINT, signal.default_int_handler)
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    fds.clear()
    streams = []
    for fd, (encoding, errors) in enumerate(request["encoding"]):
        stream = open(fd, "w" if fd else "r", encoding=encoding or "utf-8",  # noqa: SIM115
                      errors=errors or "strict", closefd=False,
                      buffering=1 if fd and os.isatty(fd) else -1)
        streams.append(stream)
    sys.stdin, sys.stdout, sys.stderr = streams
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    os.umask(request["umask"])
    time.tzset()  # the caller's TZ for local times, as its own process would have
    faults.configure(os.environ)  # read at import, like anything else read there
    sys.argv = ["kept", *request["argv"]]
    if primed is not None:
        root, warm, view = primed
        warm.index.cache.forget_connection()  # SQLite connections must not cross a fork
        context.PRIMED[root] = (warm.index, view)
    return outcome(lambda: cli.main.main(args=list(request["argv"]), prog_name=request["prog"]))


if __name__ == "__main__":
    serve(sys.argv[1], root=sys.argv[2] if len(sys.argv) > 2 else None)
