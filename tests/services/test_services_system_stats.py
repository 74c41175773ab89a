"""System health: the tegrastats parser and reader, NVML through a fake, the sampler."""

from __future__ import annotations

import sys
import types
from types import SimpleNamespace

import pytest

from checkout_app.services import system_stats
from checkout_app.services.system_stats import (
    GpuSample,
    NvmlReader,
    SystemSampler,
    TegrastatsReader,
    is_jetson,
    jetson_model_name,
    open_gpu_reader,
    parse_tegrastats,
)

# Jetson Nano, JetPack 4.6 (L4T 32.6).
NANO_LINE = (
    "RAM 2448/3956MB (lfb 57x4MB) SWAP 0/1978MB (cached 0MB) "
    "CPU [12%@1479,5%@1479,9%@1479,8%@1479] EMC_FREQ 0% GR3D_FREQ 34%@921 PLL@25C CPU@27.5C "
    "PMIC@100C GPU@25.5C AO@34C thermal@26.25C POM_5V_IN 2751/2751 POM_5V_GPU 573/573 "
    "POM_5V_CPU 573/573"
)
# Xavier NX, JetPack 4.x: VDD_IN instead of POM_5V_IN, no frequency after GR3D.
XAVIER_LINE = (
    "RAM 2132/7771MB (lfb 1x4MB) SWAP 0/3886MB (cached 0MB) CPU [2%@1190,1%@1190] "
    "EMC_FREQ 0% GR3D_FREQ 7% AO@36C GPU@35.5C PMIC@100C AUX@35.5C CPU@37C thermal@36.45C "
    "VDD_IN 4950/4965 VDD_CPU_GPU_CV 493/493 VDD_SOC 1479/1479"
)
# Orin Nano, JetPack 5/6: lower-case sensors, mW units on power.
ORIN_LINE = (
    "RAM 2984/7620MB (lfb 2x4MB) SWAP 0/3810MB (cached 0MB) CPU [3%@729,2%@729] "
    "GR3D_FREQ 12% cpu@48.937C soc2@47.968C gpu@47.531C tj@48.937C "
    "VDD_IN 4771mW/4800mW VDD_CPU_GPU_CV 519mW/519mW VDD_SOC 1396mW/1396mW"
)


def test_parse_the_nano_line():
    sample = parse_tegrastats(NANO_LINE, name="NVIDIA Jetson Nano Developer Kit")
    assert sample == GpuSample(
        name="NVIDIA Jetson Nano Developer Kit",
        load_percent=34.0,
        mem_used_mb=2448.0,
        mem_total_mb=3956.0,
        power_mw=2751.0,  # POM_5V_IN current, not the GPU rail
        temperature_c=25.5,
        memory_is_shared=True,
    )


@pytest.mark.parametrize(
    ("line", "load", "mem", "power", "temp"),
    [
        (XAVIER_LINE, 7.0, (2132.0, 7771.0), 4950.0, 35.5),
        (ORIN_LINE, 12.0, (2984.0, 7620.0), 4771.0, 47.531),
        # A powered-off sensor reads -256C; GPU memory in kB on some builds.
        ("RAM 2048000/4096000kB GR3D_FREQ 0% GPU@-256C", 0.0, (2000.0, 4000.0), None, None),
        ("GR3D_FREQ 99%@[921,921]", 99.0, (None, None), None, None),
    ],
)
def test_parse_other_jetson_formats(line, load, mem, power, temp):
    sample = parse_tegrastats(line)
    assert sample.load_percent == load
    assert (sample.mem_used_mb, sample.mem_total_mb) == pytest.approx(mem)
    assert sample.power_mw == power and sample.temperature_c == temp


@pytest.mark.parametrize("line", ["", "tegrastats: command not found", "CPU [1%@100] GPU@30C"])
def test_parse_rejects_what_is_not_a_tegrastats_line(line):
    with pytest.raises(ValueError, match="not a tegrastats line"):
        parse_tegrastats(line)


def test_is_jetson_needs_the_release_file_and_tegrastats(tmp_path):
    release = tmp_path / "nv_tegra_release"
    found = {"tegrastats": "/usr/bin/tegrastats"}.get
    assert not is_jetson(release, which=found)
    release.write_text("# R32 (release), REVISION: 6.1\n", encoding="utf-8")
    assert is_jetson(release, which=found)
    assert not is_jetson(release, which=lambda name: None)


def test_jetson_model_name_strips_the_device_tree_nul(tmp_path):
    model = tmp_path / "model"
    model.write_bytes(b"NVIDIA Jetson Nano Developer Kit\x00")
    assert jetson_model_name(model) == "NVIDIA Jetson Nano Developer Kit"
    assert jetson_model_name(tmp_path / "missing") == "NVIDIA Jetson"


def fake_tegrastats(body: str) -> list[str]:
    """A stand-in tegrastats: a Python child process running ``body``."""
    return [sys.executable, "-c", "import sys, time\n" + body]


def test_the_reader_parses_the_line_of_a_real_process():
    reader = TegrastatsReader(
        fake_tegrastats(f"print({NANO_LINE!r}, flush=True)\ntime.sleep(30)"), name="Nano"
    )
    try:
        # Waits for the first line only; generous for a busy machine, returns as soon as it comes.
        assert reader.read(timeout_s=5.0) == parse_tegrastats(NANO_LINE, name="Nano")
    finally:
        reader.close()
    assert reader._process.poll() is not None


def test_an_unparsable_line_reads_as_none():
    reader = TegrastatsReader(fake_tegrastats("print('garbage', flush=True)\ntime.sleep(30)"))
    try:
        assert reader.read(timeout_s=5.0) is None
        assert reader._line == "garbage"
    finally:
        reader.close()


