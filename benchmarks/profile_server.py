"""The dashboard's server with a sampling profiler of its script threads (benchmark use only).

``python -m benchmarks.profile_server OUT.txt components serve …`` (or ``… streamlit run
app.py …``) starts the dashboard in this process and samples, every SAMPLE_SECONDS, the
stacks of the threads that run the page's script. On SIGUSR1 it appends to ``OUT.txt`` the
functions where the time went since the last signal (self time and cumulative time, in
seconds) and each run of the script or a fragment (wall and process CPU seconds), and starts
counting again. The app is not changed.
"""

from __future__ import annotations

import collections
import signal
import sys
import threading
import time
from pathlib import Path

SAMPLE_SECONDS = 0.01
# Functions listed per phase: enough to reach the page's own calls below the imports and
# Streamlit's frames on a warm open.
TOP = 60


class Sampler:
    """Counts, per function, the samples in which it ran (self) or was on the stack."""

    def __init__(self, out: Path) -> None:
        self.out = out
        self._lock = threading.Lock()
        self._reset()
        self.phase = 0

    def _reset(self) -> None:
        self.own: collections.Counter[str] = collections.Counter()
        self.total: collections.Counter[str] = collections.Counter()
        self.samples = 0
        self.runs: list[tuple[float, float]] = []

    def timed(self, run):
        """``run`` (Streamlit's call of the script or a fragment), its seconds noted."""

        def timed_run(*args, **kwargs):
            wall, cpu = time.perf_counter(), time.process_time()
            try:
                return run(*args, **kwargs)
            finally:
                with self._lock:
                    self.runs.append((time.perf_counter() - wall, time.process_time() - cpu))

        return timed_run

    def run(self) -> None:
        me = threading.get_ident()
        while True:
            time.sleep(SAMPLE_SECONDS)
            names = {t.ident: t.name for t in threading.enumerate()}
            frames = sys._current_frames()
            with self._lock:
                for ident, frame in frames.items():
                    if ident == me or not names.get(ident, "").startswith("ScriptRunner"):
                        continue
                    self._take(frame)

    def _take(self, frame) -> None:
        self.samples += 1
        self.own[_name(frame)] += 1
        seen = set()
        while frame is not None:
            name = _name(frame)
            if name not in seen:
                seen.add(name)
                self.total[name] += 1
            frame = frame.f_back

    def dump(self, *_args) -> None:
        with self._lock:
            self.phase += 1
            lines = [f"## phase {self.phase}: {self.samples * SAMPLE_SECONDS:.2f} s sampled"]
            runs = ", ".join(f"{wall:.2f} s ({cpu:.2f} s CPU)" for wall, cpu in self.runs)
            lines.append(f"### {len(self.runs)} runs: {runs}")
            lines.append("### cumulative s (function on the stack)")
            lines += [f"{n * SAMPLE_SECONDS:8.2f}  {k}" for k, n in self.total.most_common(TOP)]
            lines.append("### self s")
            lines += [f"{n * SAMPLE_SECONDS:8.2f}  {k}" for k, n in self.own.most_common(TOP)]
            with self.out.open("a") as output:
                output.write("\n".join(lines) + "\n\n")
            self._reset()


def _name(frame) -> str:
    code = frame.f_code
    path = code.co_filename
    for marker in ("/components/", "/site-packages/", "/benchmarks/"):
        if marker in path:
            path = path.split(marker, 1)[1]
            break
    return f"{path}:{code.co_name}"


def main() -> None:
    out = Path(sys.argv[1])
    sampler = Sampler(out)
    signal.signal(signal.SIGUSR1, sampler.dump)
    threading.Thread(target=sampler.run, daemon=True, name="profile-sampler").start()
    from streamlit.runtime.scriptrunner import script_runner

    script_runner.exec_func_with_error_handling = sampler.timed(
        script_runner.exec_func_with_error_handling
    )
    # The command follows the output file: `components serve …` or `streamlit run …`.
    runner, *arguments = sys.argv[2:]
    if runner == "components":
        from components.cli.main import main as components

        sys.exit(components(arguments))
    from streamlit.web import cli

    sys.argv = [runner, *arguments]
    cli.main()


if __name__ == "__main__":
    main()
