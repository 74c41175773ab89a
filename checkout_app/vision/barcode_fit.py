"""Read EAN-13 / UPC-A / EAN-8 codes too small or too soft for zxing-cpp, by fitting the symbol.

A 120 px wide EAN-13 in a 640×480 counter frame has 1.26 pixels per module: a run-length decoder
(zxing-cpp) sees thin bars merge and reads about one such code in a hundred. This reader uses
what is known about the picture instead of thresholding it:

1. **Find** regions of strong, parallel edges (the structure tensor of the image gradient).
2. **Average** each region across the bars' length into a brightness profile, binned every half
   pixel across them without resampling: sensor noise averages out, the bars do not, and a
   tilted code's rows fall at different phases, which samples its edges more finely.
3. **Fit** the symbol. The profile is modelled as the symbol's modules (1 = bar; 95 for EAN-13,
   67 for EAN-8) seen through a Gaussian blur and averaged over each pixel, which is linear in
   the modules (``module_response``). Start and module width are fitted to the symbol as far
   as it is known before reading it (the guards, and each digit's modules as dark as they are
   on average over the patterns that can stand there: ``_Layout.prior``; the layout that fits
   better is read); each digit's 7 modules are then read as the best of its 20 (left half: L
   and G patterns) or 10 (right half) patterns, the other digits held at their current
   reading, round after round; blur and position are fitted again to the pattern as read, and
   the digits read again. Samples the camera clipped white count only where the model would
   make them darker.
4. **Check**: the fit must explain the profile (residual at most ``MAX_FIT_NOISE`` of the
   contrast), the left half's parities must spell a first digit (EAN-8: be all L), the check
   digit must agree,
   and every digit must beat its runner-up by ``MIN_DIGIT_MARGIN`` (in units of the fit's own
   noise; more when the blur is wider than a module, ``_BLURRED_MARGIN``). Otherwise nothing is
   returned: a wrong code must be rarer than no code.

On hard frames it tries second guesses: where the symbol lies (``_quiet_zones``), and, once every
such guess failed, a wider search of position, width and blur (``_wide_search``). Pure numpy +
OpenCV. ``BarcodeReader`` runs it on every frame, and with it checks the codes zxing-cpp reads.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass

import cv2
import numpy as np

from checkout_app.core.barcode import check_digit
from checkout_app.vision.barcode_image import (
    EAN8_MODULES,
    G_PATTERNS,
    L_PATTERNS,
    PARITY,
    QUIET_MODULES,
    R_PATTERNS,
    SYMBOL_MODULES,
)

MIN_DIGIT_MARGIN = 2.0  # a digit's runner-up must fit this much worse, in noise units
# ... and this much when the fitted blur is wider than a module: at blur sigma 2-3 px on a
# 160 px code, 7 wrong codes passed with margins of 2.2 to 5.6 (of 275 right ones, 87 % clear 6).
_BLURRED_MARGIN = 6.0
# ... and twice that beyond 1.5 modules: on 120 px codes at blur sigma 1.5-2.5 px (fitted 1.6
# modules), 1 of 61 codes read was wrong, with margin 8.1; of the 60 right ones 50 clear 12.
_VERY_BLURRED_MODULES = 1.5
# The fit's residual (RMS) at most this share of the bars' contrast: the eval's codes fit within
# 0.115 (p99 0.097), the demo's held-up code 0.08; a pile of cucumbers in a real grocery photo
# that read as a UPC-A (its digits' margins were fine) fitted at 0.17.
MAX_FIT_NOISE = 0.14
SATURATED = 253  # samples this bright may be clipped: they say "at least this bright"
_MIN_MODULE_PX = 0.9  # narrower modules leave nothing to fit
_MIN_CONTRAST = 20  # grey levels between bars and spaces
# Region finding: the structure-tensor window (half-resolution pixels), and what a barcode
# region looks like.
_TENSOR_WINDOW = 4
_MIN_COHERENCE = 0.7
_MIN_EDGE_ENERGY = 300.0
_MIN_LENGTH_PX = 70  # across the bars (a symbol of 95 modules at the smallest module width)
_MIN_HEIGHT_PX = 10  # along the bars
_MAX_REGIONS = 3  # profiles built, largest first (a label's outline around a code is one)
_MAX_DECODES = 2  # of them decoded, at most (a decode is most of the time a frame takes)
_MAX_TURN_DEG = 20  # a region pixel whose edges turn further from the bars' way is not a bar
_BIN_PX = 0.5  # profile sampling across the bars, at the finest
_BINS_PER_MODULE = 3  # and no finer than this many a module (wide codes: fewer samples to fit;
# 4 read no more codes and took 10 % longer a frame)
_QUIET_FITTED = 5  # modules of quiet zone each side that take part in the fits
_FIRST_BLUR = 0.7  # px: the blur assumed until it is fitted
_MIN_QUIET_SHARE = 0.05  # of the dark extent: a white stretch this long is no space between bars
_WHITE = 0.15  # darkness below which a sample counts as quiet zone (a blurred thin bar is more)


def _bits(pattern: str) -> np.ndarray:
    return np.array([c == "1" for c in pattern], np.float64)


_DIGIT_PATTERNS = {
    "L": np.array([_bits(p) for p in L_PATTERNS]),
    "G": np.array([_bits(p) for p in G_PATTERNS]),
    "R": np.array([_bits(p) for p in R_PATTERNS]),
}


@dataclass(frozen=True)
class _Layout:
    """Where an EAN symbol's digits lie, and what is known of its modules before reading it.

    ``prior``: the guards, and each digit's modules as dark as they are on average over the
    patterns of its half. Every left-half pattern starts with a space and ends with a bar, every
    right-half one the other way round, so the digits' edges help place the symbol too. (Digits
    modelled half dark instead pulled the fit a module inwards in bright light: 37 of 2,160
    frames of the eval's target conditions unread, not 13.) ``parities``: the left half's
    pattern sets (L or G) each code may have, and the digit they stand for ("" for EAN-8, whose
    left half is all L)."""

    modules: int
    starts: tuple  # each digit's first module
    parities: dict
    prior: np.ndarray
    columns: np.ndarray  # every digit's modules, digit after digit

    def sets(self, position: int) -> tuple:
        """The pattern sets the digit at ``position`` may take."""
        return ("L", "G") if position < len(self.starts) // 2 else ("R",)

    def slice(self, position: int) -> slice:
        return slice(self.starts[position], self.starts[position] + 7)


def _layout(digits: int, parities: dict) -> _Layout:
    half = digits // 2
    centre = 3 + 7 * half
    starts = tuple([3 + 7 * i for i in range(half)] + [centre + 5 + 7 * i for i in range(half)])
    modules = centre + 5 + 7 * half + 3
    prior = np.zeros(modules)
    prior[[0, 1, 2, centre, centre + 1, centre + 2, centre + 3, centre + 4]] = _bits("10101010")
    prior[modules - 3 :] = _bits("101")
    columns = np.concatenate([np.arange(start, start + 7) for start in starts])
    layout = _Layout(modules, starts, parities, prior, columns)
    for position in range(digits):
        patterns = np.concatenate([_DIGIT_PATTERNS[kind] for kind in layout.sets(position)])
        prior[layout.slice(position)] = patterns.mean(axis=0)
    return layout


EAN13 = _layout(12, {parity: str(digit) for digit, parity in enumerate(PARITY)})
EAN8 = _layout(8, {"LLLL": ""})
assert (EAN13.modules, EAN8.modules) == (SYMBOL_MODULES, EAN8_MODULES)
_L_SET = {tuple(pattern) for pattern in _DIGIT_PATTERNS["L"]}

# A sample's darkness for a unit step (a bar's edge) at distance d before it: the edge blurred
# by a Gaussian of the blur, averaged over the sample's pixel (1 px wide). Tabulated per blur
# (the fits try a few) every 1/200 px, and read by linear interpolation (``_step``).
_STEP_D = np.linspace(-8.0, 8.0, 3201)
_STEP_PER_PX = (_STEP_D.size - 1) / (_STEP_D[-1] - _STEP_D[0])


def _step_reach(blur):
    """How far from an edge (px) its blurred, pixel-averaged step is whole to 1e-4 (for a blur
    or an array of them)."""
    return np.minimum(0.5 + 4 * np.asarray(blur), _STEP_D[-1])


@functools.lru_cache(maxsize=16)
def _step_table(blur: float) -> tuple[np.ndarray, np.ndarray]:
    """The step at each of ``_STEP_D``, and its change to the next entry (0 after the last)."""
    reach = (_STEP_D[-1] + 0.5) / blur + 1  # the table's ends, in units of the blur
    u = np.linspace(-reach, reach, 8001)
    cdf = 0.5 * (1 + np.vectorize(math.erf)(u / math.sqrt(2)))
    integral = u * cdf + np.exp(-u * u / 2) / math.sqrt(2 * math.pi)  # of the normal CDF

    def pixel_edge(at):  # the CDF integrated from -inf to ``at`` (in blur units)
        return np.interp(at, u, integral)

    table = blur * (pixel_edge((_STEP_D + 0.5) / blur) - pixel_edge((_STEP_D - 0.5) / blur))
    return table, np.diff(table, append=table[-1])


@functools.lru_cache(maxsize=16)
def _step_tables(blurs: tuple) -> tuple[np.ndarray, np.ndarray]:
    """``_step_table`` of each of ``blurs``, one after the other."""
    tables, changes = zip(*(_step_table(blur) for blur in blurs))
    return np.concatenate(tables), np.concatenate(changes)


def _step(distances: np.ndarray, blurs: np.ndarray) -> np.ndarray:
    """The step at ``distances`` (px; [candidate, ...]) for each candidate's blur (``blurs``,
    px; beyond the table, its end values): what np.interp gives, by index, as the tables are
    evenly spaced. Three times faster than np.interp on distances out of order (np.interp then
    searches the table for each)."""
    kinds = tuple(sorted(set(blurs.tolist())))  # a few; np.unique takes longer
    kind = np.searchsorted(kinds, blurs)
    table, change = _step_tables(kinds)
    at = (distances - _STEP_D[0]) * _STEP_PER_PX
    np.clip(at, 0.0, _STEP_D.size - 1.000001, out=at)
    index = at.astype(np.intp)
    at -= index
    index += (kind * _STEP_D.size).reshape((-1,) + (1,) * (index.ndim - 1))  # its blur's table
    return table[index] + at * change[index]


@dataclass(frozen=True)
class FittedCode:
    gtin: str  # 13 digits (EAN-13, UPC-A as its GTIN) or 8 (EAN-8), check digit verified
    box: tuple  # x1, y1, x2, y2 of the region in frame pixels
    margin: float  # the weakest digit's lead over its runner-up, in noise units


def _step_response(positions: np.ndarray, edges: np.ndarray, blur: float) -> np.ndarray:
    """[sample, edge]: each sample's darkness for a unit step up at each of ``edges``."""
    # Rows of distances in order: np.interp's search from its last answer finds each at once.
    return np.interp(positions[:, None] - edges[None, :], _STEP_D, _step_table(blur)[0])


