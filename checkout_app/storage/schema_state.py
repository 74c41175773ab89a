"""A database's schema version as the app reports it: its status, and what to do about it.

Pure data and text, without Alembic (``schema.py`` reads and changes the version), so the
command line and the kiosk's messages need nothing slow to import.
"""

from __future__ import annotations

from dataclasses import dataclass

EMPTY = "empty"  # no tables at all: a new database
UNVERSIONED = "unversioned"  # tables made by a release before migrations
BEHIND = "behind"
CURRENT = "current"
AHEAD = "ahead"  # made by a newer release: revisions this one does not know


@dataclass(frozen=True)
class SchemaState:
    status: str
    revision: str | None  # the database's; None when empty or unversioned
    head: str  # the newest this release knows


def mismatch_message(state: SchemaState, where: str, url: str) -> str:
    """What to do about a database (``where``, reached by ``url``) at another revision."""
    if state.status == AHEAD:
        return (
            f"the database {where} was made by a newer release of checkout-app (schema "
            f"{state.revision}; this one knows up to {state.head}): run that release, or "
            "restore the backup taken before the upgrade"
        )
    made_by = f"schema {state.revision}" if state.revision else "from before schema versions"
    return (
        f"the database {where} has an older schema ({made_by}; this release needs "
        f"{state.head}): back it up, then run: checkout-app --database-url '{url}' db upgrade"
    )
