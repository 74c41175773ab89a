"""System health for the staff screen: CPU, RAM, this process, and the GPU where there is one.

CPU and RAM come from psutil. The GPU comes from NVML on a desktop NVIDIA card (``pynvml``,
from the ``nvidia-ml-py`` package, imported lazily and optional) or, on a Jetson, from
``tegrastats`` (NVML does not cover Tegra GPUs): one long-running ``tegrastats --interval``
process whose lines a daemon thread reads, so :meth:`SystemSampler.sample` never waits for it.
Every call is cheap enough for a one-second timer on the GUI thread.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Protocol, Sequence

import psutil
from checkout_edge.tegrastats import parse_line

logger = logging.getLogger(__name__)

JETSON_RELEASE_FILE = Path("/etc/nv_tegra_release")
JETSON_MODEL_FILE = Path("/proc/device-tree/model")
TEGRASTATS_INTERVAL_MS = 1000
_MB = 1024 * 1024


@dataclass(frozen=True)
class GpuSample:
    """One GPU reading; a field is None when the source does not report it.

    ``power_mw``: NVML's board power for a desktop card; on a Jetson the whole module's input
    power (POM_5V_IN / VDD_IN), the number that matters for a Nano on a 5 V supply.
    ``memory_is_shared``: the GPU uses system RAM (Jetson), so ``mem_*`` repeat the RAM figures.
    """

    name: str
    load_percent: float | None
    mem_used_mb: float | None
    mem_total_mb: float | None
    power_mw: float | None
    temperature_c: float | None = None
    memory_is_shared: bool = False


@dataclass(frozen=True)
class SystemSample:
    cpu_percent: float
    ram_used_mb: float
    ram_total_mb: float
    process_rss_mb: float
    gpu: GpuSample | None


# --- tegrastats --------------------------------------------------------------------------------


def parse_tegrastats(line: str, name: str = "NVIDIA Jetson") -> GpuSample:
    """The GPU figures in one ``tegrastats`` line (JetPack 4.6 Nano format and later ones).

    Parsed by the Nano runtime's own parser (``checkout_edge.tegrastats``), so the kiosk and
    ``checkout-edge`` read the same line the same way: GPU load from ``GR3D_FREQ``, memory from
    ``RAM`` (shared with the CPU), power from the current ``POM_5V_IN``/``VDD_IN`` value,
    temperature from ``GPU@``. ValueError when the line is not a tegrastats line.
    """
    sample = parse_line(line)
    return GpuSample(
        name=name,
        load_percent=sample["gpu_load_percent"],
        mem_used_mb=sample["ram_used_mb"],
        mem_total_mb=sample["ram_total_mb"],
        power_mw=sample["power_in_mw"],
        temperature_c=sample["gpu_temp_c"],
        memory_is_shared=True,
    )


def is_jetson(
    release_file: Path = JETSON_RELEASE_FILE, which: Callable[[str], str | None] = shutil.which
) -> bool:
    """A Jetson with tegrastats available: L4T's release file exists and tegrastats is on PATH."""
    return release_file.exists() and which("tegrastats") is not None


def jetson_model_name(model_file: Path = JETSON_MODEL_FILE) -> str:
    """E.g. "NVIDIA Jetson Nano Developer Kit" from the device tree; a generic name if absent."""
    try:
        name = model_file.read_bytes().rstrip(b"\x00").decode("utf-8", "replace").strip()
    except OSError:
        return "NVIDIA Jetson"
    return name or "NVIDIA Jetson"


class TegrastatsReader:
    """Runs ``command`` (tegrastats with an interval) and keeps its newest line.

    A daemon thread reads the lines, so :meth:`read` never blocks longer than its ``timeout_s``
    and a tegrastats that hangs or dies costs nothing but a None. A line older than
    ``stale_after_s`` counts as none (the process stalled).
    """

    def __init__(
        self,
        command: Sequence[str] = ("tegrastats", "--interval", str(TEGRASTATS_INTERVAL_MS)),
        *,
        name: str = "NVIDIA Jetson",
        stale_after_s: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.name = name
        self.stale_after_s = stale_after_s
        self._clock = clock
        self._condition = threading.Condition()
        self._line: str | None = None
        self._line_at = 0.0
        self._closing = False
        self._process = subprocess.Popen(
            list(command),
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            stdin=subprocess.DEVNULL,
            text=True,
            bufsize=1,
        )
        self._thread = threading.Thread(target=self._pump, name="tegrastats", daemon=True)
        self._thread.start()

    def read(self, timeout_s: float = 0.0) -> GpuSample | None:
        """The newest line parsed, waiting up to ``timeout_s`` for a first one; None if there
        is no fresh line or it does not parse."""
        with self._condition:
            if self._line is None and timeout_s > 0:
                self._condition.wait(timeout_s)
            line, line_at = self._line, self._line_at
        if line is None or self._clock() - line_at > self.stale_after_s:
            return None
        try:
            return parse_tegrastats(line, self.name)
        except ValueError:
            logger.debug("unparsed tegrastats line: %r", line)
            return None

    def close(self) -> None:
        self._closing = True
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=2.0)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._thread.join(timeout=2.0)

    def _pump(self) -> None:
        stdout = self._process.stdout
        assert stdout is not None  # Popen(stdout=PIPE) always sets it
        for line in stdout:
            with self._condition:
                self._line, self._line_at = line.strip(), self._clock()
                self._condition.notify_all()
        stdout.close()
        code = self._process.wait()
        if not self._closing:
            logger.warning("tegrastats exited with status %s; no GPU figures", code)


