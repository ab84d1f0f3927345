"""Shared test set-up: every test starts and ends with no open matplotlib figure."""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def close_figures():
    """Close the figures a test leaves open so they do not pile up across tests."""
    yield
    plt.close("all")


def pytest_collection_finish(session):
    """Start the pinned portability runs (test_portability.py) as soon as they are collected, so they run
    beside the single-threaded unit tests instead of after them (the suite keeps under 15 minutes on 2 cores)."""
    if session.config.option.collectonly:
        return
    pinned = [item for item in session.items
              if getattr(item, "originalname", None) == "test_lesson_passes_nbval_on_one_core_with_onednn_off"]
    if pinned and getattr(pinned[0].module, "CAN_PIN", False):
        pinned[0].module.portability_runs(tuple(item.callspec.params["path"] for item in pinned))
