"""Capture and processing threads: latest frame wins, failures retry, ends stop, stop() joins;
the job queue runs every job in order off the GUI thread."""

from __future__ import annotations

import sys
import threading
import time

import numpy as np
import pytest
from PySide6.QtCore import QObject, Signal

from checkout_app.camera.source import Frame, FrameSourceBase, SourceError
from checkout_app.ui.workers import (
    CameraPipeline,
    CameraWorker,
    JobQueue,
    PipelineStats,
    RateMeter,
)

IMAGE = np.zeros((8, 8, 3), np.uint8)


class FakeSource(FrameSourceBase):
    """Delivers ``frames`` frames (None: forever) at ``fps``, then ends; may fail or block."""

    name = "fake"

    def __init__(
        self,
        fps: float = 200.0,
        frames: int | None = None,
        fail_at: int | None = None,
        block_s: float = 0.0,
    ) -> None:
        self.fps = fps
        self.frames = frames
        self.fail_at = fail_at
        self.block_s = block_s
        self.produced = -1  # index of the newest frame handed out
        self.closed = threading.Event()
        self.reading = threading.Event()

    def read(self) -> Frame | None:
        self.reading.set()
        time.sleep(self.block_s or 1 / self.fps)
        index = self.produced + 1
        if self.fail_at is not None and index == self.fail_at:
            raise SourceError("fake camera unplugged")
        if self.frames is not None and index >= self.frames:
            return None
        self.produced = index
        return Frame(IMAGE, timestamp=index / self.fps, index=index)

    def close(self) -> None:
        self.closed.set()


class Opener:
    """``open_source`` for the pipeline: hands out the given sources (or raises) in order."""

    def __init__(self, *outcomes: FakeSource | Exception) -> None:
        self.outcomes = list(outcomes)
        self.opened: list[FakeSource] = []

    def __call__(self) -> FakeSource:
        outcome = self.outcomes.pop(0) if len(self.outcomes) > 1 else self.outcomes[0]
        if isinstance(outcome, Exception):
            raise outcome
        self.opened.append(outcome)
        return outcome


@pytest.fixture
def pipelines(qtbot):
    """Pipelines a test makes; each is stopped (and must join) when the test ends."""
    made: list[CameraPipeline] = []

    def make(*args, **kwargs) -> CameraPipeline:
        pipeline = CameraPipeline(*args, **kwargs)
        made.append(pipeline)
        return pipeline

    yield make
    for pipeline in made:
        assert pipeline.stop(timeout_s=3.0)


def collect(signal) -> list:
    received: list = []
    signal.connect(lambda *args: received.append(args[0] if args else None))
    return received


class _Emitter(QObject):
    ping = Signal(object)


def test_emitting_a_signal_keeps_reference_counts_intact(qapp):
    """PySide6 6.12.0 drops a reference to True on every emit(); on Python < 3.12 the process
    aborts ("bool_dealloc") after a few thousand signals, i.e. seconds into a live camera."""
    emitter = _Emitter()
    before = sys.getrefcount(True)
    for _ in range(50):
        emitter.ping.emit(None)
    assert sys.getrefcount(True) >= before, "this PySide6 release corrupts refcounts on emit"


def test_rate_meter_over_a_sliding_window():
    now = [0.0]
    meter = RateMeter(window_s=1.0, clock=lambda: now[0])
    assert meter.rate() == 0.0
    for _ in range(11):  # 10 intervals of 0.05 s: 20 per second
        meter.tick()
        now[0] += 0.05
    assert meter.rate() == pytest.approx(20.0)
    assert meter.count == 11
    now[0] += 2.0  # nothing for longer than the window: stalled
    assert meter.rate() == 0.0


