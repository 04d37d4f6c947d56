"""The user's own settings for the app: theme, key remaps, background sync.

``~/.config/kept/config.toml`` (or ``$KEPT_CONFIG``)::

    theme = "textual-light"
    sync_every = "15min"   # sync in the background (off unless set)

    [keymap]          # binding id = key(s); `?` in the app lists every id
    done = "space"
    move = "M,m"

A missing file means the defaults; a broken one is reported and ignored.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs

from tui.core.dates import Duration


@dataclass(frozen=True)
class Config:
    theme: str = "textual-dark"
    keymap: dict[str, str] = field(default_factory=dict)
    sync_every: Duration | None = None
    path: Path | None = None
    problem: str = ""  # why the file was ignored, to tell the person


def config_path(env: Mapping[str, str]) -> Path:
    given = env.get("KEPT_CONFIG")
    if given:
        return Path(given).expanduser()
    return platformdirs.user_config_path("kept") / "config.toml"


def load_config(env: Mapping[str, str] | None = None) -> Config:
    env = os.environ if env is None else env
    path = config_path(env)
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return Config(path=path)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return Config(path=path, problem=f"{path}: {exc}; using the defaults")
    theme = data.get("theme", Config.theme)
    keymap = data.get("keymap", {})
    if not isinstance(theme, str) or not isinstance(keymap, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in keymap.items()
    ):
        return Config(path=path, problem=f"{path}: 'theme' must be text and [keymap] "
                      "entries id = \"key\"; using the defaults")
    every = data.get("sync_every")
    try:
        sync_every = Duration.parse(every) if isinstance(every, str) else None
    except ValueError as exc:
        return Config(path=path, problem=f"{path}: sync_every: {exc}; using the defaults")
    if every is not None and not isinstance(every, str):
        return Config(path=path, problem=f"{path}: sync_every must be text like \"15min\"; "
                      "using the defaults")
    return Config(theme=theme, keymap=dict(keymap), sync_every=sync_every, path=path)
