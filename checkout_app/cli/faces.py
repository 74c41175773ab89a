"""``checkout-app faces …`` and ``checkout-app models prepare``: the face registry from a shell.

Handlers get ``args.home`` (resolved) and ``args.database_url`` (None: the home's SQLite file);
expected failures raise ``CliError``. The heavy backends (torch, MTCNN) are
imported only by the commands that need them.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from pathlib import Path

from checkout_app.backends.facenet_convert import prepare_facenet_weights
from checkout_app.backends.facenet_cv2dnn import Cv2DnnFaceEmbedder
from checkout_app.backends.facenet_torch import load_torch_embedder
from checkout_app.backends.mtcnn_detector import MtcnnFaceDetector
from checkout_app.backends.registry import BackendError
from checkout_app.cli.args import database_url, non_negative_int, positive_float, positive_int
from checkout_app.cli.errors import EXIT_BAD_INPUT, EXIT_SOURCE_FAILED, CliError
from checkout_app.core.text import printable
from checkout_app.faces.benchmark import frame_640x480, run_face_benchmark
from checkout_app.faces.calibration import calibration_report, plot_far_frr
from checkout_app.faces.calibration_set import calibration_faces, stranger_photos
from checkout_app.faces.embedding_cipher import EmbeddingKeyError
from checkout_app.faces.evaluation import run_eval
from checkout_app.faces.guided_enrollment import GuidedEnrollment
from checkout_app.faces.matcher import (
    DEFAULT_MIN_SVM_MARGIN,
    DEFAULT_UNKNOWN_DISTANCE,
    RecognitionPolicy,
)
from checkout_app.faces.open_set import open_set_report
from checkout_app.faces.pipeline import FacePipeline
from checkout_app.faces.registry import FaceRegistry, RegistryError, SameFaceError
from checkout_app.models_meta import read_verified_sidecar
from checkout_app.progress import line_progress
from checkout_app.storage.db import open_database
from checkout_app.storage.face_repository import FaceRepository
from checkout_app.vision.image_files import ImageError, image_files, load_image_bgr

log = logging.getLogger(__name__)


def _error(message: str, source_failed: bool = False) -> CliError:
    return CliError(message, EXIT_SOURCE_FAILED if source_failed else EXIT_BAD_INPUT)


def _policy(args: argparse.Namespace) -> RecognitionPolicy:
    try:
        return RecognitionPolicy(
            unknown_distance_threshold=getattr(args, "threshold", DEFAULT_UNKNOWN_DISTANCE),
            min_svm_margin=getattr(args, "min_margin", DEFAULT_MIN_SVM_MARGIN),
        )
    except ValueError as exc:
        raise _error(str(exc)) from None


def load_face_pipeline(args: argparse.Namespace) -> FacePipeline:
    threads = getattr(args, "torch_threads", None)
    if threads:
        import torch

        torch.set_num_threads(threads)
    embedder = load_torch_embedder(args.home, progress=line_progress("preparing FaceNet weights"))
    return FacePipeline(MtcnnFaceDetector(), embedder)


def _open_registry(args: argparse.Namespace, embedder_name: str | None) -> FaceRegistry:
    """The app database's registry (``embedder_name`` None: list/delete only)."""
    try:
        repository = FaceRepository.for_home(open_database(database_url(args)), args.home)
        return FaceRegistry(repository, embedder_name, _policy(args))
    except (EmbeddingKeyError, RegistryError) as exc:
        raise _error(str(exc)) from None


def _cmd_models_prepare(args: argparse.Namespace) -> int:
    path = prepare_facenet_weights(
        args.home, progress=line_progress("preparing FaceNet weights"), force=args.force
    )
    meta = read_verified_sidecar(path, "checkout-app models prepare --force")
    print(f"{path} ({meta['name']}, sha256 {meta['sha256'][:12]}…): {meta['licence']}")
    return 0


def _cmd_enroll(args: argparse.Namespace) -> int:
    if not args.consent:
        raise _error("record the person's consent to face pay: add --consent once they agreed")
    # Cheap checks first: a wrong folder or a taken name is answered before the models load.
    images = None
    if args.images:
        folder = Path(args.images)
        if not folder.is_dir():
            raise _error(f"{folder} is not a folder")
        images = image_files(folder)
        if not images:
            raise _error(f"{folder} holds no images (.jpg, .jpeg, .png, .bmp)")
    if any(p.display_name == args.name.strip() for p in _open_registry(args, None).people()):
        raise _error(f"a person named {args.name.strip()!r} is already registered")
    pipeline = load_face_pipeline(args)
    registry = _open_registry(args, pipeline.embedder.name)
    try:
        if images is not None:
            templates = pipeline.templates_from_images(images)
        else:
            templates = camera_templates(pipeline, args.camera, args.timeout)
        person = registry.enroll(
            args.name,
            templates,
            consent=True,
            member_id=args.member_id,
            same_face_confirmed=args.same_face_confirmed,
        )
    except SameFaceError as exc:
        raise _error(f"{exc} (add --same-face-confirmed)") from None
    except (ImageError, RegistryError) as exc:
        raise _error(str(exc)) from None
    labels = ", ".join(person.template_labels)
    print(
        f"enrolled {person.display_name} (id {person.id}) with {len(templates)} templates: {labels}"
    )
    return 0


def camera_templates(pipeline: FacePipeline, camera: int, timeout_s: float) -> list:
    """Guided four-pose enrollment from a live camera, prompts on stderr."""
    import cv2

    capture = cv2.VideoCapture(camera)
    if not capture.isOpened():
        raise _error(f"cannot open camera {camera}", source_failed=True)
    guide = GuidedEnrollment()
    deadline = time.monotonic() + timeout_s
    last_message = ""
    try:
        while not guide.done:
            if time.monotonic() > deadline:
                raise _error(f"enrollment timed out waiting for: {guide.prompt()}; nothing stored")
            ok, frame = capture.read()
            if not ok:
                raise _error(f"camera {camera} stopped delivering frames", source_failed=True)
            feedback = guide.offer(pipeline.detector.detect(frame))
            message = feedback.message if not feedback.accepted else guide.prompt()
            if message != last_message:
                print(message, file=sys.stderr)
                last_message = message
    finally:
        capture.release()
    return pipeline.templates_from_poses(guide.collected())


def _cmd_identify(args: argparse.Namespace) -> int:
    try:
        image = load_image_bgr(Path(args.image))  # before the models: a typo answers at once
    except ImageError as exc:
        raise _error(str(exc)) from None
    pipeline = load_face_pipeline(args)
    registry = _open_registry(args, pipeline.embedder.name)
    results = pipeline.identify(image, registry)
    faces = []
    for result in results:
        scores = result.match.scores() if result.match else {"reason": "quality"}
        scores["detector"] = round(result.face.score, 4)
        if result.issues:
            scores["quality_issues"] = [issue.code for issue in result.issues]
        faces.append(
            {
                "box": [round(v, 1) for v in result.face.box],
                "person": result.person_name,
                "scores": scores,
            }
        )
    if args.json:
        print(json.dumps({"faces": faces}, ensure_ascii=False))
        return 0
    if not faces:
        print("no face found")
    for face in faces:
        who = printable(face["person"] or "unknown")
        print(f"{who}\tbox={face['box']}\t{json.dumps(face['scores'], ensure_ascii=False)}")
    return 0


def _cmd_list(args: argparse.Namespace) -> int:
    people = _open_registry(args, None).people()
    if not people:
        print("no one registered")
    for p in people:
        print(
            f"{p.id}\t{printable(p.display_name)}\tmember={printable(p.member_id or '-')}\t"
            f"created={p.created_at:%Y-%m-%d %H:%M}\tconsent={p.consent_at:%Y-%m-%d %H:%M}\t"
            f"templates={','.join(p.template_labels)}"
        )
    return 0


def _cmd_delete(args: argparse.Namespace) -> int:
    registry = _open_registry(args, None)
    try:
        deletion = registry.delete(args.person)
    except RegistryError as exc:
        raise _error(str(exc)) from None
    who = f"{printable(deletion.person.display_name)} (id {deletion.person.id})"
    if deletion.purged:
        print(f"deleted {who} and all their face data")
    else:
        print(
            f"deleted {who}: no kiosk identifies them any more, but another program (a kiosk?) "
            "still has the database open, so their old records stay readable in the file until "
            "it closes it; the next start of checkout-app removes them"
        )
    return 0


