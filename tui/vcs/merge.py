"""Three-way merges that understand Kept's files, and the git merge driver around them.

Git merges text line by line, so two people who each add a promise at the end of the
same ``promises.yaml`` get a conflict, and a close on one side next to a move on the
other often does too. Kept registers a merge driver for ``promises.yaml``,
``client.yaml`` and ``kept.yaml`` (``.gitattributes``: ``merge=kept``) that merges
them as data:

* promises item by item by ``id``, and each promise field by field: one side closes
  it while the other adds a history entry, and both are kept. ``history`` (and
  ``services`` and ``tags``) merge as an ordered union: ours, then theirs' new entries.
  New promises keep a stable order: ours first, then theirs' new ones in their order.
* client.yaml and kept.yaml key by key; ``contacts`` by ``name``, ``billing.invoices``
  by ``number``, ``team`` by ``handle``.
* A record deleted on one side and changed on the other is kept (nothing is lost);
  the driver says so.

The result is built from *our* text with their changes applied as
:mod:`tui.workspace.edit` patches, so comments and formatting of everything the merge
does not touch stay byte for byte, and it is verified by reading it back.

A true conflict — one field changed to different values on both sides — keeps our
value in place and is recorded on the record, in valid YAML, for a person to decide::

    - id: k7m2p9
      due: 2026-11-26
      conflict:
        due: {theirs: 2026-11-27, base: 2026-11-25}

(``theirs`` is left out when they removed the field, ``base`` when it was new; fields
inside contacts and invoices are named by path: ``contacts.Ольга Петрова.phone``.)
``kept check`` reports each entry as an error, the record still loads, and
:func:`tui.services.sync.resolve_conflict` picks a side.

When a file cannot be merged as data (a side has a YAML error or conflict markers,
ids repeat, or the patches cannot express the result), the driver falls back to git's
line merge; a line conflict there is left to the sync, which keeps both versions.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path, PurePosixPath
from typing import Any, TextIO

import git

from tui.errors import KeptError
from tui.workspace.edit import (
    AnyOp,
    Append,
    DataPath,
    DeleteKey,
    Remove,
    SetKey,
    Where,
    apply,
    norm,
)
from tui.workspace.schema import CONFLICT_KEY, ITEM_KEYS, show_value
from tui.workspace.text import DecodeError, conflict_markers, decode, encode
from tui.workspace.yamlio import Flow, FlowList, Node, Scalar, Seq, parse, to_python

#: The files the driver merges as data, by name.
KINDS = {"promises.yaml": "promises", "client.yaml": "client", "kept.yaml": "settings"}

#: Lists merged as an ordered union: ours, then theirs' new items.
UNION_LISTS = frozenset({"history", "services", "tags"})

_SINGULAR = {"contacts": "contact", "invoices": "invoice", "team": "team member"}

#: Set by kept sync: a file where the driver notes what it kept (see run_driver).
LOG_ENV = "KEPT_MERGE_LOG"


class Unmergeable(KeptError):
    """The file cannot be merged as data; git's line merge is the fallback."""


class _Inexpressible(Exception):
    """The merged data is right but the patches cannot produce it from our text."""


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING: Any = _Missing()


@dataclass(frozen=True)
class Conflict:
    """One field changed on both sides, recorded under ``conflict:`` in the file."""

    path: str
    record: str | None  # the promise id; None for the top of client.yaml / kept.yaml
    field: str
    mine: str
    theirs: str
    base: str

    def __str__(self) -> str:
        where = f"promise {self.record} " if self.record else ""
        return (f"{where}{self.field} was changed on both sides: yours {self.mine}, "
                f"theirs {self.theirs}")


@dataclass(frozen=True)
class Merged:
    """A merged file: its bytes, the conflicts recorded in it, and what to tell."""

    data: bytes
    conflicts: tuple[Conflict, ...] = ()
    notes: tuple[str, ...] = ()


def kind_of(path: str) -> str | None:
    """'promises', 'client' or 'settings' for the files merged as data, else None."""
    return KINDS.get(PurePosixPath(path.replace("\\", "/")).name)


# --- values --------------------------------------------------------------------------


