"""The face registry: enrolled people, their templates, and identification against them.

Storage is behind the ``FaceStore`` protocol (``checkout_app.storage.face_repository`` keeps it
in the database, encrypted); the classifier (``FaceMatcher``) is rebuilt from the stored
templates whenever people change, so nothing about a deleted person survives in memory or on
disk.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Protocol, Sequence

import numpy as np

from checkout_app.core.text import has_control_characters
from checkout_app.faces.matcher import FaceMatcher, RecognitionPolicy
from checkout_app.faces.types import EMBEDDING_SIZE

log = logging.getLogger(__name__)

MAX_NAME_CHARS = 80  # a person's display name: fits the pay screen and a receipt line


class RegistryError(ValueError):
    """An expected registry failure with a message for the operator."""


class DuplicatePersonError(RegistryError):
    pass


class PersonNotFoundError(RegistryError):
    pass


class EmbedderMismatchError(RegistryError):
    pass


class SameFaceError(RegistryError):
    """The face to enroll is identified as someone already registered. Enrolling it anyway (two
    people who look alike, twins) needs staff to confirm: by mistake it would turn the person
    already registered into "unknown" (their match becomes ambiguous)."""

    def __init__(self, name: str, existing: Person) -> None:
        super().__init__(
            f"this face is already registered as {existing.display_name!r}: if {name!r} is "
            "another person, confirm to register them anyway"
        )
        self.existing = existing


@dataclass(frozen=True)
class Person:
    id: int
    display_name: str
    member_id: str | None
    created_at: datetime
    consent_at: datetime
    template_labels: tuple[str, ...] = ()


@dataclass(frozen=True)
class Deletion:
    """A deleted person. ``purged`` is False while another program reading the database still
    lets their old records be read from its file; they go when it closes it, or at the next
    start of the app."""

    person: Person
    purged: bool


@dataclass(frozen=True, eq=False)  # holds arrays: compare fields explicitly
class NewTemplate:
    """One embedding to enroll; ``label`` is the pose or "image", ``source`` where it came from."""

    embedding: np.ndarray
    label: str
    source: str


@dataclass(frozen=True, eq=False)  # holds arrays: compare fields explicitly
class StoredTemplates:
    person_ids: list[int]
    embeddings: np.ndarray
    embedders: list[str] = field(default_factory=list)


class FaceStore(Protocol):
    def add_person(
        self,
        display_name: str,
        member_id: str | None,
        consent_at: datetime,
        templates: Sequence[NewTemplate],
        embedder: str,
    ) -> Person: ...

    def people(self) -> list[Person]: ...

    def delete_person(self, person_id: int) -> bool: ...

    def templates(self) -> StoredTemplates: ...

    def revision(self) -> tuple:
        """A cheap value that changes whenever a person or template is added or deleted (by
        any kiosk sharing the store), so a registry can tell it is out of date."""
        ...


@dataclass(frozen=True)
class Match:
    """The registry's answer for one face: ``person`` is None when unknown."""

    person: Person | None
    candidate: Person | None
    distance: float
    svm_margin: float | None
    reason: str

    def scores(self) -> dict:
        return {
            "distance": None if self.distance == float("inf") else round(self.distance, 4),
            "svm_margin": None if self.svm_margin is None else round(self.svm_margin, 4),
            "nearest": None if self.candidate is None else self.candidate.display_name,
            "reason": self.reason,
        }


