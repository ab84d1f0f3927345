"""Each model a lesson builds in its own cells is the model its `utils` builder makes, compared layer by layer.

The lesson's code is taken from the notebook itself: the cell that binds the name is run up to that statement,
in a namespace holding keras, the notebook's imports and its literal settings (IMAGE_SIZE, SEED, ...). A new
lesson model is one more line in SOURCES.
"""

import ast
import json
import re

import numpy as np
import pytest

from utils.notebook import setup

keras = setup(keras=True)

from utils import augmentation, detectors, models, pretraining  # noqa: E402
from utils.paths import COURSE_ROOT  # noqa: E402

L06, L07, L08 = "06_cnn_muffin_or_chihuahua", "07_augmentation_transfer", "08_localization_detection"
RNG = np.random.default_rng(0)
# Stand-ins for the photos and the trained base a cell needs before it can build its model (shapes as in lesson 07).
GIVEN_07 = {"base": lambda: pretraining.build_base(64), "x_small": lambda: RNG.uniform(0, 255, (8, 64, 64, 3)),
            "x_test": lambda: RNG.uniform(0, 255, (4, 64, 64, 3))}

# (lesson, the name its cell binds, what to compare in the lesson's namespace, the utils builder, names given)
SOURCES = [
    (L06, "cnn", "cnn", lambda: models.build_cnn(), {}),
    (L06, "baseline", "baseline", lambda: models.build_dense_baseline(), {}),
    (L06, "flat_cnn", "flat_cnn", lambda: models.build_cnn(pooling="flatten"), {}),
    (L07, "build_base", "build_base()", lambda: pretraining.build_base(), {}),
    (L07, "augment", "augment", augmentation.build_block, {}),
    (L07, "make_model", "make_model(pretraining.build_base(64))",
     lambda: pretraining.build_classifier(pretraining.build_base(64)), {}),
    (L07, "make_model", "make_model(pretraining.build_base(64), augment=augmentation.build_block(), dropout=0.5)",
     lambda: pretraining.build_classifier(pretraining.build_base(64), augmentation.build_block(), 0.5), {}),
    (L07, "head", "head", lambda: pretraining.build_head(RNG.normal(size=(8, 256))), GIVEN_07),
    (L07, "transfer", "transfer", lambda: pretraining.build_transfer(
        pretraining.build_base(64), pretraining.build_head(RNG.normal(size=(8, 256))), augmentation.build_block()),
     {**GIVEN_07, "augment": augmentation.build_block,
      "head": lambda: pretraining.build_head(RNG.normal(size=(8, 256)))}),
    (L08, "localizer", "localizer", detectors.build_localizer, {}),
    (L08, "detector", "detector", detectors.build_detector, {}),
]


def _cells(lesson):
    """The code cells of a lesson, as lists of top-level statements."""
    notebook = json.loads((COURSE_ROOT / "notebooks" / f"{lesson}.ipynb").read_text(encoding="utf-8"))
    sources = ["".join(c["source"]) for c in notebook["cells"] if c["cell_type"] == "code"]
    return [ast.parse("\n".join(line for line in s.splitlines() if not line.lstrip().startswith(("%", "!"))))
            .body for s in sources]


def _binds(statement, name):
    """True if the statement defines ``name`` (a def, or an assignment of something other than a constant)."""
    if isinstance(statement, ast.FunctionDef):
        return statement.name == name
    return (isinstance(statement, ast.Assign) and not isinstance(statement.value, ast.Constant)
            and any(isinstance(t, ast.Name) and t.id == name for t in statement.targets))


def lesson_namespace(lesson, name, given):
    """Run the lesson's imports, its literal settings and the cell that binds ``name`` (up to that statement)."""
    cells = _cells(lesson)
    namespace = {"keras": keras, "layers": keras.layers, "np": np}
    for cell in cells:
        for statement in cell:
            if isinstance(statement, (ast.Import, ast.ImportFrom)):
                exec(compile(ast.Module([statement], []), lesson, "exec"), namespace)
            elif isinstance(statement, ast.Assign) and len(statement.targets) == 1 and isinstance(
                    statement.targets[0], ast.Name):
                try:
                    namespace[statement.targets[0].id] = ast.literal_eval(statement.value)
                except ValueError:
                    pass
    namespace.update({key: make() for key, make in given.items()})
    found = [(cell, i) for cell in cells for i, s in enumerate(cell) if _binds(s, name)]
    assert found, f"lesson {lesson} has no cell that builds {name!r}: update SOURCES in {__name__}"
    cell, last = found[-1]
    exec(compile(ast.Module(cell[:last + 1], []), lesson, "exec"), namespace)
    return namespace


