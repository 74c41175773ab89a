"""Fakes of the ``tensorrt`` and ``pycuda.driver`` modules, for testing the runner without a GPU.

The fakes behave like the real thing where the runner could get it wrong:
- "device" memory is separate from host memory; data reaches the fake engine only through
  ``memcpy_htod_async`` and comes back only through ``memcpy_dtoh_async``;
- copies and the engine run are queued on the stream and happen at ``synchronize()``, so a
  runner that reads its host buffers before synchronising reads stale data;
- async copies require page-locked host memory (a view of a ``pagelocked_empty`` array);
- every CUDA call requires a pushed context;
- the fake TensorRT offers only the API of its version: 8.2 bindings, 8.6 both, 10 tensors.

A fake engine "executes" ``model.compute(inputs) -> outputs`` on the bytes it finds at the
device addresses it was given.

Python 3.6-compatible (typing-module annotations, no ``from __future__ import annotations``), so
``edge_py36_smoke.py`` can drive the runner with these fakes under a real Python 3.6.
"""

import itertools
import sys
import types
from typing import Callable, Optional

import numpy as np

GOOD_ENGINE = b"fake-serialized-engine"


class FakeModel:
    """I/O description of an engine: ``inputs``/``outputs`` are (name, shape, dtype) with -1 for
    a dynamic dimension; ``profile``: input name -> (min, opt, max); ``output_shapes``: input
    shapes -> output name -> shape; ``compute``: input arrays -> output arrays."""

    def __init__(
        self,
        inputs: list,
        outputs: list,
        compute: Callable[[dict], dict],
        output_shapes: Callable[[dict], dict],
        profile: Optional[dict] = None,
    ) -> None:
        self.inputs = inputs
        self.outputs = outputs
        self.compute = compute
        self.output_shapes = output_shapes
        self.profile = profile or {}

    @property
    def tensors(self) -> list:
        return [(n, s, d, True) for n, s, d in self.inputs] + [
            (n, s, d, False) for n, s, d in self.outputs
        ]


def batch_model(max_batch: int = 8, in_dtype=np.float32) -> FakeModel:
    """Dynamic batch like FaceNet: x (-1,3,2,2) -> y (-1,5), y[b,k] = sum(x[b]) * (k+1)."""

    def compute(inputs: dict) -> dict:
        x = inputs["x"].astype(np.float64)
        sums = x.reshape(len(x), -1).sum(axis=1)
        return {"y": (sums[:, None] * np.arange(1, 6)[None, :]).astype(np.float32)}

    return FakeModel(
        inputs=[("x", (-1, 3, 2, 2), in_dtype)],
        outputs=[("y", (-1, 5), np.float32)],
        compute=compute,
        output_shapes=lambda shapes: {"y": (shapes["x"][0], 5)},
        profile={"x": ((1, 3, 2, 2), (1, 3, 2, 2), (max_batch, 3, 2, 2))},
    )


def static_model(shape_in: tuple, shape_out: tuple, fn: Callable[[np.ndarray], np.ndarray]):
    """One static input "images" -> one output "output0" = fn(images)."""
    return FakeModel(
        inputs=[("images", shape_in, np.float32)],
        outputs=[("output0", shape_out, np.float32)],
        compute=lambda inputs: {"output0": fn(inputs["images"])},
        output_shapes=lambda shapes: {"output0": shape_out},
    )