def _cmd_eval(args: argparse.Namespace) -> int:
    for path, kind in ((Path(args.train), "folder"), (Path(args.labels), "file")):
        if not (path.is_dir() if kind == "folder" else path.is_file()):
            raise _error(f"{path} is not a {kind}")
    pipeline = load_face_pipeline(args)
    registry = FaceRegistry(FaceRepository.in_memory(), pipeline.embedder.name, _policy(args))
    try:
        report = run_eval(pipeline, registry, Path(args.train), Path(args.labels))
    except (ImageError, RegistryError, ValueError, OSError) as exc:
        raise _error(str(exc)) from None
    Path(args.out).write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    s = report["summary"]
    print(
        f"registered faces {s['registered_correct']}/{s['registered_faces']} right "
        f"(wrong person {s['registered_wrong_person']}, rejected {s['registered_rejected']}, "
        f"missed {s['registered_missed']}); unknown faces falsely accepted "
        f"{s['unknown_false_accepts']}/{s['unknown_faces']} -> {args.out}"
    )
    return 0


def _cmd_calibrate(args: argparse.Namespace) -> int:
    folder = Path(args.folder)
    if not folder.is_dir():
        raise _error(f"{folder} is not a folder")
    try:
        strangers = stranger_photos([Path(p) for p in args.strangers])
    except ImageError as exc:
        raise _error(str(exc)) from None
    pipeline = load_face_pipeline(args)
    try:
        faces = calibration_faces(
            pipeline, folder, strangers, args.augment, args.seed, line_progress("finding faces")
        )
        embeddings = pipeline.embedder.embed(faces.crops)
        report = calibration_report(faces.labels, embeddings, faces.sources)
    except (ImageError, ValueError) as exc:
        raise _error(str(exc)) from None
    decision = open_set_report(
        faces.labels, faces.sources, faces.originals, embeddings, _policy(args)
    )
    report["kiosk_decision"] = decision
    report["augment"] = {"variants_per_face": args.augment, "seed": args.seed}
    report["variants_left_out"] = faces.variants_left_out
    out = Path(args.out)
    plot_path = Path(args.plot) if args.plot else out.with_suffix(".png")
    report["plot"] = str(plot_path)
    report["embedder"] = pipeline.embedder.name
    out.write_text(json.dumps(report, indent=2) + "\n")
    plot_far_frr(report, plot_path)
    for name, point in report["suggested"].items():
        if point:
            print(
                f"{name}: threshold {point['threshold']:.2f} FAR {point['far']:.3f} "
                f"(95 % up to {point['far_ci95'][1]:.3f} over {report['impostor_pairs']} "
                f"impostor pairs) FRR {point['frr']:.3f} (95 % up to {point['frr_ci95'][1]:.3f}) "
                f"accuracy {point['accuracy']:.3f}; people pairs with a false accept "
                f"{_share(point['far_people'])} of {point['people_pairs']}"
            )
    print(
        f"the kiosk's decision at threshold {decision['threshold']} and SVM margin "
        f"{decision['min_svm_margin']}: strangers accepted {decision['strangers_accepted']} of "
        f"{decision['stranger_attempts']} (95 % up to {_upper(decision['false_accept'])}; "
        f"by person: {decision['strangers_who_paid'] or 'none'}), shoppers identified "
        f"{decision['shoppers_identified']} of {decision['shopper_attempts']}, taken for "
        f"someone else {decision['shoppers_taken_for_someone_else']}"
    )
    print(f"wrote {out} and {plot_path}")
    return 0


def _upper(rate: dict) -> str:
    return "-" if rate["ci95"] is None else f"{rate['ci95'][1]:.4f}"


def _share(rate) -> str:
    return "-" if rate is None else f"{rate:.3f}"


def _cmd_bench(args: argparse.Namespace) -> int:
    try:
        image = load_image_bgr(Path(args.image)) if args.image else None
    except ImageError as exc:
        raise _error(str(exc)) from None
    pipeline = load_face_pipeline(args)
    frame = frame_640x480(image)
    registry = FaceRegistry(FaceRepository.in_memory(), pipeline.embedder.name, RecognitionPolicy())
    try:
        reference = Cv2DnnFaceEmbedder()
        skipped = None
    except BackendError as exc:
        reference, skipped = None, str(exc)
        log.warning("FaceNet on cv2.dnn left out: %s", exc)
    result = run_face_benchmark(
        frame, pipeline.detector, pipeline.embedder, reference, registry, args.repeats
    )
    if skipped:
        result["facenet_cv2dnn_skipped"] = skipped
    result["embedder"] = pipeline.embedder.name
    Path(args.out).write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return 0


def _add_threads_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--torch-threads",
        type=positive_int,
        help="torch CPU threads (default: torch's choice). 1 is much faster when other busy "
        "processes share few cores: measured 45 ms vs 1.5 s per face on 2 shared cores",
    )


