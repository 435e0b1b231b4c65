from __future__ import annotations

import threading

from backend.store.common import per_instance


class _View:
    def __init__(self, wait_for: threading.Event, then_set: threading.Event):
        self.wait_for, self.then_set, self.computed = wait_for, then_set, 0

    @per_instance
    def standing(self) -> str:
        self.computed += 1
        self.then_set.set()
        assert self.wait_for.wait(timeout=5), "held up by another instance's computation"
        return "read"


def test_per_instance_values_are_computed_once_and_one_instance_does_not_hold_up_another():
    """Python 3.11's cached_property held one lock for every instance of the class: one request's
    view reading its corrections from the store held up every other request's view."""
    first_started, second_started = threading.Event(), threading.Event()
    first, second = _View(wait_for=second_started, then_set=first_started), _View(wait_for=first_started, then_set=second_started)
    answers: list[str] = []
    threads = [threading.Thread(target=lambda v=v: answers.append(v.standing)) for v in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert answers == ["read", "read"]
    assert first.standing == "read" and first.computed == 1 and second.computed == 1
    assert isinstance(_View.standing, per_instance)
