"""Reference convolutions in NumPy: 1D, 2D, multi-channel and a whole Conv2D layer.

``correlate2d`` and ``conv2d_layer`` compute what CNN layers compute (cross-correlation, like Keras
``Conv2D`` and ``cv2.filter2D``); ``conv1d`` and ``conv2d`` are true convolutions (kernel flipped).
"""

import numpy as np

from utils import validate

MODES_1D = ("full", "same", "valid")


def _float_pair(a, b):
    """Cast two arrays to a common float dtype (float32 if both fit, else float64)."""
    dtype = np.result_type(a.dtype, b.dtype, np.float32)
    return a.astype(dtype, copy=False), b.astype(dtype, copy=False)


def conv1d(x, k, mode="full"):
    """True 1D convolution (flip the kernel, shift, multiply, sum); the same numbers as ``np.convolve``."""
    x = validate.array(x, "x", (1,))
    k = validate.array(k, "k", (1,))
    validate.one_of("mode", mode, MODES_1D)
    x, k = _float_pair(x, k)
    n, m = len(x), len(k)
    padded = np.pad(x, m - 1)
    windows = np.lib.stride_tricks.sliding_window_view(padded, m)
    full = windows @ k[::-1]
    if mode == "full":
        return full
    if mode == "same":
        length = max(n, m)
        start = (min(n, m) - 1) // 2
        return full[start:start + length]
    length = max(n, m) - min(n, m) + 1
    start = min(n, m) - 1
    return full[start:start + length]


def pad2d(image, padding):
    """Add ``padding`` rows/columns of zeros on every side of an (H, W) or (H, W, C) image."""
    image = validate.array(image, "image", (2, 3))
    p = validate.integer("padding", padding, 0)
    widths = [(p, p), (p, p)] + [(0, 0)] * (image.ndim - 2)
    return np.pad(image, widths)


def output_size(i, f, padding=0, stride=1):
    """Output length of a convolution: floor((i - f + 2p) / s) + 1."""
    i = validate.integer("input size i", i, 1)
    f = validate.integer("kernel size f", f, 1)
    p = validate.integer("padding", padding, 0)
    s = validate.integer("stride", stride, 1)
    if f > i + 2 * p:
        raise ValueError(f"kernel size {f} is larger than the padded input {i} + 2*{p} = {i + 2 * p}: "
                         "use a smaller kernel or more padding")
    return (i - f + 2 * p) // s + 1