def typed(node: Node | None) -> Any:
    """Plain values that remember flow style (Flow, FlowList) and dates, so what is
    taken from one side is written back the way that side wrote it."""
    if node is None:
        return None
    if isinstance(node, Scalar):
        if node.kind == "timestamp":
            try:
                return date.fromisoformat(node.value)
            except ValueError:
                return node.value
        return node.to_python()
    if isinstance(node, Seq):
        items = [typed(i) for i in node.items]
        return FlowList(items) if node.flow else items
    pairs = {k.value: typed(v) for k, v in node.pairs}
    return Flow(pairs) if node.flow else pairs


def _key(value: Any) -> str:
    """A canonical text of a value: equal meaning, equal text (dates however quoted)."""
    return json.dumps(norm(value), sort_keys=True, ensure_ascii=False, default=str)


def _blank(value: Any) -> bool:
    return value is MISSING or value is None or (
        isinstance(value, list | dict) and not value
    )


def _eq(a: Any, b: Any) -> bool:
    """Same meaning; an absent key, null and an empty list or mapping are all 'nothing'."""
    if _blank(a) or _blank(b):
        return _blank(a) and _blank(b)
    return _key(a) == _key(b)


def _same(a: Any, b: Any) -> bool:
    """Same value, strictly (what the file must end up holding)."""
    if a is MISSING or b is MISSING:
        return a is b
    return _key(a) == _key(b)


def _shown(value: Any) -> str:
    return show_value(None if value is MISSING else norm(value), value is not MISSING)


def _ident(item: Any, key: str) -> str:
    value = item.get(key) if isinstance(item, dict) else None
    if isinstance(value, str) and value:
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    raise _Unkeyed(key)


class _Unkeyed(Exception):
    pass


def _index(items: Iterable[Any], key: str) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for item in items:
        ident = _ident(item, key)
        if ident in out:
            raise _Unkeyed(key)
        out[ident] = item
    return out


def _ordered_keys(ours: list[str], theirs: list[str]) -> list[str]:
    """Our keys in our order; each key only they have goes after the key it follows
    in their file."""
    out = list(ours)
    for i, key in enumerate(theirs):
        if key in out:
            continue
        pos = 0
        for before in reversed(theirs[:i]):
            if before in out:
                pos = out.index(before) + 1
                break
        out.insert(pos, key)
    return out


def _union(base: list[Any], ours: list[Any], theirs: list[Any]) -> list[Any]:
    """Ours (less what they removed), then theirs' new items; no duplicates."""
    in_base = {_key(x) for x in base}
    in_ours = {_key(x) for x in ours}
    in_theirs = {_key(x) for x in theirs}
    out = FlowList() if isinstance(ours, FlowList) else []
    out.extend(x for x in ours if _key(x) in in_theirs or _key(x) not in in_base)
    seen = set(in_ours)
    for x in theirs:
        k = _key(x)
        if k not in seen and k not in in_base:
            out.append(x)
            seen.add(k)
    return out


# --- merging data --------------------------------------------------------------------


