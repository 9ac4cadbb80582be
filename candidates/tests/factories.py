"""Candidate factories: a fresh one, and one who has passed Тест 1 and may book."""

from __future__ import annotations

import factory
from django.utils import timezone

from candidates.models import Candidate, CandidateStatus


class CandidateFactory(factory.django.DjangoModelFactory):
    """A candidate who consented and passed Тест 1: ready to choose a slot."""

    class Meta:
        model = Candidate

    telegram_id = factory.Sequence(lambda n: 700_000_000 + n)
    username = factory.Sequence(lambda n: f"cand{n}")
    full_name = factory.Sequence(lambda n: f"Иванов Иван {n}")
    status = CandidateStatus.CHOOSING_SLOT
    consent_given_at = factory.LazyFunction(timezone.now)
    consent_version = "1"
    test1_completed_at = factory.LazyFunction(timezone.now)
    test1_answers = factory.LazyFunction(lambda: {"full_name": "Иванов Иван Иванович", "age": 25})


class NewCandidateFactory(CandidateFactory):
    """Just opened the bot: no consent, no answers."""

    full_name = ""
    status = CandidateStatus.NEW
    consent_given_at = None
    consent_version = ""
    test1_completed_at = None
    test1_answers = factory.LazyFunction(dict)
