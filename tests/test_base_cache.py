"""Tests for utils.base_cache: the pretrained base the course ships (intact, made with the code's settings), and
clear errors with the rebuild command for a missing, altered or stale file."""

import json
import shutil

import numpy as np
import pytest

from utils.notebook import setup

keras = setup(keras=True)

from utils import base_cache as C  # noqa: E402
from utils import pretraining  # noqa: E402

TINY = {"n_images": 48, "epochs": 1, "size": 32, "seed": 0, "filters": [4, 8], "expand": 8, "stem_stride": 2,
        "val_images": 16}


def test_the_shipped_base_is_intact_and_made_with_the_codes_settings():
    meta = C.check()                                   # size and sha256 as recorded, settings as in the code
    assert meta["settings"] == C.SETTINGS and meta["format"] == C.FORMAT_VERSION
    assert meta["classes"] == list(pretraining.SOURCE_CLASSES)
    assert not {"chihuahua", "muffin"} & set(meta["classes"]), "the source task must hold no target class"
    assert 0.9 <= meta["source_accuracy"] <= 1, "the base should tell the 8 pets and bakes apart"
    assert meta["bytes"] < 1_000_000, "the shipped weights should stay small"


def test_the_shipped_base_loads_with_the_lessons_architecture():
    base, meta = C.load_base()
    reference = pretraining.build_base(C.SETTINGS["size"], C.SETTINGS["filters"], C.SETTINGS["expand"],
                                       C.SETTINGS["stem_stride"])
    assert [layer.name for layer in base.layers] == [layer.name for layer in reference.layers]
    assert [w.shape for w in base.get_weights()] == [w.shape for w in reference.get_weights()]
    assert base.output_shape == (None, C.SETTINGS["expand"])


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    """A tiny base built by the course command's function, with its sidecar."""
    path = tmp_path_factory.mktemp("base") / "tiny.keras"
    meta = C.build(path, TINY)
    return path, meta


@pytest.fixture
def copy(tiny, tmp_path):
    path = tmp_path / "base.keras"
    shutil.copy(tiny[0], path)
    shutil.copy(C.sidecar_path(tiny[0]), C.sidecar_path(path))
    return path


def test_build_writes_the_base_and_its_sidecar_atomically(tiny):
    path, meta = tiny
    assert C.problem(path, TINY) is None
    assert meta["bytes"] == path.stat().st_size and meta["settings"] == TINY and meta["command"] == C.BUILD_COMMAND
    assert json.loads(C.sidecar_path(path).read_text()) == meta
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".")], "temporary files were left behind"
    base, info = C.load_base(path, TINY)
    assert base.output_shape == (None, 8) and info == meta


def test_build_is_reproducible(tiny, tmp_path):
    again = C.build(tmp_path / "again.keras", TINY)
    assert again["source_accuracy"] == tiny[1]["source_accuracy"]
    first, _ = C.load_base(tiny[0], TINY)
    second, _ = C.load_base(tmp_path / "again.keras", TINY)
    for a, b in zip(first.get_weights(), second.get_weights()):
        np.testing.assert_allclose(a, b, atol=1e-6)


def expect_error(path, settings, *phrases):
    with pytest.raises(C.BaseFileError) as error:
        C.load_base(path, settings)
    message = str(error.value)
    for phrase in (C.BUILD_COMMAND, *phrases):
        assert phrase in message, message


def test_a_missing_file_names_the_command_that_rebuilds_it(tmp_path):
    expect_error(tmp_path / "nothing.keras", TINY, "is missing")


def test_a_truncated_or_altered_file_is_refused(copy):
    data = copy.read_bytes()
    copy.write_bytes(data[: len(data) // 3])
    expect_error(copy, TINY, "truncated or altered")


def test_a_missing_sidecar_is_refused(copy):
    C.sidecar_path(copy).unlink()
    expect_error(copy, TINY, "sidecar")


def test_a_file_made_with_other_settings_is_refused(copy):
    expect_error(copy, {**TINY, "epochs": 2}, "other settings")


def test_garbage_with_a_matching_sidecar_is_refused_with_keras_reason(copy):
    junk = b"not a keras file" * 100
    copy.write_bytes(junk)
    meta = json.loads(C.sidecar_path(copy).read_text())
    import hashlib

    meta.update(bytes=len(junk), sha256=hashlib.sha256(junk).hexdigest())
    C.sidecar_path(copy).write_text(json.dumps(meta))
    assert C.problem(copy, TINY) is None                     # the checksum matches, but Keras cannot read it
    expect_error(copy, TINY, "Keras cannot read")


def test_save_base_wants_a_keras_file(tmp_path):
    with pytest.raises(ValueError, match=r"\.keras file"):
        C.save_base(pretraining.build_base(32, [4], 4), tmp_path / "b.h5", TINY, 0.5)


def test_command_line_checks_the_file_and_rejects_bad_paths(capsys, copy):
    assert C.main(["--path", str(copy)]) == 1                 # the code's settings are not TINY: refused
    assert C.BUILD_COMMAND in capsys.readouterr().err
    assert C.main([]) == 0
    assert "intact" in capsys.readouterr().out
    with pytest.raises(SystemExit) as exc:
        C.main(["--path", "base.h5"])
    assert exc.value.code == 2
