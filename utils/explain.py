"""What a CNN looks at: first-layer filters, feature maps and Grad-CAM heatmaps.

Grad-CAM needs one gradient. Keras 3 has no backend-neutral gradient op (``keras.ops`` offers only
``stop_gradient`` and ``custom_gradient``), so ``gradient`` asks whichever backend runs Keras:
``tf.GradientTape`` on TensorFlow, ``jax.grad`` on JAX, ``torch.autograd.grad`` on PyTorch. Everything
else uses ``keras.ops`` and Keras layers only.
"""

import matplotlib.pyplot as plt
import numpy as np

from utils import validate
from utils.plots import image_grid


def _sequential(model):
    """Check that ``model`` is a built keras.Sequential (a plain chain of layers) and return it."""
    import keras

    if not isinstance(model, keras.Sequential):
        raise TypeError(f"expected a keras.Sequential model (a chain of layers), got {type(model).__name__}")
    if not model.built:
        raise ValueError("the model is not built yet: start it with keras.Input(shape=...) or call it on a batch")
    return model


def _batch(model, image):
    """One image (H, W, C) as a float32 batch of one, checked against the model's input shape."""
    x = np.asarray(image)
    if x.dtype == object or not np.issubdtype(x.dtype, np.number):
        raise TypeError(f"image must be a numeric array, got dtype {x.dtype}")
    expected = tuple(model.input_shape[1:])
    if x.shape != expected:
        raise ValueError(f"expected one image of shape {expected}, got {x.shape}")
    return x[None].astype("float32")


def conv_layer_names(model):
    """Names of the model's Conv2D layers, first to last."""
    import keras

    return [layer.name for layer in _sequential(model).layers if isinstance(layer, keras.layers.Conv2D)]


def _layer_index(model, layer_name):
    """Position of the named layer in the chain, or the last Conv2D when ``layer_name`` is None."""
    names = [layer.name for layer in _sequential(model).layers]
    if layer_name is None:
        convs = conv_layer_names(model)
        if not convs:
            raise ValueError("the model has no Conv2D layer: pass layer_name= for the layer to explain")
        layer_name = convs[-1]
    if layer_name not in names:
        raise ValueError(f"no layer named {layer_name!r}; the model's layers are {names}")
    return names.index(layer_name)


def gradient(fn, x):
    """Gradient of the scalar ``fn(x)`` with respect to the tensor ``x``, computed by the active Keras backend.

    Lesson 06 calls it in its own Grad-CAM (Keras has no backend-neutral gradient call to show instead)."""
    import keras
    from keras import ops

    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf

        x = tf.convert_to_tensor(x)
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = fn(x)
        return tape.gradient(y, x)
    if backend == "jax":
        import jax

        return jax.grad(fn)(ops.convert_to_tensor(x))
    if backend == "torch":
        import torch

        x = ops.convert_to_tensor(x).detach().requires_grad_(True)
        (grad,) = torch.autograd.grad(fn(x), x)
        return grad
    raise NotImplementedError(f"gradient() supports the tensorflow, jax and torch backends, not {backend!r}")


def _logits(layer, h):
    """Output of ``layer`` without a final softmax/sigmoid (Grad-CAM uses class scores, not probabilities)."""
    import keras
    from keras import ops

    name = getattr(getattr(layer, "activation", None), "__name__", "")
    if isinstance(layer, keras.layers.Dense) and name in ("softmax", "sigmoid"):
        z = ops.matmul(h, layer.kernel)
        return z + layer.bias if layer.use_bias else z
    return layer(h)


