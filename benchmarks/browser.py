"""Seconds from pressing Enter to the answer and its sources showing, in headless Chromium
(Debian's /usr/bin/chromium, driven by Playwright; never a downloaded browser), against a real
`coach serve` with the index built. Each question is asked in a fresh page, so every one is that
visitor's first answer.

    python benchmarks/browser.py [--questions 5]
Writes benchmarks/results/browser.json.
"""

from __future__ import annotations

import argparse
import json
import re
import statistics
import time

from playwright.sync_api import expect, sync_playwright
from running import coach_serve  # benchmarks/running.py, next to this script

from coach.settings import PROJECT_ROOT
from ui.testing import CHROMIUM, CHROMIUM_ARGS

RESULTS = PROJECT_ROOT / "benchmarks" / "results" / "browser.json"
QUESTIONS = [
    "Sales says our leads are garbage. What do I say tomorrow?",
    "Nadie dio seguimiento a los leads de la feria.",
    "My peer in sales criticised my campaign in front of the whole team.",
    "No nos ponemos de acuerdo con el presupuesto de descuentos.",
    "The weekly sync with sales keeps getting cancelled.",
]


def first_answer_seconds(browser, url: str, question: str) -> float:
    page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto(url)
    expect(page.locator("#coach-loaded")).to_contain_text("loaded", timeout=30_000)
    box = page.locator("#advice-question textarea")
    box.fill(question)
    started = time.perf_counter()
    box.press("Enter")
    sources = page.locator("#advice-chat").get_by_text(re.compile(r"^(Sources|Fuentes) \("))
    sources.first.wait_for(timeout=30_000)
    seconds = time.perf_counter() - started
    page.context.close()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", type=int, default=5)
    parser.add_argument("--port", type=int, default=7891)
    args = parser.parse_args()
    with coach_serve(args.port) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        times = [
            first_answer_seconds(browser, url, QUESTIONS[n % len(QUESTIONS)])
            for n in range(args.questions)
        ]
        browser.close()
    result = {
        "enter_to_answer_s": [round(t, 2) for t in times],
        "median_s": round(statistics.median(times), 2),
        "max_s": round(max(times), 2),
    }
    print(json.dumps(result))
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
