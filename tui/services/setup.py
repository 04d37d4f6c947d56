"""Making workspaces: ``kept init`` from the template, and the demo agency."""

from __future__ import annotations

import contextlib
import os
import shutil
from pathlib import Path

import tui
from tui.core.dates import Clock
from tui.core.slugs import slugify
from tui.errors import InvalidInput, WorkspaceNotFound
from tui.services import demo
from tui.vcs.git import Repo, global_identity
from tui.vcs.sync import ensure_driver
from tui.workspace.edit import SetKey, apply
from tui.workspace.layout import KEPT_FILE
from tui.workspace.text import decode, encode


def template_dir() -> Path:
    """The workspace template: packaged in a wheel, or beside the source tree."""
    here = Path(tui.__file__).resolve().parent
    for candidate in (here / "workspace_template", here.parent / "workspace-template"):
        if (candidate / KEPT_FILE).is_file():
            return candidate
    raise WorkspaceNotFound("the workspace template is missing from this Kept install")


def local_timezone(env: dict[str, str] | None = None) -> str:
    """The machine's IANA zone name, or UTC when it cannot be told."""
    from zoneinfo import ZoneInfo

    candidates = []
    if env and env.get("TZ"):
        candidates.append(env["TZ"].lstrip(":"))
    with contextlib.suppress(OSError):
        candidates.append(Path("/etc/timezone").read_text().strip())
    try:
        link = os.readlink("/etc/localtime")
        if "zoneinfo/" in link:
            candidates.append(link.split("zoneinfo/", 1)[1])
    except OSError:
        pass
    for name in candidates:
        try:
            ZoneInfo(name)
            return name
        except (ValueError, KeyError, OSError):
            continue
    return "UTC"


def _empty_or_new(target: Path) -> None:
    if target.exists():
        if not target.is_dir():
            raise InvalidInput(f"{target} exists and is not a folder")
        if any(p.name != ".git" for p in target.iterdir()):
            raise InvalidInput(f"{target} is not empty; kept init needs a new or empty folder")


def init_workspace(target: Path, clock: Clock, *, with_demo: bool = False,
                   name: str | None = None, env: dict[str, str] | None = None) -> Path:
    """A new workspace from the template, a git repository, and a first commit."""
    target = target.expanduser().resolve()
    _empty_or_new(target)
    existed = target.exists()
    target.mkdir(parents=True, exist_ok=True)
    try:
        return _init(target, clock, with_demo, name, env)
    except BaseException:
        # Nothing half-made: put the folder back the way it was.
        for child in list(target.iterdir()) if target.exists() else []:
            if existed and child.name == ".git":
                continue
            shutil.rmtree(child) if child.is_dir() else child.unlink()
        if not existed:
            target.rmdir()
        raise


def _init(target: Path, clock: Clock, with_demo: bool, name: str | None,
          env: dict[str, str] | None) -> Path:
    source = template_dir()
    written: list[Path] = []
    for path in sorted(source.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts:
            dest = target / path.relative_to(source)
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, dest)
            written.append(dest)
    kept_yaml = target / KEPT_FILE
    if with_demo:
        written.extend(demo.write(target, clock.today))
    else:
        _personalise(kept_yaml, name or target.name, env)
    repo = Repo.open(target)
    if repo is None or repo.workdir != target:
        repo = Repo.init(target)
    ensure_driver(repo)  # .gitattributes (from the template) names it; git pull uses it too
    message = "kept init: demo agency" if with_demo else "kept init"
    repo.commit(sorted(set(written)), message)
    return target


def _personalise(kept_yaml: Path, name: str, env: dict[str, str] | None) -> None:
    """Name the workspace, set the time zone, and put the git user in the team."""
    decoded = decode(kept_yaml.read_bytes())
    ops = [SetKey((), "name", name), SetKey((), "timezone", local_timezone(env))]
    person, email = global_identity()
    if email:
        handle = slugify(email.split("@")[0]).replace("-", "_") or "me"
        member = {"handle": handle, "name": person or handle, "email": email}
        ops.append(SetKey((), "team", [member]))
    kept_yaml.write_bytes(encode(decoded, apply(decoded.text, ops, decoded.newline)))


def demo_dir(data_dir: Path) -> Path:
    return data_dir / "demo"


def ensure_demo(data_dir: Path, clock: Clock) -> Path:
    """The demo workspace in the user data folder, made the first time it is asked for."""
    root = demo_dir(data_dir)
    if (root / KEPT_FILE).is_file():
        return root
    return init_workspace(root, clock, with_demo=True)
