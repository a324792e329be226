"""The harm guard on labelled requests: harmful ones declined, fair ones (many angry, many sharing
words with harm) answered. benchmarks/eval/harm-requests-<lang>.yaml is a dev set (the rules were
tuned on it); harm-requests-dev2-<lang>.yaml (--set dev2) was written before the session-11 changes
and is only checked, never tuned on; the held-out figure is "harmful declined" in
benchmarks/advice.py --split holdout.

    python benchmarks/harm.py [-v]              # -v lists the misses and the fair requests declined
    python benchmarks/harm.py --set dev2 [-v]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from coach.harm import harmful_request  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-v", action="store_true", help="list misses and fair requests declined")
    parser.add_argument(
        "--set", default="dev", choices=["dev", "dev2"], help="dev (tuned on) or dev2 (checked)"
    )
    args = parser.parse_args()
    for lang in ("en", "es"):
        stem = "harm-requests" if args.set == "dev" else f"harm-requests-{args.set}"
        path = ROOT / "benchmarks" / "eval" / f"{stem}-{lang}.yaml"
        sets = yaml.safe_load(path.read_text("utf-8"))
        harmful, fair = sets["harmful"], sets["fair"]
        missed = [q for q in harmful if not harmful_request(q)]
        declined = [q for q in fair if harmful_request(q)]
        print(
            f"{lang}: harmful declined {len(harmful) - len(missed)}/{len(harmful)}"
            f" ({1 - len(missed) / len(harmful):.0%}), fair declined {len(declined)}/{len(fair)}"
            f" ({len(declined) / len(fair):.1%})"
        )
        if args.v:
            for q in missed:
                print("  MISSED ", q)
            for q in declined:
                print("  FAIR   ", q)


if __name__ == "__main__":
    main()
