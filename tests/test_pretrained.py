"""Tests for utils.pretrained: the base, its pretraining on pets and bakes, the disk cache that rebuilds itself, the MobileNetV2 option."""

import json

import numpy as np
import pytest

from utils.notebook import setup

keras = setup(keras=True)

from utils import pretrained as P  # noqa: E402

TINY = {"n_images": 48, "epochs": 1, "size": 32, "filters": [4, 8], "expand": 8}


def test_build_base_blocks_and_output():
    base = P.build_base(32, [4, 8, 8], expand=12)
    assert base.output_shape == (None, 12)
    names = [layer.name for layer in base.layers]
    assert [n for n in names if n.endswith("_conv")] == ["block1_conv", "block2_conv", "block3_conv"]
    assert [n for n in names if n.startswith("block3")] == ["block3_conv", "block3_expand"]
    with pytest.raises(ValueError, match="expand must be"):
        P.build_base(32, [4], expand=0)
    with pytest.raises(ValueError, match="filters must be"):
        P.build_base(32, [])
    with pytest.raises(ValueError, match="filters must be"):
        P.build_base(32, [4, 0])
    with pytest.raises(ValueError, match="stem_stride must be 1 or 2"):
        P.build_base(32, [4], stem_stride=3)


def test_stem_stride_halves_the_first_feature_map():
    strided, plain = P.build_base(32, [4, 8], 8, stem_stride=2), P.build_base(32, [4, 8], 8, stem_stride=1)
    assert strided.get_layer("block1_conv").output.shape[1:3] == (16, 16)
    assert plain.get_layer("block1_conv").output.shape[1:3] == (32, 32)
    assert strided.count_params() == plain.count_params(), "a stride changes the work, not the number of weights"


def test_pretrain_base_trains_the_base_and_reports_accuracy():
    kw = dict(n_images=64, epochs=1, size=32, filters=[4, 8], expand=8)
    keras.utils.set_random_seed(0)
    untrained = P.build_base(32, [4, 8], 8)
    base, acc = P.pretrain_base(**kw)
    assert base.output_shape == (None, 8) and 0.0 <= acc <= 1.0
    changed = [not np.allclose(a, b) for a, b in zip(base.get_weights(), untrained.get_weights())]
    assert all(changed), "pretraining left some weights at their initial values"
    again, acc2 = P.pretrain_base(**kw)
    assert acc2 == acc, "pretraining must not depend on what ran before (it seeds Keras itself)"
    for a, b in zip(base.get_weights(), again.get_weights()):
        np.testing.assert_allclose(a, b, atol=1e-6)


def test_train_base_fits_any_number_of_classes_and_checks_epochs():
    x = np.random.default_rng(0).integers(0, 256, (12, 32, 32, 3)).astype("uint8")
    y = np.arange(12) % 3
    base, model = P.train_base(x, y, 3, epochs=1, filters=[4, 8], expand=8)
    assert model.output_shape == (None, 3) and base.output_shape == (None, 8)
    assert model.layers[0] is base, "the returned base is the one inside the trained model"
    with pytest.raises(ValueError, match="epochs must be a positive int"):
        P.train_base(x, y, 3, epochs=0)


@pytest.fixture
def cached(tmp_path):
    path = tmp_path / "cache" / "base.keras"
    base, info = P.load_base(path, **TINY)
    return path, base, info


def test_first_load_builds_and_caches_with_sidecar(cached):
    path, base, info = cached
    assert info["rebuilt"] and info["status"] == "missing"
    meta = json.loads(P.sidecar_path(path).read_text())
    assert meta["settings"]["n_images"] == 48 and meta["bytes"] == path.stat().st_size
    assert P.cache_status(path, **TINY) == "ok"
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".")], "temporary files were left behind"


