"""Tests for utils.images: sample loading, JPEG round trip, the brightness/contrast edit."""

import cv2
import numpy as np
import pytest
from skimage.metrics import peak_signal_noise_ratio

from utils import images
from utils.images import SAMPLES, adjust_brightness_contrast, jpeg_roundtrip, load_sample

RNG = np.random.default_rng(0)
RGB = RNG.integers(0, 256, (24, 32, 3), dtype=np.uint8)
GRAY = RNG.integers(0, 256, (24, 32), dtype=np.uint8)


# --- load_sample ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", SAMPLES)
def test_every_listed_sample_loads_offline(name):
    img = load_sample(name)
    assert isinstance(img, np.ndarray) and img.ndim in (2, 3) and img.size > 0
    assert img.dtype == (bool if name == "horse" else np.uint8)


def test_load_sample_shapes_and_fresh_copies():
    assert load_sample("astronaut").shape == (512, 512, 3)
    assert load_sample("coins").shape == (303, 384)
    first = load_sample("camera")
    first[:] = 0
    assert load_sample("camera").max() > 0, "load_sample must return a copy the caller may change"


def test_load_sample_rejects_unknown_name_and_lists_valid_ones():
    with pytest.raises(ValueError, match=r"unknown sample 'muffin'.*astronaut.*coins"):
        load_sample("muffin")


def test_load_sample_rejects_non_string():
    with pytest.raises(TypeError, match="as a string"):
        load_sample(3)
    with pytest.raises(TypeError, match="as a string"):
        load_sample(None)


# --- shared input validation ---------------------------------------------------------------------------------

CALLS = {
    "jpeg_roundtrip": lambda img: jpeg_roundtrip(img, 50),
    "adjust_brightness_contrast": lambda img: adjust_brightness_contrast(img, 10, 1.2),
}


@pytest.mark.parametrize("func", CALLS)
def test_none_image_is_rejected(func):
    with pytest.raises(ValueError, match=f"{func} got None instead of an image"):
        CALLS[func](None)


@pytest.mark.parametrize("func", CALLS)
def test_list_image_is_rejected(func):
    with pytest.raises(TypeError, match=f"{func} expects a NumPy array, got list"):
        CALLS[func]([[1, 2], [3, 4]])


@pytest.mark.parametrize("func", CALLS)
@pytest.mark.parametrize("shape", [(5,), (4, 4, 4), (4, 4, 1), (2, 4, 4, 3)])
def test_wrong_shape_is_rejected(func, shape):
    with pytest.raises(ValueError, match=r"expects a grayscale \(H, W\) or colour \(H, W, 3\) image"):
        CALLS[func](np.zeros(shape, np.uint8))


@pytest.mark.parametrize("func", CALLS)
def test_empty_image_is_rejected(func):
    with pytest.raises(ValueError, match="empty image"):
        CALLS[func](np.zeros((0, 4), np.uint8))


@pytest.mark.parametrize("func", CALLS)
def test_wrong_dtype_is_rejected(func):
    with pytest.raises(TypeError, match="expects dtype"):
        CALLS[func](np.zeros((4, 4), np.int64))


@pytest.mark.parametrize("func", CALLS)
def test_uint8_only_functions_reject_float_images(func):
    with pytest.raises(TypeError, match="expects dtype uint8, got float64"):
        CALLS[func](np.zeros((4, 4), np.float64))


# --- jpeg_roundtrip ------------------------------------------------------------------------------------------

def test_jpeg_roundtrip_shape_dtype_and_byte_count_match_opencv():
    photo = load_sample("astronaut")
    decoded, nbytes = jpeg_roundtrip(photo, 75)
    assert decoded.shape == photo.shape and decoded.dtype == np.uint8
    ok, buf = cv2.imencode(".jpg", cv2.cvtColor(photo, cv2.COLOR_RGB2BGR), [cv2.IMWRITE_JPEG_QUALITY, 75])
    assert ok and nbytes == buf.size


def test_jpeg_roundtrip_keeps_colours_in_rgb_order():
    red = np.zeros((32, 32, 3), np.uint8)
    red[..., 0] = 220
    decoded, _ = jpeg_roundtrip(red, 90)
    assert decoded[..., 0].mean() > 200 and decoded[..., 2].mean() < 20, "RGB must come back as RGB, not BGR"


def test_jpeg_roundtrip_grayscale():
    decoded, nbytes = jpeg_roundtrip(load_sample("camera"), 50)
    assert decoded.shape == (512, 512) and 0 < nbytes < 512 * 512


def test_jpeg_higher_quality_means_more_bytes_and_higher_psnr():
    photo = load_sample("chelsea")
    results = [jpeg_roundtrip(photo, q) for q in (10, 50, 95)]
    sizes = [n for _, n in results]
    scores = [peak_signal_noise_ratio(photo, d) for d, _ in results]
    assert sizes == sorted(sizes) and scores == sorted(scores)
    assert sizes[-1] < photo.nbytes


@pytest.mark.parametrize("quality", [-1, 101, 1000])
def test_jpeg_roundtrip_rejects_out_of_range_quality(quality):
    with pytest.raises(ValueError, match=r"quality must be between 0 and 100"):
        jpeg_roundtrip(GRAY, quality)


@pytest.mark.parametrize("quality", [50.0, "50", None, True])
def test_jpeg_roundtrip_rejects_non_int_quality(quality):
    with pytest.raises(TypeError, match="quality must be an int"):
        jpeg_roundtrip(GRAY, quality)


# --- adjust_brightness_contrast ------------------------------------------------------------------------------

def test_identity_settings_change_nothing():
    np.testing.assert_array_equal(adjust_brightness_contrast(RGB, 0, 1.0), RGB)


def test_brightness_adds_and_clips():
    img = np.array([[0, 100, 250]], np.uint8)
    np.testing.assert_array_equal(adjust_brightness_contrast(img, 10, 1.0), [[10, 110, 255]])
    np.testing.assert_array_equal(adjust_brightness_contrast(img, -20, 1.0), [[0, 80, 230]])


def test_contrast_stretches_around_mid_grey():
    img = np.array([[128, 138, 118, 0]], np.uint8)
    np.testing.assert_array_equal(adjust_brightness_contrast(img, 0, 2.0), [[128, 148, 108, 0]])
    np.testing.assert_array_equal(adjust_brightness_contrast(img, 0, 0.0), [[128, 128, 128, 128]])


def test_adjust_returns_uint8():
    assert adjust_brightness_contrast(GRAY, 200, 3.0).dtype == np.uint8


@pytest.mark.parametrize("kwargs, match", [
    ({"brightness": 300}, "brightness must be between -255 and 255"),
    ({"contrast": -0.5}, "contrast must be between 0 and 10"),
    ({"contrast": float("nan")}, "contrast must be between 0 and 10"),
])
def test_adjust_rejects_out_of_range_settings(kwargs, match):
    with pytest.raises(ValueError, match=match):
        adjust_brightness_contrast(GRAY, **kwargs)


def test_adjust_rejects_non_numbers():
    with pytest.raises(TypeError, match="brightness must be a number"):
        adjust_brightness_contrast(GRAY, "10")


def test_module_lists_only_offline_samples():
    assert "eagle" not in images.SAMPLES  # eagle needs a download (pooch) in scikit-image 0.26
