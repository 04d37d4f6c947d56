"""``python -m tui``: the same as the ``kept`` command."""

from tui.cli import main

main()
