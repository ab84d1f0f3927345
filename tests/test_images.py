"""Tests for utils.images: sample loading, dtype conversion, PSNR, JPEG round trip, edits, noise."""

import math

import cv2
import numpy as np
import pytest
from skimage.metrics import peak_signal_noise_ratio

from utils import images
from utils.images import (
    SAMPLES, add_gaussian_noise, add_salt_pepper, adjust_brightness_contrast, jpeg_roundtrip, load_sample, psnr,
    to_float, to_uint8,
)

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
    "to_float": lambda img: to_float(img),
    "to_uint8": lambda img: to_uint8(img),
    "psnr": lambda img: psnr(img, img),
    "jpeg_roundtrip": lambda img: jpeg_roundtrip(img, 50),
    "adjust_brightness_contrast": lambda img: adjust_brightness_contrast(img, 10, 1.2),
    "add_gaussian_noise": lambda img: add_gaussian_noise(img, 10),
    "add_salt_pepper": lambda img: add_salt_pepper(img, 0.1),
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


@pytest.mark.parametrize("func", ["jpeg_roundtrip", "adjust_brightness_contrast", "add_gaussian_noise",
                                  "add_salt_pepper"])
def test_uint8_only_functions_reject_float_images(func):
    with pytest.raises(TypeError, match="expects dtype uint8, got float64"):
        CALLS[func](np.zeros((4, 4), np.float64))


# --- to_float / to_uint8 -------------------------------------------------------------------------------------

def test_to_float_scales_uint8_to_unit_range():
    out = to_float(np.array([[0, 51, 255]], np.uint8))
    assert out.dtype == np.float32
    np.testing.assert_allclose(out, [[0.0, 0.2, 1.0]], atol=1e-7)


def test_to_float_keeps_valid_float_images_and_rejects_out_of_range_ones():
    np.testing.assert_array_equal(to_float(np.array([[0.0, 0.5, 1.0]])), [[0.0, 0.5, 1.0]])
    with pytest.raises(ValueError, match=r"values in \[0, 1\].*img / 255"):
        to_float(np.array([[0.0, 255.0]]))
    with pytest.raises(ValueError, match=r"values in \[0, 1\]"):
        to_float(np.array([[0.0, np.nan]]))


def test_to_uint8_rounds_and_clips():
    out = to_uint8(np.array([[-0.5, 0.0, 0.5, 1.0, 2.0]]))
    assert out.dtype == np.uint8
    np.testing.assert_array_equal(out, [[0, 0, 128, 255, 255]])


def test_to_uint8_copies_uint8_and_rejects_nan():
    src = GRAY.copy()
    out = to_uint8(src)
    out[:] = 0
    assert src.max() > 0
    with pytest.raises(ValueError, match="NaN or infinite"):
        to_uint8(np.array([[np.inf, 0.0]]))


def test_uint8_float_round_trip_is_exact():
    np.testing.assert_array_equal(to_uint8(to_float(RGB)), RGB)


# --- psnr ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("sigma", [2, 10, 40])
def test_psnr_matches_skimage_for_uint8(sigma):
    noisy = add_gaussian_noise(RGB, sigma, seed=1)
    assert psnr(RGB, noisy) == pytest.approx(peak_signal_noise_ratio(RGB, noisy), rel=1e-9)


def test_psnr_matches_skimage_for_float_in_unit_range():
    a, b = to_float(GRAY), to_float(add_gaussian_noise(GRAY, 15, seed=2))
    assert psnr(a, b) == pytest.approx(peak_signal_noise_ratio(a, b, data_range=1.0), rel=1e-5)


def test_psnr_known_value_and_identical_images():
    a = np.zeros((10, 10), np.uint8)
    b = np.full((10, 10), 255, np.uint8)
    assert psnr(a, b) == pytest.approx(0.0)
    assert psnr(a, a) == math.inf


def test_psnr_rejects_mismatched_shape_and_dtype():
    with pytest.raises(ValueError, match="same shape"):
        psnr(GRAY, GRAY[:10])
    with pytest.raises(TypeError, match="same dtype"):
        psnr(GRAY, to_float(GRAY))


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
    scores = [psnr(photo, d) for d, _ in results]
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


# --- noise ---------------------------------------------------------------------------------------------------

def test_gaussian_noise_has_requested_spread_and_is_seeded():
    flat = np.full((200, 200), 128, np.uint8)
    noisy = add_gaussian_noise(flat, 20, seed=3)
    assert noisy.dtype == np.uint8 and 19 < noisy.astype(float).std() < 21
    np.testing.assert_array_equal(noisy, add_gaussian_noise(flat, 20, seed=3))
    assert not np.array_equal(noisy, add_gaussian_noise(flat, 20, seed=4))
    np.testing.assert_array_equal(add_gaussian_noise(flat, 0), flat)


def test_gaussian_noise_rejects_bad_sigma_and_seed():
    with pytest.raises(ValueError, match="sigma must be between 0 and 255"):
        add_gaussian_noise(GRAY, -1)
    with pytest.raises(TypeError, match="seed must be an int"):
        add_gaussian_noise(GRAY, 5, seed=1.5)


@pytest.mark.parametrize("img", [GRAY, RGB])
def test_salt_pepper_hits_about_the_requested_fraction(img):
    big = np.full((200, 200) + img.shape[2:], 128, np.uint8)
    out = add_salt_pepper(big, 0.1, seed=0)
    changed = np.any(out != 128, axis=-1) if out.ndim == 3 else out != 128
    assert 0.09 < changed.mean() < 0.11
    assert set(np.unique(out)) == {0, 128, 255}
    assert big.min() == 128, "the input must not be changed"


def test_salt_pepper_rejects_amount_outside_unit_range():
    with pytest.raises(ValueError, match="amount must be between 0 and 1"):
        add_salt_pepper(GRAY, 1.5)


def test_module_lists_only_offline_samples():
    assert "eagle" not in images.SAMPLES  # eagle needs a download (pooch) in scikit-image 0.26