def test_a_silent_tegrastats_never_blocks_the_caller():
    reader = TegrastatsReader(fake_tegrastats("time.sleep(30)"))
    try:
        assert reader.read() is None
        assert reader.read(timeout_s=0.05) is None
    finally:
        reader.close()


def test_a_stale_line_counts_as_none():
    now = [100.0]
    reader = TegrastatsReader(
        fake_tegrastats(f"print({NANO_LINE!r}, flush=True)\ntime.sleep(30)"),
        stale_after_s=5.0,
        clock=lambda: now[0],
    )
    try:
        assert reader.read(timeout_s=5.0) is not None
        now[0] += 5.5
        assert reader.read() is None
    finally:
        reader.close()


def test_a_dying_tegrastats_is_logged_not_raised(caplog):
    reader = TegrastatsReader(fake_tegrastats("sys.exit(3)"))
    reader._thread.join(timeout=5.0)
    assert reader.read() is None
    reader.close()
    assert "tegrastats exited with status 3" in caplog.text


class FakeNvmlError(Exception):
    pass


def fake_pynvml(*, init_error: bool = False, power: bool = True, name=b"NVIDIA GeForce RTX 3060"):
    """A module shaped like nvidia-ml-py's ``pynvml`` that records init/shutdown."""
    module = types.ModuleType("pynvml")
    module.NVMLError = FakeNvmlError
    module.NVML_TEMPERATURE_GPU = 0
    module.calls = []

    def init():
        module.calls.append("init")
        if init_error:
            raise FakeNvmlError("Driver Not Loaded")

    def power_usage(handle):
        if not power:
            raise FakeNvmlError("Not Supported")
        return 170_250

    module.nvmlInit = init
    module.nvmlShutdown = lambda: module.calls.append("shutdown")
    module.nvmlDeviceGetHandleByIndex = lambda index: ("handle", index)
    module.nvmlDeviceGetName = lambda handle: name
    module.nvmlDeviceGetUtilizationRates = lambda handle: SimpleNamespace(gpu=63, memory=20)
    module.nvmlDeviceGetMemoryInfo = lambda handle: SimpleNamespace(
        used=3 * 1024**3, total=12 * 1024**3, free=9 * 1024**3
    )
    module.nvmlDeviceGetPowerUsage = power_usage
    module.nvmlDeviceGetTemperature = lambda handle, sensor: 61
    return module


def test_nvml_reads_load_memory_power_and_temperature(monkeypatch):
    module = fake_pynvml()
    monkeypatch.setitem(sys.modules, "pynvml", module)
    reader = NvmlReader.open()
    assert reader.read() == GpuSample(
        name="NVIDIA GeForce RTX 3060",
        load_percent=63.0,
        mem_used_mb=3072.0,
        mem_total_mb=12288.0,
        power_mw=170_250.0,
        temperature_c=61.0,
        memory_is_shared=False,
    )
    reader.close()
    assert module.calls == ["init", "shutdown"]


def test_nvml_without_power_reading_still_samples(monkeypatch):
    monkeypatch.setitem(sys.modules, "pynvml", fake_pynvml(power=False, name="Tesla T4"))
    sample = NvmlReader.open().read()
    assert sample.name == "Tesla T4" and sample.power_mw is None and sample.load_percent == 63.0


def test_no_driver_or_no_pynvml_means_no_gpu(monkeypatch):
    module = fake_pynvml(init_error=True)
    monkeypatch.setitem(sys.modules, "pynvml", module)
    assert NvmlReader.open() is None
    monkeypatch.setitem(sys.modules, "pynvml", None)  # import pynvml -> ImportError
    assert NvmlReader.open() is None


def test_a_missing_gpu_index_shuts_nvml_down(monkeypatch):
    module = fake_pynvml()

    def no_such_gpu(index):
        raise FakeNvmlError("Invalid Argument")

    module.nvmlDeviceGetHandleByIndex = no_such_gpu
    monkeypatch.setitem(sys.modules, "pynvml", module)
    assert NvmlReader.open(index=3) is None
    assert module.calls == ["init", "shutdown"]


def test_open_gpu_reader_prefers_tegrastats_on_a_jetson(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "pynvml", fake_pynvml())
    monkeypatch.setattr(system_stats, "is_jetson", lambda: True)
    monkeypatch.setenv("PATH", str(tmp_path))  # a Jetson whose tegrastats cannot start
    assert open_gpu_reader() is None
    monkeypatch.setattr(system_stats, "is_jetson", lambda: False)
    assert isinstance(open_gpu_reader(), NvmlReader)


class FakeGpuReader:
    def __init__(self) -> None:
        self.closed = False

    def read(self) -> GpuSample:
        return GpuSample("Fake GPU", 50.0, 100.0, 1000.0, 20_000.0)

    def close(self) -> None:
        self.closed = True


def test_the_sampler_reports_this_machine_and_the_gpu_reader():
    gpu = FakeGpuReader()
    sampler = SystemSampler(gpu)
    sample = sampler.sample()
    assert 0.0 <= sample.cpu_percent <= 100.0
    assert 0 < sample.ram_used_mb <= sample.ram_total_mb
    assert 10 < sample.process_rss_mb < sample.ram_total_mb  # a Python with pytest loaded
    assert sample.gpu == gpu.read()
    sampler.close()
    assert gpu.closed


def test_the_sampler_without_gpu_detection_has_no_gpu():
    assert SystemSampler(detect_gpu=False).sample().gpu is None
