"""The benchmark runner: Kept's costs at agency scale, against floors measured in the
same run. Never part of the test suite.

    python -m tests.bench.run [S L XL] [--runs 5] [--dir /tmp/kept-bench] [--no-app]
                              [--no-taskwarrior]

For each size it generates a workspace once (tests/bench/generate.py, committed to git)
and prints medians of several runs of:

* the floor: a Python process that stats and reads every file;
* PyYAML's C loader parsing every file, in one process;
* ``kept agenda`` with no cache, with a warm cache, and after one file was edited;
* ``kept done ID`` including its commit, against a plain ``git commit`` of one file;
* the same three (warm, edited, done) answered by the background server
  (tui.server), as they are once a first command on a large workspace started it —
  every other figure is of a process of its own (KEPT_SERVER=0);
* Taskwarrior's ``task next`` and ``task due.before:now+7d list`` on the same promises,
  when ``task`` is installed (``apt-get install taskwarrior``);
* the app (in tmux, when installed): from launch to the agenda on screen, an edit made
  outside shown, and its memory.

Ratios are taken between figures of the same run, so a busy machine shifts both sides.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from tests.bench.generate import SIZES, generate, git_init

TODAY = "2026-11-23"
PYTHON = sys.executable

FLOOR = r"""
import os, sys
n = 0
for top, dirs, files in os.walk(sys.argv[1]):
    dirs[:] = [d for d in dirs if d != ".git"]
    for f in files:
        p = os.path.join(top, f)
        os.stat(p)
        with open(p, "rb") as fh:
            n += len(fh.read())
print(n)
"""

PYYAML = r"""
import os, sys, yaml
for top, dirs, files in os.walk(sys.argv[1]):
    dirs[:] = [d for d in dirs if d != ".git"]
    for f in files:
        if not f.endswith((".yaml", ".md")):
            continue
        with open(os.path.join(top, f), encoding="utf-8") as fh:
            text = fh.read()
        if f.endswith(".md"):
            text = text.split("---\n")[1]
        yaml.load(text, Loader=yaml.CSafeLoader)
