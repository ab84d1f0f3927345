"""Tracking: the clip, its swap schedule, the two trackers and the ID-switch count."""

import numpy as np
import pytest

from utils import faces, tracking


@pytest.fixture(scope="module")
def clip():
    return tracking.make_clip(faces.make_individuals(3, start=2000), n_frames=6, seed=1)


def test_clip_shapes_and_truth(clip):
    assert clip.frames.shape == (6, 88, 288, 3) and clip.frames.dtype == np.uint8
    assert clip.boxes.shape == (6, 3, 4) and clip.ids.shape == (6, 3)
    for t in range(6):
        assert sorted(clip.ids[t].tolist()) == [2000, 2001, 2002]
        crops = tracking.crops(clip, t)
        assert crops.shape == (3, 64, 64, 3)
    again = tracking.make_clip(faces.make_individuals(3, start=2000), n_frames=6, seed=1)
    np.testing.assert_array_equal(again.frames, clip.frames)


def test_swap_schedule_swaps_neighbours_only():
    schedule = tracking.swap_schedule(4, 12, np.random.default_rng(0))
    assert schedule.shape == (12, 4)
    for a, b in zip(schedule, schedule[1:]):
        assert sorted(b.tolist()) == [0, 1, 2, 3]
        moved = np.flatnonzero(a != b)
        assert len(moved) in (0, 2) and (len(moved) == 0 or abs(a[moved[0]] - a[moved[1]]) == 1)
    assert (schedule[0] != schedule[-1]).any(), "somebody swapped"


def test_trackers_on_perfect_embeddings(clip):
    truth = {i: np.eye(3)[k] for k, i in enumerate((2000, 2001, 2002))}
    embeddings = [np.stack([truth[i] for i in ids]) for ids in clip.ids]
    by_appearance = tracking.track(clip.boxes, embeddings)
    assert tracking.id_switches(by_appearance, clip.ids) == 0
    by_position = tracking.track(clip.boxes)
    assert tracking.id_switches(by_position, clip.ids) > 0, "swapping places fools the position tracker"


def test_id_switches_by_hand():
    ids = np.array([[1, 2], [1, 2], [2, 1]])
    assert tracking.id_switches(np.array([[0, 1], [0, 1], [1, 0]]), ids) == 0
    assert tracking.id_switches(np.array([[0, 1], [1, 0], [1, 0]]), ids) == 4
    with pytest.raises(ValueError, match="one shape"):
        tracking.id_switches(np.zeros((2, 2)), ids)


def test_track_refuses_bad_input(clip):
    with pytest.raises(ValueError, match="same number of boxes"):
        tracking.track([clip.boxes[0], clip.boxes[1][:2]])
    with pytest.raises(ValueError, match="one row"):
        tracking.track(clip.boxes, [np.zeros((2, 4))] * len(clip.boxes))
    with pytest.raises(ValueError, match="different lengths"):
        tracking.track(clip.boxes[:2], [np.ones((3, 4)), np.ones((3, 5))])
    with pytest.raises(TypeError, match="Individual"):
        tracking.make_clip(["dog"])


def test_show_tracks_draws_every_frame(clip):
    fig = tracking.show_tracks(clip, clip.ids - 2000, title="truth")
    assert [ax.get_title() for ax in fig.axes[:6]] == [f"frame {t}" for t in range(6)]
