"""Answer keys of lesson 01 (`notebooks/01_pixels_and_images.ipynb`): exercise checks and the questionnaire."""

import cv2
import numpy as np

from utils.checks import check_array, check_function, check_value
from utils.quiz import Question

LUMINANCE = np.array([0.299, 0.587, 0.114])  # ITU-R BT.601 weights of R, G and B


def _is(answer, value):
    """Whether ``answer`` is a plain number equal to ``value`` (False for None, text, arrays)."""
    try:
        return np.ndim(answer) == 0 and float(answer) == float(value)
    except (TypeError, ValueError):
        return False


def _text(answer, name):
    """The verdict for an answer typed as text ("135" instead of 135), or None for any other answer."""
    if isinstance(answer, (str, bytes)):
        return check_value(type(answer).__name__, "a number", name=f"the type of {name}",
                           hints=["Give the number itself, without quotes: text is not a number to Python."])
    return None


def check_pixel_count(answer, image):
    """Exercise 1a: the number of pixels (not values) of an (H, W, 3) photo."""
    if (verdict := _text(answer, "n_pixels")) is not None:
        return verdict
    height, width = np.shape(image)[:2]
    hints = ["A pixel is one position in the grid. A colour pixel holds three values, but it is still one "
             "pixel: count positions, not values.",
             "The photo's shape is (height, width, channels): the number of pixels only needs the first two."]
    if _is(answer, np.size(image)):
        hints = ["You counted values: every colour pixel holds three of them (R, G, B).", *hints[1:]]
    return check_value(answer, height * width, name="n_pixels", hints=hints)


def check_frame_bytes(answer, width, height, channels=3):
    """Exercise 1b: the bytes one uint8 frame of ``width`` x ``height`` pixels with ``channels`` values takes."""
    if (verdict := _text(answer, "n_bytes")) is not None:
        return verdict
    hints = ["Memory = number of values × bytes per value. How many values does one colour pixel hold, and how "
             "many bytes does one uint8 value take?",
             "An RGB pixel holds 3 values; a uint8 value takes 1 byte; the frame has width × height pixels."]
    if _is(answer, width * height):
        hints = ["That is the number of pixels; each pixel holds several values.", *hints[1:]]
    elif _is(answer, width * height * channels * 8):
        hints = ["That counts bits: a byte has 8 bits, and a uint8 value fills exactly one byte.", *hints[1:]]
    return check_value(answer, width * height * channels, name="n_bytes", hints=hints)


def _luminance(rgb):
    """The reference: luminance of an RGB uint8 image, rounded to uint8."""
    return np.rint(rgb @ LUMINANCE).astype(np.uint8)


def check_to_gray(func, images):
    """Exercise 2: ``func(rgb)`` returns the luminance 0.299 R + 0.587 G + 0.114 B as a rounded uint8 (H, W) image.

    Compared with OpenCV's ``cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY)`` (one level of rounding allowed); a result of
    the wrong dtype, or one cut down instead of rounded, gets its own message first.
    """
    hints = ["Grayscale is a weighted sum of the three channels, one weight per colour (green counts most), then "
             "back to whole numbers from 0 to 255.",
             "rgb[..., 0], rgb[..., 1] and rgb[..., 2] are the red, green and blue planes: weigh each, add them, "
             "round with np.rint and convert with .astype(np.uint8)."]
    out = _try(func, images[0])
    reference = cv2.cvtColor(images[0], cv2.COLOR_RGB2GRAY)
    if out is not None and out.shape == reference.shape and np.allclose(out, reference, atol=1):
        if out.dtype != np.uint8:
            return check_value(str(out.dtype), "uint8", name="the dtype to_gray returns",
                               hints=["An image of whole numbers 0–255 is stored as uint8.",
                                      "Finish with .astype(np.uint8), after rounding."])
        if np.mean(out != _luminance(images[0])) > 0.05:
            return check_value("cut off", "rounded", name="how to_gray turns its floats into whole numbers",
                               hints=["Many values are one level too low: converting a float to uint8 cuts off "
                                      "the fraction (0.9 becomes 0) instead of rounding it.",
                                      "Round first with np.rint(...), then convert with .astype(np.uint8)."])
    return check_function(func, lambda rgb: cv2.cvtColor(rgb, cv2.COLOR_RGB2GRAY), list(images), name="to_gray",
                          atol=1, hints=hints)


def _try(func, image):
    """``func(image)`` as an array, or None when it cannot run (check_function then says why)."""
    try:
        return np.asarray(func(image))
    except Exception:  # noqa: BLE001 - any failure is reported by check_function
        return None