"""


def timed(argv: list[str], env: dict[str, str], cwd: Path | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(argv, env=env, cwd=cwd, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def median(runs: int, one: Callable[[int], float]) -> float:
    return statistics.median(one(i) for i in range(runs))


class Bench:
    def __init__(self, root: Path, cache: Path, runs: int, clients: int) -> None:
        self.clients = clients
        self.root = root
        self.cache = cache
        self.runs = runs
        # Compiled once, as pip leaves an installed package: a PYTHONDONTWRITEBYTECODE
        # environment would have every run compile Kept's sources again.
        base = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        # Every command in a process of its own unless a figure says "server".
        self.server_dir = Path(tempfile.mkdtemp(prefix="kb"))
        self.env = {**base, "KEPT_TODAY": TODAY, "KEPT_CACHE_DIR": str(cache),
                    "KEPT_SERVER": "0", "KEPT_SERVER_DIR": str(self.server_dir),
                    "GIT_AUTHOR_NAME": "Bench", "GIT_AUTHOR_EMAIL": "bench@example",
                    "GIT_COMMITTER_NAME": "Bench", "GIT_COMMITTER_EMAIL": "bench@example"}
        self.results: dict[str, float] = {}

    def kept(self, *args: str) -> list[str]:
        return [PYTHON, "-m", "tui", "-w", str(self.root), *args]

    def record(self, name: str, seconds: float) -> float:
        self.results[name] = seconds
        print(f"  {name:<42} {seconds * 1000:9.0f} ms", flush=True)
        return seconds

    def run(self, app: bool, taskwarrior: bool = True) -> dict[str, float]:
        env = self.env
        subprocess.run([PYTHON, "-m", "compileall", "-q", str(Path(__file__).parents[2] / "tui")],
                       env=env, check=True, stdout=subprocess.DEVNULL)
        self.record("floor: stat + read every file",
                    median(self.runs, lambda _: timed([PYTHON, "-c", FLOOR, str(self.root)],
                                                      env)))
        self.record("PyYAML C: parse every file",
                    median(min(self.runs, 3), lambda _: timed(
                        [PYTHON, "-c", PYYAML, str(self.root)], env)))

        def cold(_: int) -> float:
            shutil.rmtree(self.cache, ignore_errors=True)
            return timed(self.kept("agenda", "--json"), env)

        self.record("kept agenda, no cache", median(min(self.runs, 3), cold))
        self.settle()
        timed(self.kept("agenda", "--json"), env)
        self.record("kept agenda, warm", median(self.runs, lambda _: timed(
            self.kept("agenda", "--json"), env)))
        self.record("kept agenda, one file edited", median(self.runs, self.edited))
        self.record("git commit of one file", median(self.runs, self.git_commit))
        self.record("kept done ID (with its commit)", median(self.runs, self.done))
        self.served()
        if taskwarrior:
            self.taskwarrior()
        if app and shutil.which("tmux"):
            self.app()
        return self.results

    def settle(self) -> None:
        """Date every file a minute back, as an old workspace is (not racy)."""
        old = time.time() - 60
        for top, dirs, files in os.walk(self.root):
            dirs[:] = [d for d in dirs if d != ".git"]
            for f in files:
                os.utime(os.path.join(top, f), (old, old))

    def served(self) -> None:
        """The same commands answered by the background server (tui.server), as they
        are after a first command on a large workspace."""
        env = {**self.env, "KEPT_SERVER": "1"}
        timed(self.kept("agenda", "--json"), env)  # runs here, and starts the server
        end = time.monotonic() + 120
        while not list(self.server_dir.glob("*.sock")) and time.monotonic() < end:
            time.sleep(0.1)
        for _ in range(2):  # the server's first answer loads the index
            timed(self.kept("agenda", "--json"), env)
        self.record("server: kept agenda, warm", median(self.runs, lambda _: timed(
            self.kept("agenda", "--json"), env)))
        self.record("server: kept agenda, one file edited",
                    median(self.runs, lambda i: self.edited(i + 100, env)))
        self.record("server: kept done ID (with its commit)",
                    median(self.runs, lambda i: self.done(i + 100, env)))
        for lock in self.server_dir.glob("*.lock"):
            with contextlib.suppress(ValueError, OSError):
                os.kill(int(lock.read_text().strip()), 15)
        shutil.rmtree(self.server_dir, ignore_errors=True)

    def edited(self, i: int, env: dict[str, str] | None = None) -> float:
        path = self.root / "clients" / f"client-{i % self.clients:05d}" / "promises.yaml"
        with path.open("a", encoding="utf-8") as fh:
            fh.write(f"# edited {i}\n")  # a change the index must see and read
        return timed(self.kept("agenda", "--json"), env or self.env)

    def git_commit(self, i: int) -> float:
        path = self.root / "clients" / f"client-{(50 + i) % self.clients:05d}" / "client.yaml"
        path.write_text(path.read_text("utf-8") + f"# bench {i}\n", encoding="utf-8")
        return timed(["git", "commit", "-q", "-m", f"bench {i}", "--", str(path)],
                     self.env, self.root)

    def done(self, i: int, env: dict[str, str] | None = None) -> float:
        items = json.loads(subprocess.run(self.kept("agenda", "--json"), env=self.env,
                                          check=True, capture_output=True, text=True).stdout)
        ids = [x["id"] for x in items if x["type"] == "promise"]
        return timed(self.kept("done", ids[i]), env or self.env)

    def taskwarrior(self) -> None:
        """Taskwarrior on the same promises, twice: as they are (the open ones pending,
        the closed ones completed or deleted), and every one pending, as the issue's
        table measured it."""
        if not shutil.which("task"):
            print("  (Taskwarrior is not installed: apt-get install taskwarrior)")
            return
        promises = self._promises()
        for label, all_pending in (("", False), (", all pending", True)):
            tasks = [self._task(p, all_pending) for p in promises]
            pending = sum(t["status"] == "pending" for t in tasks)
            print(f"  (Taskwarrior{label}: {len(tasks)} tasks imported, {pending} pending)")
            with self._task_data(tasks) as env:
                self.record(f"Taskwarrior{label}: task next", median(self.runs, lambda _: timed(
                    ["task", "rc.verbose=nothing", "next"], env)))
                self.record(f"Taskwarrior{label}: task due.before:now+7d list",
                            median(self.runs, lambda _: timed(
                                ["task", "rc.verbose=nothing", "due.before:now+7d", "list"],
                                env)))

    def _promises(self) -> list[dict[str, str]]:
        """Every promise's top-level fields, as text (the generated files are plain)."""
        found = []
        for path in sorted(self.root.glob("clients/*/promises.yaml")):
            for block in path.read_text("utf-8").split("\n- id: ")[1:]:
                fields = dict(line.strip().split(": ", 1) for line in block.splitlines()[1:]
                              if ": " in line and line.startswith("  ") and not
                              line.startswith("    "))
                found.append({k: v.strip('"') for k, v in fields.items()}
                             | {"client": path.parent.name})
        return found

    @staticmethod
    def _task(promise: dict[str, str], all_pending: bool) -> dict[str, str]:
        status = "open" if all_pending else promise.get("status", "open")
        due = promise.get("due", "")[:10].replace("-", "")
        task = {"description": promise.get("text", ""), "project": promise["client"],
                "due": f"{due}T120000Z", "entry": "20261101T000000Z",
                "status": {"done": "completed", "dropped": "deleted"}.get(status, "pending")}
        if task["status"] != "pending":
            closed = (promise.get("closed") or promise.get("due", ""))[:10].replace("-", "")
            task["end"] = f"{closed}T120000Z"
        return task

    @contextlib.contextmanager
    def _task_data(self, tasks: list[dict[str, str]]) -> Iterator[dict[str, str]]:
        data = Path(tempfile.mkdtemp(prefix="kept-bench-task-"))
        try:
            rc = data / "taskrc"
            rc.write_text(f"data.location={data}\nconfirmation=off\nverbose=nothing\n"
                          "gc=off\n", encoding="utf-8")
            env = {**self.env, "TASKRC": str(rc), "TASKDATA": str(data)}
            payload = data / "import.json"
            payload.write_text(json.dumps(tasks), encoding="utf-8")
            subprocess.run(["task", "import", str(payload)], env=env, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            yield env
        finally:
            shutil.rmtree(data, ignore_errors=True)

    def app(self) -> None:
        """The app in tmux: launch to agenda, an outside edit shown, memory."""
        session = "kept-bench"
        subprocess.run(["tmux", "kill-session", "-t", session], stderr=subprocess.DEVNULL)
        # The app's own figures: no background server of its starting is counted in.
        env_args = [f"{k}={self.env[k]}" for k in ("KEPT_TODAY", "KEPT_CACHE_DIR",
                                                   "KEPT_SERVER", "KEPT_SERVER_DIR")]
        start = time.perf_counter()
        subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", "120", "-y", "40",
                        "env", *env_args, PYTHON, "-m", "tui", "-w", str(self.root)],
                       check=True)
        shown = self._wait(session, lambda screen: " overdue · " in screen, 30)
        self.record("app: launch to agenda on screen (warm)", shown - start)
        items = json.loads(subprocess.run(self.kept("agenda", "--json"), env=self.env,
                                          check=True, capture_output=True, text=True).stdout)
        screen = subprocess.run(["tmux", "capture-pane", "-p", "-t", session],
                                capture_output=True, text=True).stdout
        first = next(x for x in items if x.get("id") and x["path"].endswith("promises.yaml")
                     and x["text"][:30] in screen)  # an item on screen, to see it change
        path = self.root / first["path"]
        pid_out = subprocess.run(["tmux", "list-panes", "-t", session, "-F", "#{pane_pid}"],
                                 capture_output=True, text=True).stdout.split()
        text = path.read_text("utf-8")
        marker = "Bench edit seen"
        changed = re.sub(rf"(- id: {first['id']}\n  text: )[^\n]*", rf"\g<1>{marker}", text,
                         count=1)
        assert changed != text, f"no promise {first['id']} to edit in {path}"
        time.sleep(1.0)  # let the watcher start
        start = time.perf_counter()
        path.write_text(changed, encoding="utf-8")
        seen = self._wait(session, lambda screen: marker in screen, 10)
        self.record("app: an outside edit shown", seen - start)
        if pid_out:
            rss = _rss_kb(int(pid_out[0]))
            self.results["app: memory (MB)"] = rss / 1024
            print(f"  {'app: memory':<42} {rss / 1024:9.0f} MB")
        subprocess.run(["tmux", "kill-session", "-t", session], stderr=subprocess.DEVNULL)
        path.write_text(text, encoding="utf-8")

    def _wait(self, session: str, done: Callable[[str], bool], timeout: float) -> float:
        end = time.perf_counter() + timeout
        while time.perf_counter() < end:
            screen = subprocess.run(["tmux", "capture-pane", "-p", "-t", session],
                                    capture_output=True, text=True).stdout
            if done(screen):
                return time.perf_counter()
            time.sleep(0.01)
        return float("nan")


