"""Mount the coach into an existing FastAPI app (e.g. your intranet or LMS backend).

    python examples/mount_fastapi.py                                  # http://127.0.0.1:8000/coach/
    uvicorn --factory examples.mount_fastapi:create_app --port 8000   # the same, with uvicorn

The coach (and its index, built on first start if missing) is created once, before serving.
"""

from __future__ import annotations

from coach.settings import get_settings, quiet_telemetry

quiet_telemetry()  # before Gradio is imported

import gradio as gr  # noqa: E402
from fastapi import FastAPI  # noqa: E402

from ui.app import MOUNT_OPTIONS, build_app  # noqa: E402


def create_app(settings=None, coach=None) -> FastAPI:
    settings = settings or get_settings()
    app = FastAPI(title="Our intranet")

    @app.get("/health")
    def health() -> dict:
        return {"ok": True}

    demo = build_app(settings, coach=coach)  # the coach is built here, not inside a request
    return gr.mount_gradio_app(app, demo, path="/coach", **MOUNT_OPTIONS)


if __name__ == "__main__":
    import uvicorn

    uvicorn.run(create_app(), host="127.0.0.1", port=8000)