def test_capture_runs_at_source_rate_while_processing_takes_the_newest_frame(qtbot, pipelines):
    source = FakeSource(fps=200)
    lags: list[int] = []

    def slow_process(frame: Frame) -> int:
        lags.append(source.produced - frame.index)  # frames newer than the one being processed
        time.sleep(0.05)
        return frame.index

    pipeline = pipelines(Opener(source), slow_process)
    shown = collect(pipeline.frame)
    results = collect(pipeline.result)
    pipeline.start()
    qtbot.wait(800)
    stats = pipeline.stats()

    assert 0 < stats.processing_fps <= 21  # 50 ms per frame at best
    assert stats.capture_fps > 3 * stats.processing_fps
    assert stats.captured_frames > 3 * stats.processed_frames
    # Every captured frame was processed, dropped, or is one of three still in flight: counted
    # but not yet handed on (the capture thread counts first), waiting, or being processed.
    assert stats.dropped_frames >= stats.captured_frames - stats.processed_frames - 3
    # Each processed frame was the newest at the time (a frame may land while it starts).
    assert lags and max(lags) <= 2
    assert results == sorted(results) and len(results) >= 5
    # The GUI got a steady stream of frames, newest first-come, never out of order.
    indexes = [frame.index for frame in shown]
    assert indexes == sorted(set(indexes))
    assert len(indexes) > stats.captured_frames / 3


def test_a_failing_source_reports_then_recovers_after_reopening(qtbot, pipelines):
    first = FakeSource(fail_at=3)
    good = FakeSource()
    opener = Opener(first, SourceError("camera 0 could not be opened"), good)
    pipeline = pipelines(opener, retry_s=0.05)
    failures = collect(pipeline.failed)

    with qtbot.waitSignal(pipeline.recovered, timeout=3000):
        pipeline.start()

    assert failures == ["fake camera unplugged", "camera 0 could not be opened"]
    assert first.closed.is_set()
    with qtbot.waitSignal(pipeline.frame, timeout=1000) as frame_signal:
        pass
    assert frame_signal.args[0].index >= 0
    assert opener.opened == [first, good]


def test_a_source_that_raises_something_unexpected_is_retried_too(qtbot, pipelines):
    opener = Opener(RuntimeError("driver bug"), FakeSource())
    pipeline = pipelines(opener, retry_s=0.05)
    with qtbot.waitSignal(pipeline.failed, timeout=2000) as failed:
        pipeline.start()
    assert failed.args == ["driver bug"]
    with qtbot.waitSignal(pipeline.recovered, timeout=2000):
        pass


def test_end_of_file_is_reported_once_and_capture_stops(qtbot, pipelines):
    opener = Opener(FakeSource(frames=5))
    pipeline = pipelines(opener, retry_s=0.05)
    failures = collect(pipeline.failed)
    with qtbot.waitSignal(pipeline.ended, timeout=2000):
        pipeline.start()
    qtbot.wait(200)  # a few retry periods: nothing reopens an ended file
    assert len(opener.opened) == 1
    assert failures == []
    assert pipeline.stats().captured_frames == 5


def test_restart_at_end_loops_the_file(qtbot, pipelines):
    opener = Opener(FakeSource(frames=3), FakeSource(frames=3), FakeSource())
    pipeline = pipelines(opener, restart_at_end=True)
    ended = collect(pipeline.ended)
    pipeline.start()
    qtbot.waitUntil(lambda: pipeline.stats().captured_frames > 8, timeout=2000)
    assert len(opener.opened) == 3
    assert ended == []


def test_a_file_without_frames_is_a_failure_not_a_tight_loop(qtbot, pipelines):
    opener = Opener(FakeSource(frames=0))
    pipeline = pipelines(opener, retry_s=0.1, restart_at_end=True)
    failures = collect(pipeline.failed)
    pipeline.start()
    qtbot.wait(350)
    assert 2 <= len(opener.opened) <= 5  # one attempt per retry period, not thousands
    assert failures and all("without any frame" in text for text in failures)


def test_stop_joins_while_a_read_is_blocking(qtbot):
    source = FakeSource(block_s=1.0)
    pipeline = CameraPipeline(Opener(source))
    pipeline.start()
    assert source.reading.wait(2.0)
    started = time.monotonic()
    assert pipeline.stop(timeout_s=3.0)
    assert time.monotonic() - started < 1.5
    assert source.closed.is_set()  # closed by the capture thread on its way out
    assert not pipeline.is_running()