def check_suit_mask(answer, image):
    """Exercise 3: a boolean mask, True where red >= 150 and blue <= 100 (any green), of an RGB photo."""
    expected = cv2.inRange(image, (150, 0, 0), (255, 255, 100)) > 0
    hints = ["A comparison such as image[..., c] >= t gives one True/False per pixel. You need two conditions at "
             "once, on two different channels.",
             "In RGB order red is channel 0 and blue channel 2. Combine the two masks with &, and put each "
             "comparison in brackets: & binds more tightly than >= and <=."]
    bgr = np.asarray(image)[..., ::-1]
    if np.shape(answer) == expected.shape and np.array_equal(answer, (bgr[..., 0] >= 150) & (bgr[..., 2] <= 100)):
        hints = ["Red and blue are swapped: the photo from load_sample is RGB, not OpenCV's BGR.", *hints[1:]]
    return check_array(answer, expected, name="suit", hints=hints)


QUESTIONS = [
    Question(
        "A photo has shape (480, 640, 3) and dtype uint8. Which statements are true?",
        ("It is 640 pixels wide and 480 pixels high",
         "It has 921,600 pixels",
         "It takes 921,600 bytes in memory",
         "It has 307,200 pixels"),
        ("It is 640 pixels wide and 480 pixels high", "It takes 921,600 bytes in memory", "It has 307,200 pixels"),
        "Shapes are (height, width, channels); 480 × 640 = 307,200 pixels, three 1-byte values each.",
    ),
    Question(
        "A screen shows the same 1920 × 1080 image on a 15-inch laptop and on a 27-inch monitor. What changes?",
        ("The size of each pixel on the screen",
         "The number of pixels in the image",
         "The pixel density (pixels per inch)",
         "The numbers stored in each pixel"),
        ("The size of each pixel on the screen", "The pixel density (pixels per inch)"),
        "Pixels have no size of their own: the display spreads the same grid over more or fewer inches.",
    ),
    Question(
        "What are a screen's sub-pixels?",
        ("Tiny red, green and blue lights that together make one pixel's colour",
         "The pixels of a downscaled copy of the image",
         "Pixels smaller than 1 mm",
         "Lights whose brightness the pixel's three numbers (R, G, B) set"),
        ("Tiny red, green and blue lights that together make one pixel's colour",
         "Lights whose brightness the pixel's three numbers (R, G, B) set"),
        "Each pixel's three numbers drive three small lights; from a distance the eye blends them into one colour.",
    ),
    Question(
        "`np.array([250], dtype=np.uint8) + 10` gives which value?",
        ("260", "255", "4", "an OverflowError"),
        ("4",),
        "uint8 arithmetic wraps around modulo 256: 260 − 256 = 4. Convert to float (or use cv2.add) to avoid it.",
    ),
    Question(
        "Why does grayscale conversion weigh green most (0.299 R + 0.587 G + 0.114 B)?",
        ("Because our eyes are most sensitive to green light",
         "Because green is the middle channel",
         "Because cameras store more green values",
         "So that pure red, green and blue do not all become the same grey"),
        ("Because our eyes are most sensitive to green light",
         "So that pure red, green and blue do not all become the same grey"),
        "The plain average turns pure red, green and blue into the same grey (85); luminance keeps what we see.",
    ),
    Question(
        "You read a photo with `cv2.imread` and show it with matplotlib: a blue sky looks orange. What is wrong?",
        ("OpenCV returns the channels as B, G, R; convert with cv2.cvtColor(img, cv2.COLOR_BGR2RGB)",
         "The file is damaged",
         "matplotlib needs floats in [0, 1]",
         "The photo is grayscale"),
        ("OpenCV returns the channels as B, G, R; convert with cv2.cvtColor(img, cv2.COLOR_BGR2RGB)",),
        "The same goes for writing and for OpenCV functions that expect colour: they assume BGR.",
    ),
    Question(
        "Which technique answers: which pixels belong to which object?",
        ("enhancement", "restoration", "segmentation", "compression", "generation"),
        ("segmentation",),
        "Segmentation labels pixels (a threshold, or a network); morphology then cleans the mask.",
    ),
    Question(
        "A denoised photo has a higher PSNR against the clean original than the noisy one had. What does that tell?",
        ("Its mean squared error to the original is smaller",
         "It looks better to everyone",
         "It takes fewer bytes",
         "Every pixel is now closer to the original"),
        ("Its mean squared error to the original is smaller",),
        "PSNR measures the average squared error only: two results with the same PSNR can look very different.",
    ),
    Question(
        "Which of these are image generation (the sixth family): making a new image that was never photographed?",
        ("A beauty filter that smooths skin in a selfie",
         "Replacing a photo's background with a beach",
         "Counting coins with a threshold",
         "Storing a photo as JPEG"),
        ("A beauty filter that smooths skin in a selfie", "Replacing a photo's background with a beach"),
        "Both produce an image that never existed; today's apps do it with deep networks built from convolutions.",
    ),
]
