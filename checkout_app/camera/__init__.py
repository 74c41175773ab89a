"""Frame sources: webcams, video files, RTSP/HTTP streams, image folders and the demo scenario.

Every source satisfies :class:`checkout_app.camera.source.FrameSource`; pick one from a
``--source`` string with :func:`checkout_app.camera.open_source.open_source`.
"""
