"""Face registry persistence: people and encrypted templates in the app database.

Implements ``checkout_app.faces.registry.FaceStore``. Embeddings are encrypted before they reach
the database. On SQLite a delete also overwrites the freed pages (``secure_delete``) and folds
the WAL back into the database file, so a deleted person's data does not linger on disk.
Importing this module registers the face tables, so ``open_database`` creates them.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Sequence

import numpy as np
from sqlalchemy import delete, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from checkout_app.faces.embedding_cipher import EmbeddingCipher
from checkout_app.faces.registry import (
    DuplicatePersonError,
    NewTemplate,
    Person,
    StoredTemplates,
)
from checkout_app.faces.types import EMBEDDING_SIZE
from checkout_app.storage.face_tables import FacePersonRow, FaceTemplateRow

log = logging.getLogger(__name__)


def _person(row: FacePersonRow) -> Person:
    return Person(
        id=row.id,
        display_name=row.display_name,
        member_id=row.member_id,
        created_at=row.created_at,
        consent_at=row.consent_at,
        template_labels=tuple(t.label for t in sorted(row.templates, key=lambda t: t.id)),
    )


class FaceRepository:
    def __init__(self, sessions: sessionmaker, cipher: EmbeddingCipher) -> None:
        self._sessions = sessions
        self._cipher = cipher

    def add_person(
        self,
        display_name: str,
        member_id: str | None,
        consent_at: datetime,
        templates: Sequence[NewTemplate],
        embedder: str,
    ) -> Person:
        row = FacePersonRow(display_name=display_name, member_id=member_id, consent_at=consent_at)
        row.templates = [
            FaceTemplateRow(
                label=t.label,
                source=t.source,
                embedder=embedder,
                embedding_encrypted=self._cipher.encrypt(t.embedding),
            )
            for t in templates
        ]
        with self._sessions() as session:
            session.add(row)
            try:
                session.commit()  # person and templates in one transaction: all or nothing
            except IntegrityError:
                session.rollback()
                raise DuplicatePersonError(
                    f"{display_name!r} or member id {member_id!r} is already registered"
                ) from None
            return _person(row)

    def people(self) -> list[Person]:
        with self._sessions() as session:
            rows = session.scalars(select(FacePersonRow).order_by(FacePersonRow.id)).all()
            return [_person(r) for r in rows]

    def delete_person(self, person_id: int) -> None:
        with self._sessions() as session:
            sqlite = session.get_bind().dialect.name == "sqlite"
            if sqlite:
                session.execute(text("PRAGMA secure_delete=ON"))
            session.execute(delete(FaceTemplateRow).where(FaceTemplateRow.person_id == person_id))
            session.execute(delete(FacePersonRow).where(FacePersonRow.id == person_id))
            session.commit()
            if sqlite:
                session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))

    def templates(self) -> StoredTemplates:
        with self._sessions() as session:
            rows = session.scalars(select(FaceTemplateRow).order_by(FaceTemplateRow.id)).all()
            embeddings = np.zeros((len(rows), EMBEDDING_SIZE), np.float32)
            for i, row in enumerate(rows):
                embeddings[i] = self._cipher.decrypt(row.embedding_encrypted)
            return StoredTemplates(
                person_ids=[r.person_id for r in rows],
                embeddings=embeddings,
                embedders=[r.embedder for r in rows],
            )
