"""runbot settles the collector before serving: start-up's objects frozen, young ones collected less often."""

from __future__ import annotations

import gc

from botapp.management.commands.runbot import YOUNG_COLLECTION_THRESHOLD, settle_heap


def test_settling_the_heap_freezes_what_start_up_built_and_collects_young_objects_less_often() -> None:
    threshold = gc.get_threshold()
    try:
        settle_heap()

        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == (YOUNG_COLLECTION_THRESHOLD, *threshold[1:])
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)
