"""``kept import csv`` and ``kept import vcard``: guessed columns in English and
Russian, all or nothing in one commit, nothing twice."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import RunKept, WriteWorkspace, git

ASKONA = """\
# The key account
name: Аскона
status: active
owner: anna
contacts:
  - name: Ольга Петрова
    email: olga@askona.example
"""


@pytest.fixture
def root(write_ws: WriteWorkspace) -> Path:
    return write_ws({"clients/askona/client.yaml": ASKONA, ".gitignore": ".kept/\n"})


RUSSIAN = (
    "Клиент;Статус;Менеджер;Контакт;Должность;Почта;Телефон;Услуги;Абонентская плата;Валюта\n"
    "Аскона;в работе;anna;Пётр Иванов;Analyst;petr@askona.example;;seo;;\n"
    "Ромашка Косметик;лид;Иван Петров;Екатерина Смирнова;CMO;kate@romashka.example;"
    "+7 900 111-22-33;smm, influencers;120 000;rub\n"
    "Ромашка Косметик;лид;Иван Петров;Алексей Орлов;;;;;;\n"
    "Кофейня «Зерно»;;;;;;;;;\n"
)


def test_a_russian_crm_export_in_one_commit_and_nothing_twice(kept: RunKept, root: Path,
                                                              tmp_path: Path) -> None:
    export = tmp_path / "crm.csv"
    export.write_bytes(RUSSIAN.encode("cp1251"))  # as Russian Excel saves it

    dry = kept("-w", root, "import", "csv", export, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert dry.stdout == (
        "askona: 1 new contact (Пётр Иванов)\n"
        "romashka-kosmetik: new client Ромашка Косметик (lead, owner ivan); contacts: "
        "Екатерина Смирнова, Алексей Орлов\n"
        "kofeynya-zerno: new client Кофейня «Зерно» (active, owner anna)\n")
    assert dry.stderr == ("dry run: would import 2 new clients, 3 new contacts; nothing was "
                          "written\n")
    assert git(root, "status", "--porcelain") == ""

    result = kept("-w", root, "import", "csv", export)
    assert result.exit_code == 0, result.output
    assert git(root, "log", "-1", "--format=%s") == (
        "import csv crm.csv: 2 new clients, 3 new contacts\n")
    assert git(root, "status", "--porcelain") == ""
    assert (root / "clients/askona/client.yaml").read_text("utf-8") == ASKONA + (
        "  - name: Пётр Иванов\n    role: Analyst\n    email: petr@askona.example\n")
    assert (root / "clients/romashka-kosmetik/client.yaml").read_text("utf-8") == """\
name: Ромашка Косметик
status: lead
owner: ivan
since: 2026-11-23
services: [smm, influencers]
billing:
  currency: RUB
  monthly_fee: 120000
contacts:
  - name: Екатерина Смирнова
    role: CMO
    email: kate@romashka.example
    phone: +7 900 111-22-33
  - name: Алексей Орлов
"""
    assert kept("-w", root, "check").exit_code == 0

    again = kept("-w", root, "import", "csv", export)
    assert again.exit_code == 0
    assert again.stdout == ""
    assert again.stderr == "nothing to import: every client and contact is already there\n"
    assert len(git(root, "log", "--format=%s").splitlines()) == 2


def test_bad_rows_are_reported_by_row_number_and_nothing_is_written(kept: RunKept, root: Path,
                                                                     tmp_path: Path) -> None:
    export = tmp_path / "clients.csv"
    export.write_text(
        "Company,Status,Owner,Email\n"
        "Northwind Coffee,active,ivan,sarah@northwind.example\n"
        ",active,anna,\n"
        "Blue Harbor,gone fishing,olga,not-an-email\n", "utf-8")

    result = kept("-w", root, "import", "csv", export)

    assert result.exit_code == 2
    assert result.stderr == (
        "kept: error: clients.csv: nothing was imported; fix these rows and run it again:\n"
        "  row 3: no client name\n"
        "  row 4: status 'gone fishing' is not lead, onboarding, active, paused or churned "
        "(or their Russian names); owner 'olga' is not in the team (anna, ivan); email "
        "'not-an-email' has no @\n")
    assert sorted(p.name for p in (root / "clients").iterdir()) == ["askona"]
    assert git(root, "status", "--porcelain") == ""
    assert len(git(root, "log", "--format=%s").splitlines()) == 1


def test_map_overrides_the_guess(kept: RunKept, root: Path, tmp_path: Path) -> None:
    export = tmp_path / "sheet.csv"
    export.write_text("Name,Company,Who\nTom Becker,Urban Bikes,maria\n", "utf-8")
    # A company column makes "Name" the contact's; "Who" means nothing until mapped.
    unmapped = kept("-w", root, "import", "csv", export, "--dry-run")
    assert unmapped.stdout == ("urban-bikes: new client Urban Bikes (active, owner anna); "
                               "contacts: Tom Becker\n")
    bad = kept("-w", root, "import", "csv", export, "--map", "Who=boss")
    assert bad.exit_code == 2
    assert bad.stderr.startswith("kept: error: --map 'Who=boss': 'boss' is not a field")
    mapped = kept("-w", root, "import", "csv", export, "--map", "Who=owner", "--map", "Name=-")
    assert mapped.exit_code == 2
    assert "owner 'maria' is not in the team" in mapped.stderr


VCARDS = """\
BEGIN:VCARD
VERSION:3.0
FN:Дмитрий Волков
N:Волков;Дмитрий;;;
TITLE:Analyst
EMAIL;TYPE=work:dmitry@askona.example
TEL;TYPE=cell:+7 900 222-33-44
END:VCARD
BEGIN:VCARD
VERSION:2.1
N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=D0=9F=D0=B5=D1=82=D1=80=D0=BE=D0=B2=D0=B0;=D0=9E=
=D0=BB=D1=8C=D0=B3=D0=B0
EMAIL:olga@askona.example
END:VCARD
BEGIN:VCARD
VERSION:4.0
FN:Anna
  Lee
item1.EMAIL:anna.lee@askona.example
END:VCARD
"""


def test_vcards_add_contacts_once(kept: RunKept, root: Path, tmp_path: Path) -> None:
    cards = tmp_path / "contacts.vcf"
    cards.write_text(VCARDS, "utf-8")

    result = kept("-w", root, "import", "vcard", cards, "--client", "аскона")

    assert result.exit_code == 0, result.output
    # Ольга Петрова (in quoted-printable) is already on the card.
    assert result.stdout == "askona: 2 new contacts (Дмитрий Волков, Anna Lee)\n"
    assert (root / "clients/askona/client.yaml").read_text("utf-8") == ASKONA + """\
  - name: Дмитрий Волков
    role: Analyst
    email: dmitry@askona.example
    phone: +7 900 222-33-44
  - name: Anna Lee
    email: anna.lee@askona.example
"""
    assert git(root, "log", "-1", "--format=%s") == (
        "import vcard contacts.vcf: 0 new clients, 2 new contacts\n")
    again = kept("-w", root, "import", "vcard", cards, "--client", "askona")
    assert again.stderr == "nothing to import: every client and contact is already there\n"

    nameless = tmp_path / "bad.vcf"
    nameless.write_text("BEGIN:VCARD\nVERSION:3.0\nEMAIL:x@y.z\nEND:VCARD\n", "utf-8")
    bad = kept("-w", root, "import", "vcard", nameless, "--client", "askona")
    assert bad.exit_code == 2
    assert bad.stderr == ("kept: error: bad.vcf: nothing was imported; fix these cards and "
                          "run it again:\n  card 1 (line 1): no name (FN or N)\n")
