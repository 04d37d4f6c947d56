"""Realistic workspaces at agency scale, for the benchmarks (never part of the tests).

    python -m tests.bench.generate L /tmp/kept-L [--today 2026-11-23] [--git]

Sizes: S = 100 clients / 1,000 notes / 5,000 promises, L = 1,000 / 10,000 / 50,000,
XL = 10,000 / 100,000 / 500,000. Names in Cyrillic and Latin, comments, promises in
every state and direction (most old ones closed, as in a real promise book), history
entries, invoices, date-times. The same seed gives the same workspace.
"""

from __future__ import annotations

import argparse
import random
import subprocess
from datetime import date, timedelta
from pathlib import Path

SIZES = {"S": (100, 1_000, 5_000), "L": (1_000, 10_000, 50_000),
         "XL": (10_000, 100_000, 500_000)}

RU_FIRST = ["Ольга", "Дмитрий", "Анна", "Иван", "Мария", "Сергей", "Екатерина", "Алексей",
            "Наталья", "Игорь", "Марина", "Павел", "Юлия", "Андрей"]
RU_LAST = ["Петрова", "Волков", "Смирнова", "Кузнецов", "Белова", "Иванов", "Лебедева",
           "Орлов", "Зайцева", "Соколов"]
EN_FIRST = ["Sarah", "Tom", "Linda", "Paul", "Priya", "James", "Emma", "Lucas", "Mia"]
EN_LAST = ["Miller", "Becker", "Chow", "O'Neill", "Nair", "Smith", "Garcia", "Novak"]
RU_WORDS = ["Аскона", "Северный", "Горизонт", "Ромашка", "Зерно", "Пекарня", "Девелопмент",
            "Техно", "Строй", "Лайн", "Медиа", "Групп", "Дом", "Вкус", "Сад", "Мир"]
EN_WORDS = ["Northwind", "Blue", "Harbor", "Urban", "Bikes", "Lumen", "Green", "Field",
            "Coffee", "Dental", "Labs", "Works", "Studio", "Foods", "Motors", "Cloud"]
TASKS = ["Send the media plan", "Monthly performance report", "Fix the tracking pixel",
         "Отправить медиаплан", "Отчёт за месяц", "Согласовать бюджет на квартал",
         "Three carousel drafts", "Landing page copy", "Подготовить презентацию",
         "Answer: can we add VK Clips?", "Creative brief for the spring campaign"]
CLIENT_TASKS = ["Access to Yandex Metrica", "Brand book and logo files", "Approve the budget",
                "Доступ к рекламному кабинету", "Подписать акт", "Материалы для съёмки"]
HANDLES = ["anna", "ivan", "maria", "oleg", "kate", "pavel"]
STATUSES = ["active"] * 6 + ["onboarding", "lead", "paused", "churned"]


def _name(rng: random.Random, i: int) -> str:
    words = RU_WORDS if i % 2 else EN_WORDS
    return f"{rng.choice(words)} {rng.choice(words)} {i}"


def _person(rng: random.Random, russian: bool) -> str:
    if russian:
        return f"{rng.choice(RU_FIRST)} {rng.choice(RU_LAST)}"
    return f"{rng.choice(EN_FIRST)} {rng.choice(EN_LAST)}"


def _q(text: str) -> str:
    """Quote the way a person would: only where YAML needs it."""
    if ": " in text or text.startswith(("'", '"')) or "#" in text:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
    if "'" in text and text[0] not in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ":
        return '"' + text + '"'
    return text


