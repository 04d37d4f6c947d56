"""The index: what the workspace holds, kept between runs so nothing is read twice.

A per-file cache (:mod:`tui.index.cache`, in the user cache folder) and the index over it
(:mod:`tui.index.index`) that stats every file, re-reads only what changed (in
parallel when there is much), and serves the agenda's view without building every
record.
"""

from tui.index.index import Index, View

__all__ = ["Index", "View"]