def _auto_name(layer):
    """True if Keras named the layer itself (e.g. 'dense_3'): such names carry no meaning."""
    cls = type(layer).__name__
    snake = re.sub("([a-z])([A-Z])", r"\1_\2", re.sub("(.)([A-Z][a-z0-9]+)", r"\1_\2", cls)).lower()
    return re.fullmatch(rf"({snake}|functional|sequential)(_\d+)?", layer.name) is not None


def _config(layer):
    """The layer's settings (activation, filters, kernel size, strides, padding, pool size, factors, ...)."""
    return {k: v for k, v in layer.get_config().items() if k != "name"}


def _output_shape(layer):
    """The layer's output shape, or None for a block never called on an input (an augmentation block)."""
    for get in (lambda: layer.output_shape, lambda: layer.output.shape):
        try:
            return tuple(get())
        except (AttributeError, ValueError):
            pass
    return None


def layer_differences(ours, theirs, where="model"):
    """A list of every difference between two models or layers (type, name, settings, output shape, weights),
    descending into nested models."""
    if type(ours) is not type(theirs):
        return [f"{where}: {type(theirs).__name__} in the lesson, {type(ours).__name__} in utils"]
    problems = []
    if not _auto_name(theirs) and ours.name != theirs.name:
        problems.append(f"{where}: named {theirs.name!r} in the lesson, {ours.name!r} in utils")
    if _output_shape(ours) != _output_shape(theirs):
        problems.append(f"{where}: output shape {_output_shape(theirs)} in the lesson, {_output_shape(ours)} in utils")
    if ours.built != theirs.built:
        problems.append(f"{where}: built in {'utils' if ours.built else 'the lesson'} only")
    elif ours.built and ours.count_params() != theirs.count_params():
        problems.append(f"{where}: {theirs.count_params()} weights in the lesson, {ours.count_params()} in utils")
    if not hasattr(theirs, "layers"):
        if _config(ours) != _config(theirs):
            problems.append(f"{where}: settings differ: lesson {_config(theirs)}, utils {_config(ours)}")
        return problems
    if len(ours.layers) != len(theirs.layers):
        problems.append(f"{where}: {len(theirs.layers)} layers in the lesson, {len(ours.layers)} in utils: "
                        f"{[x.name for x in theirs.layers]} vs {[x.name for x in ours.layers]}")
    for k, (a, b) in enumerate(zip(ours.layers, theirs.layers)):
        problems += layer_differences(a, b, f"{where}.layers[{k}] ({b.name})")
    return problems


@pytest.mark.parametrize("lesson, name, expression, builder, given", SOURCES,
                         ids=[f"{s[0][:2]}-{s[2]}" for s in SOURCES])
def test_lesson_model_is_the_utils_model(lesson, name, expression, builder, given):
    theirs = eval(expression, lesson_namespace(lesson, name, given))
    ours = builder()
    assert layer_differences(ours, theirs) == []


def test_the_comparison_sees_a_changed_layer():
    cnn = models.build_cnn()
    other = models.build_cnn(filters=(16, 32, 32))
    flat = models.build_cnn(pooling="flatten")
    assert any("filters" in p for p in layer_differences(other, cnn))
    assert any("Flatten in the lesson, GlobalMaxPooling2D" in p for p in layer_differences(cnn, flat))
    nested = [pretraining.build_classifier(pretraining.build_base(32, (4, 8), 8, stem_stride=s)) for s in (1, 2)]
    assert any("layers[1] (pets_bakes_base).layers[2] (block1_conv): settings differ" in p and "strides" in p
               for p in layer_differences(*nested))
    heads = [pretraining.build_head(np.ones((4, 8)), dropout=d) for d in (0.5, 0.3)]
    assert any("head_dropout" in p and "rate" in p for p in layer_differences(*heads))
    renamed = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, name="out")])
    plain = keras.Sequential([keras.Input((4,)), keras.layers.Dense(2, activation="relu", name="output")])
    problems = layer_differences(renamed, plain)
    assert any("named 'output' in the lesson" in p for p in problems)
    assert any("relu" in p for p in problems)


def test_lesson_07_train_fits_the_same_weights_as_pretraining_train():
    x, y = RNG.uniform(0, 255, (12, 32, 32, 3)).astype("float32"), np.arange(12) % 2
    namespace = lesson_namespace(L07, "train", {"x_small": lambda: x, "y_small": lambda: y,
                                                "x_val": lambda: x[:4], "y_val": lambda: y[:4]})
    weights = []
    for fit in (lambda m: namespace["train"](m, x, y, 2, "lesson 07"),      # the lesson seeds with its SEED
                lambda m: pretraining.train(m, x, y, 2, seed=namespace["SEED"], validation_data=(x[:4], y[:4]))):
        keras.utils.set_random_seed(1)
        model = pretraining.build_classifier(pretraining.build_base(32, (4, 8), expand=8), dropout=0.5)
        fit(model)
        weights.append(model.get_weights())
    assert all(np.array_equal(a, b) for a, b in zip(*weights))