class FakeCuda:
    """Builds the ``pycuda.driver`` module; keeps the fake GPU's memory and a call log."""

    def __init__(self, calls: list) -> None:
        self.calls = calls
        self.memory = {}  # type: Dict[int, np.ndarray]
        self.pinned = []  # type: List[np.ndarray]
        self.streams = {}  # type: Dict[int, list]
        self.context_depth = 0
        self._addresses = itertools.count(0x1000, 0x1000)
        self.module = self._module()

    def require_context(self) -> None:
        assert self.context_depth > 0, "CUDA call without a current context"

    def is_pinned(self, array: np.ndarray) -> bool:
        base = array
        while base.base is not None and isinstance(base.base, np.ndarray):
            base = base.base
        return any(base is p for p in self.pinned)

    def _module(self) -> types.ModuleType:
        fake = self
        mod = types.ModuleType("pycuda.driver")

        class Context:
            def push(self):
                fake.context_depth += 1

            def pop(self):
                assert fake.context_depth > 0, "pop without push"
                fake.context_depth -= 1

            def detach(self):
                fake.calls.append("detach")

        class Device:
            def __init__(self, index):
                assert index == 0

            def name(self):
                return "NVIDIA Tegra X1"

            def compute_capability(self):
                return (5, 3)

            def retain_primary_context(self):
                return Context()

        class DeviceAllocation:
            def __init__(self, nbytes):
                self.address = next(fake._addresses)
                fake.memory[self.address] = np.zeros(nbytes, np.uint8)

            def __int__(self):
                return self.address

            def free(self):
                fake.require_context()
                del fake.memory[self.address]

        class Stream:
            def __init__(self):
                fake.require_context()
                self.handle = 0xABC0 + len(fake.streams)
                fake.streams[self.handle] = []

            def synchronize(self):
                fake.require_context()
                ops, fake.streams[self.handle] = fake.streams[self.handle], []
                for op in ops:
                    op()

        def pagelocked_empty(size, dtype):
            fake.require_context()
            array = np.full(size, 7, dtype)  # garbage, like real uninitialised memory
            fake.pinned.append(array)
            return array

        def mem_alloc(nbytes):
            fake.require_context()
            return DeviceAllocation(nbytes)

        def memcpy_htod_async(dest, src, stream):
            fake.require_context()
            assert fake.is_pinned(src), "async copy from pageable memory"
            assert src.flags.c_contiguous

            def op():
                fake.memory[int(dest)][: src.nbytes] = src.view(np.uint8)

            fake.calls.append("htod")
            fake.streams[stream.handle].append(op)

        def memcpy_dtoh_async(dest, src, stream):
            fake.require_context()
            assert fake.is_pinned(dest), "async copy to pageable memory"

            def op():
                dest.view(np.uint8)[:] = fake.memory[int(src)][: dest.nbytes]

            fake.calls.append("dtoh")
            fake.streams[stream.handle].append(op)

        mod.init = lambda: fake.calls.append("cuda.init")
        mod.Device = Device
        mod.Stream = Stream
        mod.pagelocked_empty = pagelocked_empty
        mod.mem_alloc = mem_alloc
        mod.memcpy_htod_async = memcpy_htod_async
        mod.memcpy_dtoh_async = memcpy_dtoh_async
        return mod


_DTYPES = {"FLOAT": np.float32, "HALF": np.float16, "INT32": np.int32}


