"""Pooling, flattening and parameter counts: reference implementations for lesson 05."""

import math
import numbers

import numpy as np

from utils.conv import output_size

POOL_MODES = ("max", "avg")


def _positive_pair(value, name):
    """Read an int or a pair of ints (rows, cols) that must be >= 1."""
    pair = value if isinstance(value, (tuple, list)) else (value, value)
    if len(pair) != 2 or not all(_is_int(v) for v in pair):
        raise TypeError(f"{name} must be an int or a pair of ints (rows, cols), got {value!r}")
    if min(pair) < 1:
        raise ValueError(f"{name} must be at least 1, got {value!r}: a window or step of 0 does not move")
    return int(pair[0]), int(pair[1])


def _is_int(value):
    """True for a Python or NumPy integer (not a bool)."""
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _feature_map(x):
    """Check that ``x`` is a numeric (H, W) or (H, W, C) array without NaN and return it as an array."""
    if x is None:
        raise TypeError("expected an image or feature map of shape (H, W) or (H, W, C), got None")
    arr = np.asarray(x)
    if arr.dtype == bool:
        arr = arr.astype(np.uint8)
    if not np.issubdtype(arr.dtype, np.number):
        raise TypeError(f"expected a numeric array, got dtype {arr.dtype}: pass numbers, not {type(x).__name__}")
    if arr.ndim not in (2, 3):
        hint = " (drop the batch axis: x[0])" if arr.ndim == 4 else ""
        raise ValueError(f"expected shape (H, W) or (H, W, C), got {arr.shape}{hint}")
    if np.issubdtype(arr.dtype, np.floating) and np.isnan(arr).any():
        raise ValueError("the input contains NaN: clean or replace those values before pooling")
    return arr


def pool_output_size(i, size, stride):
    """Windows that fit along one axis of length ``i``: floor((I - size) / stride) + 1 (no padding)."""
    for name, v in (("i", i), ("size", size), ("stride", stride)):
        if not _is_int(v) or v < 1:
            raise ValueError(f"{name} must be a positive int, got {v!r}")
    if size > i:
        raise ValueError(f"a pooling window of {size} does not fit in an input of {i}: use a smaller pool size")
    return (i - size) // stride + 1


def pool2d(x, size=2, stride=None, mode="max"):
    """Max or average pooling of an (H, W) or (H, W, C) array, channel by channel; windows that do not fit are dropped.

    ``stride`` defaults to ``size`` (non-overlapping windows), as in Keras ``MaxPooling2D``/``AveragePooling2D``.
    """
    if mode not in POOL_MODES:
        raise ValueError(f"mode must be one of {POOL_MODES}, got {mode!r}")
    arr = _feature_map(x)
    ph, pw = _positive_pair(size, "size")
    sh, sw = _positive_pair(size if stride is None else stride, "stride")
    if ph > arr.shape[0] or pw > arr.shape[1]:
        raise ValueError(f"pool window {ph}x{pw} is larger than the input {arr.shape[0]}x{arr.shape[1]}: "
                         "use a smaller size")
    oh, ow = pool_output_size(arr.shape[0], ph, sh), pool_output_size(arr.shape[1], pw, sw)
    windows = np.lib.stride_tricks.sliding_window_view(arr, (ph, pw), axis=(0, 1))
    windows = windows[: (oh - 1) * sh + 1 : sh, : (ow - 1) * sw + 1 : sw]
    reduce = np.max if mode == "max" else np.mean
    return reduce(windows, axis=(-2, -1))


def flatten(x):
    """Unroll one sample of shape (H, W, D) (or any shape) into a vector, row by row, as Keras ``Flatten`` does."""
    if x is None:
        raise TypeError("flatten expects an array, got None")
    arr = np.asarray(x)
    if arr.dtype == object:
        raise TypeError("flatten expects a numeric array; got ragged or non-numeric data (dtype object)")
    if arr.ndim == 0:
        raise ValueError("flatten expects an array with at least one axis, got a single number")
    return arr.reshape(-1)


def _count(value, name):
    """Check that a layer size is a positive int."""
    if not _is_int(value):
        raise TypeError(f"{name} must be an int, got {type(value).__name__} {value!r}")
    if value < 1:
        raise ValueError(f"{name} must be at least 1, got {value}")
    return int(value)


def conv_params(f, c, k):
    """Weights of a conv layer with K filters of size F×F×C, one bias each: (F·F·C + 1)·K."""
    f, c, k = _count(f, "f (kernel size)"), _count(c, "c (input channels)"), _count(k, "k (number of filters)")
    return (f * f * c + 1) * k


def dense_params(n_in, n_out):
    """Weights of a fully connected layer: one weight per input per unit plus one bias per unit, (N_in + 1)·N_out."""
    n_in, n_out = _count(n_in, "n_in (inputs)"), _count(n_out, "n_out (units)")
    return (n_in + 1) * n_out


LAYER_KINDS = ("conv", "pool", "flatten", "dense")


def _conv_size(i, f, stride, padding):
    """Spatial output size of a conv layer with Keras padding 'valid' (no padding) or 'same' (ceil(I / S))."""
    if padding == "same":
        return math.ceil(i / stride)
    return output_size(i, f, padding=0, stride=stride)