def module_response(
    positions: np.ndarray, start: float, module: float, blur: float, count: int = SYMBOL_MODULES
):
    """[sample, module]: how dark each sample is for each of ``count`` modules alone being a
    bar, the symbol starting at ``start`` with modules ``module`` pixels wide."""
    steps = _step_response(positions, start + module * np.arange(count + 1.0), blur)
    return steps[:, :-1] - steps[:, 1:]


def _render(positions, starts: np.ndarray, modules_px: np.ndarray, blurs: np.ndarray, modules):
    """[candidate, sample]: ``module_response(positions, start, module, blur) @ modules`` for
    each candidate start, module width and blur at once, from the pattern's edges, each only
    where it is not yet a whole step (an edge more than ``_step_reach(blur)`` before a sample
    adds its whole step, one more than that after it nothing): the fits try thousands of
    candidates a second."""
    delta = np.diff(np.concatenate([[0.0], modules, [0.0]]))
    where = np.flatnonzero(delta)
    steps = delta[where]
    starts, modules_px = starts[:, None], modules_px[:, None]
    at = (positions[None, :] - starts) / modules_px  # in modules from each candidate's start
    reach = _step_reach(blurs)[:, None] / modules_px
    before = np.searchsorted(where, at - reach)  # [candidate, sample]: edges wholly passed
    near = np.searchsorted(where, at + reach) - before
    window = before[..., None] + np.arange(max(int(near.max()), 1))
    inside = window < (before + near)[..., None]
    window = np.minimum(window, where.size - 1)
    edges = starts[..., None] + modules_px[..., None] * where[window]
    partial = _step(positions[None, :, None] - edges, blurs)
    whole = np.concatenate([[0.0], np.cumsum(steps)])[before]
    return whole + (partial * np.where(inside, steps[window], 0.0)).sum(axis=-1)


