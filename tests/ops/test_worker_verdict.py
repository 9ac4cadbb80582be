"""The worker check: a recent finished task, or a cluster that has only just started, is healthy; nothing else is."""

from __future__ import annotations

import pytest

from ops.health import WORKER_START_GRACE, worker_verdict

MAX_AGE = 180.0
GRACE = WORKER_START_GRACE.total_seconds()


@pytest.mark.parametrize(
    ("last_task_age", "uptimes", "ok", "words"),
    [
        (10.0, [], True, "работает"),
        (None, [5.0], True, "запускается"),
        (None, [GRACE - 1], True, "запускается"),
        (None, [GRACE + 1], False, "ни одной задачи"),
        (MAX_AGE + 60, [GRACE + 600], False, "молчит"),
        (MAX_AGE + 60, [3.0], True, "запускается"),  # restarted after an outage: the new cluster gets its minute
        (None, [], False, "запущен ли qcluster"),
        (MAX_AGE + 1, [], False, "молчит"),
    ],
)
def test_a_worker_counts_as_starting_only_within_its_first_ninety_seconds(last_task_age, uptimes, ok, words):
    verdict, detail = worker_verdict(last_task_age=last_task_age, cluster_uptimes=uptimes, max_age=MAX_AGE)

    assert verdict is ok and words in detail
