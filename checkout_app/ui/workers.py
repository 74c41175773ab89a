"""Camera capture and frame processing off the GUI thread: two threads per camera.

``CameraWorker`` reads the source as fast as it delivers and hands every frame on;
``ProcessingWorker`` runs the slow part (a detector, face recognition) on the newest frame only
and drops the ones that went stale meanwhile, so a slow model lowers the processing rate,
never the capture rate or the UI frame rate. ``CameraPipeline`` owns both threads.

What happens when a source fails or ends:

- :class:`SourceError` (or any other exception) while opening or reading: ``failed(message)``
  is emitted, the source is closed, and it is reopened after ``retry_s``; every further
  failed attempt emits ``failed`` again. The first frame after a failure emits ``recovered``.
- ``read()`` returning None (the end of a video file or image folder): ``ended`` is emitted and
  capture stops; a file is not a camera that might come back. With ``restart_at_end`` the
  source is reopened at once instead (a recorded demo on a loop). A source that ends before
  delivering a single frame is a failure (retried after ``retry_s``), so an empty or broken
  file cannot spin in a tight reopen loop.

Stopping: ``stop()`` sets a flag the capture loop checks between reads and wakes the retry
wait and the processing thread. A read in progress is not interrupted (OpenCV cannot be), but
sources return within a bounded time (``FrameSource`` contract), so ``stop()`` joins both threads.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections import deque
from dataclasses import dataclass
from typing import Callable

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal, Slot

from checkout_app.camera.source import Frame, FrameSource, SourceError

log = logging.getLogger(__name__)

ProcessFn = Callable[[Frame], object]

# Threads (with their workers) that did not finish within stop()'s timeout, say a driver
# blocked in read: kept referenced until they end, as destroying a running QThread aborts.
_UNFINISHED: set[tuple[QThread, QObject]] = set()


class RateMeter:
    """Events per second over a sliding window; thread-safe (one thread ticks, another reads)."""

    def __init__(self, window_s: float = 2.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.window_s = window_s
        self._clock = clock
        self._ticks: deque[float] = deque()
        self._lock = threading.Lock()
        self.count = 0

    def tick(self) -> None:
        now = self._clock()
        with self._lock:
            self._ticks.append(now)
            self.count += 1
            self._prune(now)

    def rate(self) -> float:
        """Events per second in the last ``window_s``; 0 with fewer than two, or once stalled."""
        with self._lock:
            self._prune(self._clock())
            if len(self._ticks) < 2:
                return 0.0
            span = self._ticks[-1] - self._ticks[0]
            return (len(self._ticks) - 1) / span if span > 0 else 0.0

    def _prune(self, now: float) -> None:
        while self._ticks and self._ticks[0] < now - self.window_s:
            self._ticks.popleft()


@dataclass(frozen=True)
class PipelineStats:
    """Measured rates of one camera pipeline since its last ``start()``."""

    capture_fps: float
    processing_fps: float
    captured_frames: int
    processed_frames: int
    dropped_frames: int  # captured but never processed: a newer frame replaced them


class CameraWorker(QObject):
    """Reads frames from a source in its own thread; reopens the source after a failure.

    ``open_source`` is called in the capture thread, every time the source must be (re)opened.
    """

    frame = Signal(object)  # every Frame captured, emitted from the capture thread
    failed = Signal(str)  # why the source is unavailable; a retry follows after retry_s
    recovered = Signal()  # frames flow again after a failure
    ended = Signal()  # the source ended normally (end of a file); capture has stopped

    def __init__(
        self,
        open_source: Callable[[], FrameSource],
        retry_s: float = 2.0,
        *,
        restart_at_end: bool = False,
    ) -> None:
        super().__init__()
        if retry_s <= 0:
            raise ValueError(f"retry_s must be positive, got {retry_s}")
        self._open_source = open_source
        self.retry_s = retry_s
        self.restart_at_end = restart_at_end
        self.meter = RateMeter()
        self._stop = threading.Event()

    def request_stop(self) -> None:
        """Ask the loop to end after the current read; safe from any thread."""
        self._stop.set()

    @Slot()
    def run(self) -> None:
        """The capture loop; returns when stopped or when the source ended."""
        source: FrameSource | None = None
        failing = False
        frames_since_open = 0
        try:
            while not self._stop.is_set():
                if source is None:
                    source = self._try_open()
                    frames_since_open = 0
                    if source is None:
                        failing = True
                        self._stop.wait(self.retry_s)
                        continue
                try:
                    frame = source.read()
                except Exception as exc:
                    self._report_failure("reading", exc)
                    _close_quietly(source)
                    source, failing = None, True
                    self._stop.wait(self.retry_s)
                    continue
                if frame is None:
                    _close_quietly(source)
                    source = None
                    if frames_since_open == 0:
                        self.failed.emit(self.tr("The camera source ended without any frame."))
                        failing = True
                        self._stop.wait(self.retry_s)
                    elif not self.restart_at_end:
                        log.info("frame source ended")
                        self.ended.emit()
                        return
                    continue
                frames_since_open += 1
                self.meter.tick()
                if failing:
                    failing = False
                    log.info("frame source recovered")
                    self.recovered.emit()
                self.frame.emit(frame)
        finally:
            if source is not None:
                _close_quietly(source)
            _finish_in_worker_thread(self)

    def _try_open(self) -> FrameSource | None:
        try:
            source = self._open_source()
        except Exception as exc:
            self._report_failure("opening", exc)
            return None
        log.info("opened frame source %s", getattr(source, "name", source))
        return source

    def _report_failure(self, doing: str, exc: Exception) -> None:
        # A SourceError is an expected outage with a message written for people; anything
        # else is a bug in a source, so its traceback goes to the log.
        if isinstance(exc, SourceError):
            log.warning("frame source failed while %s: %s", doing, exc)
        else:
            log.exception("frame source raised while %s", doing)
        self.failed.emit(str(exc) or type(exc).__name__)


class ProcessingWorker(QObject):
    """Runs ``process(frame)`` on the newest submitted frame, in its own thread.

    ``submit`` is thread-safe and never blocks: a frame still waiting when a newer one arrives
    is dropped (and counted). ``process`` may be swapped at run time with :meth:`set_process`;
    None pauses processing (submitted frames are ignored).
    """

    result = Signal(object)  # whatever process(frame) returned
    error = Signal(str)  # process raised; the next frame is tried anyway

    def __init__(self, process: ProcessFn | None) -> None:
        super().__init__()
        self._process = process
        self._generation = 0  # bumped by set_process: results of a replaced function are dropped
        self._pending: Frame | None = None
        self._wake = threading.Condition()
        self._stopping = False
        self.meter = RateMeter()
        self.dropped = 0

    def set_process(self, process: ProcessFn | None) -> None:
        """Use ``process`` from the next frame on; a result of the old one still running is dropped.

        A result the old function emitted just before this call may still be on its way to
        slots queued on the GUI thread.
        """
        with self._wake:
            self._process = process
            self._generation += 1
            self._pending = None

    @Slot(object)
    def submit(self, frame: Frame) -> None:
        """Offer a frame; keeps only the newest one not yet taken. Safe from any thread."""
        with self._wake:
            if self._process is None or self._stopping:
                return
            if self._pending is not None:
                self.dropped += 1
            self._pending = frame
            self._wake.notify()

    def request_stop(self) -> None:
        with self._wake:
            self._stopping = True
            self._pending = None
            self._wake.notify()

    @Slot()
    def run(self) -> None:
        try:
            while True:
                with self._wake:
                    while self._pending is None and not self._stopping:
                        self._wake.wait()
                    if self._stopping:
                        return
                    frame, self._pending = self._pending, None
                    process, generation = self._process, self._generation
                if process is None:
                    continue
                self._run_one(process, generation, frame)
        finally:
            _finish_in_worker_thread(self)

    def _run_one(self, process: ProcessFn, generation: int, frame: Frame) -> None:
        try:
            outcome = process(frame)
        except Exception as exc:
            log.exception("processing frame %s failed", frame.index)
            self.error.emit(str(exc) or type(exc).__name__)
            return
        self.meter.tick()
        with self._wake:
            current = generation == self._generation and not self._stopping
        if current:
            self.result.emit(outcome)


class CameraPipeline(QObject):
    """One camera: a capture thread feeding a processing thread, with frames for the GUI.

    ``frame`` delivers the newest captured frame on the GUI thread for painting; when the GUI
    falls behind, older frames are skipped instead of queueing up. ``result`` and ``error``
    come from the processing function, ``failed``/``recovered``/``ended`` from the source (see
    the module docstring). ``process`` None captures and shows frames without processing.
    """

    frame = Signal(object)
    result = Signal(object)
    error = Signal(str)
    failed = Signal(str)
    recovered = Signal()
    ended = Signal()
    _frame_ready = Signal()  # internal: capture thread -> GUI thread, at most one in flight

    def __init__(
        self,
        open_source: Callable[[], FrameSource],
        process: ProcessFn | None = None,
        *,
        retry_s: float = 2.0,
        restart_at_end: bool = False,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._open_source = open_source
        self._process = process
        self.retry_s = retry_s
        self.restart_at_end = restart_at_end
        self._camera: CameraWorker | None = None
        self._processing: ProcessingWorker | None = None
        self._threads: list[tuple[QThread, QObject]] = []
        self._latest: Frame | None = None
        self._gui_pending = False
        self._latest_lock = threading.Lock()
        self._frame_ready.connect(self._on_frame_ready, Qt.ConnectionType.QueuedConnection)

    def is_running(self) -> bool:
        return bool(self._threads)

    def start(self) -> None:
        """Open the source and start both threads; a no-op when already running."""
        if self._threads:
            return
        camera = CameraWorker(self._open_source, self.retry_s, restart_at_end=self.restart_at_end)
        processing = ProcessingWorker(self._process)
        # Direct connections: both run in the capture thread and only store a reference, so
        # capture never waits for processing or painting.
        camera.frame.connect(processing.submit, Qt.ConnectionType.DirectConnection)
        camera.frame.connect(self._on_captured, Qt.ConnectionType.DirectConnection)
        camera.failed.connect(self.failed)
        camera.recovered.connect(self.recovered)
        camera.ended.connect(self.ended)
        processing.result.connect(self.result)
        processing.error.connect(self.error)
        self._camera, self._processing = camera, processing
        self._threads = [
            (_start_in_thread(processing, "processing"), processing),
            (_start_in_thread(camera, "capture"), camera),
        ]

    def stop(self, timeout_s: float = 5.0) -> bool:
        """Stop capture and processing and join both threads; True when both finished in time.

        Waits for a read in progress to return (bounded by the source). A thread still running
        after ``timeout_s`` is logged and kept alive until it ends on its own.
        """
        if not self._threads:
            return True
        assert self._camera is not None and self._processing is not None
        self._camera.request_stop()
        self._processing.request_stop()
        deadline = time.monotonic() + timeout_s
        finished = True
        for pair in self._threads:
            thread = pair[0]
            remaining_ms = max(0, round((deadline - time.monotonic()) * 1000))
            if not thread.wait(remaining_ms):
                finished = False
                log.error("%s thread did not stop within %.1f s", thread.objectName(), timeout_s)
                _UNFINISHED.add(pair)
                thread.finished.connect(lambda pair=pair: _UNFINISHED.discard(pair))
        self._threads = []
        with self._latest_lock:
            self._latest = None
        return finished

    def set_source(self, open_source: Callable[[], FrameSource]) -> None:
        """Use another camera from now on (staff changed the settings); restarts if running."""
        running = self.is_running()
        self.stop()
        self._open_source = open_source
        if running:
            self.start()

    def set_process(self, process: ProcessFn | None) -> None:
        """Swap the processing function (None pauses processing), running or not."""
        self._process = process
        if self._processing is not None:
            self._processing.set_process(process)

    def stats(self) -> PipelineStats:
        camera, processing = self._camera, self._processing
        if camera is None or processing is None:
            return PipelineStats(0.0, 0.0, 0, 0, 0)
        return PipelineStats(
            capture_fps=camera.meter.rate(),
            processing_fps=processing.meter.rate(),
            captured_frames=camera.meter.count,
            processed_frames=processing.meter.count,
            dropped_frames=processing.dropped,
        )

    def _on_captured(self, frame: Frame) -> None:
        """In the capture thread: remember the frame; wake the GUI unless a wake-up is pending."""
        with self._latest_lock:
            self._latest = frame
            notify = not self._gui_pending
            self._gui_pending = True
        if notify:
            self._frame_ready.emit()

    def _on_frame_ready(self) -> None:
        with self._latest_lock:
            frame, self._latest = self._latest, None
            self._gui_pending = False
        if frame is not None and self._threads:
            self.frame.emit(frame)


class JobQueue(QObject):
    """Runs slow calls (decrypting face templates, fitting the classifier, database writes) one
    at a time, in the order submitted, in its own thread, and hands each result to its callback
    on the GUI thread. Unlike ``ProcessingWorker``, nothing is dropped: every job runs.

    A job that raises is logged and reported by ``failed``; its callback is not called.
    """

    failed = Signal(str)
    _finished = Signal(object, object)  # (callback, result), from the job thread

    def __init__(self, name: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._jobs: queue.Queue = queue.Queue()
        self._finished.connect(self._deliver)  # queued: the receiver lives in the GUI thread
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()
        # The thread ends with its owner (the queue, not self: self is half gone by then).
        jobs = self._jobs
        self.destroyed.connect(lambda *_: jobs.put(None))

    def submit(self, work: Callable[[], object], on_done: Callable[[object], None]) -> None:
        """Run ``work()`` after the jobs before it, then ``on_done(result)`` on the GUI thread."""
        self._jobs.put((work, on_done))

    def shutdown(self, timeout_s: float = 5.0) -> None:
        """Finish the job in progress and any queued before this call; safe to call twice."""
        self._jobs.put(None)
        self._thread.join(timeout_s)

    def _run(self) -> None:
        while (job := self._jobs.get()) is not None:
            work, on_done = job
            try:
                result = work()
            except Exception as exc:
                log.exception("background job %s failed", getattr(work, "__name__", work))
                self._emit(self.failed, str(exc) or type(exc).__name__)
                continue
            self._emit(self._finished, on_done, result)

    @staticmethod
    def _emit(signal, *args) -> None:
        try:
            signal.emit(*args)
        except RuntimeError:  # the page that owned this queue is gone: nobody to tell
            log.debug("background job finished after its owner was deleted")

    @Slot(object, object)
    def _deliver(self, on_done: Callable[[object], None], result: object) -> None:
        on_done(result)


def _start_in_thread(worker: CameraWorker | ProcessingWorker, name: str) -> QThread:
    thread = QThread()
    thread.setObjectName(name)
    worker.moveToThread(thread)
    thread.started.connect(worker.run)
    thread.start()
    return thread


def _finish_in_worker_thread(worker: QObject) -> None:
    """End of a worker loop: hand the worker back to the GUI thread and end its thread.

    Moving it back means the worker is an ordinary GUI-thread object after the thread has gone
    (Qt lets only the owning thread push an object to another thread). ``quit`` before the
    thread's event loop started makes that loop return at once.
    """
    app = QCoreApplication.instance()
    if app is not None:
        worker.moveToThread(app.thread())
    QThread.currentThread().quit()


def _close_quietly(source: FrameSource) -> None:
    try:
        source.close()
    except Exception:
        log.exception("closing frame source failed")