class _Profile:
    """Brightness across the bars at increasing ``positions`` (pixels), as darkness (0 white ..
    1 black). A sample the camera clipped (``SATURATED`` or brighter) only says its darkness is
    at most ``dark_clip``: fits count it when the model makes it darker than that. ``levels``:
    a profile whose black and white levels to use (the whole profile a part was cut from)."""

    def __init__(self, positions, brightness, levels: _Profile | None = None) -> None:
        self.positions, self.brightness = positions, brightness
        if levels is None:
            black, self.white = np.percentile(brightness, [3, 97])
            self.contrast = self.white - black
        else:
            self.white, self.contrast = levels.white, levels.contrast
        scale = max(self.contrast, 1e-6)
        self.dark = (self.white - brightness) / scale
        self.clipped = brightness >= SATURATED
        self.any_clipped = bool(self.clipped.any())
        self.dark_clip = (self.white - SATURATED) / scale
        self.bounded = np.where(self.clipped, self.dark_clip, self.dark)  # what the fits fit

    def subset(self, keep: np.ndarray) -> _Profile:
        return _Profile(self.positions[keep], self.brightness[keep], self)

    def mirrored(self) -> _Profile:
        """The same samples read from the other end."""
        positions = self.positions[0] + self.positions[-1] - self.positions[::-1]
        return _Profile(positions, self.brightness[::-1], self)

    def fit(self, model: np.ndarray) -> tuple[float, float, float]:
        """``dark ≈ gain · model + offset`` by least squares: (squared residual, gain, offset).
        Clipped samples count where the line makes them darker than the clip level."""
        residual, gain, offset = self.fits(model[None, :])
        return float(residual[0]), float(gain[0]), float(offset[0])

    def fits(self, models: np.ndarray):
        """``fit`` of each row of ``models`` ([candidate, sample]) at once: arrays of squared
        residuals (inf for a flat model), gains and offsets."""
        clipped, y = self.clipped, self.bounded
        counted = np.broadcast_to(~clipped, models.shape) if self.any_clipped else None
        # Which clipped samples the line darkens depends on the line: a few refits settle it.
        for _ in range(3):
            gain, offset, flat = _lines(models, y, counted)
            line = gain[:, None] * models + offset[:, None]
            if counted is None:
                break
            now = ~clipped | (clipped & (line > self.dark_clip))
            if np.array_equal(counted, now):
                break
            counted = now
        residual = y - line
        if self.any_clipped:
            residual = np.where(clipped, np.maximum(-residual, 0), residual)
        squared = np.where(flat, math.inf, np.einsum("ij,ij->i", residual, residual))
        return squared, gain, offset