def _add_policy_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--threshold",
        type=float,
        default=DEFAULT_UNKNOWN_DISTANCE,
        help="largest cosine distance to a person's nearest template still accepted "
        f"(default {DEFAULT_UNKNOWN_DISTANCE}; see faces calibrate)",
    )
    parser.add_argument(
        "--min-margin",
        type=float,
        default=DEFAULT_MIN_SVM_MARGIN,
        help=f"smallest pairwise SVM decision margin accepted (default {DEFAULT_MIN_SVM_MARGIN})",
    )


def add_faces_commands(subparsers) -> None:
    """Register ``faces enroll|identify|list|delete|eval|calibrate|bench``."""
    faces = subparsers.add_parser("faces", help="face registry for face pay")
    sub = faces.add_subparsers(dest="faces_command", required=True)

    enroll = sub.add_parser("enroll", help="register a person from images or a camera")
    enroll.add_argument("--name", required=True, help="display name (unique)")
    enroll.add_argument("--member-id", help="member / account id (unique)")
    enroll.add_argument("--consent", action="store_true", help="the person agreed to face pay")
    source = enroll.add_mutually_exclusive_group(required=True)
    source.add_argument("--images", help="folder of photos with exactly one face each")
    source.add_argument("--camera", type=int, help="camera index for guided 4-pose enrollment")
    enroll.add_argument(
        "--same-face-confirmed",
        action="store_true",
        help="register even though the face matches someone registered (staff checked that "
        "they are two people, e.g. twins)",
    )
    enroll.add_argument(
        "--timeout", type=positive_float, default=90.0, help="camera enrollment seconds"
    )
    _add_threads_option(enroll)
    enroll.set_defaults(func=_cmd_enroll)

    identify = sub.add_parser("identify", help="who is in an image")
    identify.add_argument("image")
    identify.add_argument("--json", action="store_true", help="one JSON object on stdout")
    _add_policy_options(identify)
    _add_threads_option(identify)
    identify.set_defaults(func=_cmd_identify)

    sub.add_parser("list", help="registered people").set_defaults(func=_cmd_list)

    delete = sub.add_parser("delete", help="remove a person and all their face data")
    delete.add_argument("person", help="display name or id")
    delete.set_defaults(func=_cmd_delete)

    evaluate = sub.add_parser("eval", help="enroll a folder, identify a labelled set (scratch DB)")
    evaluate.add_argument("--train", required=True, help="folder with one sub-folder per person")
    evaluate.add_argument("--labels", required=True, help="CSV: file,people_left_to_right")
    evaluate.add_argument("--out", required=True, help="JSON report")
    _add_policy_options(evaluate)
    _add_threads_option(evaluate)
    evaluate.set_defaults(func=_cmd_eval)

    calibrate = sub.add_parser("calibrate", help="FAR/FRR over thresholds, suggested thresholds")
    calibrate.add_argument("folder", help="one sub-folder of photos per person")
    calibrate.add_argument("--out", required=True, help="JSON report")
    calibrate.add_argument("--plot", help="FAR/FRR plot (default: OUT with .png)")
    calibrate.add_argument(
        "--strangers",
        nargs="+",
        default=[],
        metavar="PHOTO_OR_FOLDER",
        help="photos of people who are in no sub-folder, every face a different person (group "
        "photos, strangers' portraits): more impostor pairs",
    )
    calibrate.add_argument(
        "--augment",
        type=non_negative_int,
        default=0,
        help="also compare this many variants of every face (light, grey, blur, noise, JPEG, "
        "a slight turn; default 0)",
    )
    calibrate.add_argument("--seed", type=non_negative_int, default=0, help="for --augment")
    _add_policy_options(calibrate)
    _add_threads_option(calibrate)
    calibrate.set_defaults(func=_cmd_calibrate)

    bench = sub.add_parser("bench", help="face pipeline latencies as JSON")
    bench.add_argument("--out", required=True)
    bench.add_argument("--image", help="a photo with a face, letterboxed to 640×480")
    bench.add_argument("--repeats", type=positive_int, default=5)
    _add_threads_option(bench)
    bench.set_defaults(func=_cmd_bench)


def add_models_commands(subparsers) -> None:
    """Register ``models prepare``."""
    models = subparsers.add_parser("models", help="model files under the app home")
    sub = models.add_subparsers(dest="models_command", required=True)
    prepare = sub.add_parser("prepare", help="prepare the offline FaceNet weights")
    prepare.add_argument("--force", action="store_true", help="rebuild even if present")
    prepare.set_defaults(func=_cmd_models_prepare)
