"""The Jetson bundle and the registry export: layout, permissions, same face decisions."""

from __future__ import annotations

import json
import stat

import numpy as np
import pytest
from checkout_edge.matcher import RegistryMatcher

from checkout_app.faces.matcher import FaceMatcher, RecognitionPolicy
from checkout_app.models_meta import file_sha256

pytestmark = pytest.mark.integration


def open_registry(home, embedder_name):
    from checkout_app.faces.embedding_cipher import EmbeddingCipher
    from checkout_app.faces.registry import FaceRegistry
    from checkout_app.storage.db import default_database_url, open_database
    from checkout_app.storage.face_repository import FaceRepository

    sessions = open_database(default_database_url(home))
    return FaceRegistry(FaceRepository(sessions, EmbeddingCipher.for_home(home)), embedder_name)


def test_same_decisions_on_real_face_embeddings(face_crops, torch_embedder):
    from checkout_app.export.registry_export import registry_dict

    labels, crops = face_crops
    embeddings = torch_embedder.embed(crops)
    names = sorted(set(labels))
    ids = np.array([names.index(label) + 1 for label in labels])
    first = np.array([np.flatnonzero(ids == pid)[0] for pid in sorted(set(ids.tolist()))])
    policy = RecognitionPolicy()
    matcher = FaceMatcher(policy)
    matcher.fit(ids[first], embeddings[first])
    people = [{"id": i + 1, "display_name": n} for i, n in enumerate(names)]
    edge = RegistryMatcher(
        registry_dict(ids[first].tolist(), embeddings[first], people, "e", policy)
    )
    accepted = 0
    for embedding in embeddings:
        want, got = matcher.match(embedding), edge.match(embedding)
        assert (got.person_id, got.reason) == (want.person_id, want.reason)
        assert got.distance == pytest.approx(want.distance, abs=1e-9)
        accepted += got.reason == "accepted"
    assert accepted >= len(first)


def test_export_jetson_bundle_end_to_end(export_home, face_crops, torch_embedder, tmp_path):
    from checkout_app.cli import main
    from checkout_app.core.catalog_csv import load_catalog_csv
    from checkout_app.faces.registry import NewTemplate

    labels, crops = face_crops
    registry = open_registry(export_home, torch_embedder.name)
    embeddings = torch_embedder.embed(crops)
    for name in sorted(set(labels))[:3]:
        rows = [i for i, label in enumerate(labels) if label == name]
        templates = [NewTemplate(embeddings[rows[0]], "image", f"{name}/0")]
        registry.enroll(name, templates, consent=True)
    bundle = tmp_path / "bundle"

    assert (
        main(["--home", str(export_home), "export", "--target", "jetson", "--out", str(bundle)])
        == 0
    )

    assert stat.S_IMODE(bundle.stat().st_mode) == 0o700
    assert stat.S_IMODE((bundle / "registry.json").stat().st_mode) == 0o600
    onnx_files = sorted(p.name for p in (bundle / "models").glob("*.onnx"))
    assert onnx_files == ["facenet_casia_webface.onnx", "products_yolov8n.onnx"]
    manifest = json.loads((bundle / "bundle.json").read_text())
    for model in manifest["models"]:
        assert file_sha256(bundle / model["file"]) == model["sha256"]
    assert manifest["registry"]["people"] == 3
    assert len(load_catalog_csv(bundle / "catalog.csv")) >= 12
    assert (bundle / "checkout_edge" / "yolo.py").is_file()
    assert (bundle / "README.md").is_file()
    edge = RegistryMatcher.load(bundle / "registry.json")
    assert edge.embedder == torch_embedder.name
    for embedding in embeddings:
        want, got = registry.identify(embedding), edge.match(embedding)
        assert got.reason == want.reason
        assert (edge.names.get(got.person_id) if got.person_id else None) == (
            want.person.display_name if want.person else None
        )


def test_registry_export_refuses_templates_of_other_weights(app_home):
    from checkout_app.export.registry_export import export_registry
    from checkout_app.faces.registry import EmbedderMismatchError, NewTemplate

    home = app_home
    registry = open_registry(home, "other-weights:123")
    vector = np.ones(512, np.float32) / np.sqrt(512)
    registry.enroll("ana", [NewTemplate(vector, "image", "x")], consent=True)
    with pytest.raises(EmbedderMismatchError, match="other-weights"):
        export_registry(home, None, "facenet:abc", RecognitionPolicy())


def test_bundle_without_faces_has_no_registry(tmp_path):
    from checkout_app.export.jetson_bundle import prepare_bundle_dir, write_jetson_bundle

    bundle = tmp_path / "bundle"
    models = prepare_bundle_dir(bundle)
    model = models / "m.onnx"
    model.write_bytes(b"onnx")
    model.with_suffix(".json").write_text(json.dumps({"source_model": {"sha256": "ab"}}))
    (bundle / "registry.json").write_text("{}")  # from an earlier export with faces
    manifest = write_jetson_bundle(bundle, [model], "sku\n", None)
    assert manifest["registry"] is None
    assert not (bundle / "registry.json").exists()
    assert manifest["models"][0]["file"] == "models/m.onnx"


@pytest.mark.parametrize("kind", ["project_folder", "file"])
def test_export_never_touches_a_folder_it_did_not_make(tmp_path, capsys, kind):
    """`export --target jetson --out .` in a checkout must not delete models/ or systemd/."""
    from checkout_app.cli import main
    from checkout_app.cli.errors import EXIT_MODEL_FAILED

    out = tmp_path / "mine"
    if kind == "file":
        out.write_text("not a folder")
    else:
        (out / "models").mkdir(parents=True)
        (out / "models" / "precious.pt").write_bytes(b"weights")
        (out / "systemd").mkdir()
        out.chmod(0o755)
    assert main(["export", "--target", "jetson", "--out", str(out)]) == EXIT_MODEL_FAILED
    err = capsys.readouterr().err
    assert str(out) in err and "Traceback" not in err
    if kind == "file":
        assert out.read_text() == "not a folder"
    else:
        assert (out / "models" / "precious.pt").read_bytes() == b"weights"
        assert (out / "systemd").is_dir()
        assert stat.S_IMODE(out.stat().st_mode) == 0o755


def test_an_earlier_bundle_or_an_empty_folder_is_used(tmp_path):
    from checkout_app.export.jetson_bundle import MANIFEST_FILE, prepare_bundle_dir

    empty = tmp_path / "empty"
    empty.mkdir()
    assert prepare_bundle_dir(empty) == empty / "models"
    earlier = tmp_path / "earlier"
    (earlier / "models").mkdir(parents=True)
    (earlier / "models" / "stale.onnx").write_bytes(b"old")
    (earlier / MANIFEST_FILE).write_text("{}")
    models = prepare_bundle_dir(earlier)
    assert list(models.iterdir()) == []  # the stale model is gone: it was the export's own
    assert stat.S_IMODE(earlier.stat().st_mode) == 0o700
