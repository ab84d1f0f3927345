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