def _same_pads(size, f, stride):
    """(before, after) zero padding that keeps ceil(size / stride) outputs, split like Keras 'same'."""
    out = -(-size // stride)
    total = max((out - 1) * stride + f - size, 0)
    return total // 2, total - total // 2


def _prepare(image, kernel, stride, padding, kernel_ndims):
    """Validate inputs; return (float image, float kernel, stride, ((top, bottom), (left, right)) pads, output shape)."""
    image = validate.array(image, "image", (2, 3))
    kernel = validate.array(kernel, "kernel", kernel_ndims)
    s = validate.integer("stride", stride, 1)
    fh, fw = kernel.shape[:2]
    channels = image.shape[2] if image.ndim == 3 else None
    if kernel_ndims == (4,):
        if image.ndim != 3:
            raise ValueError(f"x has shape {image.shape}: conv2d_layer expects (H, W, C); "
                             "add a channel axis with x[..., None]")
        if kernel.shape[2] != channels:
            raise ValueError(f"kernels have {kernel.shape[2]} input channels but x has {channels}: "
                             "kernels must have shape (F, F, C, K) with C = x.shape[2]")
    elif kernel.ndim != image.ndim:
        raise ValueError(f"image shape {image.shape} and kernel shape {kernel.shape} do not match: use a (F, F) "
                         "kernel for an (H, W) image and a (F, F, C) kernel for an (H, W, C) image")
    elif channels is not None and kernel.shape[2] != channels:
        raise ValueError(f"kernel has {kernel.shape[2]} channels but the image has {channels}: "
                         "the kernel's last axis must equal the image's number of channels")
    if isinstance(padding, str):
        if padding == "valid":
            pads = [(0, 0), (0, 0)]
        elif padding == "same":
            if fh % 2 == 0 or fw % 2 == 0:
                raise ValueError(f"padding='same' needs an odd kernel size, got {fh}x{fw}: "
                                 "use an odd kernel or an explicit int padding")
            pads = [_same_pads(image.shape[0], fh, s), _same_pads(image.shape[1], fw, s)]
        else:
            raise ValueError(f"padding must be 'valid', 'same' or an int >= 0, got {padding!r}")
    else:
        p = validate.integer("padding", padding, 0)
        pads = [(p, p), (p, p)]
    hp = image.shape[0] + sum(pads[0])
    wp = image.shape[1] + sum(pads[1])
    if fh > hp or fw > wp:
        raise ValueError(f"kernel {fh}x{fw} is larger than the (padded) image {hp}x{wp}: "
                         "use a smaller kernel, a bigger image or padding='same'")
    image, kernel = _float_pair(image, kernel)
    out_shape = ((hp - fh) // s + 1, (wp - fw) // s + 1)
    return image, kernel, s, pads, out_shape


def _pad(image, pads):
    """Zero-pad the two spatial axes of ``image`` by ((top, bottom), (left, right))."""
    if pads == [(0, 0), (0, 0)]:
        return image
    return np.pad(image, pads + [(0, 0)] * (image.ndim - 2))


def _reach(offset, pad, size_in, stride, start, stop):
    """Outputs in [start, stop) whose input index ``i * stride + offset - pad`` lies inside the image.

    Returns (output slice, input slice), or None when that kernel entry only ever sees padding zeros.
    """
    lo = max(start, -((offset - pad) // stride))
    hi = min(stop, (size_in - 1 - offset + pad) // stride + 1)
    if hi <= lo:
        return None
    first = lo * stride + offset - pad
    return slice(lo, hi), slice(first, first + (hi - lo - 1) * stride + 1, stride)


def _patch_matrix(x, fh, fw, stride, pads, out_hw):
    """A read-only (H', F*F*C, W') view: row i holds every window of output row i, one column per output pixel.

    Like im2col, but each padded row is stored once with its F column shifts (F times the image, not F*F times):
    the F*F*C numbers under the window at (i, j) are then ``view[i, :, j]``.
    """
    h, w, c = x.shape
    ho, wo = out_hw
    (top, _), (left, _) = pads
    rows = (ho - 1) * stride + fh                     # padded rows the output reads
    shifted = np.empty((rows, fw, c, wo), dtype=x.dtype)
    r0, r1 = min(top, rows), min(top + h, rows)       # where image rows land; the rest is padding
    shifted[:r0] = 0
    shifted[r1:] = 0
    for v in range(fw):
        cols = _reach(v, left, w, stride, 0, wo)
        if cols is None:
            shifted[r0:r1, v] = 0
            continue
        shifted[r0:r1, v, :, :cols[0].start] = 0
        shifted[r0:r1, v, :, cols[0].stop:] = 0
        shifted[r0:r1, v, :, cols[0]] = x[:r1 - r0, cols[1]].transpose(0, 2, 1)
    item = shifted.itemsize
    view = np.ndarray((ho, fh * fw * c, wo), shifted.dtype, shifted, 0, (stride * fw * c * wo * item, wo * item, item))
    view.flags.writeable = False
    return view


def _windows_times(x, weights, stride, pads, out_hw):
    """Multiply every window by the flattened kernel(s) in one batched matrix product; (H', W'[, K])."""
    x3 = x if x.ndim == 3 else x[:, :, None]
    fh, fw = weights.shape[:2]
    patches = _patch_matrix(x3, fh, fw, stride, pads, out_hw)
    if weights.ndim == 4:                              # K kernels: (K, F*F*C) @ (F*F*C, W') per output row
        return np.matmul(weights.reshape(-1, weights.shape[3]).T, patches).transpose(0, 2, 1).copy()
    return np.matmul(weights.ravel(), patches)


def correlate2d(image, kernel, stride=1, padding="valid"):
    """Cross-correlation (what CNN layers compute): slide the kernel, multiply, sum; (H, W[, C]) -> (H', W').

    Vectorised as deep-learning libraries do it: lay the windows out as a matrix, then one matrix product.
    """
    image, k, s, pads, out_shape = _prepare(image, kernel, stride, padding, (2, 3))
    return _windows_times(image, k, s, pads, out_shape)


def conv2d(image, kernel, stride=1, padding="valid"):
    """True 2D convolution: cross-correlation with the kernel flipped in both spatial axes."""
    kernel = validate.array(kernel, "kernel", (2, 3))
    return correlate2d(image, kernel[::-1, ::-1], stride=stride, padding=padding)


def correlate2d_naive(image, kernel, stride=1, padding="valid"):
    """The same numbers as ``correlate2d``, with plain Python loops over output pixels (slow, for comparison)."""
    image, k, s, pads, (ho, wo) = _prepare(image, kernel, stride, padding, (2, 3))
    xp = _pad(image, pads)
    fh, fw = k.shape[:2]
    out = np.zeros((ho, wo), dtype=xp.dtype)
    for i in range(ho):
        for j in range(wo):
            window = xp[i * s:i * s + fh, j * s:j * s + fw]
            out[i, j] = np.sum(window * k)
    return out


def conv2d_layer(x, kernels, bias=None, stride=1, padding="valid"):
    """One Conv2D layer without activation: x (H, W, C), kernels (F, F, C, K), bias (K,) -> (H', W', K)."""
    x, k, s, pads, (ho, wo) = _prepare(x, kernels, stride, padding, (4,))
    n_out = k.shape[3]
    b = np.zeros(n_out) if bias is None else validate.array(bias, "bias", (1,))
    if b.shape[0] != n_out:
        raise ValueError(f"bias has {b.shape[0]} values but there are {n_out} kernels: give one bias per kernel")
    out = _windows_times(x, k, s, pads, (ho, wo))   # a fresh array: add the bias in place
    out += b.astype(out.dtype)
    return out
