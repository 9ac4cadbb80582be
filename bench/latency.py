"""Latency: admin-style approval -> message at the fake, reminder lateness versus due_at, and the decision card.

Run: DATABASE_URL=postgres://postgres@127.0.0.1:5432/interview_scheduler .venv/bin/python bench/latency.py
Scratch database (created and dropped), the fake Bot API enforcing Telegram's limits, one real
qcluster process. Approvals go through scheduling.services.slot_approve (what the admin action
calls), one every 0.5 s; reminders are given due times spread over the next minute.
Targets: approval p95 <= 2 s; reminder lateness p95 <= 35 s (django-q2 looks at schedules every 30 s).
The decision card: reserve -> the card in the recruiter's chat, and «Согласовать» pressed on the card
(through one `manage.py runbot` process) -> the candidate's approval; targets p95 <= 2 s each. Card rounds
are two chat spacings apart (LATENCY_CARD_GAP=seconds to change): a round sends the card and its result edit
to one chat, which takes a message per spacing; closer rounds measure the flood limit.
Baseline: the fake's own round trip for one sendMessage, measured in the same run.
"""

from __future__ import annotations

import collections
import datetime as dt
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.fanout import scratch_drop, scratch_setup, start_clusters  # noqa: E402

APPROVALS = int(os.environ.get("LATENCY_APPROVALS", "30"))
CARDS = int(os.environ.get("LATENCY_CARDS", "20"))
CARD_CHAT_ID = 990_500
REMINDERS = int(os.environ.get("LATENCY_REMINDERS", "20"))


