"""The parallel run's scheduler (tests/scheduling.py) hands out the costliest units first and
keeps a module with a shared set-up on one worker."""

from __future__ import annotations

from types import SimpleNamespace

from components import PROJECT_ROOT as ROOT
from tests import scheduling

SLOW = "tests/cli/test_code.py::slow"
GROUPED = ["tests/coding/test_coder.py::one", "tests/coding/test_coder.py::two"]  # module fixture
BROWSER = ["tests/browser/test_browser.py::one", "tests/browser/test_browser.py::two"]
SINGLES = [f"tests/cli/test_code.py::quick{n}" for n in range(6)]


class Worker:
    """Stands in for xdist's WorkerController: records the test indexes it is sent."""

    shutting_down = False

    def __init__(self) -> None:
        self.sent: list[int] = []

    def send_runtest_some(self, indexes: list[int]) -> None:
        self.sent.extend(indexes)

    def shutdown(self) -> None:
        self.shutting_down = True


def _config() -> SimpleNamespace:
    """What the scheduler reads of pytest's config under ``-n 1``."""
    return SimpleNamespace(
        getvalue={"tx": ["popen"]}.get,
        option=SimpleNamespace(loadscopereorder=True),
        rootpath=ROOT,
    )


def _first_sent(known: dict[str, float]) -> list[str]:
    """The tests in the order one worker is sent them."""
    collection = [*SINGLES, *GROUPED, SLOW, *BROWSER]
    scheduler = scheduling.SharedSetUps(_config(), None, known)
    worker = Worker()
    scheduler.add_node(worker)
    scheduler.add_node_collection(worker, collection)
    scheduler.schedule()
    return [collection[index] for index in worker.sent]


def test_a_browser_module_goes_first_and_whole_when_nothing_is_known():
    sent = _first_sent({})
    assert sent[:2] == BROWSER


def test_a_test_known_to_be_long_goes_before_the_others():
    sent = _first_sent({SLOW: 60.0})
    assert sent[0] == SLOW
    assert sent[1:3] == BROWSER


def test_a_module_with_a_shared_set_up_is_one_unit():
    assert scheduling.shares_a_set_up(ROOT, "tests/coding/test_coder.py")
    assert scheduling.shares_a_set_up(ROOT, "tests/browser/test_browser.py")
    assert not scheduling.shares_a_set_up(ROOT, "tests/cli/test_code.py")
    sent = _first_sent({})
    assert sent.index(GROUPED[1]) == sent.index(GROUPED[0]) + 1