def _lines(models: np.ndarray, y: np.ndarray, counted: np.ndarray | None):
    """(gains, offsets, flat) of ``y ≈ gain · model + offset`` by least squares for each row of
    ``models``, over the ``counted`` samples of each (None: all); a flat model gets gain 0 and
    the mean as offset."""
    if counted is None:
        xm, ym = models.mean(axis=1), np.full(len(models), y.mean())
        dx = models - xm[:, None]
    else:
        n = np.maximum(counted.sum(axis=1), 1)
        xm, ym = (models * counted).sum(axis=1) / n, (y * counted).sum(axis=1) / n
        dx = (models - xm[:, None]) * counted
    var = np.einsum("ij,ij->i", dx, dx)
    flat = var < 1e-9
    gain = np.where(flat, 0.0, dx @ y / np.where(flat, 1.0, var))  # dx sums to 0 in each row
    return gain, ym - gain * xm, flat


def _quiet_zones(profile: _Profile) -> list[tuple[float, float]]:
    """Where the symbol may lie: (end of the left quiet zone, start of the right one), best guess
    first. The first guess takes the two longest white stretches; the second, of the stretches
    too long to lie between bars, the two with the most between them (a label's edge can cut the
    white beside a code in two, while heavy blur in bright light can merge a thin bar into the
    white around it: each guess survives what the other does not)."""
    p = profile.positions
    white = np.concatenate([[0], (profile.dark < _WHITE).astype(np.int8), [0]])
    edges = np.flatnonzero(np.diff(white))
    runs = [(p[a], p[b]) for a, b in zip(edges[0::2], edges[1::2] - 1)]  # both ends white
    dark = np.flatnonzero(profile.dark > 0.5)
    if len(runs) < 2 or dark.size < 2:
        return []
    longest = sorted(sorted(runs, key=lambda run: run[1] - run[0])[-2:])
    guesses = [(longest[0][1], longest[1][0])]
    shortest = _MIN_QUIET_SHARE * (p[dark[-1]] - p[dark[0]])
    quiet = [run for run in runs if run[1] - run[0] >= shortest]
    if len(quiet) >= 2:
        _, left, right = max(
            (after[0] - before[1], before[1], after[0]) for before, after in zip(quiet, quiet[1:])
        )
        if (left, right) != guesses[0]:
            guesses.append((left, right))
    return [(float(left + 0.5), float(right - 0.5)) for left, right in guesses]


def decode_profile(
    positions: np.ndarray, brightness: np.ndarray, wide_search: bool = True
) -> tuple[str, float] | None:
    """(the code, 13 digits or EAN-8's 8, and the weakest digit's margin) read from brightness
    samples across the bars at increasing ``positions``, either way round; None when it cannot
    be read with confidence. ``wide_search``: whether hard profiles get the wide search, which
    takes as long again."""
    positions = np.asarray(positions, np.float64)
    brightness = np.asarray(brightness, np.float64)
    whole = _Profile(positions, brightness)
    if whole.contrast < _MIN_CONTRAST:
        return None
    # Every guess of where the symbol lies is read once before the wide search is tried on any.
    unread = []
    for left, right in _quiet_zones(whole):
        symbol = _first_reading(whole, left, right)
        if symbol is None:
            continue
        checked, symbol = _read_again(*symbol)
        if checked is not None:
            return checked
        unread.append(symbol)
    for symbol in unread if wide_search else ():
        checked = _wide_search(*symbol)
        if checked is not None:
            return checked
    return None


def _first_reading(whole: _Profile, left: float, right: float):
    """(layout, profile, start, module width, modules): the symbol between quiet zones ending
    at ``left`` and starting at ``right`` placed and read once, as the layout (EAN-13 or EAN-8)
    whose ``prior`` fits it better, the way round it fits better (the profile mirrored if read
    from the other end); None when its modules would be too narrow."""
    # From here on only the symbol and a little of its quiet zones: what lies beyond (the
    # counter, the package) is not in the model.
    quiet = _QUIET_FITTED * (right - left) / EAN13.modules
    positions = whole.positions
    profile = whole.subset((positions > left - quiet) & (positions < right + quiet))
    placed = _place_symbol(profile, left, right)
    if placed is None:
        return None
    layout, start, module = placed
    # The guards look the same either way round; the digits do not. Read from this end, the left
    # half of a code read from its other end shows G patterns only (the R patterns reversed):
    # no code has that parity. Unless the parity read is a code's, read the other way too and go
    # on with the way that fits better.
    digits = _Digits(profile, layout, start, module, _FIRST_BLUR)
    modules = _read_digits(digits, rounds=1)
    if _parities(layout, modules) in layout.parities:
        return layout, profile, start, module, modules
    ways = [(profile.fit(digits.response @ modules)[0], profile, start, modules)]
    end = profile.positions[0] + profile.positions[-1] - (start + layout.modules * module)
    mirrored = profile.mirrored()
    digits = _Digits(mirrored, layout, end, module, _FIRST_BLUR)
    modules = _read_digits(digits, rounds=1)
    ways.append((mirrored.fit(digits.response @ modules)[0], mirrored, end, modules))
    _, view, at, modules = min(ways, key=lambda way: way[0])
    return layout, view, at, module, modules


