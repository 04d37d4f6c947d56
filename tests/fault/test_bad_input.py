"""Bad input: Kept's real read path (``read_entry``, what loading, ``kept check`` and
the app use) over the YAML test suite and over every file of the test corpus cut at
every byte, and with CRLF, a BOM, NUL bytes, invalid UTF-8, tabs, conflict markers,
a 10 MB tail and alias bombs put in.

The only outcomes allowed: records, or problems with a path, a line and a column
inside the file. Never an exception; each file read within a second (a hang
detector, not a speed test: an alarm stops a read that runs far longer) and within a
bounded amount of memory.
"""

from __future__ import annotations

import re
import signal
import time
import tracemalloc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.conftest import KEPT_YAML, RunKept
from tui.workspace.layout import Entry
from tui.workspace.load import FileResult, read_bytes, read_entry

DATA = Path(__file__).resolve().parent.parent / "data"
SUITE = DATA / "yaml-test-suite"
PER_FILE = 1.0  # seconds: far more than any good read takes
MAX_CUTS = 80  # cuts per file: every byte of a small file, a stride over a big one

# Where a file of each kind lives in a workspace, and how Kept knows it.
PLACES = {
    "settings": "kept.yaml",
    "client": "clients/x/client.yaml",
    "promises": "clients/x/promises.yaml",
    "note": "clients/x/notes/2026-11-20-x.md",
}


BREAKS = re.compile(rb"\r\n|\r|\n|\xc2\x85|\xe2\x80[\xa8\xa9]")


class Hang(Exception):
    pass


@contextmanager
def alarm(seconds: float) -> Iterator[None]:
    """Raise :class:`Hang` in this (the main) thread after ``seconds``."""

    def ring(signum: int, frame: object) -> None:
        raise Hang(f"still reading after {seconds} s")

    previous = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def kind_of(path: Path) -> str:
    if path.name == "kept.yaml":
        return "settings"
    if path.name == "client.yaml":
        return "client"
    if path.suffix == ".md":
        return "note"
    return "promises"


PEAK = [0]  # the memory peak of the last read(..., trace=True)


def read(root: Path, kind: str, data: bytes, budget: float = PER_FILE,
         trace: bool = False, hang: float | None = None) -> FileResult:
    """Put ``data`` where a file of ``kind`` lives and read it the way Kept does; check
    that every problem points inside the file. ``trace``: note the read's memory peak
    in :data:`PEAK`; ``hang``: stop the read after that long (default 5 × budget)."""
    rel = PLACES[kind]
    target = root / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)
    if trace:
        tracemalloc.start()
    start = time.monotonic()
    try:
        with alarm(hang or budget * 5):
            result = read_entry(root, Entry(kind, rel, "x" if kind != "settings" else ""))
    finally:
        if trace:
            PEAK[0] = tracemalloc.get_traced_memory()[1]
            tracemalloc.stop()
    took = time.monotonic() - start
    assert took < budget, f"{kind} of {len(data)} bytes took {took:.2f} s"
    lines = len(BREAKS.split(data))  # a lone CR is a line break to YAML and to editors
    for p in result.problems:
        assert p.path == rel
        assert 1 <= p.line <= lines and p.col >= 1, (p, data[:200])
        assert p.message and str(p).startswith(f"{rel}:{p.line}:{p.col}: ")
    return result


def corpus() -> list[Path]:
    return sorted(p for p in DATA.rglob("*") if p.is_file() and p.suffix in (".yaml", ".md")
                  and {"sample", "broken"} & set(p.relative_to(DATA).parts))


def cuts(size: int) -> list[int]:
    if size <= MAX_CUTS:
        return list(range(size))
    step = size / MAX_CUTS
    return sorted({int(i * step) for i in range(MAX_CUTS)} | {size - 1})


def test_the_corpus_is_there() -> None:
    assert len(corpus()) > 100
    assert len(list(SUITE.rglob("in.yaml"))) == 402
    assert (SUITE / "License").read_text("utf-8").startswith("MIT License")


@pytest.mark.filterwarnings("ignore::ruamel.yaml.error.ReusedAnchorWarning")
def test_every_yaml_test_suite_case_as_every_kind_of_file(tmp_path: Path) -> None:
    read_somehow = 0
    for case in sorted(SUITE.rglob("in.yaml")):
        data = case.read_bytes()
        for kind in ("settings", "client", "promises"):
            result = read(tmp_path, kind, data)
            read_somehow += bool(result.problems or result.client or result.promises
                                 or result.settings)
        note = b"---\n" + data + (b"" if data.endswith(b"\n") else b"\n") + b"---\nBody\n"
        read(tmp_path, "note", note)
    assert read_somehow > 402  # most cases do yield records or problems


def test_every_corpus_file_cut_at_every_byte(tmp_path: Path) -> None:
    for path in corpus():
        data = path.read_bytes()
        kind = kind_of(path)
        for at in cuts(len(data)):
            read(tmp_path, kind, data[:at])


def _mutations(data: bytes) -> dict[str, bytes]:
    middle = data.find(b"\n", len(data) // 2) + 1 or len(data) // 2
    head, tail = data[:middle], data[middle:]
    return {
        "crlf": data.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n"),
        "bom": b"\xef\xbb\xbf" + data,
        "bom twice": b"\xef\xbb\xbf\xef\xbb\xbf" + data,
        "nul": head + b"\x00" + tail,
        "invalid utf-8": head + b"\xff\xfe\xc3" + tail,
        "lone surrogate": head + "\ud800".encode("utf-8", "surrogatepass") + tail,
        "tab indent": data.replace(b"\n  ", b"\n\t", 1),
        "tab everywhere": data.replace(b"  ", b"\t"),
        "conflict markers": head + b"<<<<<<< HEAD\n" + tail + b"=======\n" + tail
        + b">>>>>>> theirs\n",
        "control chars": head + b"\x1b[31m\x07\x0c" + tail,
        "lone cr": data.replace(b"\n", b"\r"),
    }


def test_every_corpus_file_with_bad_bytes_put_in(tmp_path: Path) -> None:
    peak = 0
    for path in corpus():
        data = path.read_bytes()
        for name, mutated in _mutations(data).items():
            try:
                read(tmp_path, kind_of(path), mutated, trace=True)
            except AssertionError as exc:
                raise AssertionError(f"{path.relative_to(DATA)} with {name}: {exc}") from None
            peak = max(peak, PEAK[0])
    assert peak < 16 * 1024 * 1024  # files of at most 15 KB: memory stays small


@pytest.mark.parametrize("directive", ["%YAML 1.3", "%YAML 1.99999999999999999999"])
def test_a_later_yaml_version_is_read_as_1_2_with_a_warning(
        tmp_path: Path, directive: str) -> None:
    """The YAML spec: a later minor version is read, with a warning (ruamel asserts)."""
    promise = "- {id: k7m2p9, text: Send the plan, by: us, due: 2026-11-30}\n"
    result = read(tmp_path, "promises", f"{directive}\n---\n{promise}".encode())
    assert [p.id for p in result.promises] == ["k7m2p9"]
    assert [(p.line, p.severity.value) for p in result.problems] == [(1, "warning")]
    assert directive in result.problems[0].message


def test_a_yaml_2_document_is_refused_with_its_place(tmp_path: Path) -> None:
    result = read(tmp_path, "promises", b"%YAML 2.0\n---\n- id: k7m2p9\n")
    assert result.promises == ()
    assert [(p.line, p.severity.value) for p in result.problems] == [(1, "error")]


LAUGHS = "lol0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"lol{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 10))
ALIAS_LIST = "- &a0 [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"- &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 12))
ALIAS_LOOP = "- &a [*a]\n- &b {k: *b}\n"


@pytest.mark.parametrize("kind", list(PLACES))
@pytest.mark.parametrize("bomb", [LAUGHS, ALIAS_LIST, ALIAS_LOOP],
                         ids=["billion laughs", "alias list", "alias loop"])
