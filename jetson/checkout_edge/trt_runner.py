"""Run a serialized TensorRT engine on numpy arrays, with pycuda buffers.

Two TensorRT Python APIs exist and a Nano project meets both:

- TensorRT 8.2 (JetPack 4.6, the Nano's last JetPack): *bindings*. ``engine.num_bindings``,
  ``get_binding_name/shape/dtype``, ``binding_is_input``, ``context.set_binding_shape`` and
  ``context.execute_async_v2(bindings, stream_handle)`` with a list of device pointers.
- TensorRT >= 8.5 (JetPack 5/6 on Orin, desktop TensorRT 10 where bindings are gone): *named I/O
  tensors*. ``engine.num_io_tensors``, ``get_tensor_name/mode/shape/dtype``,
  ``context.set_input_shape``, ``context.set_tensor_address`` and
  ``context.execute_async_v3(stream_handle)``.

:class:`TrtRunner` picks the tensor API when the engine has it, else the binding API. Buffers:
one page-locked host array and one device allocation per I/O tensor, sized for the largest shape
the optimisation profile allows (FaceNet's dynamic batch), allocated once; each call copies
host -> device, enqueues the engine and copies device -> host on one CUDA stream, then
synchronises. Only profile 0 is used.

The runner works in CUDA's *primary* context of GPU 0, pushed around every call, instead of
``pycuda.autoinit``'s context (current only in the importing thread): the desktop kiosk runs
inference on a worker thread, the headless Nano runtime on the main one, and both must work.

tensorrt and pycuda are imported when a runner is made, never at import time, so this module
loads (and its errors are reported) on a machine without them. Python 3.6-compatible.
"""

import logging
import os
from typing import Dict, List, Sequence, Tuple, Union

import numpy as np

from checkout_edge.engines import EngineError

logger = logging.getLogger(__name__)

BINDING_API = "bindings (TensorRT < 8.5)"
TENSOR_API = "tensors (TensorRT >= 8.5)"


def _import_runtime():
    try:
        import pycuda.driver as cuda
        import tensorrt as trt
    except ImportError as exc:
        raise EngineError(
            f"TensorRT or pycuda is not importable ({exc}): run jetson/setup.sh"
        ) from exc
    return trt, cuda


def _volume(shape: Sequence[int]) -> int:
    result = 1
    for dim in shape:
        result *= int(dim)
    return result


class TensorSpec:
    """One engine input or output and its buffers.

    ``shape`` is the engine's shape (-1 for a dynamic dimension); ``min_shape``/``max_shape``
    come from optimisation profile 0 (equal to ``shape`` for a static tensor); ``index`` is the
    binding index (binding API) or the I/O tensor index (tensor API).
    """

    __slots__ = (
        "device",
        "dtype",
        "host",
        "index",
        "is_input",
        "max_shape",
        "min_shape",
        "name",
        "shape",
    )

    def __init__(self, index: int, name: str, is_input: bool, shape, dtype) -> None:
        self.index = index
        self.name = name
        self.is_input = is_input
        self.shape = tuple(int(d) for d in shape)
        self.dtype = np.dtype(dtype)
        self.min_shape = self.shape
        self.max_shape = self.shape
        self.host = None
        self.device = None

    @property
    def is_dynamic(self) -> bool:
        return any(d < 0 for d in self.shape)

    def __repr__(self) -> str:
        return "TensorSpec({!r}, {}, {}, {})".format(
            self.name, "input" if self.is_input else "output", self.shape, self.dtype
        )


