"""Parameter counts, taught in lessons 05-07: (F·F·C + 1)·K for a conv layer, (N_in + 1)·N_out for a dense one,
a whole stack's table, and the trainable weights of a Keras model."""

import math

import numpy as np

from utils import validate
from utils.conv import output_size
from utils.pooling import pool_output_size


def conv_params(f, c, k):
    """Weights of a conv layer with K filters of size F×F×C, one bias each: (F·F·C + 1)·K."""
    f = validate.positive_int("f (kernel size)", f)
    c = validate.positive_int("c (input channels)", c)
    k = validate.positive_int("k (number of filters)", k)
    return (f * f * c + 1) * k


def dense_params(n_in, n_out):
    """Weights of a fully connected layer: one weight per input per unit plus one bias per unit, (N_in + 1)·N_out."""
    n_in, n_out = validate.positive_int("n_in (inputs)", n_in), validate.positive_int("n_out (units)", n_out)
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
        k, f = validate.positive_int("filters", args[0]), validate.positive_int("kernel size", args[1])
        stride = validate.positive_int("stride", args[2]) if len(args) > 2 else 1
        padding = args[3] if len(args) > 3 else "valid"
        if padding not in ("valid", "same"):
            raise ValueError(f"conv padding must be 'valid' or 'same', got {padding!r}")
        h, w, c = shape
        out = (_conv_size(h, f, stride, padding), _conv_size(w, f, stride, padding), k)
        return f"conv {f}x{f}x{c} -> {k}", out, f"({f}·{f}·{c}+1)·{k}", conv_params(f, c, k)
    if kind == "pool":
        size = validate.positive_int("pool size", args[0])
        stride = validate.positive_int("pool stride", args[1]) if len(args) > 1 else size
        h, w, c = shape
        out = (pool_output_size(h, size, stride), pool_output_size(w, size, stride), c)
        return f"pool {size}x{size}", out, "0", 0
    if kind == "flatten":
        n = int(np.prod(shape))
        return "flatten", (n,), "0", 0
    if len(shape) != 1:
        raise ValueError(f"dense expects a vector input, got shape {shape}: add ('flatten',) before it")
    units = validate.positive_int("units", args[0])
    return f"dense {units}", (units,), f"({shape[0]}+1)·{units}", dense_params(shape[0], units)


def parameter_table(input_shape, layers):
    """Rows (layer, output shape, formula, params) for a stack of layer specs on an (H, W, C) input.

    Specs: ``('conv', filters, kernel[, stride, padding])``, ``('pool', size[, stride])``, ``('flatten',)``,
    ``('dense', units)``.
    """
    if not isinstance(input_shape, (tuple, list)) or len(input_shape) != 3:
        raise ValueError(f"input_shape must be (H, W, C), got {input_shape!r}")
    shape = tuple(validate.positive_int("input size", v) for v in input_shape)
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


def count_trainable(model):
    """Number of trainable parameters (weights the optimizer will change) of a Keras model or layer."""
    if not hasattr(model, "trainable_weights"):
        raise TypeError(f"expected a Keras model or layer, got {type(model).__name__}")
    return int(sum(np.prod(w.shape) for w in model.trainable_weights))
