"""Editing YAML files so that only the lines an edit means to change do change.

An edit is a list of operations on *data* (:class:`SetKey`, :class:`Append`, and for
merges :class:`DeleteKey` and :class:`Remove`), each
addressed by path — with promises found by id, not by position — and each carrying
the value it expects to find (what was read). :func:`apply` turns them into text
patches at the positions ruamel's composer reports and splices them into the file:
comments, key order, quoting, blank lines, flow style, line endings and every line
it does not touch stay byte for byte. (ruamel's round-trip *dumper* was tried and
rewrites untouched lines: ``null`` becomes empty, spacing and flow lists are
normalised, and a trailing comment of one item drifts above an appended one. The
composer's positions with patches keep the file as the person wrote it.)

Every patched text is parsed again and must equal the original data with exactly the
edit applied; otherwise nothing is written. :func:`write_edit` re-reads the file at
write time, re-applies the operations to whatever is on disk (refusing when a field
it changes no longer holds the value that was read), and writes atomically.
"""

from __future__ import annotations

import contextlib
import enum
import hashlib
import itertools
import os
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from tui import faults
from tui.core.dates import Due
from tui.errors import EditConflict, WriteError
from tui.workspace.procs import pid_alive
from tui.workspace.text import Decoded, DecodeError, conflict_markers, decode, encode
from tui.workspace.yamlio import (
    Map,
    Node,
    Scalar,
    Seq,
    parse,
    render_block,
    render_flow,
    render_inline,
    to_python,
)

ANY: Any = object()  # "no expectation"


@dataclass(frozen=True)
class Where:
    """A list item picked by one of its keys: ``Where("id", "7k3q9m")``."""

    key: str
    value: str


Step = str | int | Where
DataPath = tuple[Step, ...]


@dataclass(frozen=True)
class SetKey:
    """Set ``key`` of the mapping at ``at``; ``expect`` is what was read there.

    ``expect=None`` means the key was absent or empty.
    """

    at: DataPath
    key: str
    value: Any
    expect: Any = ANY
    order: Sequence[str] = ()  # canonical key order, to place a new key well
    default: Any = None  # what an absent key means (``status`` absent is ``open``)


@dataclass(frozen=True)
class Append:
    """Append ``value`` to the list under ``key`` of the mapping at ``at``.

    ``key=None`` appends to the list at ``at`` itself (the file's top-level list).
    ``unique`` names a key whose value must not already be used by an item.
    """

    at: DataPath
    key: str | None
    value: Any
    unique: str | None = None


Op = SetKey | Append


@dataclass(frozen=True)
class DeleteKey:
    """Remove ``key`` and its value from the mapping at ``at``.

    ``expect`` is what was read there, as for :class:`SetKey`; a key that is already
    gone is nothing to do.
    """

    at: DataPath
    key: str
    expect: Any = ANY


@dataclass(frozen=True)
class Remove:
    """Remove the list item ``at`` leads to; its last step picks the item by a key
    (:class:`Where`) or by index. Indexes count the items as they were read, so several
    removals from one list address the same positions as the file shows them."""

    at: DataPath


#: Every operation :func:`apply` takes: the ones actions use, and the ones merges need.
AnyOp = Op | DeleteKey | Remove