def _rss_kb(pid: int) -> int:
    """Resident memory of a process and its children (the app runs under env)."""
    total = 0
    out = subprocess.run(["ps", "-A", "-o", "pid=,ppid=,rss="], capture_output=True,
                         text=True).stdout
    rows = [tuple(int(x) for x in line.split()) for line in out.splitlines() if line.strip()]
    family = {pid}
    grew = True
    while grew:
        grew = False
        for child, parent, _ in rows:
            if parent in family and child not in family:
                family.add(child)
                grew = True
    for child, _, rss in rows:
        if child in family:
            total += rss
    return total


def report(size: str, r: dict[str, float]) -> None:
    def ratio(a: str, b: str) -> str:
        return f"{r[a] / r[b]:.2f}" if a in r and b in r and r[b] else "n/a"

    print(f"\n{size}: ratios measured in this run")
    print(f"  agenda warm / Taskwarrior task next         "
          f"{ratio('kept agenda, warm', 'Taskwarrior: task next')}  (target <= 0.25)")
    print(f"  agenda warm / the same, all pending         "
          f"{ratio('kept agenda, warm', 'Taskwarrior, all pending: task next')}")
    print(f"  agenda, no cache / PyYAML C parse          "
          f"{ratio('kept agenda, no cache', 'PyYAML C: parse every file')}  (target <= 0.5)")
    print(f"  agenda, no cache / floor                   "
          f"{ratio('kept agenda, no cache', 'floor: stat + read every file')}")
    extra = r.get("kept agenda, one file edited", 0) - r.get("kept agenda, warm", 0)
    print(f"  one file edited: + {extra * 1000:.0f} ms over warm (target <= 50 ms)")
    print(f"  kept done / git commit                     "
          f"{ratio('kept done ID (with its commit)', 'git commit of one file')}  "
          "(target <= 2.5)")
    print("  through the server:")
    print(f"    agenda warm / Taskwarrior task next       "
          f"{ratio('server: kept agenda, warm', 'Taskwarrior: task next')}  (target <= 0.25)")
    print(f"    agenda warm / the same, all pending       "
          f"{ratio('server: kept agenda, warm', 'Taskwarrior, all pending: task next')}")
    extra = (r.get("server: kept agenda, one file edited", 0)
             - r.get("server: kept agenda, warm", 0))
    print(f"    one file edited: + {extra * 1000:.0f} ms over warm (target <= 50 ms)")
    print(f"    kept done / git commit                   "
          f"{ratio('server: kept done ID (with its commit)', 'git commit of one file')}  "
          "(target <= 2.5)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("sizes", nargs="*", default=["S", "L"], choices=sorted(SIZES))
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "kept-bench")
    parser.add_argument("--no-app", action="store_true")
    parser.add_argument("--no-taskwarrior", action="store_true",
                        help="skip Taskwarrior (importing XL's 500,000 tasks takes long)")
    args = parser.parse_args()
    for size in args.sizes:
        root = args.dir / size
        if not (root / "kept.yaml").is_file():
            print(f"generating {size} in {root} …", flush=True)
            start = time.perf_counter()
            generate(size, root, __import__("datetime").date.fromisoformat(TODAY))
            git_init(root)
            print(f"  generated in {time.perf_counter() - start:.0f} s")
        else:  # back to the generated state: earlier runs edited and committed
            subprocess.run(["git", "reset", "-q", "--hard", "HEAD"], cwd=root, check=True)
            first = subprocess.run(["git", "rev-list", "--max-parents=0", "HEAD"], cwd=root,
                                   capture_output=True, text=True, check=True).stdout.strip()
            subprocess.run(["git", "reset", "-q", "--hard", first], cwd=root, check=True)
            subprocess.run(["git", "clean", "-qfdx"], cwd=root, check=True)
        clients, notes, promises = SIZES[size]
        print(f"\n{size}: {clients} clients, {notes} notes, {promises} promises")
        bench = Bench(root, args.dir / f"cache-{size}", args.runs, clients)
        results = bench.run(app=not args.no_app, taskwarrior=not args.no_taskwarrior)
        report(size, results)


if __name__ == "__main__":
    main()
