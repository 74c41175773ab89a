"""A short two-tone chime for a staff call, played without blocking the kiosk.

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
TONES_HZ = (880.0, 660.0)
TONE_S = 0.25

_wav_path: Path | None = None


def chime_wav() -> bytes:
    """Two sine tones with a short fade in and out (16-bit mono PCM WAV)."""
    samples = []
    fade = int(0.02 * SAMPLE_RATE)
    per_tone = int(TONE_S * SAMPLE_RATE)
    for frequency in TONES_HZ:
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


def play_chime() -> str:
    """Start the chime and return how it sounds ("paplay", "aplay" or "beep")."""
    global _wav_path
    player = sound_player()
    if player is not None:
        try:
            if _wav_path is None or not _wav_path.exists():
                with tempfile.NamedTemporaryFile(suffix=".wav", delete=False) as file:
                    file.write(chime_wav())
                _wav_path = Path(file.name)
            subprocess.Popen(
                [player, str(_wav_path)],
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