class TrtRunner:
    """``run(inputs)``: numpy in, numpy out, through one TensorRT engine on GPU 0.

    Raises :class:`EngineError` (one line, with what to do) when TensorRT/pycuda are missing or
    the engine does not deserialize: an engine from another TensorRT version or GPU, or a
    damaged file. Call :meth:`close` when done (frees the GPU buffers).
    """

    def __init__(self, engine_path: str, rebuild_hint: str = "run jetson/build_engines.sh") -> None:
        self.engine_path = engine_path
        trt, cuda = _import_runtime()
        self._trt = trt
        self._cuda = cuda
        with open(engine_path, "rb") as handle:
            serialized = handle.read()
        cuda.init()
        self._cuda_context = cuda.Device(0).retain_primary_context()
        self._cuda_context.push()
        try:
            self._engine = self._deserialize(serialized, rebuild_hint)
            self.api = TENSOR_API if hasattr(self._engine, "num_io_tensors") else BINDING_API
            self._context = self._engine.create_execution_context()
            if self._context is None:
                raise EngineError(
                    f"{os.path.basename(engine_path)}: TensorRT could not create an execution "
                    "context (out of GPU memory?)"
                )
            self.specs = self._read_specs()
            self._stream = cuda.Stream()
            self._allocate()
        except BaseException:
            self._cuda_context.pop()
            self._cuda_context.detach()
            raise
        self._cuda_context.pop()
        logger.info(
            "engine %s loaded (TensorRT %s, %s API): %s",
            os.path.basename(engine_path),
            getattr(trt, "__version__", "?"),
            self.api,
            self.specs,
        )

    # --- public -------------------------------------------------------------------------------

    @property
    def inputs(self) -> List[TensorSpec]:
        return [spec for spec in self.specs if spec.is_input]

    @property
    def outputs(self) -> List[TensorSpec]:
        return [spec for spec in self.specs if not spec.is_input]

    def run(self, inputs: Union[np.ndarray, Dict[str, np.ndarray]]) -> Dict[str, np.ndarray]:
        """Run the engine once. ``inputs``: one array (single-input engine) or name -> array.

        Arrays are converted to the engine's dtype and made contiguous; a dynamic dimension
        takes the array's size (within the profile's min..max). Returns name -> a new array per
        output, shaped as TensorRT reports for these inputs.
        """
        feeds = self._match_inputs(inputs)
        cuda = self._cuda
        self._cuda_context.push()
        try:
            for spec, array in feeds:
                self._set_input_shape(spec, array.shape)
                host = spec.host[: array.size]
                host[...] = array.ravel()
                cuda.memcpy_htod_async(spec.device, host, self._stream)
            self._execute()
            results = []
            for spec in self.outputs:
                shape = self._output_shape(spec)
                host = spec.host[: _volume(shape)]
                cuda.memcpy_dtoh_async(host, spec.device, self._stream)
                results.append((spec, shape, host))
            self._stream.synchronize()
        finally:
            self._cuda_context.pop()
        # Copies: the page-locked buffers are overwritten by the next call.
        return {spec.name: host.reshape(shape).copy() for spec, shape, host in results}

    def close(self) -> None:
        """Free the GPU buffers and the engine (idempotent)."""
        if self._cuda_context is None:
            return
        self._cuda_context.push()
        try:
            for spec in self.specs:
                if spec.device is not None:
                    spec.device.free()
                spec.device = spec.host = None
            self._context = self._engine = self._stream = None
        finally:
            self._cuda_context.pop()
            self._cuda_context.detach()
            self._cuda_context = None

    def __enter__(self) -> "TrtRunner":
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    # --- loading ------------------------------------------------------------------------------

    def _deserialize(self, serialized: bytes, rebuild_hint: str):
        trt = self._trt
        runtime = trt.Runtime(trt.Logger(trt.Logger.WARNING))
        name = os.path.basename(self.engine_path)
        try:
            engine = runtime.deserialize_cuda_engine(serialized)
        except Exception as exc:  # TensorRT >= 8.6 may raise instead of returning None
            raise EngineError(
                f"{name}: TensorRT {trt.__version__} cannot load it ({exc}); built by another "
                f"TensorRT version or GPU, or damaged: {rebuild_hint}"
            ) from exc
        if engine is None:
            raise EngineError(
                f"{name}: TensorRT {trt.__version__} cannot load it; built by another TensorRT "
                f"version or GPU, or damaged: {rebuild_hint}"
            )
        # The runtime must outlive the engine on TensorRT 8.2 (it owns the allocator).
        self._runtime = runtime
        return engine

    def _read_specs(self) -> List[TensorSpec]:
        trt, engine = self._trt, self._engine
        specs = []
        if self.api == TENSOR_API:
            for index in range(engine.num_io_tensors):
                name = engine.get_tensor_name(index)
                is_input = engine.get_tensor_mode(name) == trt.TensorIOMode.INPUT
                spec = TensorSpec(
                    index,
                    name,
                    is_input,
                    engine.get_tensor_shape(name),
                    trt.nptype(engine.get_tensor_dtype(name)),
                )
                if is_input and spec.is_dynamic:
                    low, _, high = engine.get_tensor_profile_shape(name, 0)
                    spec.min_shape, spec.max_shape = _dims(low), _dims(high)
                specs.append(spec)
        else:
            for index in range(engine.num_bindings):
                is_input = engine.binding_is_input(index)
                spec = TensorSpec(
                    index,
                    engine.get_binding_name(index),
                    is_input,
                    engine.get_binding_shape(index),
                    trt.nptype(engine.get_binding_dtype(index)),
                )
                if is_input and spec.is_dynamic:
                    low, _, high = engine.get_profile_shape(0, index)
                    spec.min_shape, spec.max_shape = _dims(low), _dims(high)
                specs.append(spec)
        if not any(spec.is_input for spec in specs) or all(spec.is_input for spec in specs):
            raise EngineError(f"{self.engine_path}: engine needs inputs and outputs")
        return specs

    def _allocate(self) -> None:
        """Buffers for the largest shapes: inputs at the profile's max, then outputs as TensorRT
        infers them for those inputs."""
        cuda = self._cuda
        for spec in self.inputs:
            if spec.is_dynamic:
                self._set_input_shape(spec, spec.max_shape)
        for spec in self.outputs:
            spec.max_shape = self._output_shape(spec)
            if any(d < 0 for d in spec.max_shape):
                raise EngineError(
                    f"{self.engine_path}: output {spec.name!r} has no fixed size even at the "
                    "largest input"
                )
        for spec in self.specs:
            spec.host = cuda.pagelocked_empty(_volume(spec.max_shape), spec.dtype)
            spec.device = cuda.mem_alloc(spec.host.nbytes)
            if self.api == TENSOR_API:
                # Addresses never change (buffers are sized once), so they are set once.
                self._context.set_tensor_address(spec.name, int(spec.device))

    # --- per call -----------------------------------------------------------------------------

    def _match_inputs(self, inputs) -> List[Tuple[TensorSpec, np.ndarray]]:
        specs = self.inputs
        if not isinstance(inputs, dict):
            if len(specs) != 1:
                raise ValueError(f"engine has inputs {[spec.name for spec in specs]}; pass a dict")
            inputs = {specs[0].name: inputs}
        missing = [spec.name for spec in specs if spec.name not in inputs]
        extra = sorted(set(inputs) - {spec.name for spec in specs})
        if missing or extra:
            raise ValueError(f"inputs missing {missing}, unknown {extra}")
        feeds = []
        for spec in specs:
            array = np.ascontiguousarray(inputs[spec.name], dtype=spec.dtype)
            if not _fits(array.shape, spec):
                raise ValueError(
                    f"input {spec.name!r} has shape {array.shape}; the engine takes {spec.shape} "
                    f"(profile {spec.min_shape}..{spec.max_shape})"
                )
            feeds.append((spec, array))
        return feeds

    def _set_input_shape(self, spec: TensorSpec, shape: Sequence[int]) -> None:
        if not spec.is_dynamic:
            return
        if self.api == TENSOR_API:
            ok = self._context.set_input_shape(spec.name, tuple(shape))
        else:
            ok = self._context.set_binding_shape(spec.index, tuple(shape))
        # TensorRT 8.2 returns False for a bad shape; 8.5+ returns True/None and logs.
        if ok is False:
            raise ValueError(f"TensorRT rejected shape {tuple(shape)} for {spec.name!r}")

    def _output_shape(self, spec: TensorSpec) -> Tuple[int, ...]:
        if self.api == TENSOR_API:
            return _dims(self._context.get_tensor_shape(spec.name))
        return _dims(self._context.get_binding_shape(spec.index))

    def _execute(self) -> None:
        handle = self._stream.handle
        if self.api == TENSOR_API:
            ok = self._context.execute_async_v3(stream_handle=handle)
        else:
            bindings = [0] * len(self.specs)
            for spec in self.specs:
                bindings[spec.index] = int(spec.device)
            ok = self._context.execute_async_v2(bindings=bindings, stream_handle=handle)
        if not ok:
            raise RuntimeError(f"TensorRT failed to enqueue {os.path.basename(self.engine_path)}")


def _dims(shape) -> Tuple[int, ...]:
    """A TensorRT ``Dims`` (or any sequence) as a tuple of ints."""
    return tuple(int(d) for d in shape)


def _fits(shape: Sequence[int], spec: TensorSpec) -> bool:
    if len(shape) != len(spec.shape):
        return False
    for size, dim, low, high in zip(shape, spec.shape, spec.min_shape, spec.max_shape):
        if dim >= 0 and size != dim:
            return False
        if dim < 0 and not low <= size <= high:
            return False
    return True