def norm(value: Any) -> Any:
    """A value as it reads back from YAML: dates as text, tuples as lists."""
    if isinstance(value, Due | date):
        return str(value)
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dict):
        return {k: norm(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [norm(v) for v in value]
    if isinstance(value, str):
        try:
            return str(Due.parse(value))
        except ValueError:
            return value
    return value


def _same(a: Any, b: Any) -> bool:
    return bool(norm(a) == norm(b))


# --- locating ------------------------------------------------------------------------


def _describe(path: DataPath) -> str:
    parts = []
    for step in path:
        if isinstance(step, Where):
            parts.append(f"{step.key} {step.value}")
        else:
            parts.append(str(step))
    return " / ".join(parts) or "the file"


def _find(node: Node | None, path: DataPath) -> Node:
    for i, step in enumerate(path):
        where = _describe(path[: i + 1])
        if isinstance(step, Where):
            if not isinstance(node, Seq):
                raise EditConflict(f"{where}: the list is not there any more")
            found = [
                item for item in node.items
                if isinstance(item, Map)
                and isinstance(item.get(step.key), Scalar)
                and item.get(step.key).value == step.value  # type: ignore[union-attr]
            ]
            if not found:
                raise EditConflict(f"{where} is not in the file any more")
            if len(found) > 1:
                raise EditConflict(f"{where} is in the file {len(found)} times; "
                                   "give each a different id first")
            node = found[0]
        elif isinstance(step, int):
            if not isinstance(node, Seq) or step >= len(node.items):
                raise EditConflict(f"{where} is not in the file any more")
            node = node.items[step]
        else:
            if not isinstance(node, Map) or node.get(step) is None:
                raise EditConflict(f"{where} is not in the file any more")
            node = node.get(step)
    if node is None:
        raise EditConflict("the file is empty")
    return node


def _find_py(data: Any, path: DataPath) -> Any:
    for step in path:
        if isinstance(step, Where):
            data = next(
                i for i in data if isinstance(i, dict) and str(i.get(step.key)) == step.value
            )
        else:
            data = data[step]
    return data


# --- patching ------------------------------------------------------------------------


@dataclass(order=True)
class _Patch:
    start: int
    seq: int
    end: int = field(compare=False)
    text: str = field(compare=False)


class _Patcher:
    def __init__(self, text: str, newline: str, root: Node | None) -> None:
        self.text = text
        self.nl = newline
        self.root = root
        self.patches: list[_Patch] = []
        self.seq_indent = _seq_indent(root)
        self.removals: dict[int, tuple[Seq, Scalar | None, set[int]]] = {}

    def add(self, start: int, end: int, text: str) -> None:
        self.patches.append(_Patch(start, len(self.patches), end, text))

    def result(self) -> str:
        self._flush_removals()
        out = self.text
        ordered = sorted(self.patches, reverse=True)
        for a, b in itertools.pairwise(ordered):
            if b.end > a.start:
                raise EditConflict("two parts of one edit touch the same text")
        for p in ordered:
            out = out[: p.start] + p.text + out[p.end :]
        return out

    # positions

    def line_end(self, index: int) -> int:
        """The index just past the line break of the line holding ``index``."""
        nl = self.text.find("\n", index)
        return len(self.text) if nl < 0 else nl + 1

    def after(self, node: Node) -> int:
        """Where a new line goes after ``node``: the start of the line below its last
        character (trailing comments and blank lines stay with what follows)."""
        leaf = _last_leaf(node)
        if isinstance(leaf, Scalar) and leaf.style in ("|", ">"):
            header = self.text[leaf.start : self.line_end(leaf.start)]
            if "+" in header:  # "keep" chomping: the trailing blank lines are its value
                end = leaf.end
                return end if end > 0 and self.text[end - 1] == "\n" else self.line_end(end)
            last = leaf.end
            while last > leaf.start and self.text[last - 1] in " \t\r\n":
                last -= 1
            return self.line_end(last - 1)
        return self.line_end(max(leaf.end - 1, leaf.start))

    def lines(self, rendered: list[str], at: int) -> str:
        """Rendered lines as text to insert at ``at`` (a line start, or the file end)."""
        body = self.nl.join(rendered) + self.nl
        if at == len(self.text) and self.text and not self.text.endswith("\n"):
            body = self.nl + body
        return body

    def colon_after(self, key: Scalar) -> int:
        return self.text.find(":", key.end) + 1

    # operations

    def set_key(self, mapping: Map, op: SetKey) -> None:
        current = mapping.get(op.key)
        if current is None:
            self.insert_key(mapping, op.key, op.value, op.order)
            return
        inline = render_flow(op.value) if mapping.flow else render_inline(op.value)
        key = mapping.key_node(op.key)
        assert key is not None
        if isinstance(current, Scalar) and inline is not None:
            inline = _same_quotes(current, inline)
            if current.start == current.end:  # "closed:" with nothing after it
                self.add(current.start, current.end, " " + inline)
            elif current.style in ("|", ">"):
                self.add(current.start, self.after(current), inline + self.nl)
            else:
                self.add(current.start, current.end, inline)
            return
        if isinstance(current, Scalar) or current.flow or mapping.flow:
            if inline is None:  # a block value in place of a scalar or flow value
                start = self.colon_after(key)
                block = render_block(op.value, key.col - 1 + self._step(op.value))
                self.add(start, self.after(current), self.nl + self.nl.join(block) + self.nl)
                return
            self.add(current.start, current.end, inline)
            return
        if inline is not None:
            self.add(self.colon_after(key), self.after(current), " " + inline + self.nl)
            return
        # A block value for a block value: the key's line (and its comment) stays.
        block = render_block(op.value, key.col - 1 + self._step(op.value))
        self.add(self.line_end(key.end), self.after(current), self.nl.join(block) + self.nl)

    def _step(self, value: Any) -> int:
        return self.seq_indent if isinstance(value, list | tuple) else 2

    def insert_key(self, mapping: Map, key: str, value: Any, order: Sequence[str]) -> None:
        if mapping.flow:
            close = mapping.end - 1
            sep = ", " if mapping.pairs else ""
            self.add(close, close, f"{sep}{render_flow({key: value})[1:-1]}")
            return
        anchor = mapping.pairs[-1][1] if mapping.pairs else None
        if key in order:
            before = order[: order.index(key)]
            present = [k for k in before if mapping.get(k) is not None]
            if present:
                anchor = mapping.get(present[-1])
        if anchor is None:
            raise EditConflict("cannot add a key to an empty mapping")
        at = self.after(anchor)
        self.add(at, at, self.lines(render_block({key: value}, mapping.col - 1,
                                                 self.seq_indent), at))

    def append(self, holder: Node | None, op: Append) -> None:
        if op.key is None:
            self.append_root(holder, op.value)
            return
        assert isinstance(holder, Map)
        current = holder.get(op.key)
        if current is None or (isinstance(current, Scalar) and current.kind == "null"):
            self.set_key(holder, SetKey((), op.key, [op.value]))
            return
        if not isinstance(current, Seq):
            raise EditConflict(f"'{op.key}' is not a list in the file")
        if current.flow or holder.flow:
            close = current.end - 1
            sep = ", " if current.items else ""
            self.add(close, close, sep + render_flow(op.value))
            return
        at = self.after(current.items[-1])
        self.add(at, at, self.lines(render_block([op.value], current.col - 1,
                                                 self.seq_indent), at))

    def append_root(self, root: Node | None, value: Any) -> None:
        if root is None:
            at = len(self.text)
            self.add(at, at, self.lines(render_block([value], 0, self.seq_indent), at))
            return
        if not isinstance(root, Seq):
            raise EditConflict("the file is not a list")
        if root.flow:
            if root.items:
                self.add(root.end - 1, root.end - 1, ", " + render_flow(value))
            else:
                block = render_block([value], 0, self.seq_indent)
                self.add(root.start, root.end, self.nl.join(block))
            return
        last = root.items[-1]
        at = self.after(last)
        rendered = render_block([value], root.col - 1, self.seq_indent)
        if len(root.items) > 1 and self._blank_between(root.items[-2], last):
            rendered.insert(0, "")
        self.add(at, at, self.lines(rendered, at))

    def _blank_between(self, first: Node, second: Node) -> bool:
        gap = self.text[self.after(first) : second.start]
        return any(not line.strip() for line in gap.splitlines()) if gap else False

    # removing (for merges)

    def line_start(self, index: int) -> int:
        return self.text.rfind("\n", 0, index) + 1

    def delete_key(self, mapping: Map, key: str) -> None:
        i = next(n for n, (k, _) in enumerate(mapping.pairs) if k.value == key)
        knode, value = mapping.pairs[i]
        if mapping.flow:
            kept = [(k, v) for k, v in mapping.pairs if k is not knode]
            inner = ", ".join(self.text[k.start : v.end] for k, v in kept)
            self.add(mapping.start, mapping.end, "{" + inner + "}")
            return
        start = self.line_start(knode.start)
        end = self.after(value)
        if not self.text[start : knode.start].strip():
            self.add(start, end, "")
        elif i + 1 < len(mapping.pairs):
            # The first key of a list item ("- id: ..."): the next key moves up onto
            # the dash line, and its own indentation goes with the removed text.
            self.add(knode.start, mapping.pairs[i + 1][0].start, "")
        elif self.text[start : knode.start].strip() == "-":
            self.add(knode.start, end, "{}" + self.nl)
        else:
            raise EditConflict(f"cannot remove '{key}' from where it stands in the file")

    def remove(self, seq: Seq, index: int, key: Scalar | None) -> None:
        self.removals.setdefault(id(seq), (seq, key, set()))[2].add(index)

    def _flush_removals(self) -> None:
        for seq, key, gone in self.removals.values():
            kept = [item for i, item in enumerate(seq.items) if i not in gone]
            if seq.flow:
                inner = ", ".join(self.text[item.start : item.end] for item in kept)
                self.add(seq.start, seq.end, "[" + inner + "]")
            elif not kept:  # an empty block list has no lines: it becomes []
                last = self.after(seq.items[-1])
                if key is None:
                    self.add(self.line_start(seq.start), last, "[]" + self.nl)
                else:  # "history: []", keeping a comment on the key's line
                    colon = self.colon_after(key)
                    self.add(colon, colon, " []")
                    self.add(self.line_end(colon), last, "")
            else:
                for i in sorted(gone):
                    item = seq.items[i]
                    dash = self.text.rfind("-", seq.start, item.start)
                    if dash < 0 or self.text[dash + 1 : item.start].strip():
                        raise EditConflict("cannot remove a list item written this way")
                    self.add(self.line_start(dash), self.after(item), "")
        self.removals.clear()


def _same_quotes(current: Scalar, rendered: str) -> str:
    """A value that was quoted stays quoted the same way, when plain would also do."""
    if current.style not in ("'", '"') or rendered[:1] in ("'", '"', "{", "["):
        return rendered
    if current.style == "'":
        return "'" + rendered.replace("'", "''") + "'"
    if "\\" in rendered or '"' in rendered:
        return rendered
    return '"' + rendered + '"'


def _last_leaf(node: Node) -> Node:
    """The last scalar or flow collection of ``node``: where its text really ends
    (a block collection's own end lies past the comments that follow it)."""
    while not (isinstance(node, Scalar) or node.flow):
        if isinstance(node, Seq) and node.items:
            node = node.items[-1]
        elif isinstance(node, Map) and node.pairs:
            node = node.pairs[-1][1]
        else:
            break
    return node


def _seq_indent(root: Node | None) -> int:
    """How far this file indents a block list under its key (0 or 2, usually)."""
    stack = [root] if root is not None else []
    while stack:
        node = stack.pop()
        if isinstance(node, Map):
            for key, value in node.pairs:
                if isinstance(value, Seq) and not value.flow and value.items:
                    return max(value.col - key.col, 0)
                stack.append(value)
        elif isinstance(node, Seq):
            stack.extend(node.items)
    return 2


# --- applying ------------------------------------------------------------------------


class _Gone:
    """Stands in for a removed list item until every operation ran (indexes stay put)."""


def _purge(data: Any) -> Any:
    if isinstance(data, list):
        return [_purge(i) for i in data if not isinstance(i, _Gone)]
    if isinstance(data, dict):
        return {k: _purge(v) for k, v in data.items()}
    return data


def _apply_py(data: Any, ops: Sequence[AnyOp]) -> Any:
    removed = False
    for op in ops:
        if isinstance(op, DeleteKey):
            _find_py(data, op.at).pop(op.key, None)
            continue
        if isinstance(op, Remove):
            parent = _find_py(data, op.at[:-1])
            item = _find_py(parent, op.at[-1:])
            parent[next(i for i, x in enumerate(parent) if x is item)] = _Gone()
            removed = True
            continue
        if isinstance(op, SetKey):
            _find_py(data, op.at)[op.key] = norm(op.value)
        elif op.key is None:
            if data is None:
                data = []
            _find_py(data, op.at).append(norm(op.value))
        else:
            holder = _find_py(data, op.at)
            if holder.get(op.key) is None:
                holder[op.key] = []
            holder[op.key].append(norm(op.value))
    return _purge(data) if removed else data


def apply(text: str, ops: Sequence[AnyOp], newline: str = "\n", path: str = "") -> str:
    """The text with ``ops`` applied, every other byte as it was.

    Raises :class:`EditConflict` when an expectation does not hold or the file cannot
    be read as YAML, :class:`WriteError` if the result would not read back as intended.
    """
    markers = conflict_markers(text)
    if markers:
        line, col = markers[0]
        raise EditConflict(f"{path}:{line}:{col}: git conflict markers: resolve the "
                           "conflict first; Kept will not edit around them")
    root, problems = parse(text, path)
    errors = [p for p in problems if p.is_error]
    if errors:
        first = errors[0]
        raise EditConflict(f"{path or 'the file'} has an error Kept will not edit around: "
                           f"{first.path}:{first.line}:{first.col}: {first.message}. "
                           "Fix it first (kept check lists all)")
    patcher = _Patcher(text, newline, root)
    for op in ops:
        if isinstance(op, SetKey):
            holder = _find(root, op.at)
            if not isinstance(holder, Map):
                raise EditConflict(f"{_describe(op.at)} is not a mapping")
            if op.expect is not ANY:
                node = holder.get(op.key)
                now = op.default if node is None else to_python(node)
                if not _same(now, op.expect):
                    shown = "nothing" if now is None else repr(norm(now))
                    raise EditConflict(
                        f"{_describe(op.at)}: '{op.key}' changed on disk since Kept read it "
                        f"(now {shown}); nothing was written"
                    )
            patcher.set_key(holder, op)
        elif isinstance(op, DeleteKey):
            _delete_key(root, patcher, op)
        elif isinstance(op, Remove):
            _remove(root, patcher, op)
        else:
            target = _find(root, op.at) if (op.at or root is not None) else None
            if op.unique is not None:
                _check_unique(target if op.key is None else _child(target, op.key), op)
            patcher.append(target, op)
    result = patcher.result()
    _verify(root, result, ops, path)
    return result


def _delete_key(root: Node | None, patcher: _Patcher, op: DeleteKey) -> None:
    holder = _find(root, op.at)
    if not isinstance(holder, Map):
        raise EditConflict(f"{_describe(op.at)} is not a mapping")
    node = holder.get(op.key)
    if op.expect is not ANY:
        now = None if node is None else to_python(node)
        if not _same(now, op.expect):
            shown = "nothing" if now is None else repr(norm(now))
            raise EditConflict(f"{_describe(op.at)}: '{op.key}' changed on disk since Kept "
                               f"read it (now {shown}); nothing was written")
    if node is not None:
        patcher.delete_key(holder, op.key)


def _remove(root: Node | None, patcher: _Patcher, op: Remove) -> None:
    if not op.at or not isinstance(op.at[-1], Where | int):
        raise ValueError("Remove needs a path that ends at a list item")
    seq = _find(root, op.at[:-1])
    item = _find(root, op.at)
    if not isinstance(seq, Seq):
        raise EditConflict(f"{_describe(op.at[:-1])} is not a list")
    holder = _find(root, op.at[:-2]) if len(op.at) > 1 else None
    key = holder.key_node(op.at[-2]) if isinstance(holder, Map) and isinstance(
        op.at[-2], str) else None
    if len(op.at) > 1 and key is None:
        raise EditConflict(f"{_describe(op.at[:-1])} is not a list under a key")
    index = next(i for i, x in enumerate(seq.items) if x is item)
    patcher.remove(seq, index, key)


def _child(holder: Node | None, key: str) -> Node | None:
    return holder.get(key) if isinstance(holder, Map) else None


def _check_unique(seq: Node | None, op: Append) -> None:
    if not isinstance(seq, Seq) or op.unique is None:
        return
    wanted = op.value.get(op.unique) if isinstance(op.value, dict) else None
    for item in seq.items:
        if isinstance(item, Map):
            node = item.get(op.unique)
            if isinstance(node, Scalar) and node.value == wanted:
                raise EditConflict(f"{op.unique} {wanted} is already in the file")


def _verify(old_root: Node | None, after: str, ops: Sequence[AnyOp], path: str) -> None:
    new_root, problems = parse(after, path)
    expected = _apply_py(to_python(old_root), ops)
    if any(p.is_error for p in problems) or to_python(new_root) != expected:
        raise WriteError(
            f"Kept could not edit {path or 'the file'} without changing its meaning "
            "elsewhere, so nothing was written. Edit it by hand, or report this with the file."
        )


# --- files ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Written:
    path: Path
    reapplied: bool  # the file had changed since it was read; the edit went on top


#: What a temp file's name ends with: ``.promises.yaml.<pid>.<random>.kept-tmp``.
TMP_SUFFIX = ".kept-tmp"
#: A temp file this old is left over whatever its process id says (ids get reused).
TMP_MAX_AGE = 3600.0


def atomic_write(path: Path, data: bytes) -> None:
    """Write to a temp file beside ``path``, fsync, then rename over it.

    A reader (or a crash) sees the whole old file or the whole new one, never a mix.
    The temp file's name carries this process's id, so one left behind by a process
    that died mid-write is recognised and removed by the next write in that folder.
    Every step is a fault point (:mod:`tui.faults`) for the crash and I/O-fault tests.
    """
    folder = path.parent
    if path.is_symlink():  # the rename would replace the link, not what it points at
        raise WriteError(f"{path} is a symbolic link; Kept does not write through links "
                         "(it would replace the link). Nothing was written")
    try:
        mode = path.stat().st_mode & 0o777
    except OSError:
        mode = 0o644
    tmp: str | None = None
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.{os.getpid()}.", suffix=TMP_SUFFIX,
                                   dir=folder)
        faults.point("write.tmp", path)
        with os.fdopen(fd, "wb") as fh:
            if faults.armed("write.partial"):
                fh.write(data[: len(data) // 2])
                fh.flush()
                faults.point("write.partial", path)
            fh.write(data)
            faults.point("write.data", path)
            fh.flush()
            faults.point("write.fsync", path)
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        faults.point("write.rename", path)
        os.replace(tmp, path)
    except OSError as exc:
        if tmp is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise WriteError(f"could not write {path}: {exc.strerror or exc}; "
                         "the file was left as it was") from exc
    faults.point("write.renamed", path)
    _fsync_dir(folder)
    sweep_temp_files(folder)


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _stale_temp(entry: os.DirEntry[str], now: float) -> bool:
    name = entry.name
    if not (name.startswith(".") and name.endswith(TMP_SUFFIX)):
        return False
    try:
        age = now - entry.stat(follow_symlinks=False).st_mtime
    except OSError:
        return False
    if age > TMP_MAX_AGE:
        return True
    parts = name[: -len(TMP_SUFFIX)].rsplit(".", 2)
    pid = parts[-2] if len(parts) == 3 else ""
    return pid.isdigit() and int(pid) != os.getpid() and not pid_alive(int(pid))


def sweep_temp_files(folder: Path) -> list[Path]:
    """Remove the temp files a Kept process that no longer runs left in ``folder``."""
    removed: list[Path] = []
    now = time.time()
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if _stale_temp(entry, now):
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed


def sweep_workspace(root: Path) -> list[Path]:
    """:func:`sweep_temp_files` in every folder of the workspace (not ``.git``,
    ``.kept`` or other hidden folders): after a Kept process died holding the lock."""
    removed: list[Path] = []
    for here, dirs, _files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        removed.extend(sweep_temp_files(Path(here)))
    return removed


def _read(path: Path) -> tuple[bytes, Decoded]:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return b"", Decoded("", False, "\n")
    except OSError as exc:
        raise WriteError(f"could not read {path}: {exc.strerror or exc}") from exc
    try:
        return data, decode(data)
    except DecodeError as exc:
        raise EditConflict(f"{path}:{exc.line}:{exc.col}: {exc}") from None


def edit_file(path: Path, ops: Sequence[AnyOp], base_sha256: str | None,
              display: str) -> Written:
    """Apply ``ops`` to the file as it is now on disk and write it atomically.

    ``base_sha256`` is the hash of what the caller read; when the file has changed
    since, the operations are re-applied to the new content (their expectations
    decide whether that is safe).
    """
    data, decoded = _read(path)
    changed = base_sha256 is not None and hashlib.sha256(data).hexdigest() != base_sha256
    new_text = apply(decoded.text, ops, decoded.newline, display)
    atomic_write(path, encode(decoded, new_text))
    return Written(path, changed)


#: How long a writer waits for another Kept process to finish its change.
LOCK_TIMEOUT = 60.0


@contextlib.contextmanager
def workspace_lock(state_dir: Path, timeout: float | None = None) -> Iterator[None]:
    """One Kept writer at a time per workspace (a lock file under ``.kept/``).

    The holder writes its process id into the lock file and clears it when done, so
    finding an id there means the last holder died mid-change (``kill -9``, a power
    cut): its leftover temp files are swept from the workspace before going on. A
    lock held longer than ``timeout`` (default :data:`LOCK_TIMEOUT`) gives up with a
    message naming the process that holds it, instead of hanging.
    """
    try:
        import fcntl
    except ImportError:  # Windows: writes are still atomic and verified
        yield
        return
    if not state_dir.is_dir():
        state_dir.mkdir(parents=True, exist_ok=True)
        # The folder ignores itself, so it never shows up in git status.
        (state_dir / ".gitignore").write_text("*\n", encoding="utf-8")
    wait = LOCK_TIMEOUT if timeout is None else timeout
    with open(state_dir / "lock", "a+") as fh:
        deadline = time.monotonic() + wait
        pause = 0.005
        while True:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    fh.seek(0)
                    holder = fh.read().strip() or "another process"
                    raise WriteError(
                        f"another Kept (process {holder}) has been changing this workspace "
                        f"for over {wait:g} s; nothing was written. Try again when it is "
                        "done") from None
                time.sleep(pause)
                pause = min(pause * 2, 0.05)
        try:
            fh.seek(0)
            if fh.read().strip():  # the last holder died holding the lock
                sweep_workspace(state_dir.parent)
            fh.seek(0)
            fh.truncate()
            fh.write(str(os.getpid()))
            fh.flush()
            yield
        finally:
            with contextlib.suppress(OSError):
                fh.seek(0)
                fh.truncate()
                fh.flush()
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
