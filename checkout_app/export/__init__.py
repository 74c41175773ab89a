"""Model export for other runtimes: ONNX files with sidecars, TensorRT lint, the Jetson bundle.

torch, ultralytics and onnx are imported inside the functions that need them.
"""