def make_tensorrt(
    version: str, model: FakeModel, cuda: FakeCuda, calls: list, deserialize: str = "ok"
) -> types.ModuleType:
    """A fake ``tensorrt`` module of ``version`` serving ``model``.

    ``deserialize``: "ok", "none" (returns None, as TensorRT 8.2 does for a foreign engine) or
    "raise" (as later versions may).
    """
    major_minor = tuple(int(p) for p in version.split(".")[:2])
    has_bindings = major_minor < (10, 0)
    has_tensors = major_minor >= (8, 5)
    trt = types.ModuleType("tensorrt")
    trt.__version__ = version
    trt.DataType = types.SimpleNamespace(**{k: k for k in _DTYPES})
    trt.TensorIOMode = types.SimpleNamespace(INPUT="INPUT", OUTPUT="OUTPUT")
    trt.nptype = lambda dt: _DTYPES[dt]

    def dtype_enum(np_dtype) -> str:
        return next(k for k, v in _DTYPES.items() if np.dtype(v) == np.dtype(np_dtype))

    tensors = model.tensors
    names = [t[0] for t in tensors]

    class Logger:
        WARNING = "warning"

        def __init__(self, level):
            self.level = level

    class Context:
        def __init__(self):
            self.shapes = {n: tuple(s) for n, s, _, is_in in tensors if is_in}
            self.addresses = {}

        def _out_shape(self, name):
            if any(dim < 0 for shape in self.shapes.values() for dim in shape):
                return next(s for n, s, _, _ in tensors if n == name)
            return tuple(model.output_shapes(self.shapes)[name])

        def _shape_of(self, name):
            if name in self.shapes:
                return self.shapes[name]
            return self._out_shape(name)

        def _set_shape(self, name, shape):
            low, _, high = model.profile[name]
            ok = len(shape) == len(low) and all(
                lo <= d <= hi for d, lo, hi in zip(shape, low, high)
            )
            if ok:
                self.shapes[name] = tuple(shape)
            return ok

        def _enqueue(self, handle, address_of):
            cuda.require_context()
            assert handle in cuda.streams, "unknown stream handle"

            def op():
                inputs = {}
                for name, _, dtype, is_in in tensors:
                    if is_in:
                        shape = self.shapes[name]
                        size = int(np.prod(shape)) * np.dtype(dtype).itemsize
                        raw = cuda.memory[address_of(name)][:size]
                        inputs[name] = raw.view(dtype).reshape(shape).copy()
                outputs = model.compute(inputs)
                for name, _, dtype, is_in in tensors:
                    if not is_in:
                        data = np.ascontiguousarray(outputs[name], dtype).view(np.uint8).ravel()
                        assert data.size <= cuda.memory[address_of(name)].size
                        cuda.memory[address_of(name)][: data.size] = data

            cuda.streams[handle].append(op)
            return True

        if has_bindings:

            def set_binding_shape(self, index, shape):
                calls.append("set_binding_shape")
                return self._set_shape(names[index], shape)

            def get_binding_shape(self, index):
                return self._shape_of(names[index])

            def execute_async_v2(self, bindings, stream_handle):
                calls.append("execute_async_v2")
                assert len(bindings) == len(names) and all(isinstance(b, int) for b in bindings)
                return self._enqueue(stream_handle, lambda n: bindings[names.index(n)])

        if has_tensors:

            def set_input_shape(self, name, shape):
                calls.append("set_input_shape")
                return self._set_shape(name, shape)

            def get_tensor_shape(self, name):
                return self._shape_of(name)

            def set_tensor_address(self, name, address):
                calls.append("set_tensor_address")
                assert isinstance(address, int) and address in cuda.memory
                self.addresses[name] = address

            def execute_async_v3(self, stream_handle):
                calls.append("execute_async_v3")
                assert set(self.addresses) == set(names), "a tensor has no address"
                return self._enqueue(stream_handle, self.addresses.__getitem__)

    class Engine:
        def create_execution_context(self):
            cuda.require_context()
            return Context()

        def _tensor(self, name):
            return next(t for t in tensors if t[0] == name)

        if has_bindings:
            num_bindings = len(tensors)

            def get_binding_name(self, index):
                return names[index]

            def binding_is_input(self, index):
                return tensors[index][3]

            def get_binding_shape(self, index):
                return tensors[index][1]

            def get_binding_dtype(self, index):
                return dtype_enum(tensors[index][2])

            def get_profile_shape(self, profile, index):
                assert profile == 0
                return model.profile[names[index]]

        if has_tensors:
            num_io_tensors = len(tensors)

            def get_tensor_name(self, index):
                return names[index]

            def get_tensor_mode(self, name):
                return "INPUT" if self._tensor(name)[3] else "OUTPUT"

            def get_tensor_shape(self, name):
                return self._tensor(name)[1]

            def get_tensor_dtype(self, name):
                return dtype_enum(self._tensor(name)[2])

            def get_tensor_profile_shape(self, name, profile):
                assert profile == 0
                return model.profile[name]

    class Runtime:
        def __init__(self, logger):
            self.logger = logger

        def deserialize_cuda_engine(self, data):
            cuda.require_context()
            if deserialize == "raise":
                raise RuntimeError("Serialization assertion failed (version tag)")
            if deserialize == "none" or data != GOOD_ENGINE:
                return None
            return Engine()

    trt.Logger = Logger
    trt.Runtime = Runtime
    return trt


class FakeGpu:
    """The installed fakes: ``calls`` log, ``cuda`` (FakeCuda), ``trt`` module."""

    def __init__(self, monkeypatch, version: str, model: FakeModel, deserialize: str = "ok"):
        self.calls = []  # type: List[str]
        self.cuda = FakeCuda(self.calls)
        self.trt = make_tensorrt(version, model, self.cuda, self.calls, deserialize)
        pycuda = types.ModuleType("pycuda")
        pycuda.__path__ = []
        pycuda.driver = self.cuda.module
        monkeypatch.setitem(sys.modules, "tensorrt", self.trt)
        monkeypatch.setitem(sys.modules, "pycuda", pycuda)
        monkeypatch.setitem(sys.modules, "pycuda.driver", self.cuda.module)
