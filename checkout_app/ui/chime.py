"""Short sounds played without blocking the kiosk: a two-tone chime for a staff call, a beep for
a barcode scan.

PySide6-Essentials has no QtMultimedia, so the chime is a WAV file (made here, once) handed to
the desktop's sound player (``paplay`` for PulseAudio/PipeWire, else ALSA's ``aplay``). Without
either, the terminal bell (``QApplication.beep``) is all there is.
"""

from __future__ import annotations

import io
import logging
import math
import shutil
import struct
import subprocess
import tempfile
import wave
from pathlib import Path

from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

PLAYERS = ("paplay", "aplay")
SAMPLE_RATE = 22_050
TONES_HZ = (880.0, 660.0)  # the staff call
SCAN_TONES_HZ = (1320.0,)  # a barcode scan: one short high beep
TONE_S = 0.25

_wav_paths: dict = {}  # tones -> the WAV file made for them


def chime_wav(tones: tuple = TONES_HZ) -> bytes:
    """Sine tones with a short fade in and out (16-bit mono PCM WAV)."""
    samples = []
    fade = int(0.02 * SAMPLE_RATE)
    per_tone = int(TONE_S * SAMPLE_RATE)
    for frequency in tones:
        for i in range(per_tone):
            envelope = min(1.0, i / fade, (per_tone - i) / fade)
            value = 0.4 * envelope * math.sin(2 * math.pi * frequency * i / SAMPLE_RATE)
            samples.append(round(value * 32767))
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(SAMPLE_RATE)
        out.writeframes(struct.pack(f"<{len(samples)}h", *samples))
    return buffer.getvalue()


def sound_player() -> str | None:
    """The first sound player on PATH, or None."""
    return next((p for p in (shutil.which(name) for name in PLAYERS) if p), None)


def play_chime(tones: tuple = TONES_HZ) -> str:
    """Start the sound and return how it sounds ("paplay", "aplay" or "beep")."""
    player = sound_player()
    if player is not None:
        try:
            path = _wav_paths.get(tones)
            if path is None or not path.exists():
                with tempfile.NamedTemporaryFile(suffix=".wav", delete=False) as file:
                    file.write(chime_wav(tones))
                path = _wav_paths[tones] = Path(file.name)
            subprocess.Popen(
                [player, str(path)],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            return Path(player).name
        except OSError as exc:
            log.warning("could not play the staff-call chime with %s: %s", player, exc)
    QApplication.beep()
    return "beep"