def _geometry_fits(profile: _Profile, modules, start, module, shifts, scales, blurs):
    """Fits of ``modules`` over the grid start + each shift, module × (1 + each scale), each
    blur, rendered at once: arrays [shift, scale × blur] of the squared residuals, starts,
    module widths and blurs."""
    shape = (len(shifts), len(scales), len(blurs))
    shift, scale, blur = (g.ravel() for g in np.meshgrid(shifts, scales, blurs, indexing="ij"))
    starts, widths = start + shift, module * (1 + scale)
    residuals = profile.fits(_render(profile.positions, starts, widths, blur, modules))[0]
    return tuple(a.reshape(shape[0], -1) for a in (residuals, starts, widths, blur))


def _best_geometry(profile: _Profile, modules, start, module, shifts, scales, blurs):
    """(squared residual, start, module width, blur) of the best fit of ``modules`` over the
    grid of ``_geometry_fits``."""
    fits = _geometry_fits(profile, modules, start, module, shifts, scales, blurs)
    i = np.unravel_index(np.argmin(fits[0]), fits[0].shape)
    return tuple(float(a[i]) for a in fits)


_COARSE = (np.linspace(-1.0, 1.0, 5), (-0.012, 0.0, 0.012))  # shifts (px), module width changes
_FINE = (np.linspace(-0.25, 0.25, 3), (-0.004, 0.0, 0.004))
_NARROW = ((-0.2, 0.0, 0.2), (-0.004, 0.0, 0.004))
_BLURS = (0.45, 0.7, 1.0, 1.4, 2.0)  # px, tried when the blur is fitted
_WIDE_TRIES = 2  # the wide search's best positions read in turn
_WIDE_MARGIN = 2 * MIN_DIGIT_MARGIN  # what a code read after the wide search must clear


def _place_symbol(profile: _Profile, left: float, right: float):
    """(layout, start, module width): the symbol between quiet zones ending at ``left`` and
    starting at ``right`` fitted as known before reading it (the layout's ``prior``), coarse
    then fine, as the layout whose prior explains the profile better where the quiet zones put
    it; None when its modules would be too narrow."""
    choices = []
    for layout in (EAN13, EAN8):
        module = (right - left) / layout.modules
        if module >= _MIN_MODULE_PX:
            fit = _best_geometry(
                profile, layout.prior, left, module, (0.0,), (0.0,), (_FIRST_BLUR,)
            )
            choices.append((fit[0], layout, module))
    if not choices:
        return None
    _, layout, module = min(choices, key=lambda choice: choice[0])
    start = left
    for grid in (_COARSE, _FINE):
        _, start, module, _ = _best_geometry(
            profile, layout.prior, start, module, *grid, (_FIRST_BLUR,)
        )
    return layout, start, module


def _narrow(profile: _Profile, start: float, module: float, modules: np.ndarray):
    """(start, module width, blur): the blur fitted to ``modules`` as read, then position and
    width in a narrow grid around the last fit."""
    blur = _best_geometry(profile, modules, start, module, (0.0,), (0.0,), _BLURS)[3]
    return _best_geometry(profile, modules, start, module, *_NARROW, (blur,))[1:]


def _read_again(layout: _Layout, profile: _Profile, start: float, module: float, modules):
    """(the checked code or None, (layout, profile, start, module width, modules) as now
    fitted and read): blur and position fitted again on the pattern as first read, and the
    digits read again."""
    start, module, blur = _narrow(profile, start, module, modules)
    digits = _Digits(profile, layout, start, module, blur)
    modules = _read_digits(digits, modules)
    return _checked_code(digits, modules), (layout, profile, start, module, modules)