def test_alias_bombs_stop_small(tmp_path: Path, kind: str, bomb: str) -> None:
    text = f"---\n{bomb}---\nBody\n" if kind == "note" else bomb
    result = read(tmp_path, kind, text.encode(), trace=True)
    assert result.problems and result.promises == () and result.client is None
    assert PEAK[0] < 32 * 1024 * 1024


@pytest.mark.parametrize("kind", list(PLACES))
def test_a_10_mb_file_is_refused_quickly_and_small(tmp_path: Path, kind: str) -> None:
    sample = DATA / "sample" / {
        "settings": "kept.yaml",
        "client": "clients/askona/client.yaml",
        "promises": "clients/askona/promises.yaml",
        "note": "clients/askona/notes/2026-11-18-kickoff-december-campaign.md",
    }[kind]
    data = sample.read_bytes() + b"# " + b"x" * (10 * 1024 * 1024) + b"\n"
    result = read(tmp_path, kind, data, trace=True)
    [problem] = result.problems
    assert problem.message == "the file is 10.0 MB; Kept reads files up to 4 MB — split it"
    assert (problem.line, problem.col) == (1, 1)
    assert PEAK[0] < 1024 * 1024  # the 10 MB were never read into memory


@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="Linux's /proc")
def test_a_file_is_read_to_its_end_past_its_stat_and_never_past_the_cap() -> None:
    # A file may grow between its stat and its read. Linux's /proc files stat as
    # empty yet hold lines; /dev/zero never ends.
    data, st = read_bytes(Path("/proc/self/status"))
    assert st.st_size == 0 and data.startswith(b"Name:") and data.endswith(b"\n")
    with pytest.raises(OverflowError):
        read_bytes(Path("/dev/zero"))


@pytest.mark.parametrize("opener", ["[", "{"])
def test_deep_flow_nesting_is_refused_within_a_second(tmp_path: Path, opener: str) -> None:
    try:
        result = read(tmp_path, "promises", opener.encode() * 2000, hang=1.2)
    except Hang:
        raise AssertionError("deep nesting hangs the reader") from None
    assert result.problems[0].message == "nested more than 100 levels deep"


def test_a_big_file_off_the_fast_path_is_read_within_a_second(tmp_path: Path) -> None:
    one = (DATA / "sample/clients/askona/promises.yaml").read_bytes()
    data = b"- &first {id: aaaaaa, text: x, due: 2026-11-30}\n" + one * (300_000 // len(one))
    try:
        read(tmp_path, "promises", data, hang=1.2)
    except Hang:
        raise AssertionError("a big file off the fast path takes seconds") from None


def test_kept_check_over_a_workspace_of_bad_files(tmp_path: Path, kept: RunKept) -> None:
    """Every damaged file as a client of one workspace: ``kept check`` lists problems,
    one ``path:line:col: severity: message`` per line, and exits 1."""
    root = tmp_path / "ws"
    (root / "clients").mkdir(parents=True)
    (root / "kept.yaml").write_text(KEPT_YAML, encoding="utf-8")
    sample = DATA / "sample/clients/askona"
    n = 0
    for source in (sample / "client.yaml", sample / "promises.yaml"):
        for name, mutated in _mutations(source.read_bytes()).items():
            n += 1
            folder = root / "clients" / f"c{n}"
            folder.mkdir()
            (folder / "client.yaml").write_bytes(f"name: C{n} {name}\n".encode())
            (folder / source.name).write_bytes(mutated)

    start = time.monotonic()
    result = kept("-w", root, "check")
    assert time.monotonic() - start < 30

    assert result.exit_code == 1
    line = re.compile(r"^clients/c\d+/[a-z.]+:\d+:\d+: (error|warning): \S.*$")
    bad = [out for out in result.stdout.splitlines() if not line.match(out)]
    assert bad == []
    assert result.stdout.count("\n") >= n
