"""The kiosk's Qt user interface: windows, pages, camera views and workers, theme, translations.

The only package that imports Qt (PySide6). It drives ``services`` and never holds business
rules of its own; slow work (capture, inference) runs in worker threads, never in a slot.
"""
