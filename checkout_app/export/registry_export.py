"""The face registry as plain JSON for the Jetson runtime (``checkout_edge.matcher``).

The desktop classifies with a scikit-learn linear SVC; a pickle of it would tie the Nano to the
desktop's scikit-learn version (and Python 3.6 cannot install a current one). A linear SVC is
fully described by one weight vector and bias per class pair, so those are exported, checked
against scikit-learn's own ``decision_function`` before they are written.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
from checkout_edge.matcher import build_registry_dict, unit_rows

from checkout_app.faces.matcher import RecognitionPolicy
from checkout_app.faces.registry import EmbedderMismatchError

log = logging.getLogger(__name__)


class RegistryExportError(RuntimeError):
    """The registry cannot be exported faithfully."""


def linear_svm_parameters(svm, templates: np.ndarray) -> dict:
    """{"classes", "coef", "intercept"} of a fitted linear one-vs-one ``SVC``.

    ``templates @ coef.T + intercept`` must reproduce ``svm.decision_function`` (signs
    included): checked here, so a scikit-learn release that changes a convention fails the
    export instead of changing who the Nano accepts.
    """
    coef = np.asarray(svm.coef_, np.float64)
    intercept = np.asarray(svm.intercept_, np.float64)
    ours = templates @ coef.T + intercept
    theirs = np.asarray(svm.decision_function(templates), np.float64).reshape(ours.shape)
    if not np.allclose(ours, theirs, rtol=1e-6, atol=1e-8):
        raise RegistryExportError(
            "the SVM's linear parameters do not reproduce its decision function "
            f"(max difference {np.abs(ours - theirs).max():.3g}): this scikit-learn version "
            "uses another sign convention"
        )
    return {
        "classes": [int(c) for c in svm.classes_],
        "coef": coef.tolist(),
        "intercept": intercept.tolist(),
    }


def registry_dict(
    person_ids: list[int],
    embeddings: np.ndarray,
    people: list[dict],
    embedder_name: str,
    policy: RecognitionPolicy,
) -> dict:
    """The exported registry for templates ``embeddings[i]`` of ``person_ids[i]``.

    The SVM is fitted exactly as ``FaceMatcher.fit`` does (linear, ``policy.svm_c``, one-vs-one).
    """
    owners = np.asarray(person_ids, np.int64)
    templates = unit_rows(embeddings).reshape(len(owners), -1) if len(owners) else embeddings
    svm = None
    if len(np.unique(owners)) >= 2:
        from sklearn.svm import SVC

        fitted = SVC(kernel="linear", C=policy.svm_c, decision_function_shape="ovo")
        svm = linear_svm_parameters(fitted.fit(templates, owners), templates)
    return build_registry_dict(
        embedder_name,
        people,
        templates,
        owners.tolist(),
        svm,
        policy.unknown_distance_threshold,
        policy.min_svm_margin,
    )


def export_registry(
    home: Path, database_url: str | None, embedder_name: str, policy: RecognitionPolicy
) -> dict:
    """The app database's face registry (decrypted) as ``registry_dict``."""
    from checkout_app.storage.db import default_database_url, open_database
    from checkout_app.storage.face_repository import FaceRepository

    repository = FaceRepository.for_home(
        open_database(database_url or default_database_url(home)), home
    )
    stored = repository.templates()
    foreign = sorted(set(stored.embedders) - {embedder_name})
    if foreign:
        raise EmbedderMismatchError(
            f"enrolled faces were made with FaceNet weights {foreign}, the exported model is "
            f"{embedder_name}: re-enroll or prepare the same weights before exporting"
        )
    # Only the names travel; member ids and consent dates stay on the desktop.
    people = [{"id": p.id, "display_name": p.display_name} for p in repository.people()]
    log.info("exporting %d people, %d templates", len(people), len(stored.person_ids))
    return registry_dict(stored.person_ids, stored.embeddings, people, embedder_name, policy)
