"""A demo agency, dated around a given day, so the agenda shows every kind of item.

Eleven clients in every status, Russian and English names, contacts, invoices (some
late), meeting notes, and promises in every state and in both directions. The files
are written the way a person would write them — comments, flow lists, quoting — so
the demo also shows what hand-editing looks like.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

KEPT_YAML = """\
kept: 1                          # format version
name: Северный ветер · accounts
timezone: Europe/Moscow          # "today" is in this zone
team:
  - handle: anna
    name: Анна Турбина
    email: anna@nordwind.example
  - handle: ivan
    name: Иван Соколов
    email: ivan@nordwind.example
  - handle: maria
    name: Maria Kim
    email: maria@nordwind.example
touch: weekly                    # every client hears from us at least weekly
reply_within: 15min
follow_up: [1d, 3d, 1w, 2w, 1mo, 3mo]
"""


def files(today: date) -> dict[str, str]:
    """Relative path -> text of every demo file, dated around ``today``."""

    def d(days: int) -> str:
        return (today + timedelta(days=days)).isoformat()

    out: dict[str, str] = {"kept.yaml": KEPT_YAML}

    # 1. A key account, active, daily contact: every kind of promise.
    out["clients/askona/client.yaml"] = f"""\
name: Аскона
status: active
owner: anna
backup: ivan
since: {d(-620)}
services: [seo, smm, context]
channel: telegram
touch: daily                     # they want to hear from us every day
report: monthly
contacts:
  - name: Ольга Петрова
    role: Marketing director
    decides: true
    urgent: true
    email: olga@askona.example
    phone: "+7 900 000-00-00"
    channel: telegram
  - name: Дмитрий Волков
    role: Analyst
    email: dmitry@askona.example
billing:
  currency: RUB
  monthly_fee: 150000
  invoices:
    - number: "{today.year}-118"
      amount: 150000
      issued: {d(-22)}
      due: {d(-8)}                 # late: chase the payment
      paid: null
    - number: "{today.year}-097"
      amount: 150000
      issued: {d(-52)}
      due: {d(-38)}
      paid: {d(-36)}
tags: [key-account]
"""
    out["clients/askona/promises.yaml"] = f"""\
# Promises to and from Аскона. Newest at the bottom.

- id: a7k3q9
  text: Send the December media plan
  by: us
  owner: anna
  to: Ольга Петрова
  made: {d(-5)}
  due: {d(-2)}
  kind: task
  note: notes/{d(-5)}-kickoff-december-campaign.md
  history:
    - {{on: {d(-3)}, from: {d(-4)}, to: {d(-2)}, why: waiting for analytics access}}

- id: a5r0t4
  text: "Answer: can we add VK Clips to the plan?"
  by: us
  owner: anna
  to: Ольга Петрова
  made: {d(-1)}
  due: "{d(-1)} 18:30"
  kind: reply

- id: a9p4w2
  text: Monthly performance report
  by: us
  owner: anna
  to: Ольга Петрова
  made: {d(-30)}
  due: {d(6)}
  kind: report
  repeat: monthly

- id: a3f6b7
  text: Fix the conversion pixel on the checkout page
  by: us
  owner: ivan
  made: {d(-12)}
  due: {d(-9)}
  status: done
  closed: {d(-9)}   # kept on time
"""
    out[f"clients/askona/notes/{d(-5)}-kickoff-december-campaign.md"] = f"""\
---
date: {d(-5)}
kind: meeting
with: [Ольга Петрова, Дмитрий Волков]
title: Kickoff — December campaign
---
Budget stays at last month's level; focus on the new mattress line.

Olga wants our December media plan before their analytics review.

- [ ] @client Access to Yandex Metrica for the new landing pages due:через 4 дня ^a2m8x1
"""
    out[f"clients/askona/notes/{d(-1)}-daily-check-in.md"] = f"""\
