"""COCO annotation files: write them atomically, read them back with every entry checked, load their pictures.

COCO JSON holds lists of ``images`` (id, file_name, width, height), ``annotations`` (image_id, category_id, bbox
``[x, y, width, height]``) and ``categories`` (id, name; numbered from 1 here). Inside the course boxes are
corners ``(x1, y1, x2, y2)``; an error about a file names the file and what is wrong with it.
"""

import json
import os
from pathlib import Path

import cv2
import numpy as np

from utils.detection import check_boxes, xywh_to_corners
from utils.paths import relative


class AnnotationError(ValueError):
    """An annotation file that is corrupt or does not fit its pictures; the message names the file and the problem."""


def _atomic_write_text(path, text):
    """Write a text file through a temporary sibling and a rename, so readers never see half a file."""
    path = Path(path)
    tmp = path.with_name(f"{path.name}.tmp-{os.getpid()}")
    try:
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def coco_annotations(file_names, targets, size, class_names):
    """The COCO dict for square pictures ``file_names`` (relative to the annotation file) of side ``size``, with
    ``targets`` ({"boxes", "classes"} per picture); class k is category k + 1."""
    if len(file_names) != len(targets):
        raise ValueError(f"got {len(file_names)} file names but {len(targets)} targets: give one per picture")
    images, annotations = [], []
    for image_id, (name, target) in enumerate(zip(file_names, targets)):
        images.append({"id": image_id, "file_name": str(name), "width": size, "height": size})
        boxes = check_boxes(target["boxes"], size, name=f"boxes of {name}")
        for box, cls in zip(boxes, np.asarray(target["classes"]).tolist()):
            x1, y1, x2, y2 = (float(v) for v in box)
            annotations.append({"id": len(annotations), "image_id": image_id, "category_id": int(cls) + 1,
                                "bbox": [x1, y1, x2 - x1, y2 - y1], "area": (x2 - x1) * (y2 - y1), "iscrowd": 0})
    categories = [{"id": k + 1, "name": name} for k, name in enumerate(class_names)]
    return {"images": images, "annotations": annotations, "categories": categories}


def write_annotations(path, file_names, targets, size, class_names):
    """Write a COCO annotation file (atomically) for square pictures of side ``size``; returns its path."""
    _atomic_write_text(path, json.dumps(coco_annotations(file_names, targets, size, class_names), indent=1))
    return Path(path)


def _fail(path, problem):
    raise AnnotationError(f"{relative(path)}: {problem}")


def _read_json(path):
    """The annotation file's JSON, or a clear AnnotationError."""
    if not path.is_file():
        raise FileNotFoundError(f"no annotation file {relative(path)}: check the folder (the course's scenes: "
                                "scenes.ensure_scenes writes them again)")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError:
        _fail(path, "is not a text file (expected COCO JSON)")
    except json.JSONDecodeError as err:
        _fail(path, f"is not valid JSON (line {err.lineno}, column {err.colno}: {err.msg})")
    if not isinstance(data, dict) or any(not isinstance(data.get(k), list) for k in ("images", "annotations",
                                                                                     "categories")):
        _fail(path, "needs the COCO lists 'images', 'annotations' and 'categories'")
    return data


def _categories(path, data, class_names):
    """Map COCO category ids to class numbers by name."""
    ids = {}
    for cat in data["categories"]:
        name = cat.get("name") if isinstance(cat, dict) else None
        if name not in class_names:
            _fail(path, f"category {cat!r} is not one of the classes {list(class_names)}")
        ids[cat.get("id")] = list(class_names).index(name)
    return ids


def read_annotations(path, class_names, check_files=True):
    """Read a COCO annotation file: a list of {"file", "width", "height", "boxes", "classes"}, one per picture.

    Boxes come back as corners (x1, y1, x2, y2). Every entry is checked: an error names the file and what is
    wrong (bad JSON, unknown picture or category, a box with NaN or negative size or outside its picture,
    and, with ``check_files``, a picture file that does not exist).
    """
    path = Path(path)
    data = _read_json(path)
    categories = _categories(path, data, class_names)
    pictures = {}
    for entry in data["images"]:
        try:
            image_id, name = entry["id"], entry["file_name"]
            width, height = int(entry["width"]), int(entry["height"])
        except (KeyError, TypeError, ValueError):
            _fail(path, f"picture entry {entry!r} needs 'id', 'file_name', 'width' and 'height'")
        if image_id in pictures:
            _fail(path, f"picture id {image_id} appears twice")
        file = path.parent / name
        if check_files and not file.is_file():
            _fail(path, f"picture {name!r} (id {image_id}) does not exist next to the annotation file")
        pictures[image_id] = {"file": file, "width": width, "height": height, "boxes": [], "classes": []}
    for ann in data["annotations"]:
        ann_id = ann.get("id") if isinstance(ann, dict) else None
        if not isinstance(ann, dict) or ann.get("image_id") not in pictures:
            _fail(path, f"annotation {ann_id} refers to picture id {ann.get('image_id') if isinstance(ann, dict) else None}"
                        ", which is not in 'images'")
        if ann.get("category_id") not in categories:
            _fail(path, f"annotation {ann_id} has category_id {ann.get('category_id')!r}, which is not in 'categories'")
        pic = pictures[ann["image_id"]]
        bbox = ann.get("bbox")
        try:
            x, y, w, h = (float(v) for v in bbox)
        except (TypeError, ValueError):
            _fail(path, f"annotation {ann_id}: bbox must be 4 numbers [x, y, width, height], got {bbox!r}")
        if not np.isfinite([x, y, w, h]).all() or w < 0 or h < 0:
            _fail(path, f"annotation {ann_id}: bbox {bbox} needs finite numbers and width, height >= 0")
        corners = xywh_to_corners([[x, y, w, h]])
        try:
            check_boxes(corners, (pic["height"], pic["width"]), name=f"annotation {ann_id}")
        except ValueError as err:
            _fail(path, str(err))
        pic["boxes"].append(corners[0])
        pic["classes"].append(categories[ann["category_id"]])
    return [{**p, "boxes": np.array(p["boxes"], np.float64).reshape(-1, 4), "classes": np.array(p["classes"], np.int64)}
            for p in pictures.values()]


def load_pictures(path, class_names):
    """The pictures of an annotation file and their boxes: (images uint8 RGB (N, H, W, 3), list of {"boxes",
    "classes"}), in the file's order. Every picture is checked against its annotation."""
    path = Path(path)
    entries = read_annotations(path, class_names)
    images, targets = [], []
    for e in entries:
        img = cv2.imread(str(e["file"]), cv2.IMREAD_COLOR)
        if img is None:
            _fail(path, f"picture {relative(e['file'])} cannot be read as an image (corrupt or not a picture)")
        if img.shape[:2] != (e["height"], e["width"]):
            _fail(path, f"picture {relative(e['file'])} is {img.shape[1]}×{img.shape[0]} but the annotation "
                        f"says {e['width']}×{e['height']}")
        images.append(cv2.cvtColor(img, cv2.COLOR_BGR2RGB))
        targets.append({"boxes": e["boxes"], "classes": e["classes"]})
    if not images:
        _fail(path, "lists no pictures")
    sizes = sorted({img.shape for img in images})
    if len(sizes) > 1:
        _fail(path, f"its pictures have different sizes {sizes[:3]}: load_pictures returns them as one array, "
                    "so resize them to one size first")
    return np.stack(images), targets


