"""The READMEs' AsyncClient examples run as written, against the simulator."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest
from conftest import REPO, Sim

EXAMPLE_URL = "http://127.0.0.1:8600"


def async_examples(readme: str) -> list:
    blocks = re.findall(r"```python\n(.*?)```", (REPO / readme).read_text(), re.S)
    return [b for b in blocks if "aimis.AsyncClient(" in b]


@pytest.mark.parametrize("readme", ["README.md", "aimis-py/README.md"])
def test_the_async_example_runs_as_written(sim: Sim, readme: str) -> None:
    examples = async_examples(readme)
    assert examples, f"{readme} has no AsyncClient example"
    for example in examples:
        assert EXAMPLE_URL in example
        done = subprocess.run(
            [sys.executable, "-c", example.replace(EXAMPLE_URL, sim.url)],
            capture_output=True, text=True, timeout=120,
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout
