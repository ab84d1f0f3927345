"""How much do lesson 09's training results move? Its three networks, trained as in the lesson, over several seeds.

    .venv/bin/python benchmarks/faces_spread.py --seeds 0 1 2                    # appends rows to the JSON
    taskset -c 0 .venv/bin/python benchmarks/faces_spread.py --seeds 0           # one thread
    TF_ENABLE_ONEDNN_OPTS=0 .venv/bin/python benchmarks/faces_spread.py --seeds 0 # oneDNN off
    .venv/bin/python benchmarks/faces_spread.py --summary                        # the spread of what is recorded

Each run draws the lesson's photos (the same for every seed), trains the face/non-face classifier with one round
of hard-negative mining and slides it over the astronaut, trains the landmark network, aligns the faces with
its landmarks, trains the embedding network and verifies unseen individuals, then tracks the clip. The settings
are the lesson's (``SETTINGS``; a test checks that the notebook uses the same). The rows in ``faces_spread.json``
were recorded with the lesson's earlier settings (face classifier in batches of 64, two mining rounds, 15 embedding
epochs); the lesson's asserted ranges now come from ``portability_spread.json`` (README, "Benchmarks"). About
60-90 s a run on two cores.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

OUT = Path(__file__).with_name("faces_spread.json")
SETTINGS = {
    "DETECTOR_EPOCHS": 20, "MINED_EPOCHS": 10, "MINING_ROUNDS": 1,
    "TRAIN_DOGS": 160, "PHOTOS_PER_DOG": 12, "TEST_DOGS": 40, "TEST_PHOTOS_PER_DOG": 12,
    "LANDMARK_EPOCHS": 15, "EMBEDDING_EPOCHS": 10, "ALIGNED_SIZE": 32,
}


def lesson_data(s=SETTINGS):
    """The lesson's photos: training dogs (one photo in ten dim), unseen test dogs (one in three dim)."""
    from utils import faces

    train_dogs = faces.make_individuals(s["TRAIN_DOGS"], seed=0)
    test_dogs = faces.make_individuals(s["TEST_DOGS"], seed=0, start=1000)
    train = faces.draw_faces(train_dogs, s["PHOTOS_PER_DOG"], seed=0, dim_share=0.1)
    test = faces.draw_faces(test_dogs, s["TEST_PHOTOS_PER_DOG"], seed=1, dim_share=1 / 3)
    return train, test


def detection_run(keras, s=SETTINGS):
    """Train the face/non-face classifier (mining once) and slide it over the astronaut."""
    from skimage import data as skdata

    from utils import detection
    from utils import face_detection as fd
    from utils.face_models import build_face_classifier

    def cnn_faces(photo):
        windows, boxes = fd.pyramid_windows(photo, step=0.8, stride=2)
        return fd.detect(model.predict(windows, batch_size=1024, verbose=0), boxes, min_score=0.0,
                         iou_threshold=0.3, min_neighbours=3)

    x, y = fd.face_patches()
    model = build_face_classifier()
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss=keras.losses.BinaryCrossentropy(from_logits=True))
    model.fit(x, y, epochs=s["DETECTOR_EPOCHS"], batch_size=128, verbose=0)
    astronaut = skdata.astronaut()
    before = len(cnn_faces(astronaut)[0])
    mined = 0
    for _ in range(s["MINING_ROUNDS"]):
        hard = fd.hard_negatives(lambda w: model.predict(w, batch_size=1024, verbose=0))
        x, y = np.concatenate([x, hard]), np.r_[y, np.zeros(len(hard), y.dtype)]
        model.fit(x, y, epochs=s["MINED_EPOCHS"], batch_size=128, verbose=0)
        mined += len(hard)
    found, scores = cnn_faces(astronaut)
    ious = detection.iou_matrix(found, [fd.ASTRONAUT_FACE])[:, 0] if len(found) else np.zeros(0)
    hit = int(np.argmax(ious)) if len(ious) else -1
    out = {"hard_negatives": mined, "detections_before_mining": before, "detections": len(found),
           "face_iou": float(ious.max(initial=0)), "face_rank": hit,
           "face_score": float(scores[hit]) if hit >= 0 else 0.0}
    for name, (photo, box) in fd.photo_variants(astronaut).items():
        out[f"cnn found: {name}"], out[f"cnn false alarms: {name}"] = fd.judge(cnn_faces(photo)[0], box)
    return out


