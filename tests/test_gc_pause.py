"""The cyclic-GC pause of the bulk entry points: on inside, restored outside, nestable."""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator

import pytest

from gitops_core import parse_manifests, set_gc_pause
from gitops_core._gc import _from_environment, gc_pause_enabled, paused_gc, pauses_gc

_TEXT = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n"


@pytest.fixture(autouse=True)
def _restore() -> Iterator[None]:
    was_enabled = gc.isenabled()
    pause = gc_pause_enabled()
    yield
    set_gc_pause(pause)
    if was_enabled:
        gc.enable()
    else:
        gc.disable()


@pauses_gc
def _observe() -> bool:
    return gc.isenabled()


def test_collector_is_off_inside_and_back_on_after() -> None:
    gc.enable()
    assert _observe() is False
    assert gc.isenabled()


def test_a_disabled_collector_stays_disabled() -> None:
    gc.disable()
    assert _observe() is False
    assert not gc.isenabled()


def test_nested_pauses_reenable_only_at_the_outermost() -> None:
    gc.enable()
    with paused_gc():
        assert not gc.isenabled()
        with paused_gc():
            assert _observe() is False
        assert not gc.isenabled()
    assert gc.isenabled()


def test_an_exception_still_restores_the_collector() -> None:
    gc.enable()

    @pauses_gc
    def boom() -> None:
        raise ValueError("x")

    with pytest.raises(ValueError):
        boom()
    assert gc.isenabled()


def test_turned_off_the_entry_points_leave_the_collector_alone() -> None:
    gc.enable()
    set_gc_pause(False)
    assert _observe() is True
    assert not gc_pause_enabled()


def test_entry_point_results_are_unchanged_and_collector_restored() -> None:
    gc.enable()
    assert [str(k) for k in parse_manifests(_TEXT).keys()] == ["/ConfigMap//a"]
    assert gc.isenabled()


def test_threads_share_one_counter() -> None:
    gc.enable()
    inside = threading.Barrier(2)
    leave_first = threading.Event()
    first_out = threading.Event()
    seen: list[bool] = []

    def first() -> None:
        with paused_gc():
            inside.wait()
            leave_first.wait()
        seen.append(gc.isenabled())  # the second thread is still inside
        first_out.set()

    def second() -> None:
        with paused_gc():
            inside.wait()
            leave_first.set()
            first_out.wait(timeout=30)
        seen.append(gc.isenabled())

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert seen == [False, True]


@pytest.mark.parametrize(
    ("value", "enabled"),
    [
        (None, True),
        ("", True),
        ("1", True),
        (" On ", True),
        ("0", False),
        ("false", False),
        ("NO", False),
        ("off", False),
    ],
)
def test_environment_values(value: str | None, enabled: bool) -> None:
    assert _from_environment(value) is enabled


def test_an_unknown_environment_value_warns_and_keeps_the_pause() -> None:
    with pytest.warns(RuntimeWarning, match="GITOPS_CORE_GC_PAUSE='sometimes'"):
        assert _from_environment("sometimes") is True
