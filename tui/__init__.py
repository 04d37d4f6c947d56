"""Kept — the account manager's promise book.

Layers, each importing only those below it: ``core`` (records and rules, no IO),
``workspace`` (files to records and back) and ``vcs`` (git), ``services`` (use cases),
and the faces: ``cli`` (click) and ``app`` (Textual).
"""

__version__ = "0.1.0"
