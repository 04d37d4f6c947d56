"""Git, through the git command line (GitPython's ``repo.git``)."""

from tui.vcs.git import Commit, Repo

__all__ = ["Commit", "Repo"]