def _wide_search(layout: _Layout, profile: _Profile, start: float, module: float, modules):
    """The checked code read after a wider search of position, width and blur together (heavy
    blur on a clipping camera can put the first fit off by a pixel): its best positions are
    read in turn, each refined as in ``_read_again``, and a code from them must clear twice the
    margin; None when none does."""
    # Each shift of the wide search (with its best module width and blur), best fit first.
    residuals, starts, widths, blurs = _geometry_fits(
        profile, modules, start, module, *_COARSE, _BLURS[1:4]
    )
    best = residuals.argmin(axis=1)
    shifts = np.arange(len(best))
    tries = np.argsort(residuals[shifts, best])[:_WIDE_TRIES]
    for begin, width, blur in zip(*(a[shifts, best][tries] for a in (starts, widths, blurs))):
        read = _read_digits(_Digits(profile, layout, begin, width, blur), modules)
        checked, _ = _read_again(layout, profile, begin, width, read)
        # Each extra try is one more chance for a wrong code to pass: it must be clearer.
        if checked is not None and checked[1] >= _WIDE_MARGIN:
            return checked
    return None


class _Digits:
    """A profile and its ``module_response`` for a layout at one position, width and blur, with
    what reading a digit needs of them worked out once (reading asks for each digit every
    round): for each digit, the samples it darkens, their response to every module and to each
    of its patterns."""

    def __init__(self, profile: _Profile, layout: _Layout, start: float, module, blur) -> None:
        response = module_response(profile.positions, start, module, blur, layout.modules)
        self.profile, self.layout, self.response = profile, layout, response
        # Blurred wider than a module, bars and spaces are no longer seen one by one: a code
        # read then must be clearer (``_BLURRED_MARGIN``), and clearer still beyond 1.5 modules.
        self.least_margin = MIN_DIGIT_MARGIN
        if blur > _VERY_BLURRED_MODULES * module:
            self.least_margin = 2 * _BLURRED_MARGIN
        elif blur > module:
            self.least_margin = _BLURRED_MARGIN
        self._blocks = []
        count = len(layout.starts)
        darkened = response[:, layout.columns].reshape(len(response), count, 7).sum(axis=2) > 0.02
        for position in range(count):
            names = layout.sets(position)
            rows = np.flatnonzero(darkened[:, position])
            near = response[rows]
            patterns = np.concatenate([_DIGIT_PATTERNS[name] for name in names])
            clipped = np.flatnonzero(profile.clipped[rows])
            self._blocks.append(
                (
                    names,
                    near,
                    near[:, layout.slice(position)] @ patterns.T,
                    profile.dark[rows],
                    clipped,
                )
            )

    def costs(self, modules: np.ndarray, position: int, gain: float, offset: float):
        """Each pattern's squared error for one digit, the rest of ``modules`` held fixed (left
        half: 10 L then 10 G patterns; right half: 10 R patterns), and the pattern set names.
        A clipped sample errs only where a pattern makes it darker than the clip level."""
        names, near, by_pattern, dark, clipped = self._blocks[position]
        digit = self.layout.slice(position)
        rest = offset + gain * (near @ modules - near[:, digit] @ modules[digit])
        predicted = rest[:, None] + gain * by_pattern
        error = dark[:, None] - predicted
        if clipped.size:
            error[clipped] = np.maximum(predicted[clipped] - self.profile.dark_clip, 0)
        return (error * error).sum(axis=0), names


