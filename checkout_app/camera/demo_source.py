"""The built-in demo scenario as a frame source: no camera needed."""

from __future__ import annotations

from typing import Iterator

import numpy as np

from checkout_app.camera.source import Frame, FrameSourceBase, Pacer
from checkout_app.vision.synthetic.scenario import DEMO_FPS, ScenarioFrame, demo_frames
from checkout_app.vision.synthetic.scene import render_scene


class DemoScenarioSource(FrameSourceBase):
    """Renders the demo scenario frame by frame.

    ``truth`` is the true cart (class name -> count) of the frame ``read`` returned last.
    ``realtime`` paces frames at ``fps`` for people watching; off, frames come as fast as they
    render (tests, benchmarks, evaluation). ``loop`` restarts the visit at the end (kiosk demo):
    the frames of each new visit carry the next ``Frame.visit`` number.
    """

    name = "demo"

    def __init__(
        self,
        fps: float = DEMO_FPS,
        *,
        realtime: bool = False,
        loop: bool = False,
        noise_seed: int = 0,
    ) -> None:
        self.fps = fps
        self.realtime = realtime
        self.loop = loop
        self.truth: dict[str, int] = {}
        self._noise = np.random.default_rng(noise_seed)
        self._frames: Iterator[ScenarioFrame] = demo_frames(fps)
        self._index = 0
        self._visit = 0
        self._pacer = Pacer()

    def read(self) -> Frame | None:
        scenario_frame = next(self._frames, None)
        if scenario_frame is None:
            if not self.loop:
                return None
            self._frames = demo_frames(self.fps)
            self._visit += 1
            scenario_frame = next(self._frames)
        if self.realtime:
            self._pacer.wait(self._index / self.fps)
        image = render_scene(scenario_frame.scene, self._noise).image
        self.truth = scenario_frame.truth
        frame = Frame(
            image=image, timestamp=self._index / self.fps, index=self._index, visit=self._visit
        )
        self._index += 1
        return frame

    def close(self) -> None:
        self._frames = iter(())
        self.loop = False
