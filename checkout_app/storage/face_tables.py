"""The face registry's tables: enrolled people, their encrypted embedding templates, and which
key the store encrypts them with.

Embeddings are biometric data: ``face_templates.embedding_encrypted`` holds only Fernet tokens
(see ``checkout_app.faces.embedding_cipher``), never the floats. Deleting a person cascades to
their templates.

Column annotations use ``Optional``/``List`` (hence the ``noqa``): SQLAlchemy evaluates them at
import time, and the package must import on Python 3.8.
"""

from __future__ import annotations

from datetime import datetime
from typing import List, Optional

from sqlalchemy import ForeignKey, Integer, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from checkout_app.storage.base import Base
from checkout_app.storage.tables import UtcDateTime, utc_now


class FacePersonRow(Base):
    """A registered shopper. ``consent_at``: when they agreed to face pay (required)."""

    __tablename__ = "face_people"
    # AUTOINCREMENT: an id is never given again after a delete, so a sale's paid_by_person_id
    # cannot come to point at someone who enrolled later (revision 0002 rebuilds the tables of
    # databases made before this).
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    display_name: Mapped[str] = mapped_column(String, unique=True)
    member_id: Mapped[Optional[str]] = mapped_column(String, unique=True)  # noqa: UP045
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    consent_at: Mapped[datetime] = mapped_column(UtcDateTime)
    templates: Mapped[List[FaceTemplateRow]] = relationship(  # noqa: UP006
        cascade="all, delete-orphan", passive_deletes=True, lazy="selectin"
    )


class FaceTemplateRow(Base):
    """One enrolled embedding (one pose or one image) of a person.

    ``embedder`` names the model and weights that made it: embeddings of different models are
    not comparable. ``label`` is the pose ("front", "left", …) or "image"; ``source`` the image
    file name or "camera".
    """

    __tablename__ = "face_templates"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    person_id: Mapped[int] = mapped_column(
        ForeignKey("face_people.id", ondelete="CASCADE"), index=True
    )
    label: Mapped[str] = mapped_column(String)
    source: Mapped[str] = mapped_column(String)
    embedder: Mapped[str] = mapped_column(String)
    embedding_encrypted: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class FaceKeyRow(Base):
    """The one face key every kiosk sharing this database must hold, by its id (never the key:
    ``EmbeddingCipher.key_id`` is a one-way digest). Recorded by the first kiosk that opens the
    registry; a kiosk with another key keeps face pay off instead of mixing two keys."""

    __tablename__ = "face_key"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)  # always 1
    key_id: Mapped[str] = mapped_column(String(32))
    recorded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
