"""tegrastats parsing on the Nano side (standalone Python 3.6 code) and the sampler."""

from __future__ import annotations

import sys

import pytest
from checkout_edge.tegrastats import TegrastatsSampler, parse_line, summarize

NANO = (
    "RAM 2263/3964MB (lfb 33x4MB) SWAP 12/1982MB (cached 0MB) CPU [12%@1479,8%@1479,off,4%@1479] "
    "EMC_FREQ 0% GR3D_FREQ 76% PLL@36C CPU@39C PMIC@100C GPU@37.5C AO@45C thermal@38C "
    "POM_5V_IN 4593/3975 POM_5V_GPU 1263/877 POM_5V_CPU 841/815"
)
ORIN_NANO = (
    "RAM 3241/7620MB (lfb 2x4MB) SWAP 0/3810MB (cached 0MB) CPU [2%@729,1%@729,0%@729,3%@729,"
    "off,off] EMC_FREQ 0%@2133 GR3D_FREQ 14%@[305] cpu@46.1C soc2@45.2C gpu@-256C "
    "VDD_IN 5129mW/5100mW VDD_CPU_GPU_CV 602mW/598mW VDD_SOC 1403mW/1400mW"
)


def test_nano_line():
    assert parse_line(NANO) == {
        "ram_used_mb": 2263.0,
        "ram_total_mb": 3964.0,
        "swap_used_mb": 12.0,
        "cpu_percent": 8.0,  # mean of the three online cores
        "gpu_load_percent": 76.0,
        "gpu_temp_c": 37.5,
        "power_in_mw": 4593.0,  # current, not the average
        "power_gpu_mw": 1263.0,
    }


def test_orin_line_units_and_powered_off_sensor():
    sample = parse_line(ORIN_NANO)
    assert sample["gpu_load_percent"] == 14.0
    assert sample["power_in_mw"] == 5129.0
    assert sample["gpu_temp_c"] is None  # -256C means the sensor is off
    assert sample["power_gpu_mw"] is None
    assert sample["cpu_percent"] == 1.5


def test_kilobyte_ram_and_not_a_line():
    assert parse_line("RAM 1024/2048kB GR3D_FREQ 0%")["ram_total_mb"] == 2.0
    with pytest.raises(ValueError, match="not a tegrastats line"):
        parse_line("tegrastats: command not found")


def test_summary():
    samples = [parse_line(NANO), parse_line(NANO.replace("GR3D_FREQ 76%", "GR3D_FREQ 24%"))]
    summary = summarize(samples)
    assert summary["samples"] == 2
    assert summary["gpu_load_percent_mean"] == 50.0
    assert summary["gpu_load_percent_max"] == 76.0
    assert summary["ram_used_mb_max"] == 2263.0
    assert summarize([])["power_in_mw_mean"] is None


def test_sampler_collects_lines_with_times():
    script = f"print({NANO!r}); print('garbage'); print({NANO!r}, flush=True)"
    sampler = TegrastatsSampler(command=[sys.executable, "-c", script])
    assert sampler.start()
    sampler._thread.join(timeout=10)  # the fake exits after three lines
    samples = sampler.stop()
    assert len(samples) == 2
    assert samples[0]["gpu_load_percent"] == 76.0 and samples[0]["t_s"] >= 0


def test_sampler_without_tegrastats_is_not_an_error():
    sampler = TegrastatsSampler(command=["/nonexistent/tegrastats"])
    assert sampler.start() is False
    assert sampler.stop() == []