def _table_row(shape, spec):
    """One row (name, output shape, formula, params) for a layer spec applied to ``shape``."""
    if not isinstance(spec, (tuple, list)) or not spec or spec[0] not in LAYER_KINDS:
        raise ValueError(f"each layer spec must be a tuple starting with one of {LAYER_KINDS}, got {spec!r}; "
                         "e.g. ('conv', 16, 3), ('pool', 2), ('flatten',), ('dense', 64)")
    kind, args = spec[0], tuple(spec[1:])
    if kind in ("conv", "pool") and len(shape) != 3:
        raise ValueError(f"{kind} needs an (H, W, C) input, got shape {shape}: put it before 'flatten'")
    if kind == "conv":
        k, f = _count(args[0], "filters"), _count(args[1], "kernel size")
        stride = _count(args[2], "stride") if len(args) > 2 else 1
        padding = args[3] if len(args) > 3 else "valid"
        if padding not in ("valid", "same"):
            raise ValueError(f"conv padding must be 'valid' or 'same', got {padding!r}")
        h, w, c = shape
        out = (_conv_size(h, f, stride, padding), _conv_size(w, f, stride, padding), k)
        return f"conv {f}x{f}x{c} -> {k}", out, f"({f}·{f}·{c}+1)·{k}", conv_params(f, c, k)
    if kind == "pool":
        size = _count(args[0], "pool size")
        stride = _count(args[1], "pool stride") if len(args) > 1 else size
        h, w, c = shape
        out = (pool_output_size(h, size, stride), pool_output_size(w, size, stride), c)
        return f"pool {size}x{size}", out, "0", 0
    if kind == "flatten":
        n = int(np.prod(shape))
        return "flatten", (n,), "0", 0
    if len(shape) != 1:
        raise ValueError(f"dense expects a vector input, got shape {shape}: add ('flatten',) before it")
    units = _count(args[0], "units")
    return f"dense {units}", (units,), f"({shape[0]}+1)·{units}", dense_params(shape[0], units)


def parameter_table(input_shape, layers):
    """Rows (layer, output shape, formula, params) for a stack of layer specs on an (H, W, C) input.

    Specs: ``('conv', filters, kernel[, stride, padding])``, ``('pool', size[, stride])``, ``('flatten',)``,
    ``('dense', units)``.
    """
    if not isinstance(input_shape, (tuple, list)) or len(input_shape) != 3:
        raise ValueError(f"input_shape must be (H, W, C), got {input_shape!r}")
    shape = tuple(_count(v, "input size") for v in input_shape)
    if isinstance(layers, (str, bytes)) or not hasattr(layers, "__iter__"):
        raise TypeError("layers must be a list of layer specs such as [('conv', 16, 3), ('pool', 2)]")
    rows = []
    for spec in layers:
        name, shape, formula, params = _table_row(shape, spec)
        rows.append({"layer": name, "output": shape, "formula": formula, "params": params})
    if not rows:
        raise ValueError("layers is empty: give at least one layer spec")
    return rows


def keras_layer_specs(model):
    """Translate a Keras model's Conv2D / pooling / Flatten / Dense layers into layer specs for ``parameter_table``."""
    if not hasattr(model, "layers"):
        raise TypeError(f"expected a Keras model with .layers, got {type(model).__name__}")
    specs = []
    for layer in model.layers:
        kind = type(layer).__name__
        cfg = layer.get_config()
        if kind == "InputLayer":
            continue
        if kind == "Conv2D":
            fh, fw = cfg["kernel_size"]
            if fh != fw or cfg["strides"][0] != cfg["strides"][1] or tuple(cfg["dilation_rate"]) != (1, 1) \
                    or cfg.get("groups", 1) != 1:
                raise ValueError(f"layer {layer.name}: only square kernels, equal strides, no dilation and groups=1 are supported")
            if not cfg["use_bias"]:
                raise ValueError(f"layer {layer.name}: the table assumes one bias per filter (use_bias=True)")
            specs.append(("conv", cfg["filters"], fh, cfg["strides"][0], cfg["padding"]))
        elif kind in ("MaxPooling2D", "AveragePooling2D"):
            if cfg["padding"] != "valid" or cfg["pool_size"][0] != cfg["pool_size"][1]:
                raise ValueError(f"layer {layer.name}: only square pools with padding='valid' are supported")
            specs.append(("pool", cfg["pool_size"][0], cfg["strides"][0]))
        elif kind == "Flatten":
            specs.append(("flatten",))
        elif kind == "Dense":
            if not cfg["use_bias"]:
                raise ValueError(f"layer {layer.name}: the table assumes one bias per unit (use_bias=True)")
            specs.append(("dense", cfg["units"]))
        else:
            raise ValueError(f"layer {layer.name} ({kind}) is not supported: use Conv2D, MaxPooling2D, "
                             "AveragePooling2D, Flatten or Dense")
    return specs


def format_table(rows):
    """Render ``parameter_table`` rows as aligned text with a total line."""
    if not rows or not all(isinstance(r, dict) and {"layer", "output", "formula", "params"} <= set(r) for r in rows):
        raise ValueError("format_table expects the non-empty list of rows returned by parameter_table")
    lines = [f"{'layer':<20}{'output shape':<16}{'formula':<22}{'params':>10}"]
    for r in rows:
        shape = "×".join(str(v) for v in r["output"])
        lines.append(f"{r['layer']:<20}{shape:<16}{r['formula']:<22}{r['params']:>10,}")
    lines.append(f"{'total':<58}{sum(r['params'] for r in rows):>10,}")
    return "\n".join(lines)