class FaceRegistry:
    """People and their templates, with identification against them.

    ``embedder_name`` names the model whose embeddings are enrolled and identified; None opens
    the registry for listing and deleting only (no model needed, and a person can always be
    deleted, even after the model changed).
    """

    def __init__(
        self,
        store: FaceStore,
        embedder_name: str | None,
        policy: RecognitionPolicy | None = None,
    ) -> None:
        self._store = store
        self.embedder_name = embedder_name
        self._matcher = FaceMatcher(policy or RecognitionPolicy())
        self._people: dict = {}
        self._revision: tuple | None = None  # the store's revision the registry was loaded at
        # The kiosk enrolls in a worker thread while the staff list reads in the GUI thread.
        self._lock = threading.RLock()
        self.reload()

    @property
    def policy(self) -> RecognitionPolicy:
        return self._matcher.policy

    def reload(self) -> None:
        """Re-read people and templates and retrain the classifier."""
        with self._lock:
            # Read first: a change made while loading leaves it stale, so the next
            # refresh_if_changed loads again rather than missing the change.
            self._revision = self._store.revision()
            self._people = {p.id: p for p in self._store.people()}
            if self.embedder_name is None:
                return
            stored = self._store.templates()
            foreign = sorted(set(stored.embedders) - {self.embedder_name})
            if foreign:
                raise EmbedderMismatchError(
                    f"enrolled faces were made with FaceNet weights {foreign}, but the current "
                    f"weights are {self.embedder_name}: prepare the same weights again or "
                    "re-enroll everyone"
                )
            self._matcher.fit(stored.person_ids, stored.embeddings)
            log.debug(
                "face registry: %d people, %d templates", len(self._people), len(stored.person_ids)
            )

    def refresh_if_changed(self) -> bool:
        """Reload when another kiosk (or a staff command) enrolled or deleted someone since the
        last load; True when it reloaded. One small query when nothing changed."""
        if self._store.revision() == self._revision:
            return False
        self.reload()
        log.info("face registry reloaded: people or templates changed in the database")
        return True

    def people(self) -> list[Person]:
        with self._lock:
            return sorted(self._people.values(), key=lambda p: p.id)

    def find(self, name_or_id: str) -> Person:
        """A person by display name, or by id when ``name_or_id`` is all digits and no name."""
        with self._lock:
            for person in self._people.values():
                if person.display_name == name_or_id:
                    return person
            if name_or_id.isdigit() and int(name_or_id) in self._people:
                return self._people[int(name_or_id)]
            raise PersonNotFoundError(f"no registered person named or numbered {name_or_id!r}")

    def enroll(
        self,
        display_name: str,
        templates: Sequence[NewTemplate],
        consent: bool,
        member_id: str | None = None,
        *,
        same_face_confirmed: bool = False,
    ) -> Person:
        """Register a new person with one template per pose/image; nothing is stored on error.

        A face already identified as a registered person raises ``SameFaceError`` unless staff
        confirmed it is another person (``same_face_confirmed``).
        """
        embedder = self._require_embedder()
        name = display_name.strip()
        if not name:
            raise RegistryError("a display name is required")
        for what, text, limit in (("name", name, MAX_NAME_CHARS), ("member id", member_id, 40)):
            if text and has_control_characters(text):
                raise RegistryError(f"the {what} holds control characters (line breaks, escapes)")
            if text and len(text) > limit:
                raise RegistryError(f"the {what} is longer than {limit} characters")
        if not consent:
            raise RegistryError(
                "the person's consent to face pay must be recorded before enrolling"
            )
        if any(p.display_name == name for p in self._people.values()):
            raise DuplicatePersonError(f"a person named {name!r} is already registered")
        if member_id and any(p.member_id == member_id for p in self._people.values()):
            raise DuplicatePersonError(f"member id {member_id!r} is already registered")
        if not templates:
            raise RegistryError("no usable face to enroll")
        for template in templates:
            vector = np.asarray(template.embedding)
            if vector.shape != (EMBEDDING_SIZE,) or not np.all(np.isfinite(vector)):
                raise RegistryError(f"bad embedding shape {vector.shape} from {template.source}")
        with self._lock:
            for template in templates:
                existing = self.identify(np.asarray(template.embedding, np.float32)).person
                if existing is not None and not same_face_confirmed:
                    raise SameFaceError(name, existing)
                if existing is not None:
                    log.warning("enrolling a face that matches person %s: confirmed", existing.id)
                    break
            person = self._store.add_person(
                name, member_id or None, datetime.now(timezone.utc), templates, embedder
            )
            self.reload()
        log.info("enrolled person %s (%d templates)", person.id, len(templates))
        return person

    def _require_embedder(self) -> str:
        if self.embedder_name is None:
            raise RegistryError("this registry was opened for listing and deleting only")
        return self.embedder_name

    def delete(self, name_or_id: str) -> Deletion:
        """Remove a person and every template, and retrain at once."""
        with self._lock:
            person = self.find(name_or_id)
            purged = self._store.delete_person(person.id)
            self.reload()
            log.info("deleted person %s (%s)", person.id, "purged" if purged else "purge pending")
            return Deletion(person, purged)

    def identify(self, embedding: np.ndarray) -> Match:
        with self._lock:
            self._require_embedder()
            result = self._matcher.match(embedding)
            person = None if result.person_id is None else self._people[result.person_id]
            candidate = None if result.candidate_id is None else self._people[result.candidate_id]
            return Match(person, candidate, result.distance, result.svm_margin, result.reason)
