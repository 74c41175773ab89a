"""Face recognition for face pay: detection/embedding protocols, pose, quality, liveness, registry.

Pure logic only; the MTCNN and FaceNet runtimes live in ``checkout_app.backends`` and are
imported lazily by whoever picks them (the CLI, ``app.py``).
"""
