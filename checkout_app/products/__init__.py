"""A store's real products, taught from a few photos: appearance cues, the gallery that matches
them with an open-set gate, teaching-photo checks, and the real-photo evaluation.

Pure logic apart from ``appearance.colour_histogram`` (OpenCV); the CNN trunk and the OCR model
live in ``checkout_app.backends`` and are loaded by ``app.load_appearance_encoder``.
"""
