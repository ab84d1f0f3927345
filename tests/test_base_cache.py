"""Tests for utils.base_cache: the disk cache of the pretrained base that rebuilds itself, and its background build."""

import json

import numpy as np
import pytest

from utils.notebook import setup

keras = setup(keras=True)

from utils import base_cache as C  # noqa: E402
from utils.pretraining import build_base, pretrain_base  # noqa: E402

TINY = {"n_images": 48, "epochs": 1, "size": 32, "filters": [4, 8], "expand": 8}


@pytest.fixture
def cached(tmp_path):
    path = tmp_path / "cache" / "base.keras"
    base, info = C.load_base(path, **TINY)
    return path, base, info


def test_first_load_builds_and_caches_with_sidecar(cached):
    path, base, info = cached
    assert info["rebuilt"] and info["status"] == "missing"
    meta = json.loads(C.sidecar_path(path).read_text())
    assert meta["settings"]["n_images"] == 48 and meta["bytes"] == path.stat().st_size
    assert C.cache_status(path, **TINY) == "ok"
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".")], "temporary files were left behind"


def test_second_load_reads_the_same_weights(cached):
    path, base, _ = cached
    again, info = C.load_base(path, **TINY)
    assert not info["rebuilt"] and info["status"] == "ok"
    for a, b in zip(base.get_weights(), again.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_truncated_file_is_rebuilt_not_a_crash(cached):
    path, base, _ = cached
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 3])
    assert C.cache_status(path, **TINY) == "corrupt"
    rebuilt, info = C.load_base(path, **TINY)
    assert info["rebuilt"] and info["status"] == "corrupt"
    assert C.cache_status(path, **TINY) == "ok"
    x = np.zeros((2, 32, 32, 3), "float32")
    np.testing.assert_allclose(rebuilt.predict(x, verbose=0), base.predict(x, verbose=0), atol=1e-5)


def test_garbage_file_with_matching_sidecar_is_rebuilt(cached):
    path, _, _ = cached
    junk = b"not a keras file" * 100
    path.write_bytes(junk)
    meta = json.loads(C.sidecar_path(path).read_text())
    import hashlib

    meta.update(bytes=len(junk), sha256=hashlib.sha256(junk).hexdigest())
    C.sidecar_path(path).write_text(json.dumps(meta))
    assert C.cache_status(path, **TINY) == "ok"  # the checksum matches, but Keras cannot read it
    _, info = C.load_base(path, **TINY)
    assert info["rebuilt"] and C.cache_status(path, **TINY) == "ok"


def test_deleted_or_stale_cache_is_rebuilt(cached):
    path, _, _ = cached
    assert C.cache_status(path, **{**TINY, "epochs": 2}) == "stale"
    path.unlink()
    assert C.cache_status(path, **TINY) == "missing"
    _, info = C.load_base(path, **TINY)
    assert info["rebuilt"] and path.exists()


def test_missing_sidecar_counts_as_corrupt(cached):
    path, _, _ = cached
    C.sidecar_path(path).unlink()
    assert C.cache_status(path, **TINY) == "corrupt"


def test_unknown_settings_and_bad_paths_are_rejected(tmp_path):
    with pytest.raises(ValueError, match="unknown pretraining settings"):
        C.load_base(tmp_path / "b.keras", learning_rate=0.1)
    with pytest.raises(ValueError, match=r"\.keras file"):
        C.save_base(build_base(32, [4], 4), tmp_path / "b.h5", dict(C.DEFAULT_SETTINGS), 0.5)


def test_a_base_started_in_the_background_is_waited_for_and_loaded(tmp_path):
    path = tmp_path / "cache" / "base.keras"
    assert C.start_in_background(path, **TINY) == "missing"
    assert C.start_in_background(path, **TINY) == "missing", "a second call must not start a second build"
    base, info = C.load_base(path, **TINY)
    assert info["background_status"] == "missing" and info["waited"] > 0
    assert info["status"] == "ok" and not info["rebuilt"], "the other process built and cached it"
    assert base.output_shape == (None, TINY["expand"])
    _, direct = pretrain_base(**TINY)
    assert info["accuracy"] == round(direct, 4), "the other process must make the same base as this one"
    assert C.start_in_background(path, **TINY) == "ok", "nothing to build once the cache is usable"
    assert "waited" not in C.load_base(path, **TINY)[1]


def test_a_failed_background_build_is_rebuilt_in_the_lesson(tmp_path, monkeypatch):
    path = tmp_path / "base.keras"
    monkeypatch.setattr(C.sys, "executable", C.sys.executable + "-missing")  # the other process cannot start...
    assert C.start_in_background(path, **TINY) == "missing" and path.resolve() not in C._BACKGROUND
    monkeypatch.undo()
    failing = C.subprocess.Popen([C.sys.executable, "-c", "raise SystemExit(1)"])  # ...or fails without a file
    C._BACKGROUND[path.resolve()] = (failing, "missing")
    base, info = C.load_base(path, **TINY)
    assert info["rebuilt"] and info["background_status"] == "missing" and C.cache_status(path, **TINY) == "ok"
    with pytest.raises(ValueError, match="unknown pretraining settings"):
        C.start_in_background(path, epochz=3)


def test_command_line_rejects_bad_arguments(capsys):
    for argv in (["base.h5"], ["base.keras", "{not json"], ["base.keras", "[1, 2]"]):
        with pytest.raises(SystemExit) as exc:
            C.main(argv)
        assert exc.value.code == 2
    assert "error:" in capsys.readouterr().err