def class_score_function(model, layer_name=None, class_index=0):
    """``(features, score)``: a sub-model from the input to the named layer (default: last Conv2D) and a
    function from that layer's output to the class score (logit) of ``class_index``, summed over the batch."""
    import keras
    from keras import ops

    index = _layer_index(model, layer_name)
    layers = model.layers
    n_out = int(model.output_shape[-1])
    validate.integer("class_index", class_index, 0, max(n_out, 2) - 1)
    features = keras.Model(model.inputs[0], layers[index].output)
    head = layers[index + 1:]

    def score(a):
        h = a
        for layer in head[:-1]:
            h = layer(h)
        z = _logits(head[-1], h) if head else h
        if n_out == 1:  # one sigmoid unit: class 1 scores +z, class 0 scores -z
            return ops.sum(z[:, 0] if class_index == 1 else -z[:, 0])
        return ops.sum(z[:, class_index])

    return features, score


def grad_cam(model, image, class_index=None, layer_name=None):
    """Grad-CAM heatmap (values 0–1 at the conv layer's resolution) of where the model finds evidence for
    ``class_index`` (default: the predicted class) in one raw image; layer default: the last Conv2D.

    Taught in lesson 06, which writes its core in about 15 lines and checks it against this function."""
    from keras import ops

    x = _batch(_sequential(model), image)
    if class_index is None:
        class_index = int(np.argmax(ops.convert_to_numpy(model(x))[0]))
    features, score = class_score_function(model, layer_name, class_index)
    a = features(x)
    if len(a.shape) != 4:
        raise ValueError(f"Grad-CAM needs a layer with (H, W, C) output, got {tuple(a.shape[1:])}")
    grads = gradient(score, a)
    weights = ops.mean(grads, axis=(1, 2), keepdims=True)          # one weight per channel
    cam = ops.relu(ops.sum(weights * a, axis=-1))[0]                # weighted sum of the maps, positive part
    cam = ops.convert_to_numpy(cam).astype("float64")
    top = cam.max()
    return cam / top if top > 0 else cam


def overlay_heatmap(image, heatmap, alpha=0.45, cmap="inferno"):
    """Blend a 0–1 heatmap (any size, resized smoothly) over an RGB uint8 image; returns an RGB uint8 image.

    The default colour map, inferno (black → purple → yellow), reads the same with colour-blind eyes."""
    import cv2

    img = np.asarray(image)
    heat = np.asarray(heatmap, dtype="float64")
    if img.ndim != 3 or img.shape[2] != 3:
        raise ValueError(f"image must be RGB of shape (H, W, 3), got {img.shape}")
    if heat.ndim != 2 or not np.all(np.isfinite(heat)) or heat.min() < 0 or heat.max() > 1:
        raise ValueError("heatmap must be a 2-D array of values between 0 and 1 (as grad_cam returns)")
    validate.number("alpha", alpha, 0, 1)
    heat = cv2.resize(heat.astype("float32"), (img.shape[1], img.shape[0]), interpolation=cv2.INTER_CUBIC)
    colour = plt.get_cmap(cmap)(np.clip(heat, 0, 1))[..., :3] * 255
    base = img.astype("float64") * (255 if img.dtype.kind == "f" and img.max() <= 1 else 1)
    return np.clip((1 - alpha) * base + alpha * colour, 0, 255).astype("uint8")


def feature_maps(model, image, layer_names=None):
    """Outputs of the named layers (default: every Conv2D and pooling layer) for one image: ``[(name, (H, W, C))]``."""
    import keras
    from keras import ops

    model = _sequential(model)
    if layer_names is None:
        kinds = (keras.layers.Conv2D, keras.layers.MaxPooling2D, keras.layers.AveragePooling2D)
        layer_names = [layer.name for layer in model.layers if isinstance(layer, kinds)]
    layer_names = [layer_names] if isinstance(layer_names, str) else list(layer_names)
    if not layer_names:
        raise ValueError("no layers to show: pass layer_names=[...] (the model has no Conv2D or pooling layer)")
    outputs = [model.layers[_layer_index(model, name)].output for name in layer_names]
    probe = keras.Model(model.inputs[0], outputs)
    maps = probe(_batch(model, image))
    maps = maps if isinstance(maps, (list, tuple)) else [maps]
    result = []
    for name, m in zip(layer_names, maps):
        if len(m.shape) != 4:
            raise ValueError(f"layer {name!r} outputs shape {tuple(m.shape[1:])}, not (H, W, C) feature maps")
        result.append((name, ops.convert_to_numpy(m)[0]))
    return result


