"""Face registry persistence: people and encrypted templates in the app database.

Implements ``checkout_app.faces.registry.FaceStore``. Embeddings are encrypted before they reach
the database. On SQLite a delete also overwrites the freed pages (``secure_delete``) and folds
the WAL back into the database file, so a deleted person's data does not linger on disk.
Importing this module registers the face tables, so ``open_database`` creates them.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path
from typing import Sequence

import numpy as np
from sqlalchemy import delete, func, select, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from checkout_app.faces.embedding_cipher import (
    EmbeddingCipher,
    EmbeddingKeyError,
    TemplateOwnerError,
    UnusableKey,
    foreign_key_message,
    open_cipher,
    owner_digest,
)
from checkout_app.faces.registry import (
    DuplicatePersonError,
    NewTemplate,
    Person,
    StoredTemplates,
)
from checkout_app.faces.types import EMBEDDING_SIZE
from checkout_app.storage.db import checkpoint_sqlite
from checkout_app.storage.face_tables import FaceKeyRow, FacePersonRow, FaceTemplateRow

log = logging.getLogger(__name__)

_CHECKPOINT_WAIT_MS = 1500


def _person(row: FacePersonRow) -> Person:
    return Person(
        id=row.id,
        display_name=row.display_name,
        member_id=row.member_id,
        created_at=row.created_at,
        consent_at=row.consent_at,
        template_labels=tuple(t.label for t in sorted(row.templates, key=lambda t: t.id)),
    )


def _owner(person: FacePersonRow) -> bytes:
    return owner_digest(person.id, person.display_name, person.member_id)


class FaceRepository:
    def __init__(self, sessions: sessionmaker, cipher: EmbeddingCipher | UnusableKey) -> None:
        self._sessions = sessions
        self._cipher = cipher

    @classmethod
    def for_home(cls, sessions: sessionmaker, home: Path) -> FaceRepository:
        """The repository with ``home``'s key. A missing key is created only while no template
        is stored, and a key other than the one the stored templates use (recorded with the
        first of them, ``face_key``) is not used: with no usable key, people can still be listed
        and deleted, nothing else."""
        with sessions() as session:
            stored = session.scalar(select(func.count()).select_from(FaceTemplateRow)) or 0
            store_key_id = session.scalar(select(FaceKeyRow.key_id))
        # With no template stored any key reads everything there is: the next enrollment
        # records it as the store's (a store that lost its key and deleted everyone goes on).
        return cls(sessions, open_cipher(home, stored, store_key_id if stored else None))

    @classmethod
    def in_memory(cls) -> FaceRepository:
        """A repository in an in-memory database with a throwaway key: for evaluations and
        benchmarks that enroll test faces, never for the store's real registry."""
        from cryptography.fernet import Fernet

        from checkout_app.storage.db import open_database

        return cls(open_database("sqlite://"), EmbeddingCipher(Fernet.generate_key()))

    def _claim_store_key(self) -> None:
        """Record this kiosk's key as the store's before it encrypts a first template; refuse to
        encrypt with a key other than the one the stored templates use."""
        if not isinstance(self._cipher, EmbeddingCipher):
            return  # encrypt() raises the key's problem
        mine = self._cipher.key_id
        with self._sessions() as session:
            recorded = session.scalar(select(FaceKeyRow.key_id))
            if recorded == mine:
                return
            if recorded is not None:
                if session.scalar(select(FaceTemplateRow.id).limit(1)) is not None:
                    raise EmbeddingKeyError(foreign_key_message(self._cipher.path, mine, recorded))
                session.execute(delete(FaceKeyRow))  # nothing is encrypted with the old key
            session.add(FaceKeyRow(id=1, key_id=mine))
            try:
                session.commit()
            except IntegrityError:  # another kiosk recorded its key a moment ago
                session.rollback()
                recorded = session.scalar(select(FaceKeyRow.key_id))
                if recorded != mine:
                    raise EmbeddingKeyError(
                        foreign_key_message(self._cipher.path, mine, recorded)
                    ) from None
        log.info("face key %s recorded as the store's (id %s)", self._cipher.path, mine)

    def _refuse_foreign_key(self, session: Session) -> None:
        """After a template would not decrypt: when the store records another key than this
        kiosk's (another kiosk enrolled first with its own), say so and what to do."""
        if not isinstance(self._cipher, EmbeddingCipher):
            return
        recorded = session.scalar(select(FaceKeyRow.key_id))
        if recorded is not None and recorded != self._cipher.key_id:
            raise EmbeddingKeyError(
                foreign_key_message(self._cipher.path, self._cipher.key_id, recorded)
            )

    def add_person(
        self,
        display_name: str,
        member_id: str | None,
        consent_at: datetime,
        templates: Sequence[NewTemplate],
        embedder: str,
    ) -> Person:
        row = FacePersonRow(display_name=display_name, member_id=member_id, consent_at=consent_at)
        self._claim_store_key()
        with self._sessions() as session:
            session.add(row)
            try:
                session.flush()  # the person's id, which their templates are bound to
                row.templates = [
                    FaceTemplateRow(
                        label=t.label,
                        source=t.source,
                        embedder=embedder,
                        embedding_encrypted=self._cipher.encrypt(t.embedding, _owner(row)),
                    )
                    for t in templates
                ]
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

    def delete_person(self, person_id: int) -> bool:
        """Delete a person and their templates; True once nothing of them is left on disk.

        On SQLite the delete overwrites the freed pages (``secure_delete``) in the WAL; only a
        checkpoint copies them over the old pages in the database file, and a checkpoint waits
        for every reader still looking at the older state (another kiosk, a staff command).
        It waits up to 1.5 s; False means a reader is still open: ``open_database`` finishes
        the checkpoint at the next start.
        """
        with self._sessions() as session:
            sqlite = session.get_bind().dialect.name == "sqlite"
            if sqlite:
                session.execute(text("PRAGMA secure_delete=ON"))
            session.execute(delete(FaceTemplateRow).where(FaceTemplateRow.person_id == person_id))
            session.execute(delete(FacePersonRow).where(FacePersonRow.id == person_id))
            session.commit()
            if not sqlite:
                return True
            # Bounded, so a staff tap never hangs on another program's long read.
            if checkpoint_sqlite(session.connection(), wait_ms=_CHECKPOINT_WAIT_MS):
                return True
            log.warning(
                "person %d deleted; a reader keeps their old pages until it closes", person_id
            )
            return False

    def revision(self) -> tuple:
        """(people, highest person id, templates, highest template id): ids are never given
        again, so any enrollment or deletion changes it."""
        with self._sessions() as session:
            people = session.execute(
                select(func.count(FacePersonRow.id), func.coalesce(func.max(FacePersonRow.id), 0))
            ).one()
            templates = session.execute(
                select(
                    func.count(FaceTemplateRow.id), func.coalesce(func.max(FaceTemplateRow.id), 0)
                )
            ).one()
            return (*people, *templates)

    def templates(self) -> StoredTemplates:
        """Every template that decrypts as its person's. A template bound to someone else (a
        row moved between people, a person renamed in the database) is left out and logged; one
        stored before binding existed is bound to the person whose row holds it, once."""
        with self._sessions() as session:
            rows = session.execute(
                select(FaceTemplateRow, FacePersonRow)
                .join(FacePersonRow, FaceTemplateRow.person_id == FacePersonRow.id)
                .order_by(FaceTemplateRow.id)
            ).all()
            kept, embeddings, rebound = [], [], 0
            for template, person in rows:
                owner = _owner(person)
                try:
                    embedding, bound = self._cipher.decrypt(template.embedding_encrypted, owner)
                except EmbeddingKeyError:
                    self._refuse_foreign_key(session)
                    raise
                except TemplateOwnerError:
                    log.error(
                        "face template %d is stored under person %d but bound to someone else: "
                        "ignored (the database was edited outside the app)",
                        template.id,
                        person.id,
                    )
                    continue
                if not bound:
                    template.embedding_encrypted = self._cipher.encrypt(embedding, owner)
                    rebound += 1
                kept.append(template)
                embeddings.append(embedding)
            if rebound:
                session.commit()
                log.warning("bound %d face templates from before binding to their person", rebound)
            return StoredTemplates(
                person_ids=[t.person_id for t in kept],
                embeddings=np.array(embeddings, np.float32).reshape(-1, EMBEDDING_SIZE),
                embedders=[t.embedder for t in kept],
            )