@dataclass
class _Merger:
    kind: str
    path: str
    conflicts: list[Conflict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def root(self, base: Any, ours: Any, theirs: Any) -> Any:
        if self.kind == "promises":
            for side, value in (("ours", ours), ("theirs", theirs), ("base", base)):
                if not (_blank(value) or isinstance(value, list)):
                    raise Unmergeable(f"{self.path} is not a list of promises on {side}")
            try:
                return self.items([] if _blank(base) else base, [] if _blank(ours) else ours,
                                  [] if _blank(theirs) else theirs, (), [], "id", {})
            except _Unkeyed:
                raise Unmergeable(f"{self.path}: a promise without an id, or an id used "
                                  "twice") from None
        for side, value in (("ours", ours), ("theirs", theirs)):
            if not isinstance(value, dict):
                raise Unmergeable(f"{self.path} is not a mapping on {side}")
        return self.record(base, ours, theirs, None)

    def record(self, base: Any, ours: dict[str, Any], theirs: dict[str, Any],
               record: str | None) -> dict[str, Any]:
        """A promise, or the top of client.yaml / kept.yaml: where conflicts are kept."""
        base_map = base if isinstance(base, dict) else {}
        found: dict[str, Flow] = {}
        merged = self.map(base_map, ours, theirs, (), [], found, record_level=True)
        recorded = self.conflict_map(base_map.get(CONFLICT_KEY, MISSING),
                                     ours.get(CONFLICT_KEY, MISSING),
                                     theirs.get(CONFLICT_KEY, MISSING))
        for name, entry in found.items():
            recorded[name] = entry
            self.conflicts.append(Conflict(
                self.path, record, name, _shown(_mine(merged, name)),
                _shown(entry.get("theirs", MISSING)), _shown(entry.get("base", MISSING)),
            ))
        if recorded:
            merged[CONFLICT_KEY] = recorded
        return merged

    def map(self, base: Any, ours: dict[str, Any], theirs: dict[str, Any],
            path: tuple[str, ...], label: list[str], found: dict[str, Flow],
            record_level: bool = False) -> dict[str, Any]:
        base = base if isinstance(base, dict) else {}
        out: dict[str, Any] = Flow() if isinstance(ours, Flow) else {}
        for key in _ordered_keys(list(ours), list(theirs)):
            if record_level and key == CONFLICT_KEY:
                continue
            value = self.value(base.get(key, MISSING), ours.get(key, MISSING),
                               theirs.get(key, MISSING), (*path, key), [*label, key], found)
            if value is not MISSING:
                out[key] = value
        return out

    def value(self, base: Any, ours: Any, theirs: Any, path: tuple[str, ...],
              label: list[str], found: dict[str, Flow]) -> Any:
        if _eq(ours, theirs):
            return ours
        if _eq(ours, base):
            return theirs
        if _eq(theirs, base):
            return ours
        # Changed on both sides, differently: look inside before calling it a conflict.
        if isinstance(ours, dict) and isinstance(theirs, dict) and (
            isinstance(base, dict) or _blank(base)
        ):
            return self.map(base, ours, theirs, path, label, found)
        if isinstance(ours, list) and isinstance(theirs, list) and (
            isinstance(base, list) or _blank(base)
        ):
            base_list = base if isinstance(base, list) else []
            name = path[-1] if path else ""
            if name in ITEM_KEYS:
                try:
                    return self.items(base_list, ours, theirs, path, label, ITEM_KEYS[name],
                                      found)
                except _Unkeyed:
                    pass
            elif name in UNION_LISTS:
                return _union(base_list, ours, theirs)
        entry = Flow()
        if theirs is not MISSING:
            entry["theirs"] = theirs
        if base is not MISSING:
            entry["base"] = base
        found[".".join(label)] = entry
        return ours

    def items(self, base: list[Any], ours: list[Any], theirs: list[Any],
              path: tuple[str, ...], label: list[str], key: str,
              found: dict[str, Flow]) -> list[Any]:
        """A list of named records (promises by id, contacts by name...)."""
        b, o, t = _index(base, key), _index(ours, key), _index(theirs, key)
        what = _SINGULAR.get(path[-1], "item") if path else "promise"
        out: list[Any] = FlowList() if isinstance(ours, FlowList) else []

        def both(ident: str) -> Any:
            mine, their, was = o[ident], t[ident], b.get(ident, MISSING)
            if not path:  # a promise: a record of its own
                if _eq(mine, their) or _eq(their, was):
                    return mine
                if _eq(mine, was):
                    return their
                return self.record(was, mine, their, ident)
            return self.value(was, mine, their, path, [*label, ident], found)

        for ident, item in o.items():
            if ident in t:
                out.append(both(ident))
            elif ident not in b:
                out.append(item)  # new here
            elif not _eq(item, b[ident]):
                out.append(item)
                self.notes.append(f"{what} {ident} was deleted on the other side but changed "
                                  "on this one: kept it")
        for ident, item in t.items():
            if ident in o:
                continue
            if ident not in b:
                out.append(item)  # new there
            elif not _eq(item, b[ident]):
                out.append(item)
                self.notes.append(f"{what} {ident} was deleted on this side but changed on "
                                  "the other: kept it")
        return out

    def conflict_map(self, base: Any, ours: Any, theirs: Any) -> dict[str, Any]:
        """Conflicts recorded before: a resolution on either side wins over an entry
        left as it was; when both sides changed one entry, ours stays."""
        if not all(isinstance(v, dict) or _blank(v) for v in (ours, theirs)):
            raise Unmergeable(f"{self.path}: a 'conflict:' entry Kept cannot read")
        b = base if isinstance(base, dict) else {}
        o = ours if isinstance(ours, dict) else {}
        t = theirs if isinstance(theirs, dict) else {}
        out: dict[str, Any] = Flow() if isinstance(ours, Flow) else {}
        for name in _ordered_keys(list(o), list(t)):
            bv, ov, tv = b.get(name, MISSING), o.get(name, MISSING), t.get(name, MISSING)
            if _eq(ov, tv) or _eq(tv, bv):
                value = ov
            elif _eq(ov, bv):
                value = tv
            else:
                value = ov
            if value is not MISSING:
                out[name] = value
        return out


def _mine(merged: dict[str, Any], name: str) -> Any:
    """Our value of a conflicting field, found by its dotted name in the merged record."""
    node: Any = merged
    rest = name
    while isinstance(node, dict) and rest not in node:
        keys = [k for k in node if rest.startswith(k + ".")]
        if not keys:
            return MISSING
        key = max(keys, key=len)
        rest = rest[len(key) + 1 :]
        node = node[key]
        if isinstance(node, list) and key in ITEM_KEYS:
            by = ITEM_KEYS[key]
            named = {str(i.get(by)): i for i in node if isinstance(i, dict)}
            hits = [n for n in named if rest.startswith(n + ".")]
            if not hits:
                return MISSING
            hit = max(hits, key=len)
            rest = rest[len(hit) + 1 :]
            node = named[hit]
    return node.get(rest, MISSING) if isinstance(node, dict) else MISSING


# --- from our text to the merged data, as patches ------------------------------------


def _ops(ours: Any, target: Any, kind: str) -> list[AnyOp]:
    if kind == "promises":
        return _ops_list(ours or [], target, (), None, "id")
    return _ops_map(ours, target, ())


def _ops_map(ours: dict[str, Any], target: dict[str, Any], at: DataPath) -> list[AnyOp]:
    ops: list[AnyOp] = [DeleteKey(at, k) for k in ours if k not in target]
    order = list(target)
    for key, value in target.items():
        if key not in ours:
            ops.append(SetKey(at, key, value, order=order))
            continue
        mine = ours[key]
        if _same(mine, value):
            continue
        if (isinstance(mine, dict) and isinstance(value, dict) and value
                and not isinstance(mine, Flow)):
            ops.extend(_ops_map(mine, value, (*at, key)))
        elif isinstance(mine, list) and isinstance(value, list) and mine:
            try:
                ops.extend(_ops_list(mine, value, at, key, ITEM_KEYS.get(key)))
            except _Inexpressible:
                ops.append(SetKey(at, key, value))
        else:
            ops.append(SetKey(at, key, value))
    return ops


def _ops_list(ours: list[Any], target: list[Any], at: DataPath, key: str | None,
              item_key: str | None) -> list[AnyOp]:
    """Removals, changes in place and appends that turn our list into ``target``.

    ``at`` is the mapping holding the list under ``key`` (None: the file's own list).
    """
    here: DataPath = at if key is None else (*at, key)
    ops: list[AnyOp] = []
    if item_key is not None:
        try:
            mine, wanted = _index(ours, item_key), _index(target, item_key)
        except _Unkeyed:
            item_key = None
    if item_key is not None:
        kept = [i for i in mine if i in wanted]
        new = [i for i in wanted if i not in mine]
        if list(wanted) != kept + new or (mine and not kept and new):
            raise _Inexpressible
        for ident in mine:
            step = (*here, Where(item_key, ident))
            if ident not in wanted:
                ops.append(Remove(step))
            elif not _same(mine[ident], wanted[ident]):
                if not (isinstance(mine[ident], dict) and not isinstance(mine[ident], Flow)):
                    raise _Inexpressible
                ops.extend(_ops_map(mine[ident], wanted[ident], step))
        ops.extend(Append(at, key, wanted[ident]) for ident in new)
        return ops
    matched, j = [], 0
    for i, item in enumerate(ours):
        if j < len(target) and _same(item, target[j]):
            matched.append(i)
            j += 1
    removed = len(matched) < len(ours)
    if removed and (isinstance(ours, FlowList) or (not matched and j < len(target))):
        raise _Inexpressible  # written whole instead: one line, or nothing left to keep
    ops.extend(Remove((*here, i)) for i in range(len(ours)) if i not in matched)
    ops.extend(Append(at, key, item) for item in target[j:])
    return ops


# --- files ---------------------------------------------------------------------------


def _read(data: bytes, side: str, path: str) -> tuple[Any, str]:
    try:
        decoded = decode(data)
    except DecodeError as exc:
        raise Unmergeable(f"{side}: {exc}") from None
    markers = conflict_markers(decoded.text)
    if markers:
        raise Unmergeable(f"{side} holds git conflict markers (line {markers[0][0]})")
    root, problems = parse(decoded.text, path)
    errors = [p for p in problems if p.is_error]
    if errors:
        raise Unmergeable(f"{side} has a YAML error at line {errors[0].line}: "
                          f"{errors[0].message}")
    return typed(root), decoded.text


def merge_bytes(path: str, base: bytes | None, ours: bytes, theirs: bytes) -> Merged:
    """Merge three versions of one of Kept's YAML files as data.

    ``base`` is None (or empty) when both sides added the file. Raises
    :class:`Unmergeable` when the file cannot be merged as data.
    """
    kind = kind_of(path)
    if kind is None:
        raise Unmergeable(f"{path} is not a file Kept merges as data")
    if ours == theirs or base == theirs:
        return Merged(ours)
    if base is not None and base == ours:
        return Merged(theirs)
    base_value = _read(base, "the common version", path)[0] if base else MISSING
    ours_value, ours_text = _read(ours, "your version", path)
    theirs_value = _read(theirs, "their version", path)[0]
    merger = _Merger(kind, path)
    target = merger.root(base_value, ours_value, theirs_value)
    decoded = decode(ours)
    try:
        ops = _ops(ours_value, target, kind)
        text = apply(ours_text, ops, decoded.newline, path) if ops else ours_text
    except (_Inexpressible, KeptError) as exc:
        raise Unmergeable(f"{path}: Kept could not write the merge into your version "
                          f"({exc or 'the lists changed order'})") from None
    root, problems = parse(text, path)
    if any(p.is_error for p in problems) or _key(to_python(root)) != _key(target):
        raise Unmergeable(f"{path}: the merged file would not read back as merged")
    return Merged(encode(decoded, text), tuple(merger.conflicts), tuple(merger.notes))


def text_merge(base: Path, ours: Path, theirs: Path) -> tuple[bytes, bool]:
    """Git's own line merge of three files: the text (with markers where it conflicts)
    and whether it was clean."""
    status, out, err = git.Git().execute(
        ["git", "merge-file", "-p", "-L", "yours", "-L", "base", "-L", "theirs",
         str(ours), str(base), str(theirs)],
        with_extended_output=True, with_exceptions=False, stdout_as_string=False,
        strip_newline_in_stdout=False,
    )
    if not isinstance(out, bytes) or status < 0 or status > 127:
        raise Unmergeable(f"git merge-file failed: {err!r}")
    return out, status == 0


def run_driver(base: str, ours: str, theirs: str, path: str, err: TextIO) -> int:
    """What git runs as ``merge.kept.driver``: merge into ``ours``; 0 when clean,
    1 when a conflict was recorded or git's line merge conflicted too.

    Never raises: whatever goes wrong falls back to git's line merge, so the person
    pulling by hand sees git's usual conflict, never a silently dropped change.
    """
    try:
        base_data = Path(base).read_bytes()
        merged = merge_bytes(path, base_data or None, Path(ours).read_bytes(),
                             Path(theirs).read_bytes())
    except Exception as exc:  # any failure at all means: merge by lines
        reason = str(exc) if isinstance(exc, KeptError) else f"{type(exc).__name__}: {exc}"
    else:
        _write(Path(ours), merged.data)
        for note in merged.notes:
            err.write(f"kept: {path}: {note}\n")
        log = os.environ.get(LOG_ENV)
        if log and merged.notes:  # kept sync reports these too
            with open(log, "a", encoding="utf-8") as fh:
                fh.writelines(json.dumps([path, note], ensure_ascii=False) + "\n"
                              for note in merged.notes)
        for conflict in merged.conflicts:
            err.write(f"kept: {path}: {conflict}; recorded under 'conflict:' "
                      "(kept check lists it)\n")
        return 1 if merged.conflicts else 0
    err.write(f"kept: {path}: {reason}; merging it line by line\n")
    try:
        data, clean = text_merge(Path(base), Path(ours), Path(theirs))
    except Exception as exc:  # git itself failed: say so, leave ours as it is
        err.write(f"kept: {path}: {exc}\n")
        return 1
    _write(Path(ours), data)
    return 0 if clean else 1


def _write(path: Path, data: bytes) -> None:
    fd, tmp = tempfile.mkstemp(prefix=".kept-merge-", dir=path.parent)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)
