"""Call the coach's API from Python with gradio_client (pip install gradio_client).

python examples/client.py http://127.0.0.1:7860/
"""

from __future__ import annotations

import sys

from gradio_client import Client


def main(url: str = "http://127.0.0.1:7860/") -> dict:
    client = Client(url, verbose=False)

    advice = client.predict("Sales says our leads are garbage", api_name="/advise")
    print(advice["answer"])
    for source in advice["sources"]:
        print(f"- {source['title']} ({source['section']}): {source['excerpt'][:80]}…")

    checked = client.predict("You always send us garbage leads.", api_name="/check")
    print([flag["text"] for flag in checked["flags"]], "->", checked["rewrite"])

    session = client.predict(
        "leads-garbage-missed-quarter", "tense", "en", api_name="/rehearse_start"
    )
    print(session["opening"])
    turn = client.predict(
        session["session_id"],
        "I hear you. What if we look at 50 leads together on Friday?",
        api_name="/rehearse_turn",
    )
    print(turn["counterpart"], "| tension", turn["tension"], "| score", turn["feedback"]["score"])
    return {"advice": advice, "check": checked, "session": session, "turn": turn}


if __name__ == "__main__":
    main(*sys.argv[1:2])