def generate(size: str, root: Path, today: date, seed: int = 7) -> None:
    clients, notes, promises = SIZES[size]
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    team = "\n".join(f"  - handle: {h}\n    name: {h.title()}\n    email: {h}@agency.example"
                     for h in HANDLES)
    (root / "kept.yaml").write_text(
        f"kept: 1\nname: Benchmark agency {size}\ntimezone: Europe/Moscow\nteam:\n{team}\n"
        "touch: weekly\nreply_within: 15min\nfollow_up: [1d, 3d, 1w, 2w, 1mo, 3mo]\n",
        encoding="utf-8")
    (root / ".gitignore").write_text(".kept/\n", encoding="utf-8")
    pid = 0
    notes_per = notes // clients
    promises_per = promises // clients
    for c in range(clients):
        slug = f"client-{c:05d}"
        folder = root / "clients" / slug
        (folder / "notes").mkdir(parents=True)
        russian = bool(c % 2)
        contacts = [_person(rng, russian) for _ in range(rng.randint(1, 4))]
        since = today - timedelta(days=rng.randint(30, 3650))
        lines = [f"name: {_q(_name(rng, c))}", f"status: {rng.choice(STATUSES)}",
                 f"owner: {rng.choice(HANDLES)}", f"since: {since}",
                 f"services: [{', '.join(rng.sample(['seo', 'smm', 'context', 'video'], 2))}]",
                 "channel: telegram   # they answer there fastest",
                 f"touch: {rng.choice(['daily', 'weekly', 'weekly', 'monthly'])}",
                 "contacts:"]
        for i, person in enumerate(contacts):
            lines += [f"  - name: {_q(person)}", "    role: Marketing",
                      f"    decides: {'true' if i == 0 else 'false'}",
                      f"    email: c{c}.{i}@client.example",
                      f'    phone: "+7 900 {c % 1000:03d}-{i:02d}-00"']
        lines += ["billing:", "  currency: RUB", "  monthly_fee: 150000", "  invoices:"]
        for k in range(rng.randint(0, 12)):
            issued = today - timedelta(days=30 * k + rng.randint(0, 20))
            paid = "null" if k < 2 and rng.random() < 0.5 else str(issued + timedelta(days=10))
            lines += [f'    - number: "{today.year}-{c:05d}-{k:02d}"', "      amount: 150000",
                      f"      issued: {issued}", f"      due: {issued + timedelta(days=14)}",
                      f"      paid: {paid}"]
        (folder / "client.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")

        out = [f"# Promises to and from client {c}. Newest at the bottom.", ""]
        for k in range(promises_per):
            pid += 1
            age = (promises_per - k) * rng.randint(3, 12)
            made = today - timedelta(days=age)
            due = made + timedelta(days=rng.randint(1, 14))
            ours = rng.random() < 0.75
            recent = age < 30
            status = "open" if recent and rng.random() < 0.7 else rng.choice(
                ["done"] * 8 + ["dropped"])
            text = rng.choice(TASKS if ours else CLIENT_TASKS)
            due_text = f'"{due} {rng.randint(9, 18)}:30"' if rng.random() < 0.1 else str(due)
            out += [f"- id: p{_base36(pid, 5)}", f"  text: {_q(text)}",
                    f"  by: {'us' if ours else 'client'}",
                    f"  owner: {rng.choice(HANDLES) if ours else _q(rng.choice(contacts))}",
                    f"  made: {made}", f"  due: {due_text}"]
            if status != "open":
                closed = due + timedelta(days=rng.randint(-2, 3))
                out += [f"  status: {status}", f"  closed: {closed}"]
            if rng.random() < 0.2:
                out += ["  kind: " + rng.choice(["reply", "follow-up", "report"])]
            if rng.random() < 0.15:
                out += ["  history:", f"    - {{on: {made + timedelta(days=1)}, from: {made}, "
                        f"to: {due}, why: waiting for access}}"]
            out.append("")
        (folder / "promises.yaml").write_text("\n".join(out), encoding="utf-8")

        for k in range(notes_per):
            day = today - timedelta(days=k * rng.randint(3, 20) + rng.randint(0, 2))
            body = ("Обсудили бюджет и сроки. " if russian else "Talked budget and dates. ") * 5
            (folder / "notes" / f"{day}-call-{k:03d}.md").write_text(
                f"---\ndate: {day}\nkind: {rng.choice(['call', 'meeting', 'email'])}\n"
                f"with: [{contacts[0]}]\ntitle: Call {k}\n---\n{body}\n", encoding="utf-8")


def git_init(root: Path) -> None:
    for args in (["init", "-q", "-b", "main"], ["add", "-A"],
                 ["-c", "user.name=Bench", "-c", "user.email=bench@example", "commit",
                  "-q", "-m", "benchmark workspace"]):
        subprocess.run(["git", *args], cwd=root, check=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", choices=sorted(SIZES))
    parser.add_argument("root", type=Path)
    parser.add_argument("--today", default="2026-11-23")
    parser.add_argument("--git", action="store_true", help="git init and commit it")
    args = parser.parse_args()
    generate(args.size, args.root, date.fromisoformat(args.today))
    if args.git:
        git_init(args.root)


if __name__ == "__main__":
    main()


def _base36(n: int, width: int) -> str:
    """``n`` in lowercase letters and digits: ids stay 6 characters up to 60 million."""
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = ""
    for _ in range(width):
        n, d = divmod(n, 36)
        out = digits[d] + out
    return out
