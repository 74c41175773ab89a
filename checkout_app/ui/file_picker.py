"""File choosers for staff pages: photos start in Pictures, videos in Videos, CSV in Documents.

On a kiosk (the window runs fullscreen) a chooser stays inside that folder: whoever stands at
the screen must not browse the whole disk. ``set_confined`` is the app-wide switch the kiosk
window sets from its settings.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, QUrl
from PySide6.QtWidgets import QFileDialog, QWidget

PICTURES = QStandardPaths.StandardLocation.PicturesLocation
DOCUMENTS = QStandardPaths.StandardLocation.DocumentsLocation
MOVIES = QStandardPaths.StandardLocation.MoviesLocation

_confined = False


def set_confined(confined: bool) -> None:
    """True on a kiosk: choosers cannot leave their start folder."""
    global _confined
    _confined = confined


def start_folder(location: QStandardPaths.StandardLocation) -> Path:
    """The user's folder of that kind, or the home folder when it does not exist."""
    folder = QStandardPaths.writableLocation(location)
    return Path(folder) if folder and Path(folder).is_dir() else Path.home()


def is_inside(path: Path, root: Path) -> bool:
    try:
        path.resolve().relative_to(root.resolve())
    except ValueError:
        return False
    return True


class _ConfinedDialog(QFileDialog):
    """Qt's own (not the platform's) dialog, so it can be held inside ``root``."""

    def __init__(self, parent: QWidget | None, title: str, root: Path) -> None:
        super().__init__(parent, title, str(root))
        self._root = root
        self.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        self.setSidebarUrls([QUrl.fromLocalFile(str(root))])
        self.directoryEntered.connect(self._stay_inside)

    def _stay_inside(self, folder: str) -> None:
        if not is_inside(Path(folder), self._root):
            self.setDirectory(str(self._root))

    def accept(self) -> None:
        if all(is_inside(Path(f), self._root) for f in self.selectedFiles()):
            super().accept()
        else:
            self.setDirectory(str(self._root))


def choose(
    parent: QWidget | None,
    title: str,
    name_filter: str,
    location: QStandardPaths.StandardLocation,
    *,
    many: bool = False,
    save_as: str = "",
) -> list[str]:
    """The chosen paths (empty when cancelled). ``save_as``: a file name to save under."""
    root = start_folder(location)
    dialog = _ConfinedDialog(parent, title, root) if _confined else QFileDialog(parent, title)
    dialog.setDirectory(str(root))
    dialog.setNameFilter(name_filter)
    if save_as:
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.selectFile(save_as)
    else:
        mode = QFileDialog.FileMode.ExistingFiles if many else QFileDialog.FileMode.ExistingFile
        dialog.setFileMode(mode)
    return dialog.selectedFiles() if dialog.exec() else []