def landmark_run(keras, train, test, s=SETTINGS):
    """Train the landmark network; its predictions for both sets and the test errors."""
    from utils import landmarks
    from utils.face_models import build_landmark_net

    net = build_landmark_net()
    steps = s["LANDMARK_EPOCHS"] * -(-len(train) // 32)
    net.compile(optimizer=keras.optimizers.Adam(keras.optimizers.schedules.CosineDecay(2e-3, steps)), loss="mse")
    net.fit(train.x, train.points, epochs=s["LANDMARK_EPOCHS"], batch_size=32, verbose=0)
    pred_train = net.predict(train.x, verbose=0)
    pred_test = net.predict(test.x, verbose=0)
    err = landmarks.point_errors(pred_test, test.points)
    out = {"landmark_error": float(err.mean()), "landmark_error_train": landmarks.landmark_error(pred_train,
                                                                                               train.points)}
    for light in ("normal", "dim"):
        out[f"landmark_error_{light}"] = float(err[test.lights == light].mean())
    out["landmark_error_per_point"] = err.mean(axis=0).round(3).tolist()
    return net, pred_train, pred_test, out


def embedding_run(keras, train, test, pred_train, pred_test, s=SETTINGS):
    """Align, train the embedding network, verify the unseen dogs; EER overall, per coat group and per light."""
    from utils import landmarks, verification
    from utils.face_models import build_embedding_net

    size = s["ALIGNED_SIZE"]
    reference = landmarks.reference_shape(train.points, size)
    x_train = landmarks.align_faces(train.x, pred_train, reference, size)
    x_test = landmarks.align_faces(test.x, pred_test, reference, size)
    ids = np.unique(train.ids, return_inverse=True)[1]
    classifier, embedder = build_embedding_net(len(np.unique(ids)), size)
    classifier.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
                       metrics=["accuracy"])
    history = classifier.fit(x_train, ids, epochs=s["EMBEDDING_EPOCHS"], batch_size=32, verbose=0)
    emb = embedder.predict(x_test, verbose=0)
    normal = test.lights == "normal"
    scores, same, pairs = verification.pair_scores(emb[normal], test.ids[normal])
    eer, threshold = verification.equal_error_rate(scores, same)
    coat = verification.group_rates(scores, same, verification.pair_groups(test.groups[normal], pairs), threshold)
    all_scores, all_same, all_pairs = verification.pair_scores(emb, test.ids)
    light = verification.group_rates(all_scores, all_same,
                                     verification.pair_groups(test.lights, all_pairs, mixed=None), threshold)
    out = {"train_accuracy": float(history.history["accuracy"][-1]), "eer": eer, "threshold": threshold}
    for name, table in (("coat", coat), ("light", light)):
        for g, row in table.items():
            for k in ("far", "frr", "eer"):
                out[f"{name}: {g}: {k}"] = row[k]
    return embedder, reference, out


def tracking_run(net, embedder, reference, s=SETTINGS):
    """ID switches in the lesson's clip: by position and by appearance."""
    from utils import faces, landmarks, tracking

    clip = tracking.make_clip(faces.make_individuals(3, seed=0, start=2000), n_frames=8, seed=0)
    embeddings = []
    for t in range(len(clip.frames)):
        c = tracking.crops(clip, t)
        aligned = landmarks.align_faces(c, net.predict(c, verbose=0), reference, s["ALIGNED_SIZE"])
        embeddings.append(embedder.predict(aligned, verbose=0))
    return {"switches_position": tracking.id_switches(tracking.track(clip.boxes), clip.ids),
            "switches_appearance": tracking.id_switches(tracking.track(clip.boxes, embeddings), clip.ids)}


def run(seed, parts=("detection", "landmarks", "embedding", "tracking")):
    """One run of the lesson's training with ``seed``: a dict of results and seconds per part."""
    import keras  # imported before setup, so oneDNN stays as TF_ENABLE_ONEDNN_OPTS says (setup would switch it on)

    from utils.notebook import setup

    keras = setup(seed, keras=True)  # seeds and op determinism, as in the lesson
    row = {"seed": seed, "threads": len(os.sched_getaffinity(0)),
           "onednn": os.environ.get("TF_ENABLE_ONEDNN_OPTS", "")}
    clock, cpu = time.perf_counter(), time.process_time()
    if "detection" in parts:
        row.update(detection_run(keras))
        row["seconds_detection"] = round(time.perf_counter() - clock, 1)
    if {"landmarks", "embedding", "tracking"} & set(parts):
        clock = time.perf_counter()
        train, test = lesson_data()
        row["seconds_data"] = round(time.perf_counter() - clock, 1)
        clock = time.perf_counter()
        net, pred_train, pred_test, out = landmark_run(keras, train, test)
        row.update(out)
        row["seconds_landmarks"] = round(time.perf_counter() - clock, 1)
        if {"embedding", "tracking"} & set(parts):
            clock = time.perf_counter()
            embedder, reference, out = embedding_run(keras, train, test, pred_train, pred_test)
            row.update(out)
            row["seconds_embedding"] = round(time.perf_counter() - clock, 1)
            if "tracking" in parts:
                clock = time.perf_counter()
                row.update(tracking_run(net, embedder, reference))
                row["seconds_tracking"] = round(time.perf_counter() - clock, 1)
    row["cpu_seconds"] = round(time.process_time() - cpu, 1)
    row["seconds"] = round(sum(v for k, v in row.items() if k.startswith("seconds_")), 1)
    return row


def summary(rows):
    """Min and max of every number over the recorded rows, as lines of text."""
    keys = list(dict.fromkeys(k for r in rows for k, v in r.items()
                              if isinstance(v, (int, float)) and k not in ("seed", "threads")))
    lines = [f"{len(rows)} runs (seeds {sorted({r['seed'] for r in rows})}, threads "
             f"{sorted({r['threads'] for r in rows})}, oneDNN {sorted({r['onednn'] for r in rows})})"]
    for k in keys:
        values = [r[k] for r in rows if k in r]
        lines.append(f"{k:32} {min(values):8.3f} … {max(values):8.3f}")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="*", default=[0])
    parser.add_argument("--parts", nargs="*", default=["detection", "landmarks", "embedding", "tracking"])
    parser.add_argument("--summary", action="store_true", help="print the spread of the recorded runs and stop")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "1")  # as in the lesson, unless the caller says otherwise
    rows = json.loads(args.out.read_text()) if args.out.exists() else []
    if not args.summary:
        for seed in args.seeds:
            row = run(seed, tuple(args.parts))
            print(json.dumps(row), flush=True)
            rows.append(row)
            tmp = args.out.with_suffix(".tmp")
            tmp.write_text(json.dumps(rows, indent=1) + "\n")
            tmp.replace(args.out)
    if rows:
        print(summary(rows))


if __name__ == "__main__":
    main()
