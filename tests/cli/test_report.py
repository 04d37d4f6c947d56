"""``kept report``: what goes to the client, what never does, and the HTML page as
headless Chromium draws it."""

from __future__ import annotations

import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from tests.conftest import RunKept, WriteWorkspace

CLIENT = """\
name: Аскона <b>&</b> Co
status: active
owner: anna
since: 2024-03-01
report: monthly
billing:
  currency: RUB
  invoices:
    - number: "2026-118"
      amount: 150000
      due: 2026-11-15
    - number: "2026-097"
      amount: 150000
      due: 2026-10-16
      paid: 2026-10-18
"""

PROMISES = """\
- id: d0n3d1
  text: Fix the pixel <script>alert(1)</script>
  due: 2026-11-20
  status: done
  closed: 2026-11-19
- id: d0n3d2
  text: October report
  due: 2026-10-26
  status: done
  closed: 2026-10-26
- id: 0p3n01
  text: Send the December media plan
  due: 2026-11-25
  history:
    - {on: 2026-11-21, from: 2026-11-22, to: 2026-11-25, why: INTERNAL they are slow}
- id: 0p3n02
  text: Banner set *B*
  due: 2026-11-20
- id: dr0pp1
  text: Dropped idea nobody should see
  due: 2026-11-24
  status: dropped
  closed: 2026-11-21
- id: th31r1
  text: Access to Yandex Metrica
  by: client
  made: 2026-11-15
  due: 2026-11-22
- id: r3p0rt
  text: Monthly performance report
  due: "2026-11-30 12:00"
  kind: report
  repeat: monthly
"""

NOTE = """\
---
date: 2026-11-18
kind: meeting
with: [Ольга Петрова]
title: INTERNAL they may churn
---
SECRET BODY: the budget is at risk.

- [ ] @client Brand book due:2026-11-27 ^th31r2
"""

PLANNED = """\
---
date: 2026-11-30
kind: call
with: [Ольга Петрова, Дмитрий]
title: INTERNAL prep
---
SECRET agenda.
"""

EXPECTED_MD = """\
# Аскона \\<b\\>&\\</b\\> Co — status report

Acme Digital accounts · 23 October 2026 – 23 November 2026

## Delivered

- October report — 26 Oct
- Fix the pixel \\<script\\>alert(1)\\</script\\> — 19 Nov

## In progress

- Banner set \\*B\\* — due 20 Nov
- Send the December media plan — due 25 Nov

## What we need from you

- Access to Yandex Metrica — due 22 Nov · waiting 8 days
- Brand book — due 27 Nov · waiting 5 days

## Coming up

- Monthly performance report — 30 Nov 12:00
- Call with Ольга Петрова, Дмитрий — 30 Nov

## Meetings and calls

- Meeting with Ольга Петрова — 18 Nov

## Open invoices

- Invoice 2026-118: 150\u202f000 RUB — due 15 Nov
"""


@pytest.fixture
def root(write_ws: WriteWorkspace) -> Path:
    return write_ws({
        "clients/askona/client.yaml": CLIENT,
        "clients/askona/promises.yaml": PROMISES,
        "clients/askona/notes/2026-11-18-kickoff.md": NOTE,
        "clients/askona/notes/2026-11-30-prep.md": PLANNED,
    })


def test_the_markdown_report(kept: RunKept, root: Path) -> None:
    result = kept("-w", root, "report", "askona")
    assert result.exit_code == 0, result.output
    # The period: the client's report cadence (monthly) back from today.
    assert result.stdout == EXPECTED_MD
    since = kept("-w", root, "report", "askona", "--since", "2026-11-01")
    assert "October report" not in since.stdout
    assert "1 November 2026 – 23 November 2026" in since.stdout


def test_nothing_internal_leaks(kept: RunKept, root: Path) -> None:
    for args in ((), ("--html",)):
        out = kept("-w", root, "report", "askona", *args).stdout
        for secret in ("SECRET", "INTERNAL", "Dropped idea", "anna", "0p3n01", "th31r2",
                       "<script>", "<b>"):
            assert secret not in out, (secret, args)


def test_the_html_page_is_self_contained(kept: RunKept, root: Path, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    result = kept("-w", root, "report", "askona", "--html", "-o", page)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    html = page.read_text("utf-8")
    assert html.startswith("<!DOCTYPE html>\n")
    assert "<title>Аскона &lt;b&gt;&amp;&lt;/b&gt; Co — status report</title>" in html
    assert "Fix the pixel &lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert '<li class="late"><span class="text">Banner set *B*</span>' in html
    for external in ("src=", "href=", "url(", "@import", "<link", "<script", "http:",
                     "https:", "//"):
        assert external not in html.lower(), external


CHROMIUM = Path("/usr/bin/chromium")


def png_size_and_colours(data: bytes) -> tuple[int, int, int]:
    """Width, height, and how many different byte values the pixels hold."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    idat = b""
    at = 8
    while at < len(data):
        length = struct.unpack(">I", data[at : at + 4])[0]
        kind = data[at + 4 : at + 8]
        if kind == b"IDAT":
            idat += data[at + 8 : at + 8 + length]
        at += 12 + length
    return width, height, len(set(zlib.decompress(idat)))


@pytest.mark.skipif(not CHROMIUM.exists(),
                    reason="Debian's chromium is not installed: apt-get install -y chromium")
def test_the_html_page_renders_in_chromium(kept: RunKept, root: Path, tmp_path: Path) -> None:
    page = tmp_path / "report.html"
    assert kept("-w", root, "report", "askona", "--html", "-o", page).exit_code == 0
    shot = tmp_path / "report.png"
    profile = tmp_path / "chromium-profile"
    run = subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={profile}", f"--screenshot={shot}",
         "--window-size=1200,1600", page.as_uri()],
        capture_output=True, text=True, timeout=90, check=False,
    )
    assert run.returncode == 0, run.stderr
    assert shot.is_file(), run.stderr
    width, height, colours = png_size_and_colours(shot.read_bytes())
    assert (width, height) == (1200, 1600)
    assert colours > 40  # text and colour drawn, not a blank page