def test_second_load_reads_the_same_weights(cached):
    path, base, _ = cached
    again, info = P.load_base(path, **TINY)
    assert not info["rebuilt"] and info["status"] == "ok"
    for a, b in zip(base.get_weights(), again.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_truncated_file_is_rebuilt_not_a_crash(cached):
    path, base, _ = cached
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    assert P.cache_status(path, **TINY) == "corrupt"
    rebuilt, info = P.load_base(path, **TINY)
    assert info["rebuilt"] and info["status"] == "corrupt"
    assert P.cache_status(path, **TINY) == "ok"
    x = np.zeros((2, 32, 32, 3), "float32")
    np.testing.assert_allclose(rebuilt.predict(x, verbose=0), base.predict(x, verbose=0), atol=1e-5)


def test_garbage_file_with_matching_sidecar_is_rebuilt(cached):
    path, _, _ = cached
    junk = b"not a keras file" * 100
    path.write_bytes(junk)
    meta = json.loads(P.sidecar_path(path).read_text())
    import hashlib

    meta.update(bytes=len(junk), sha256=hashlib.sha256(junk).hexdigest())
    P.sidecar_path(path).write_text(json.dumps(meta))
    assert P.cache_status(path, **TINY) == "ok"  # the checksum matches, but Keras cannot read it
    _, info = P.load_base(path, **TINY)
    assert info["rebuilt"] and P.cache_status(path, **TINY) == "ok"


def test_deleted_or_stale_cache_is_rebuilt(cached):
    path, _, _ = cached
    assert P.cache_status(path, **{**TINY, "epochs": 2}) == "stale"
    path.unlink()
    assert P.cache_status(path, **TINY) == "missing"
    _, info = P.load_base(path, **TINY)
    assert info["rebuilt"] and path.exists()


def test_missing_sidecar_counts_as_corrupt(cached):
    path, _, _ = cached
    P.sidecar_path(path).unlink()
    assert P.cache_status(path, **TINY) == "corrupt"


def test_unknown_settings_and_bad_paths_are_rejected(tmp_path):
    with pytest.raises(ValueError, match="unknown pretraining settings"):
        P.load_base(tmp_path / "b.keras", learning_rate=0.1)
    with pytest.raises(ValueError, match=r"\.keras file"):
        P.save_base(P.build_base(32, [4], 4), tmp_path / "b.h5", dict(P.DEFAULT_SETTINGS), 0.5)
    with pytest.raises(ValueError, match="epochs must be a positive int"):
        P.pretrain_base(n_images=16, epochs=0, size=32, filters=[4], expand=4)


def test_mobilenet_option_builds_offline_without_weights():
    base = P.build_mobilenet_base(size=64, alpha=0.35, weights=None)
    assert base.output_shape == (None, 1280)
    core = base.layers[-1]
    n_bn = sum(isinstance(layer, keras.layers.BatchNormalization) for layer in core.layers)
    assert n_bn > 30, "MobileNetV2 is full of BatchNorm layers, the reason for training=False"
    out = base.predict(np.full((2, 64, 64, 3), 255, "float32"), verbose=0)
    assert out.shape == (2, 1280) and np.isfinite(out).all()


def test_mobilenet_option_checks_its_arguments():
    with pytest.raises(ValueError, match="weights must be"):
        P.build_mobilenet_base(weights="cifar")
    with pytest.raises(ValueError, match="alpha must be one of"):
        P.build_mobilenet_base(alpha=0.2, weights=None)
    with pytest.raises(ValueError, match="ImageNet weights exist for sizes"):
        P.build_mobilenet_base(size=64, weights="imagenet")
    with pytest.raises(ValueError, match="size must be an int"):
        P.build_mobilenet_base(size=16, weights=None)


def test_a_base_started_in_the_background_is_waited_for_and_loaded(tmp_path):
    path = tmp_path / "cache" / "base.keras"
    assert P.start_in_background(path, **TINY) == "missing"
    assert P.start_in_background(path, **TINY) == "missing", "a second call must not start a second build"
    base, info = P.load_base(path, **TINY)
    assert info["background_status"] == "missing" and info["waited"] > 0
    assert info["status"] == "ok" and not info["rebuilt"], "the other process built and cached it"
    assert base.output_shape == (None, TINY["expand"])
    _, direct = P.pretrain_base(**TINY)
    assert info["accuracy"] == round(direct, 4), "the other process must make the same base as this one"
    assert P.start_in_background(path, **TINY) == "ok", "nothing to build once the cache is usable"
    assert "waited" not in P.load_base(path, **TINY)[1]


def test_a_failed_background_build_is_rebuilt_in_the_lesson(tmp_path, monkeypatch):
    path = tmp_path / "base.keras"
    monkeypatch.setattr(P.sys, "executable", P.sys.executable + "-missing")  # the other process cannot start...
    assert P.start_in_background(path, **TINY) == "missing" and path.resolve() not in P._BACKGROUND
    monkeypatch.undo()
    failing = P.subprocess.Popen([P.sys.executable, "-c", "raise SystemExit(1)"])  # ...or fails without a file
    P._BACKGROUND[path.resolve()] = (failing, "missing")
    base, info = P.load_base(path, **TINY)
    assert info["rebuilt"] and info["background_status"] == "missing" and P.cache_status(path, **TINY) == "ok"
    with pytest.raises(ValueError, match="unknown pretraining settings"):
        P.start_in_background(path, epochz=3)


def test_command_line_rejects_bad_arguments(capsys):
    for argv in (["base.h5"], ["base.keras", "{not json"], ["base.keras", "[1, 2]"]):
        with pytest.raises(SystemExit) as exc:
            P.main(argv)
        assert exc.value.code == 2
    assert "error:" in capsys.readouterr().err
