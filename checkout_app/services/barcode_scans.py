"""When a barcode held up to the counter camera counts as one scan. No Qt, no decoder.

A code counts once it is read in ``confirm_frames`` processed frames in a row (a single
checksum-valid misread does not add a product: ``eval barcodes`` saw 11 in 1,350 frames), and
then not again until it has been out of sight for ``gone_s``: a shopper who holds a can up for
three seconds scans it once; to add a second, they lower it and hold it up again.
"""

from __future__ import annotations

from dataclasses import dataclass, field

CONFIRM_FRAMES = 2
GONE_S = 1.0


@dataclass
class BarcodeScans:
    confirm_frames: int = CONFIRM_FRAMES
    gone_s: float = GONE_S
    _runs: dict = field(default_factory=dict)  # code -> frames in a row it was read
    _last_seen: dict = field(default_factory=dict)  # code -> timestamp it was last read
    _scanned: set = field(default_factory=set)  # counted, still in sight

    def update(self, codes: set, timestamp: float) -> list[str]:
        """The codes read in one frame; returns the codes that count as a scan now."""
        for code in list(self._runs):
            if code not in codes:
                del self._runs[code]  # the run is broken
        for code in list(self._scanned):
            if code not in codes and timestamp - self._last_seen[code] >= self.gone_s:
                self._scanned.discard(code)
        scans = []
        for code in sorted(codes):
            self._last_seen[code] = timestamp
            self._runs[code] = self._runs.get(code, 0) + 1
            if self._runs[code] >= self.confirm_frames and code not in self._scanned:
                self._scanned.add(code)
                scans.append(code)
        return scans