def test_stop_is_prompt_while_waiting_to_retry(qtbot):
    pipeline = CameraPipeline(Opener(SourceError("no camera")), retry_s=30.0)
    with qtbot.waitSignal(pipeline.failed, timeout=2000):
        pipeline.start()
    started = time.monotonic()
    assert pipeline.stop()
    assert time.monotonic() - started < 0.5


def test_stop_reports_a_thread_that_does_not_finish_in_time(qtbot):
    source = FakeSource(block_s=0.6)
    pipeline = CameraPipeline(Opener(source))
    pipeline.start()
    assert source.reading.wait(2.0)
    assert pipeline.stop(timeout_s=0.05) is False
    assert source.closed.wait(2.0)  # it still ends, and cleans up, on its own


def test_start_stop_restart(qtbot):
    opener = Opener(FakeSource())
    pipeline = CameraPipeline(opener)
    assert pipeline.stop()  # never started: nothing to do
    assert pipeline.stats() == PipelineStats(0.0, 0.0, 0, 0, 0)
    for _ in range(2):
        with qtbot.waitSignal(pipeline.frame, timeout=1000):
            pipeline.start()
            pipeline.start()  # already running: no second pair of threads
        assert pipeline.stop()
    assert len(opener.opened) == 2


def test_processing_errors_are_reported_and_processing_goes_on(qtbot, pipelines):
    def flaky(frame: Frame) -> int:
        if frame.index % 2 == 0:
            raise ValueError(f"bad frame {frame.index}")
        return frame.index

    pipeline = pipelines(Opener(FakeSource(fps=50)), flaky)
    errors, results = collect(pipeline.error), collect(pipeline.result)
    pipeline.start()
    qtbot.waitUntil(lambda: len(errors) >= 2 and len(results) >= 2, timeout=2000)
    assert errors[0].startswith("bad frame")
    assert all(index % 2 == 1 for index in results)


def test_process_can_be_swapped_and_paused(qtbot, pipelines):
    pipeline = pipelines(Opener(FakeSource(fps=100)), lambda frame: "first")
    results = collect(pipeline.result)
    pipeline.start()
    qtbot.waitUntil(lambda: "first" in results, timeout=1000)

    pipeline.set_process(None)
    qtbot.wait(50)  # let results already queued for the GUI arrive
    results.clear()
    processed = pipeline.stats().processed_frames
    qtbot.wait(150)
    assert results == [] and pipeline.stats().processed_frames == processed
    with qtbot.waitSignal(pipeline.frame, timeout=1000):
        pass  # frames still reach the GUI while processing is paused

    pipeline.set_process(lambda frame: "second")
    qtbot.waitUntil(lambda: "second" in results, timeout=1000)
    assert "first" not in results


def test_retry_period_must_be_positive():
    with pytest.raises(ValueError, match="retry_s"):
        CameraWorker(Opener(FakeSource()), retry_s=0)


def test_job_queue_runs_every_job_in_order_off_the_gui_thread(qtbot):
    jobs = JobQueue("test-jobs")
    ran_in, delivered_in, results, failures = [], [], [], []
    jobs.failed.connect(failures.append)

    def job(n):
        def work():
            ran_in.append(threading.current_thread())
            if n == 2:
                raise OSError("disk I/O error")
            return n

        return work

    def done(result):
        delivered_in.append(threading.current_thread())
        results.append(result)

    for n in range(5):
        jobs.submit(job(n), done)
    qtbot.waitUntil(lambda: len(results) == 4)
    assert results == [0, 1, 3, 4]  # none dropped; the failed one reported instead
    assert failures == ["disk I/O error"]
    assert threading.main_thread() not in ran_in
    assert set(delivered_in) == {threading.main_thread()}
    jobs.shutdown()
    jobs.shutdown()  # twice is fine
