"""RAM, GPU load, power and temperature on a Jetson, from ``tegrastats`` lines.

NVML does not cover Tegra GPUs; ``tegrastats`` is the source on every JetPack. This is the Nano's
own copy of what the desktop's ``checkout_app.services.system_stats`` parses (that package needs
Python 3.8), returning plain dicts for the benchmark JSON. Formats handled:

- Nano, JetPack 4.6: ``RAM 2263/3964MB (lfb 33x4MB) SWAP 0/1982MB (cached 0MB) CPU [12%@1479,
  ...] EMC_FREQ 0% GR3D_FREQ 76% PLL@36C CPU@39C ... GPU@37.5C ... POM_5V_IN 4593/3975
  POM_5V_GPU 1263/877 POM_5V_CPU 841/815``
- Xavier (JetPack 4/5): ``VDD_IN 5129/5129``; Orin (JetPack 5/6): ``VDD_IN 5129mW/5129mW``,
  ``gpu@48.1C`` in lower case.

Python 3.6-compatible; :class:`TegrastatsSampler` runs ``tegrastats`` in a subprocess.
"""

import logging
import re
import subprocess
import threading
import time
from typing import Callable, Dict, List, Optional, Sequence

logger = logging.getLogger(__name__)

_RAM = re.compile(r"\bRAM (\d+)/(\d+)([kKMG])B")
_SWAP = re.compile(r"\bSWAP (\d+)/(\d+)([kKMG])B")
_CPU = re.compile(r"\bCPU \[([^\]]*)\]")
_CPU_CORE = re.compile(r"(\d+)%@\d+")
_GR3D = re.compile(r"\bGR3D_FREQ (\d+)%")
_GPU_TEMP = re.compile(r"\bGPU@(-?\d+(?:\.\d+)?)C", re.IGNORECASE)
_POWER_IN = re.compile(r"\b(?:POM_5V_IN|VDD_IN) (\d+)(?:mW)?/(\d+)")
_POWER_GPU = re.compile(r"\b(?:POM_5V_GPU|VDD_GPU_SOC|VDD_GPU) (\d+)(?:mW)?/(\d+)")
_TO_MB = {"k": 1 / 1024.0, "K": 1 / 1024.0, "M": 1.0, "G": 1024.0}


def _mb(match) -> List[float]:
    scale = _TO_MB[match.group(3)]
    return [float(match.group(1)) * scale, float(match.group(2)) * scale]


def parse_line(line: str) -> Dict[str, Optional[float]]:
    """One tegrastats line -> {ram_used_mb, ram_total_mb, swap_used_mb, cpu_percent (mean of
    the online cores), gpu_load_percent, gpu_temp_c, power_in_mw, power_gpu_mw}; a field is None
    when the line lacks it. ValueError when it has neither RAM nor GR3D_FREQ."""
    ram, gr3d = _RAM.search(line), _GR3D.search(line)
    if ram is None and gr3d is None:
        raise ValueError(f"not a tegrastats line: {line[:80]!r}")
    sample = dict.fromkeys(
        (
            "ram_used_mb",
            "ram_total_mb",
            "swap_used_mb",
            "cpu_percent",
            "gpu_load_percent",
            "gpu_temp_c",
            "power_in_mw",
            "power_gpu_mw",
        )
    )  # type: Dict[str, Optional[float]]
    if ram is not None:
        sample["ram_used_mb"], sample["ram_total_mb"] = _mb(ram)
    swap = _SWAP.search(line)
    if swap is not None:
        sample["swap_used_mb"] = _mb(swap)[0]
    cpu = _CPU.search(line)
    if cpu is not None:
        # An offline core prints "off": it is left out of the mean.
        cores = [float(v) for v in _CPU_CORE.findall(cpu.group(1))]
        sample["cpu_percent"] = sum(cores) / len(cores) if cores else None
    if gr3d is not None:
        sample["gpu_load_percent"] = float(gr3d.group(1))
    temp = _GPU_TEMP.search(line)
    if temp is not None and float(temp.group(1)) > -256:  # -256C: sensor powered off
        sample["gpu_temp_c"] = float(temp.group(1))
    power = _POWER_IN.search(line)
    if power is not None:
        sample["power_in_mw"] = float(power.group(1))  # current value, not the running average
    power_gpu = _POWER_GPU.search(line)
    if power_gpu is not None:
        sample["power_gpu_mw"] = float(power_gpu.group(1))
    return sample


def summarize(samples: Sequence[Dict]) -> Dict[str, Optional[float]]:
    """Peak RAM, mean and peak GPU load, mean power, peak temperature over a run."""

    def values(key: str) -> List[float]:
        return [s[key] for s in samples if s.get(key) is not None]

    def rounded(value: Optional[float]) -> Optional[float]:
        return None if value is None else round(value, 1)

    def mean(key: str) -> Optional[float]:
        found = values(key)
        return rounded(sum(found) / len(found)) if found else None

    def peak(key: str) -> Optional[float]:
        found = values(key)
        return rounded(max(found)) if found else None

    return {
        "samples": len(samples),
        "ram_used_mb_max": peak("ram_used_mb"),
        "ram_total_mb": peak("ram_total_mb"),
        "swap_used_mb_max": peak("swap_used_mb"),
        "cpu_percent_mean": mean("cpu_percent"),
        "gpu_load_percent_mean": mean("gpu_load_percent"),
        "gpu_load_percent_max": peak("gpu_load_percent"),
        "power_in_mw_mean": mean("power_in_mw"),
        "power_gpu_mw_mean": mean("power_gpu_mw"),
        "gpu_temp_c_max": peak("gpu_temp_c"),
    }


class TegrastatsSampler:
    """Collects parsed tegrastats lines (with a ``t_s`` time stamp) while a benchmark runs.

    ``start()`` launches ``command``; a missing tegrastats (not a Jetson) is logged and leaves
    the sample list empty rather than failing the benchmark. ``stop()`` ends the process and
    returns the samples.
    """

    def __init__(
        self,
        interval_ms: int = 500,
        command: Optional[Sequence[str]] = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.command = list(command or ("tegrastats", "--interval", str(interval_ms)))
        self.samples = []  # type: List[Dict]
        self._clock = clock
        self._process = None  # type: Optional[subprocess.Popen]
        self._thread = None  # type: Optional[threading.Thread]
        self._started_at = 0.0

    def start(self) -> bool:
        self._started_at = self._clock()
        try:
            # universal_newlines, not text=: Python 3.6 has no text argument.
            self._process = subprocess.Popen(
                self.command,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
                stdin=subprocess.DEVNULL,
                universal_newlines=True,
                bufsize=1,
            )
        except OSError as exc:
            logger.warning("cannot run %s (%s): no RAM/GPU/power samples", self.command[0], exc)
            return False
        self._thread = threading.Thread(target=self._pump, name="tegrastats", daemon=True)
        self._thread.start()
        return True

    def stop(self) -> List[Dict]:
        process = self._process
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=2.0)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if self._thread is not None:
            self._thread.join(timeout=2.0)
        return list(self.samples)

    def _pump(self) -> None:
        stdout = self._process.stdout
        for line in stdout:
            try:
                sample = parse_line(line)
            except ValueError:
                logger.debug("unparsed tegrastats line: %r", line)
                continue
            sample["t_s"] = round(self._clock() - self._started_at, 3)
            self.samples.append(sample)
        stdout.close()
