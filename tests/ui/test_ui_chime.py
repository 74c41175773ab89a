"""The staff-call chime: a valid WAV, handed to a sound player when there is one."""

from __future__ import annotations

import io
import wave

from checkout_app.ui import chime


def test_the_chime_is_a_short_mono_wav():
    with wave.open(io.BytesIO(chime.chime_wav())) as wav:
        assert wav.getnchannels() == 1 and wav.getsampwidth() == 2
        seconds = wav.getnframes() / wav.getframerate()
    assert 0.3 < seconds < 1.0


def test_the_chime_goes_to_the_sound_player(monkeypatch, tmp_path):
    started = []
    monkeypatch.setattr(chime, "sound_player", lambda: "/usr/bin/paplay")
    monkeypatch.setattr(chime.subprocess, "Popen", lambda args, **kw: started.append(args))
    monkeypatch.setattr(chime, "_wav_paths", {})
    monkeypatch.setattr(chime.tempfile, "tempdir", str(tmp_path))
    assert chime.play_chime() == "paplay"
    player, path = started[0]
    assert player == "/usr/bin/paplay" and path.endswith(".wav")
    assert chime.play_chime(chime.SCAN_TONES_HZ) == "paplay"
    assert started[1][1] != path, "the scan beep is a sound of its own"


def test_without_a_player_the_bell_rings(monkeypatch, qapp):
    rung = []
    monkeypatch.setattr(chime, "sound_player", lambda: None)
    monkeypatch.setattr(chime.QApplication, "beep", lambda: rung.append(1))
    assert chime.play_chime() == "beep"
    assert rung == [1]