def pct(values: list[float], p: float) -> float:
    """The p-th percentile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(p / 100 * len(ordered)) - 1))]


def card_latency(fake, city, start) -> tuple[list[float], list[float]]:
    """Reserve -> card in the recruiter's chat, then card press -> candidate's message (the bot in its own process)."""
    from django.utils import timezone

    from candidates.models import Candidate, CandidateStatus
    from notifications.pace import chat_spacing
    from scheduling import services
    from scheduling.models import Recruiter, Slot

    recruiter = Recruiter.objects.create(name="Борис", tz="Europe/Moscow", telegram_chat_id=CARD_CHAT_ID)
    recruiter.cities.add(city)
    env = {**os.environ, "TELEGRAM_BOT_TOKEN": fake.token, "TELEGRAM_API_BASE_URL": fake.base_url}
    bot = subprocess.Popen([sys.executable, "manage.py", "runbot"], cwd=ROOT, env=env, stdout=subprocess.DEVNULL)
    to_card, to_candidate = [], []
    try:
        for i in range(CARDS + 1):  # the first round warms the bot up and is not counted
            candidate = Candidate.objects.create(
                telegram_id=810_000_000 + i,
                full_name=f"Карточка {i}",
                status=CandidateStatus.CHOOSING_SLOT,
                test1_completed_at=timezone.now(),
            )
            at = start + dt.timedelta(days=2, hours=i)
            slot = Slot.objects.create(recruiter=recruiter, city=city, starts_at=at, ends_at=at + dt.timedelta(hours=1))
            reserved = time.monotonic()
            services.slot_reserve(slot_id=slot.pk, candidate_id=candidate.pk)
            card = fake.wait_for_message(CARD_CHAT_ID, f"Карточка {i},", timeout=30)
            carded = time.monotonic()
            approve = next(b["callback_data"] for row in card["reply_markup"]["inline_keyboard"] for b in row)
            fake.push_callback(CARD_CHAT_ID, approve, message_id=card["message_id"])
            fake.wait_for_message(candidate.telegram_id, "Собеседование согласовано", timeout=30)
            if i:
                to_card.append(carded - reserved)
                to_candidate.append(time.monotonic() - carded)
            # Each round puts two messages in the card chat (the card, then its result edit), and a chat takes one
            # per chat_spacing(): rounds closer than two of those would measure the chat's flood limit, not us.
            time.sleep(max(0.5, float(os.environ.get("LATENCY_CARD_GAP", 2 * chat_spacing()))))
    finally:
        bot.send_signal(signal.SIGTERM)
        try:
            bot.wait(timeout=20)
        except subprocess.TimeoutExpired:
            bot.kill()
    return to_card, to_candidate


def main() -> int:
    db_name = f"is_bench_latency_{os.getpid()}"
    scratch_setup(db_name)
    from ops.fake_telegram import FakeTelegramAPI

    fake = FakeTelegramAPI(enforce_rate_limits=True).start()
    clusters = []
    try:
        import httpx
        from django.utils import timezone

        from candidates.models import Candidate, CandidateStatus
        from notifications import dispatch
        from notifications.models import NotificationKind, NotificationLog, NotificationStatus
        from scheduling import services
        from scheduling.models import City, Recruiter, Slot

        round_trips = []
        for i in range(20):
            started = time.perf_counter()
            httpx.post(f"{fake.base_url}{fake.token}/sendMessage", data={"chat_id": 1000 + i, "text": f"ping {i}"})
            round_trips.append(time.perf_counter() - started)
        fake.reset()

        city = City.objects.create(name="Москва", tz="Europe/Moscow")
        recruiter = Recruiter.objects.create(name="Анна", tz="Europe/Moscow")
        recruiter.cities.add(city)
        start = (timezone.now() + dt.timedelta(days=1)).replace(second=0, microsecond=0)
        slots = []
        for i in range(APPROVALS + REMINDERS):
            candidate = Candidate.objects.create(
                telegram_id=800_000_000 + i,
                full_name=f"Кандидат {i}",
                status=CandidateStatus.CHOOSING_SLOT,
                test1_completed_at=timezone.now(),
            )
            slot = Slot.objects.create(
                recruiter=recruiter,
                city=city,
                starts_at=start + dt.timedelta(hours=i),
                ends_at=start + dt.timedelta(hours=i, minutes=60),
            )
            slots.append((services.slot_reserve(slot_id=slot.pk, candidate_id=candidate.pk), candidate))
        clusters = start_clusters(fake, db_name, count=1, workers=4, log_dir=Path(tempfile.mkdtemp(prefix="latency-")))
        for _slot, candidate in slots[:3]:
            fake.wait_for_message(candidate.telegram_id, "Заявка отправлена", timeout=30)  # the worker is up

        approval_latency = []
        for slot, candidate in slots[:APPROVALS]:
            approved = time.monotonic()
            services.slot_approve(slot_id=slot.pk)
            fake.wait_for_message(candidate.telegram_id, "Собеседование согласовано", timeout=30)
            approval_latency.append(time.monotonic() - approved)
            time.sleep(0.5)

        # Reminders: approve the rest, then bring their T-1h reminder to a due time within the next minute.
        now = timezone.now()
        reminder_ids = []
        for i, (slot, _) in enumerate(slots[APPROVALS:]):
            services.slot_approve(slot_id=slot.pk)
            row = NotificationLog.objects.get(slot=slot, kind=NotificationKind.REMINDER_1H)
            due = now + dt.timedelta(seconds=5 + 60 * i / REMINDERS)
            NotificationLog.objects.filter(pk=row.pk).update(due_at=due)
            dispatch.schedule_once(row.pk, due)
            reminder_ids.append(row.pk)
        reminders = NotificationLog.objects.filter(pk__in=reminder_ids)
        deadline = time.monotonic() + 150
        while reminders.filter(status=NotificationStatus.SENT).count() < REMINDERS and time.monotonic() < deadline:
            time.sleep(1)
        lateness = [(r.sent_at - r.due_at).total_seconds() for r in reminders if r.sent_at]

        print(f"baseline sendMessage round trip to the fake: p50 {statistics.median(round_trips) * 1000:.1f} ms")
        print(
            f"approval -> message ({APPROVALS}): p50 {pct(approval_latency, 50):.2f} s, "
            f"p95 {pct(approval_latency, 95):.2f} s (target p95 <= 2 s); "
            f"ratio p50/baseline {pct(approval_latency, 50) / statistics.median(round_trips):.0f}x"
        )
        print(
            f"reminder lateness ({len(lateness)}/{REMINDERS} sent): p50 {pct(lateness, 50):.1f} s, "
            f"p95 {pct(lateness, 95):.1f} s (target p95 <= 35 s)"
        )
        to_card, to_candidate = card_latency(fake, city, start)
        print(
            f"reserve -> card ({CARDS}): p50 {pct(to_card, 50):.2f} s, p95 {pct(to_card, 95):.2f} s (target p95 <= 2 s)"
        )
        print(
            f"card press -> candidate's message ({CARDS}): p50 {pct(to_candidate, 50):.2f} s, "
            f"p95 {pct(to_candidate, 95):.2f} s (target p95 <= 2 s)"
        )
        limited = collections.Counter(
            (method, "card chat" if chat == CARD_CHAT_ID else "other chats")
            for chat, method, status, _ in fake._errors
            if status == 429
        )
        where = ", ".join(f"{method} in {chats} {n}" for (method, chats), n in sorted(limited.items()))
        print(f"429 received: {fake.rate_limited_count} ({where or 'none'})")
        return 0
    finally:
        for cluster in clusters:
            cluster.stop()
        fake.stop()
        scratch_drop(db_name)


if __name__ == "__main__":
    raise SystemExit(main())
