"""LTI 1.3 as a course uses it: a real app server and a test LMS (``tests/lti_platform.py``,
built on lti1p3platform) on free ports, both in this process.

- launches: N learners log in and launch one after another (login redirect + signed launch,
  validated against the LMS's JWKS); time per launch, p50 and p95;
- a class at once: N launches from N threads;
- grades: each learner finishes a rehearsal (3 weak lines at level hostile, through the app's
  queue as the browser sends them) and the time until the LMS's gradebook has the score.

    python benchmarks/lti.py [--learners 20]

Writes benchmarks/results/lti.json.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coach.settings import PROJECT_ROOT, Settings, quiet_telemetry  # noqa: E402

quiet_telemetry()

from tests import lti_platform  # noqa: E402
from tests.test_store_app import call, fn_index  # noqa: E402

SCENARIO = "leads-garbage-missed-quarter"
LINES = (
    "You always blame marketing, your team is lazy.",
    "Honestly, your reps never call anyone back.",
    "Whatever. I'll loop in the CEO then.",
)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def one_launch(lms, user: str) -> tuple[float, dict]:
    started = time.perf_counter()
    with httpx.Client() as browser:
        login = browser.get(lms.login_url("practice", user) + "&lti1p3_new_window=1")
        query = parse_qs(urlsplit(login.headers["location"]).query)
        form = lms.launch_message({k: v[0] for k, v in query.items()})
        landed = browser.post(form.pop("url"), data=form)
        assert landed.status_code == 303, landed.text[:300]
        return time.perf_counter() - started, dict(browser.cookies)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--learners", type=int, default=20)
    args = parser.parse_args()

    from ui.app import build_app, create_server
    from ui.testing import serving

    lms = lti_platform.new_lms()
    lms.users = {
        f"u{i}": lti_platform.User(f"sub-{i}", f"Learner {i}", [lti_platform.LEARNER_ROLE])
        for i in range(args.learners * 2)
    }
    lms.activities = {
        "practice": lti_platform.Activity("practice", {"scenario": SCENARIO, "level": "hostile"})
    }
    settings = Settings(
        data_dir=Path(tempfile.mkdtemp(prefix="coach-lti-bench-")),
        knowledge_dirs=[PROJECT_ROOT / "knowledge"],
    )
    with serving(lti_platform.build_lms(lms)) as lms_url:
        lms.base = lms_url.rstrip("/")
        lms.register_with(settings)
        demo = build_app(settings)
        with serving(create_server(settings, demo)) as url:
            lms.tool = url.rstrip("/")
            one_launch(lms, "u0")  # warm: the LMS keys are fetched once
            one_by_one = [one_launch(lms, f"u{i}") for i in range(args.learners)]
            with ThreadPoolExecutor(args.learners) as pool:
                started = time.perf_counter()
                at_once = list(
                    pool.map(
                        lambda i: one_launch(lms, f"u{args.learners + i}"), range(args.learners)
                    )
                )
                class_seconds = time.perf_counter() - started
            waits = []
            for _, cookies in one_by_one[: min(10, args.learners)]:
                loaded = call(
                    url, fn_index(demo, "on_load"), [None], uuid.uuid4().hex, cookies=cookies
                )
                learner = loaded[-1] if isinstance(loaded[-1], str) else loaded[-1]["value"]
                session = uuid.uuid4().hex
                call(
                    url,
                    fn_index(demo, "on_start"),
                    [SCENARIO, "hostile", "en", "en", learner],
                    session,
                )
                before = len(lms.scores)
                for line in LINES[:-1]:
                    call(url, fn_index(demo, "on_send"), [line, None, "en"], session)
                finished = time.perf_counter()
                call(url, fn_index(demo, "on_send"), [LINES[-1], None, "en"], session)
                while len(lms.scores) == before and time.perf_counter() - finished < 60:
                    time.sleep(0.01)
                waits.append(time.perf_counter() - finished)
    sequential = [seconds for seconds, _ in one_by_one]
    result = {
        "learners": args.learners,
        "launch_p50_ms": round(statistics.median(sequential) * 1000, 1),
        "launch_p95_ms": round(percentile(sequential, 0.95) * 1000, 1),
        "class_at_once_s": round(class_seconds, 2),
        "class_launch_p95_ms": round(percentile([s for s, _ in at_once], 0.95) * 1000, 1),
        "last_turn_to_gradebook_p50_ms": round(statistics.median(waits) * 1000, 1),
        "last_turn_to_gradebook_max_ms": round(max(waits) * 1000, 1),
        "scores_received": len(lms.scores),
    }
    out = ROOT / "benchmarks" / "results" / "lti.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