def filter_images(layer):
    """The kernels of a Conv2D layer as images (K, F, F, C), each rescaled to 0–1 for display."""
    import keras

    if not isinstance(layer, keras.layers.Conv2D):
        raise TypeError(f"expected a Conv2D layer, got {type(layer).__name__}")
    w = np.asarray(layer.get_weights()[0], dtype="float64")          # (F, F, C, K)
    w = np.moveaxis(w, -1, 0)
    low = w.min(axis=(1, 2, 3), keepdims=True)
    span = w.max(axis=(1, 2, 3), keepdims=True) - low
    return (w - low) / np.where(span > 0, span, 1)


def plot_filters(layer, ncols=8, size=1.1):
    """Show each filter of a Conv2D layer as a small image (RGB for 3 input channels, else channel 0)."""
    tiles = filter_images(layer)
    n = len(tiles)
    fig, axes = image_grid(n, min(ncols, n), size, extra_height=0.5)
    for i, ax in enumerate(axes[:n]):
        tile = tiles[i] if tiles.shape[-1] == 3 else tiles[i][..., 0]
        ax.imshow(tile, cmap=None if tile.ndim == 3 else "gray", vmin=0, vmax=1)
        ax.set_title(str(i), fontsize=11)
    fig.suptitle(f"The {n} filters of layer '{layer.name}' ({tiles.shape[1]}×{tiles.shape[2]}, scaled to 0–1)")
    fig.tight_layout()
    return fig


def plot_feature_maps(image, maps, n_channels=6, size=1.4):
    """One row per layer: its first ``n_channels`` feature maps (bright = strong response), the input image once at the
    top left."""
    if not maps:
        raise ValueError("maps is empty: pass the list that feature_maps(model, image) returns")
    validate.positive_int("n_channels", n_channels)
    width = n_channels + 1
    fig, axes = image_grid(len(maps) * width, width, size, extra_height=0.3)
    axes[0].imshow(np.asarray(image).astype("uint8"))
    axes[0].set_title("input", fontsize=11)
    for r, (name, m) in enumerate(maps):
        row = axes[r * width:(r + 1) * width]
        if r > 0:
            row[0].text(0.5, 0.5, f"{name}\n{m.shape[-1]} maps", ha="center", va="center", fontsize=11,
                        transform=row[0].transAxes, color="0.35")
        for c in range(min(n_channels, m.shape[-1])):
            row[c + 1].imshow(m[..., c], cmap="magma")
            row[c + 1].set_title(f"{name} #{c}\n{m.shape[0]}×{m.shape[1]}", fontsize=11)
    fig.tight_layout()
    return fig


def plot_grad_cam(images, heatmaps, titles=None, size=2.4):
    """Two rows: each image, then its Grad-CAM heatmap laid over it."""
    if len(images) == 0 or len(images) != len(heatmaps):
        raise ValueError(f"give one heatmap per image (got {len(images)} images, {len(heatmaps)} heatmaps)")
    if titles is not None and len(titles) != len(images):
        raise ValueError(f"give one title per image (got {len(titles)} titles for {len(images)} images)")
    n = len(images)
    fig, axes = image_grid(2 * n, n, size, extra_height=0.4, title_height=0.3)
    for i, (img, heat) in enumerate(zip(images, heatmaps)):
        axes[i].imshow(np.asarray(img).astype("uint8"))
        axes[n + i].imshow(overlay_heatmap(img, heat))
        axes[i].set_title(titles[i] if titles else "image", fontsize=11)
        axes[n + i].set_title("Grad-CAM", fontsize=11)
    fig.suptitle("Each photo, then where the evidence for the answer sits (bright = strong)", fontsize=12)
    fig.tight_layout()
    return fig