---
date: {d(-1)}
kind: message
with: [Ольга Петрова]
title: Daily check-in
---
Olga asked whether VK Clips fit into the plan. Promised an answer tonight.
"""

    # 2. Active, weekly cadence, gone quiet for 12 days: a touch is overdue.
    out["clients/northwind-coffee/client.yaml"] = f"""\
name: Northwind Coffee
status: active
owner: ivan
since: {d(-300)}
services: [smm, design]
channel: email
contacts:
  - name: Sarah Miller
    role: Brand manager
    decides: true
    urgent: true
    email: sarah@northwind.example
    channel: email
billing:
  currency: EUR
  monthly_fee: 4200
  invoices:
    - number: NW-2211
      amount: 4200
      issued: {d(-10)}
      due: {d(4)}
      paid: null
"""
    out["clients/northwind-coffee/promises.yaml"] = f"""\
- id: n4c8d2
  text: Proposal for the spring menu launch — check Sarah has read it
  by: us
  owner: ivan
  to: Sarah Miller
  made: {d(-2)}
  due: {d(0)}
  kind: follow-up

- id: n1h5j7
  text: Three Instagram carousel drafts
  by: us
  owner: ivan
  to: Sarah Miller
  made: {d(-6)}
  due: {d(3)}

- id: n6e2k9
  text: Approve the winter photo shoot budget
  by: client
  owner: Sarah Miller
  made: {d(-6)}
  due: {d(5)}
"""
    out[f"clients/northwind-coffee/notes/{d(-12)}-monthly-review.md"] = f"""\
---
date: {d(-12)}
kind: call
with: [Sarah Miller]
title: Monthly review
---
Engagement up 14 %. Sarah wants fresher stories, less stock photography.

- [x] Send the engagement numbers as a one-pager due:завтра ^n3e7g5
  - {d(-11)} done
"""

    # 3. Onboarding: the first-month checklist as promises.
    out["clients/sibirskaya-pekarnya/client.yaml"] = f"""\
name: Сибирская пекарня
status: onboarding
owner: anna
since: {d(-10)}
services: [smm]
channel: whatsapp
touch: 3d                        # onboarding: every three days
contacts:
  - name: Марина Лебедева
    role: Owner
    decides: true
    urgent: true
    phone: "+7 913 555-12-12"
    channel: whatsapp
"""
    out["clients/sibirskaya-pekarnya/promises.yaml"] = f"""\
# Onboarding, first month (see templates/onboarding.md)
- id: s1a2b3
  text: Intro call
  by: us
  owner: anna
  made: {d(-10)}
  due: {d(-9)}
  status: done
  closed: {d(-9)}
- id: s4c5d6
  text: Meet the team (video call)
  by: us
  owner: anna
  made: {d(-10)}
  due: {d(0)}
- id: s7e8f9
  text: Brand book and logo files
  by: client
  owner: Марина Лебедева
  made: {d(-9)}
  due: {d(-3)}
- id: s0g1h2
  text: Agree the communication format and who to call when something is on fire
  by: us
  owner: anna
  made: {d(-9)}
  due: {d(2)}
"""
    out[f"clients/sibirskaya-pekarnya/notes/{d(-9)}-intro-call.md"] = f"""\
---
date: {d(-9)}
kind: call
with: [Марина Лебедева]
title: Intro call
---
Three bakeries in Novosibirsk, opening a fourth in spring. Instagram is the main channel.
"""

    # 4. A lead: proposal sent, on the follow-up ladder.
    out["clients/greenfield-dental/client.yaml"] = f"""\
name: Greenfield Dental
status: lead
owner: maria
since: {d(-4)}
channel: email
touch: biweekly
contacts:
  - name: Dr. Paul O'Neill
    role: Practice owner
    decides: true
    email: paul@greenfield.example
"""
    out["clients/greenfield-dental/promises.yaml"] = f"""\