def _read_digits(digits: _Digits, modules=None, rounds: int = 2):
    """The symbol's modules with every digit read as its best-fitting pattern, each digit with
    the others as last read (the first round starts from the layout's ``prior``), ``rounds``
    times over."""
    layout = digits.layout
    modules = layout.prior.copy() if modules is None else modules.copy()
    for _ in range(rounds):
        _, gain, offset = digits.profile.fit(digits.response @ modules)
        for position in range(len(layout.starts)):
            costs, names = digits.costs(modules, position, gain, offset)
            best = int(np.argmin(costs))
            modules[layout.slice(position)] = _DIGIT_PATTERNS[names[best // 10]][best % 10]
    return modules


def _parities(layout: _Layout, modules: np.ndarray) -> str:
    """The left half's pattern sets (L or G), as ``_read_digits`` left them."""
    half = range(len(layout.starts) // 2)
    return "".join("L" if tuple(modules[layout.slice(i)]) in _L_SET else "G" for i in half)


def _checked_code(read: _Digits, modules: np.ndarray):
    profile = read.profile
    residual, gain, offset = profile.fit(read.response @ modules)
    noise = max(residual / profile.positions.size, 1e-6)  # per-sample variance
    if math.sqrt(noise) > MAX_FIT_NOISE * gain:
        return None  # no pattern of bars and spaces explains this profile well enough
    digits, parities, margins = [], "", []
    for position in range(len(read.layout.starts)):
        costs, names = read.costs(modules, position, gain, offset)
        order = np.argsort(costs)
        digits.append(str(order[0] % 10))
        if len(names) > 1:  # a left-half digit
            parities += names[order[0] // 10]
        margins.append((costs[order[1]] - costs[order[0]]) / (2 * noise))
    if parities not in read.layout.parities:
        return None
    code = read.layout.parities[parities] + "".join(digits)
    margin = float(min(margins))
    if check_digit(code[:-1]) != int(code[-1]) or margin < read.least_margin:
        return None
    return code, margin


class Workspace:
    """The frame-sized arrays of ``find_profiles`` (full and half size), kept from one frame to
    the next. Allocated anew each frame they cost more than the arithmetic on them: every page
    of a fresh array faults (about 2,000 faults and 5 ms a 640×480 frame on a 2-core virtual
    machine). Not shared between threads: one per reader."""

    def __init__(self) -> None:
        self._arrays: dict[str, np.ndarray] = {}

    def array(self, name: str, shape: tuple) -> np.ndarray:
        """A float32 array of ``shape`` under ``name``, its content left from the last use."""
        kept = self._arrays.get(name)
        if kept is None or kept.shape != shape:
            kept = self._arrays[name] = np.empty(shape, np.float32)
        return kept


def find_profiles(
    grey: np.ndarray, workspace: Workspace | None = None
) -> list[tuple[np.ndarray, np.ndarray, tuple]]:
    """Up to ``_MAX_REGIONS`` barcode-like regions, largest first, each as a profile across its
    bars: (positions, brightness, box in frame pixels). The profile is the mean of the middle
    half of the bars' length, binned every ``_BIN_PX`` (a quarter module for wide codes) across
    them, so no pixel is resampled: a tilted code's rows fall at different phases, which
    samples its edges more finely. A ``workspace`` kept by the caller saves allocating the
    full-frame arrays again."""
    workspace = workspace or Workspace()
    full = grey.shape
    gx = cv2.Sobel(grey, cv2.CV_32F, 1, 0, dst=workspace.array("gx", full), ksize=3)
    gy = cv2.Sobel(grey, cv2.CV_32F, 0, 1, dst=workspace.array("gy", full), ksize=3)
    # The gradient's products at full resolution (thin bars need it), their local sums at half
    # (a region needs no finer outline, and it is four times less work).
    product = workspace.array("product", full)
    half = (full[0] // 2, full[1] // 2)
    scratch = workspace.array("scratch", half)
    jxx, jyy, jxy = (
        cv2.blur(
            cv2.resize(
                cv2.multiply(a, b, dst=product), half[::-1], scratch,
                interpolation=cv2.INTER_AREA,
            ),
            (_TENSOR_WINDOW, _TENSOR_WINDOW),
            dst=workspace.array(name, half),
        )
        for name, a, b in (("jxx", gx, gx), ("jyy", gy, gy), ("jxy", gx, gy))
    )  # fmt: skip
    # Coherent edges: sqrt((jxx - jyy)² + 4 jxy²) > _MIN_COHERENCE · energy, both sides squared
    # and worked out in place.
    energy = np.add(jxx, jyy, out=workspace.array("energy", half))
    spread = np.subtract(jxx, jyy, out=workspace.array("spread", half))
    np.multiply(spread, spread, out=spread)
    np.multiply(jxy, jxy, out=scratch)
    spread += np.multiply(scratch, 4, out=scratch)
    bound = np.multiply(energy, _MIN_COHERENCE, out=scratch)
    mask = (spread > np.multiply(bound, bound, out=bound)) & (energy > _MIN_EDGE_ENERGY)
    mask = mask.astype(np.uint8)
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, np.ones((2, 2), np.uint8))
    _, labels, stats, _ = cv2.connectedComponentsWithStats(mask)
    order = np.argsort(stats[1:, cv2.CC_STAT_AREA])[::-1] + 1
    profiles = []
    for label in order[:_MAX_REGIONS]:
        x, y, w, h = stats[label, :4]
        ys, xs = np.nonzero(labels[y : y + h, x : x + w] == label)
        xs, ys = xs + x, ys + y
        # The bars' normal: the mean gradient orientation over the region (doubled angles).
        angle = 0.5 * math.atan2(2 * jxy[ys, xs].sum(), (jxx[ys, xs] - jyy[ys, xs]).sum())
        local = 0.5 * np.arctan2(2 * jxy[ys, xs], jxx[ys, xs] - jyy[ys, xs])
        xs, ys = 2 * xs + 0.5, 2 * ys + 0.5  # full-resolution pixel coordinates
        bars = _bar_pixels(xs, ys, local, angle)
        if bars is None:
            continue
        profile = _profile_across(grey, xs, ys, angle, bars)
        if profile is not None:
            bx, by = xs[bars], ys[bars]
            box = (int(bx.min()), int(by.min()), int(bx.max()) + 2, int(by.max()) + 2)
            profiles.append((*profile, box))
    return profiles


def _bar_pixels(xs: np.ndarray, ys: np.ndarray, local: np.ndarray, angle: float):
    """Which of a region's pixels lie on the bars themselves (a boolean mask; None if none):
    those whose own edges run the bars' way (``local``: each pixel's gradient angle; not the
    edge of a label or package across the bars' ends), in the rows along the bars where they
    are at least half their widest (not the narrower fingers holding a code up, or a
    package's side, whose edges run the bars' way beside them)."""
    # The turn of doubled angles, in [0, pi]: an edge 180 degrees round is the same edge.
    turn = np.abs((2 * (local - angle) + math.pi) % (2 * math.pi) - math.pi)
    along = turn < math.radians(2 * _MAX_TURN_DEG)
    if not along.any():
        return None
    v = -xs * math.sin(angle) + ys * math.cos(angle)
    rows = np.round((v - v.min()) / 2).astype(np.int64)  # two frame pixels: the tensor's grid
    widths = np.convolve(np.bincount(rows[along], minlength=rows.max() + 1), np.ones(3) / 3, "same")
    peak = int(widths.argmax())
    wide = widths >= 0.5 * widths[peak]
    first, last = peak, peak
    while first > 0 and wide[first - 1]:
        first -= 1
    while last + 1 < wide.size and wide[last + 1]:
        last += 1
    return along & (rows >= first) & (rows <= last)


def _profile_across(image: np.ndarray, xs: np.ndarray, ys: np.ndarray, angle: float, bars):
    """(positions, mean brightness) across the bars of the region, over the middle of the
    ``bars`` pixels' rows, along the whole region with a margin each side for the quiet zones
    (which have no edges, so lie outside the region; a label's edge that joins the region spans
    both halves of a code whose middle lost its edges to blur); None when the region is too
    small to hold a symbol."""
    c, s = math.cos(angle), math.sin(angle)
    u, v = xs * c + ys * s, -xs[bars] * s + ys[bars] * c  # across the bars, along them
    length, height = u.max() - u.min(), v.max() - v.min()
    if length < _MIN_LENGTH_PX or height < _MIN_HEIGHT_PX:
        return None
    margin = 0.25 * length
    u_lo, u_hi = u.min() - margin, u.max() + margin
    v_lo, v_hi = v.min() + 0.25 * height, v.max() - 0.25 * height
    # Every frame pixel of that rotated rectangle (its bounding box, then the mask).
    corners = [(a * c - b * s, a * s + b * c) for a in (u_lo, u_hi) for b in (v_lo, v_hi)]
    x0 = max(int(min(x for x, _ in corners)), 0)
    x1 = min(int(max(x for x, _ in corners)) + 1, image.shape[1])
    y0 = max(int(min(y for _, y in corners)), 0)
    y1 = min(int(max(y for _, y in corners)) + 1, image.shape[0])
    gy, gx = np.mgrid[y0:y1, x0:x1]
    pu, pv = gx * c + gy * s, -gx * s + gy * c
    inside = (pu >= u_lo) & (pu < u_hi) & (pv >= v_lo) & (pv <= v_hi)
    across = pu[inside] - u_lo
    bin_px = max(_BIN_PX, length / (SYMBOL_MODULES * _BINS_PER_MODULE))  # length: about the bars'
    bins = (across / bin_px).astype(np.int64)
    counts = np.bincount(bins)
    filled = counts > 0
    positions = np.bincount(bins, weights=across)[filled] / counts[filled]
    brightness = np.bincount(bins, weights=image[y0:y1, x0:x1][inside])[filled] / counts[filled]
    return positions, brightness


def read_fitted(
    grey: np.ndarray, checked=(), known=(), workspace: Workspace | None = None
) -> list[FittedCode]:
    """Every EAN-13 / UPC-A / EAN-8 code read by fitting, each once. Regions inside the
    ``checked`` boxes (x1, y1, x2, y2: codes another decoder read, to be checked) are decoded
    after the others, and without the wide search (a code another decoder reads is sharp
    enough; when the fit fails there, the other decoder's code stands); those inside the
    ``known`` boxes (codes read already) are left alone. ``workspace``: as for
    ``find_profiles``."""

    def to_check(box: tuple) -> bool:
        return any(centre_inside(box, other) for other in checked)

    # Stable: largest first among the others and among those to check.
    profiles = sorted(find_profiles(grey, workspace), key=lambda profile: to_check(profile[2]))
    found: dict[str, FittedCode] = {}
    decodes = 0
    for positions, brightness, box in profiles:
        if any(centre_inside(box, other) for other in known):
            continue
        if any(centre_inside(box, _with_quiet_zone(code.box)) for code in found.values()):
            continue  # a label's edge around a code just read: no second code, and slow
        if decodes == _MAX_DECODES:
            break
        decodes += 1
        read = decode_profile(positions, brightness, wide_search=not to_check(box))
        if read is not None:
            found.setdefault(read[0], FittedCode(read[0], box, read[1]))
    return list(found.values())


def _with_quiet_zone(box: tuple) -> tuple:
    """A code's box grown by the quiet zone it keeps clear (``QUIET_MODULES``, its longer side
    taken as the symbol's length): no other code starts there."""
    grow = QUIET_MODULES * max(box[2] - box[0], box[3] - box[1]) / SYMBOL_MODULES
    return (box[0] - grow, box[1] - grow, box[2] + grow, box[3] + grow)


def centre_inside(inner: tuple, box: tuple) -> bool:
    """Whether the centre of box ``inner`` lies in ``box`` (both x1, y1, x2, y2)."""
    x, y = (inner[0] + inner[2]) / 2, (inner[1] + inner[3]) / 2
    return box[0] <= x <= box[2] and box[1] <= y <= box[3]
