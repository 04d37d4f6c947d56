"""``python -m tui``: the same as the ``kept`` command."""

from tui.server import main

main()