- id: g3x7y1
  text: 'Proposal: local SEO + Google Ads — did it arrive?'
  by: us
  owner: maria
  to: "Dr. Paul O'Neill"
  made: {d(-4)}
  due: {d(1)}
  kind: follow-up
  history:
    - {{on: {d(-1)}, event: chased, why: 'chase 2/6: no answer yet'}}
"""
    out[f"clients/greenfield-dental/notes/{d(-4)}-discovery-call.md"] = f"""\
---
date: {d(-4)}
kind: call
with: [Dr. Paul O'Neill]
title: Discovery call
---
Two clinics, wants more bookings for implants. Budget to be confirmed.
"""

    # 5. Paused: nothing is chased, history kept.
    out["clients/tekhnostroy/client.yaml"] = f"""\
name: ТехноСтрой
status: paused                   # paused until the new fiscal year
owner: anna
since: {d(-400)}
services: [context]
channel: phone
contacts:
  - name: Сергей Иванов
    role: Commercial director
    decides: true
    phone: "+7 495 123-45-67"
billing:
  currency: RUB
  monthly_fee: 90000
  invoices:
    - number: "{today.year}-044"
      amount: 90000
      issued: {d(-120)}
      due: {d(-106)}
      paid: {d(-100)}
"""
    out["clients/tekhnostroy/promises.yaml"] = f"""\
- id: t8u2v6
  text: Relaunch the search campaigns
  by: us
  owner: anna
  made: {d(-40)}
  due: {d(-20)}
  status: dropped
  closed: {d(-30)}
  history:
    - {{on: {d(-30)}, event: dropped, why: client paused all advertising}}
"""
    out[f"clients/tekhnostroy/notes/{d(-30)}-pause.md"] = f"""\
---
date: {d(-30)}
kind: call
with: [Сергей Иванов]
title: Pause until the new fiscal year
---
Budget frozen. Call again in January.
"""

    # 6. Churned, but still owes money.
    out["clients/blue-harbor-hotels/client.yaml"] = f"""\
name: Blue Harbor Hotels
status: churned
owner: ivan
since: {d(-500)}
services: [seo]
contacts:
  - name: Linda Chow
    role: Head of marketing
    decides: true
    email: linda@blueharbor.example
billing:
  currency: USD
  monthly_fee: 3000
  invoices:
    - number: BH-0931
      amount: 3000
      issued: {d(-45)}
      due: {d(-15)}
      paid: null                 # the last one: chase it
"""
    out["clients/blue-harbor-hotels/promises.yaml"] = f"""\
- id: b5n1m3
  text: Hand over all accounts and access
  by: us
  owner: ivan
  made: {d(-50)}
  due: {d(-40)}
  status: done
  closed: {d(-38)}   # two days late
"""

    # 7. Active, monthly cadence; the client is late with materials.
    out["clients/romashka-kosmetik/client.yaml"] = f"""\
name: Ромашка Косметик
status: active
owner: maria
backup: anna
since: {d(-200)}
services: [smm, influencers]
channel: telegram
touch: monthly
report: monthly
contacts:
  - name: Екатерина Смирнова
    role: CMO
    decides: true
    urgent: true
    channel: telegram
  - name: 'Алексей «Лёша» Орлов'
    role: Product manager
billing:
  currency: RUB
  monthly_fee: 120000
  invoices:
    - number: "{today.year}-121"
      amount: 120000
      issued: {d(-3)}
      due: {d(11)}
      paid: null
"""
    out["clients/romashka-kosmetik/promises.yaml"] = f"""\
- id: r2q8s4
  text: Product samples for the influencer campaign
  by: client
  owner: Екатерина Смирнова
  made: {d(-20)}
  due: {d(-10)}
  history:
    - {{on: {d(-12)}, event: chased, why: reminded in Telegram}}
- id: r6t0u2
  text: {today:%B} influencer report
  by: us
  owner: maria
  to: Екатерина Смирнова
  made: {d(-25)}
  due: {d(5)}
  kind: report
  repeat: monthly
"""
    out[f"clients/romashka-kosmetik/notes/{d(-6)}-influencer-shortlist.md"] = f"""\
---
date: {d(-6)}
kind: email
with: [Екатерина Смирнова]
title: Influencer shortlist
---
Sent twelve candidates; Katya picked five.
"""

    # 8. Active: a reply due tomorrow morning.
    out["clients/urban-bikes/client.yaml"] = f"""\
name: Urban Bikes
status: active
owner: maria
since: {d(-90)}
services: [context, analytics]
channel: slack
contacts:
  - name: Tom Becker
    role: Founder
    decides: true
    urgent: true
    email: tom@urbanbikes.example
    channel: slack
"""
    out["clients/urban-bikes/promises.yaml"] = f"""\
- id: u7v3w9
  text: Why did cost per lead jump last week?
  by: us
  owner: maria
  to: Tom Becker
  made: {d(0)}
  due: "{d(1)} 10:00"
  kind: reply
- id: u1x5y7
  text: Set up GA4 e-commerce events
  by: us
  owner: ivan
  made: {d(-20)}
  due: {d(-14)}
  status: done
  closed: {d(-11)}
"""
    out[f"clients/urban-bikes/notes/{d(-3)}-weekly-sync.md"] = f"""\
---
date: {d(-3)}
kind: call
with: [Tom Becker]
title: Weekly sync
---
Spring collection lands in March; start warming up audiences in February.
"""

    # 9. The biggest account: due today, invoice due today.
    out["clients/gorizont-development/client.yaml"] = f"""\
name: Горизонт Девелопмент
status: active
owner: anna
backup: ivan
since: {d(-800)}
services: [seo, context, smm, video]
channel: meeting
touch: weekly
report: monthly
contacts:
  - name: Игорь Кузнецов
    role: CEO
    decides: true
  - name: Наталья Белова
    role: Marketing lead
    urgent: true
    email: n.belova@gorizont.example
    phone: "+7 495 777-00-11"
billing:
  currency: RUB
  monthly_fee: 480000
  invoices:
    - number: "{today.year}-120"
      amount: 480000
      issued: {d(-14)}
      due: {d(0)}
      paid: null
"""
    out["clients/gorizont-development/promises.yaml"] = f"""\
- id: h4j8k2
  text: Video brief for the new residential complex
  by: us
  owner: anna
  to: Наталья Белова
  made: {d(-7)}
  due: "{d(0)} 17:00"
- id: h9l3m7
  text: Sign the Q1 media plan
  by: client
  owner: Игорь Кузнецов
  made: {d(-7)}
  due: {d(2)}
"""
    out[f"clients/gorizont-development/notes/{d(-6)}-q1-planning.md"] = f"""\
---
date: {d(-6)}
kind: meeting
with: [Игорь Кузнецов, Наталья Белова]
title: Q1 planning
---
Igor approved the direction; the media plan goes to signature this week.
"""

    # 10. A fresh lead with nothing logged yet: touch due a week after 'since'.
    out["clients/lumen-fintech/client.yaml"] = f"""\
name: Lumen Fintech
status: lead
owner: maria
since: {d(-2)}
channel: email
contacts:
  - name: Priya Nair
    role: Growth lead
    email: priya@lumen.example
"""

    # 11. Onboarding, with a name that needs quoting.
    out["clients/kofeynya-zerno/client.yaml"] = f"""\
name: "Кофейня «Зерно»"
status: onboarding
owner: ivan
since: {d(-6)}
services: [smm]
channel: telegram
contacts:
  - name: Ирина Зайцева
    role: Owner
    decides: true
    urgent: true
"""
    out["clients/kofeynya-zerno/promises.yaml"] = f"""\
- id: z2c6v0
  text: Content plan for the first month
  by: us
  owner: ivan
  made: {d(-6)}
  due: {d(4)}
"""
    return out


def write(root: Path, today: date) -> list[Path]:
    """Write the demo files under ``root``; returns what was written."""
    written = []
    for relative, text in files(today).items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