# --- NVML --------------------------------------------------------------------------------------


class NvmlReader:
    """One NVIDIA GPU through NVML. Use :meth:`open`, which returns None without a GPU/driver."""

    def __init__(self, nvml: Any, index: int = 0) -> None:
        self._nvml = nvml
        self._handle = nvml.nvmlDeviceGetHandleByIndex(index)
        name = nvml.nvmlDeviceGetName(self._handle)
        # nvidia-ml-py < 11.515 returns bytes, later versions str.
        self.name = name.decode("utf-8", "replace") if isinstance(name, bytes) else str(name)

    @classmethod
    def open(cls, index: int = 0) -> NvmlReader | None:
        try:
            import pynvml
        except ImportError:
            return None
        try:
            pynvml.nvmlInit()
        except pynvml.NVMLError as exc:
            logger.info("NVML not available (%s): no GPU figures", exc)
            return None
        try:
            return cls(pynvml, index)
        except pynvml.NVMLError as exc:
            logger.info("no NVIDIA GPU %d (%s): no GPU figures", index, exc)
            pynvml.nvmlShutdown()
            return None

    def read(self) -> GpuSample | None:
        nvml, handle = self._nvml, self._handle
        try:
            load = float(nvml.nvmlDeviceGetUtilizationRates(handle).gpu)
            memory = nvml.nvmlDeviceGetMemoryInfo(handle)
        except nvml.NVMLError as exc:
            logger.debug("NVML read failed: %s", exc)
            return None
        return GpuSample(
            name=self.name,
            load_percent=load,
            mem_used_mb=memory.used / _MB,
            mem_total_mb=memory.total / _MB,
            # Optional on many cards (NVMLError_NotSupported): None rather than no sample.
            power_mw=self._optional(lambda: float(nvml.nvmlDeviceGetPowerUsage(handle))),
            temperature_c=self._optional(
                lambda: float(nvml.nvmlDeviceGetTemperature(handle, nvml.NVML_TEMPERATURE_GPU))
            ),
        )

    def close(self) -> None:
        try:
            self._nvml.nvmlShutdown()
        except self._nvml.NVMLError as exc:
            logger.debug("nvmlShutdown failed: %s", exc)

    def _optional(self, read: Callable[[], float]) -> float | None:
        try:
            return read()
        except self._nvml.NVMLError:
            return None


# --- the sampler -------------------------------------------------------------------------------


def open_gpu_reader() -> TegrastatsReader | NvmlReader | None:
    """tegrastats on a Jetson, else NVML, else None (no GPU figures)."""
    if is_jetson():
        try:
            return TegrastatsReader(name=jetson_model_name())
        except OSError as exc:
            logger.warning("cannot run tegrastats (%s): no GPU figures", exc)
            return None
    return NvmlReader.open()


class GpuReader(Protocol):
    def read(self) -> GpuSample | None: ...

    def close(self) -> None: ...


class SystemSampler:
    """``sample()`` returns the current CPU/RAM/process/GPU figures; ``close()`` when done.

    ``gpu_reader``: where GPU figures come from; by default :func:`open_gpu_reader` picks one
    (``detect_gpu=False``: none). CPU percent is measured since the previous call (the
    first is primed here), so call ``sample`` on a steady timer.
    """

    def __init__(self, gpu_reader: GpuReader | None = None, *, detect_gpu: bool = True) -> None:
        self._process = psutil.Process()
        psutil.cpu_percent(interval=None)
        if gpu_reader is None and detect_gpu:
            gpu_reader = open_gpu_reader()
        self._gpu = gpu_reader

    def sample(self) -> SystemSample:
        memory = psutil.virtual_memory()
        # used = total - available: psutil's own ``used`` leaves out caches differently per OS.
        return SystemSample(
            cpu_percent=psutil.cpu_percent(interval=None),
            ram_used_mb=(memory.total - memory.available) / _MB,
            ram_total_mb=memory.total / _MB,
            process_rss_mb=self._process.memory_info().rss / _MB,
            gpu=self._gpu.read() if self._gpu is not None else None,
        )

    def close(self) -> None:
        if self._gpu is not None:
            self._gpu.close()
            self._gpu = None
