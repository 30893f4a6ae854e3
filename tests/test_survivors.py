"""The interpreter kept off the keys (tui/survivors.py): full passes and freezes wait
while keys arrive, and a parsing thread hands the interpreter back within 1 ms."""

from __future__ import annotations

import gc
import sys
import threading

from tui.survivors import HELD, SWITCH, FullPasses, handing_back


def test_a_freeze_asked_for_while_keys_arrive_runs_once_they_stop() -> None:
    passes = FullPasses()
    threshold = gc.get_threshold()
    try:
        passes.hold()
        assert gc.get_threshold() == (threshold[0], threshold[1], HELD)
        frozen = gc.get_freeze_count()
        kept = [[object()] for _ in range(1000)]  # survivors, made after the last freeze
        passes.freeze_survivors()
        assert gc.get_freeze_count() == frozen, "froze (and collected) while keys arrive"
        passes.release()
        assert gc.get_threshold() == threshold
        assert gc.get_freeze_count() >= frozen + len(kept)
        passes.release()  # nothing due: a second release changes nothing
        assert gc.get_threshold() == threshold
    finally:
        gc.unfreeze()
        gc.set_threshold(*threshold)


def test_without_keys_a_freeze_runs_at_once() -> None:
    passes = FullPasses()
    try:
        frozen = gc.get_freeze_count()
        kept = [[object()] for _ in range(1000)]
        passes.freeze_survivors()
        assert gc.get_freeze_count() >= frozen + len(kept)
    finally:
        gc.unfreeze()


def test_parsing_threads_shorten_the_switch_interval_until_the_last_ends() -> None:
    before = sys.getswitchinterval()
    inside: list[float] = []
    started, finish = threading.Barrier(3), threading.Event()

    def work() -> None:
        with handing_back():
            started.wait()
            finish.wait()
            inside.append(sys.getswitchinterval())

    threads = [threading.Thread(target=work) for _ in range(2)]
    for thread in threads:
        thread.start()
    started.wait()
    assert sys.getswitchinterval() == SWITCH
    finish.set()
    for thread in threads:
        thread.join()
    assert inside == [SWITCH, SWITCH]
    assert sys.getswitchinterval() == before
