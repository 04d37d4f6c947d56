"""A team of account managers sharing one workspace: a bare repository in tmp_path as
the remote, and one clone per person, each with its own git identity.

Only real git: clones are made by ``kept clone`` (so the merge driver is set up the
way a user gets it), and everything is looked at with plain git and the files.
"""

from __future__ import annotations

import shutil
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from tests.conftest import KEPT_YAML, TODAY, git
from tui.services.context import Session
from tui.services.setup import template_dir
from tui.services.sync import SyncReport, clone_workspace, sync

PEOPLE = {
    "anna": ("Анна Турбина", "anna@acme.example"),
    "ivan": ("Иван Петров", "ivan@acme.example"),
    "olga": ("Ольга Смирнова", "olga@acme.example"),
}

TEAM_YAML = KEPT_YAML.replace(
    "touch: weekly\n",
    "  - handle: olga\n    name: Ольга Смирнова\n    email: olga@acme.example\n"
    "touch: weekly\n",
)

ASKONA_CLIENT = """\
# The key account. Call Ольга first.
name: Аскона
status: active
owner: anna
backup: ivan
since: 2024-03-01
services: [seo, smm]
contacts:
  - name: Ольга Петрова
    role: Marketing director   # decides on budgets
    phone: "+7 900 000-00-00"
  - name: Пётр Иванов
    role: Analyst
    email: petr@askona.example
billing:
  currency: RUB
  monthly_fee: 150000
  invoices:
    - number: "2026-118"
      amount: 150000
      due: 2026-11-15
      paid: null
"""

ASKONA_PROMISES = """\
# Promises to and from Аскона
- id: k7m2p9
  text: Send the December media plan   # the big one
  owner: anna
  to: Ольга Петрова
  made: 2026-11-20
  due: 2026-11-25
  history:
    - {on: 2026-11-21, event: chased, why: asked for the analytics access}

- id: q4h8t2
  text: Access to Yandex Metrica
  by: client
  owner: Ольга Петрова
  due: 2026-11-22
"""

NORTHWIND_CLIENT = "name: Northwind Coffee\nstatus: active\nowner: ivan\n"
NORTHWIND_PROMISES = """\
- id: n1w2c3
  text: Monthly report
  owner: ivan
  due: 2026-11-30
  kind: report
"""


def starting_files() -> dict[str, str]:
    return {
        "kept.yaml": TEAM_YAML,
        ".gitattributes": (template_dir() / ".gitattributes").read_text("utf-8"),
        ".gitignore": ".kept/\n",
        "clients/askona/client.yaml": ASKONA_CLIENT,
        "clients/askona/promises.yaml": ASKONA_PROMISES,
        "clients/askona/notes/2026-11-20-kickoff.md": (
            "---\ndate: 2026-11-20\nkind: meeting\ntitle: Kickoff\n---\nWe met.\n"),
        "clients/northwind/client.yaml": NORTHWIND_CLIENT,
        "clients/northwind/promises.yaml": NORTHWIND_PROMISES,
    }


@dataclass
class Team:
    """The remote and each person's clone."""

    base: Path
    remote: Path
    clones: dict[str, Path] = field(default_factory=dict)

    def join(self, person: str) -> Path:
        root = clone_workspace(str(self.remote), self.base / person).root
        name, email = PEOPLE[person]
        git(root, "config", "user.name", name)
        git(root, "config", "user.email", email)
        self.clones[person] = root
        return root

    def session(self, person: str) -> Session:
        return Session.at(self.clones[person], {"KEPT_TODAY": TODAY.isoformat(),
                                                 "KEPT_USER": person})

    def sync(self, person: str, **options: object) -> SyncReport:
        return sync(self.session(person), **options)  # type: ignore[arg-type]

    def path(self, person: str, relative: str) -> Path:
        return self.clones[person] / relative

    def read(self, person: str, relative: str) -> str:
        return self.path(person, relative).read_text("utf-8")

    def write(self, person: str, relative: str, text: str) -> None:
        path = self.path(person, relative)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))

    def files(self, person: str) -> dict[str, bytes]:
        """Every file of a clone except git's and Kept's own state."""
        root = self.clones[person]
        return {
            p.relative_to(root).as_posix(): p.read_bytes()
            for p in sorted(root.rglob("*"))
            if p.is_file() and not {".git", ".kept"} & set(p.relative_to(root).parts)
        }

    def assert_converged(self) -> dict[str, bytes]:
        """Every clone holds the same files, committed, and the remote has them."""
        names = list(self.clones)
        first = self.files(names[0])
        for name in names:
            assert self.files(name) == first, f"{name} differs from {names[0]}"
            assert git(self.clones[name], "status", "--porcelain") == ""
            assert (git(self.clones[name], "rev-parse", "HEAD")
                    == git(self.remote, "rev-parse", "main"))
        return first


def make_team(base: Path, people: Mapping[str, object] | list[str] = ("anna", "ivan"),
              files: Mapping[str, str] | None = None) -> Team:
    """A remote holding the starting workspace, and a clone for each person."""
    seed = base / "seed"
    seed.mkdir()
    for relative, text in (files if files is not None else starting_files()).items():
        path = seed / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
    git(seed, "init", "-q", "-b", "main")
    git(seed, "add", "-A")
    git(seed, "commit", "-q", "-m", "the team's workspace")
    remote = base / "remote.git"
    git(base, "clone", "-q", "--bare", str(seed), str(remote))
    shutil.rmtree(seed)
    team = Team(base, remote)
    for person in people:
        team.join(str(person))
    return team
