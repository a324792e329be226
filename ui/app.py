"""The Gradio app: tabs for advice, rehearsal, check my message and (for trainers) knowledge.

``build_app(settings)`` assembles the Blocks; ``serve(settings, ...)`` builds the coach (and the
index, when it is missing) before it starts listening. Each tab is built in its own ``ui.*_tab``
module, a thin layer over the plain functions in ``ui.advice``, ``ui.rehearse``, ``ui.check`` and
``ui.trainer``.
"""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

from coach.settings import Settings, quiet_telemetry

quiet_telemetry()  # before gradio is imported

import gradio as gr  # noqa: E402

from coach.errors import CoachError  # noqa: E402
from ui import advice, check, rehearse  # noqa: E402
from ui.advice_tab import build_advice_tab  # noqa: E402
from ui.check_tab import build_check_tab  # noqa: E402
from ui.deep_links import wire_deep_links  # noqa: E402
from ui.guard import Guard, server_config  # noqa: E402
from ui.history_tab import (  # noqa: E402
    build_my_data,
    learner_state,
    person_of,
    wire_learner,
)
from ui.language import Relabel  # noqa: E402
from ui.limits import Limits, client_address  # noqa: E402
from ui.page import TAG, HeadScript  # noqa: E402
from ui.rehearse_tab import build_rehearse_tab  # noqa: E402
from ui.state import DOWNLOADS, Services, SessionStore  # noqa: E402
from ui.strings import DEFAULT_LANG, LANG_CHOICES, norm_lang, t  # noqa: E402
from ui.trainer_tab import build_trainer_tab  # noqa: E402

QUEUE_SIZE = 100  # waiting events before new ones are turned away
# Gradio keeps ~100 KB of state per session (a copy of every block's config), and each raw API
# call is a session of its own: its default cap (10,000) let a day of API use grow the server by
# ~1.4 GB. 2000 most recently active sessions (~250 MB at most) still keeps every live browser's
# chat and rehearsal on a course-sized server.
STATE_SESSIONS = 2000
MAX_UPLOAD = "1mb"

THEME = gr.themes.Soft(
    primary_hue="indigo",
    secondary_hue="sky",
    neutral_hue="slate",
    radius_size="md",
    font=("ui-sans-serif", "system-ui", "-apple-system", "Segoe UI", "Roboto", "sans-serif"),
    font_mono=("ui-monospace", "SFMono-Regular", "Menlo", "monospace"),
).set(
    # WCAG AA (4.5:1) for the text we colour: Soft's defaults measured 2.45:1 (subdued text),
    # 3.63:1 (label chips) and 4.47:1 (primary buttons).
    body_text_color_subdued="*neutral_600",
    body_text_color_subdued_dark="*neutral_300",
    block_label_text_color="*neutral_700",
    block_label_text_color_dark="*neutral_200",
    block_title_text_color="*neutral_800",
    block_info_text_color="*neutral_600",
    button_primary_background_fill="*primary_700",
    button_primary_background_fill_hover="*primary_800",
    button_primary_background_fill_dark="*primary_600",
    button_primary_text_color="white",
    button_primary_text_color_dark="white",
    input_placeholder_color="*neutral_500",
    checkbox_label_background_fill_selected="*primary_700",
    checkbox_label_background_fill_selected_dark="*primary_600",
    checkbox_label_text_color_selected="white",
)

CSS = """
.gradio-container { max-width: 1100px !important; margin: 0 auto !important; }
#coach-header h1 { margin: 0; font-size: 1.6rem; }
#coach-header p { margin: 0.2rem 0 0; color: var(--body-text-color-subdued); }
#lang-picker { max-width: 260px; }
#advice-status, #rehearse-whatif { font-size: 0.9rem; }
#rehearse-feedback h3 { margin-top: 0; }
#rehearse-chat .icon-button-wrapper.top-panel { display: none; }  /* its "Clear", any language */
#advice-chat .prose, #rehearse-chat .prose { overflow-wrap: anywhere; }
/* Wide tables (the dashboard, feedback, attempts) scroll inside their box, not the page. */
#tab-trainer, #tab-trainer .block, #rehearse-past, #rehearse-progress { min-width: 0; }
#tab-trainer .table-wrap, #rehearse-past .table-wrap, #rehearse-progress .table-wrap {
  max-width: calc(100vw - 2rem); overflow-x: auto;
}
#tab-trainer th, #rehearse-past th, #rehearse-progress th,
#tab-trainer th *, #rehearse-past th *, #rehearse-progress th * {
  white-space: nowrap; overflow-wrap: normal; word-break: normal;
}
button[role="tab"][aria-selected="true"] { color: var(--primary-700) !important; }
.dark button[role="tab"][aria-selected="true"] { color: var(--primary-300) !important; }
#check-highlights .label, #rehearse-highlights .label { color: #111827 !important; }
.dark #check-highlights .highlighted .text, .dark #rehearse-highlights .highlighted .text {
  color: #ffffff !important;
}
.dark button.primary { background: var(--primary-700) !important; color: #ffffff !important; }
.thought-group [role=button] .icon-button { pointer-events: none; }
.coach-small { font-size: 0.9rem; color: var(--body-text-color-subdued); }
@media (max-width: 520px) {
  #coach-top { flex-wrap: nowrap !important; gap: 6px !important; align-items: center; }
  #coach-top > * { min-width: 0 !important; }
  #coach-top > :first-child { flex: 1 1 auto !important; }
  #coach-top > #lang-picker { flex: 0 0 auto !important; width: auto !important; }
  #coach-header h1 { font-size: 1.25rem; }
  #coach-header p { display: none; }
  #lang-picker { max-width: none; padding: 0 !important; border: 0 !important; }
  #lang-picker > span[data-testid="block-info"], #lang-picker .block-title,
  #lang-picker > .block-info {
    position: absolute !important; width: 1px; height: 1px; overflow: hidden;
    clip: rect(0 0 0 0); white-space: nowrap;
  }
  #lang-picker label { padding: 4px 8px !important; gap: 0 !important; font-size: 0.85rem; }
  #lang-picker input[type="radio"] {
    position: absolute !important; opacity: 0; width: 1px !important; height: 1px !important;
  }
  #lang-picker label:focus-within { outline: 2px solid var(--primary-700); outline-offset: 1px; }
  .tab-container button, button[role="tab"] {
    padding: 6px 7px !important; font-size: 0.85rem; white-space: nowrap;
  }
  #lang-picker .wrap { flex-wrap: nowrap !important; gap: 4px !important; }
  #advice-ask-row, #rehearse-say-row { flex-wrap: nowrap !important; gap: 6px !important; }
  #advice-ask-row > *, #rehearse-say-row > * { min-width: 0 !important; }
  #advice-ask, #rehearse-send { flex: 0 0 auto !important; padding: 6px 12px !important; height: auto !important;
    align-self: flex-end; min-height: 44px; }
  #rehearse-brief { font-size: 0.85rem; }
  #rehearse-brief h1, #rehearse-brief h2, #rehearse-brief h3 { font-size: 1rem; margin: 0; }
  #rehearse-chat { height: auto !important; min-height: 180px; max-height: 50vh; }
  #advice-chat { height: 62vh !important; max-height: 62vh; }
  #advice-examples button { white-space: normal !important; text-align: left; }
  #advice-examples .gallery-item, #advice-examples td { max-width: none !important; }
  .coach-intro { display: none; }
}
#rehearse-highlights span, #check-highlights span, .textspan {
  word-break: normal !important; overflow-wrap: normal !important;
}
"""

# Gradio scopes the rules of ``css`` inside media queries to the app's content, which leaves
# out the page's own padding: those rules go into <head> as they are. ``TAG`` is the page
# script (ui.page); ``HeadScript`` puts it first in the page, this copy covers a mounted app
# and the web component (it then runs after Gradio has started).
HEAD = (
    "<style>@media (max-width: 520px) { .main.fillable "
    "{ padding-left: 8px !important; padding-right: 8px !important; } }"
    "html:not(.coach-trainer) .coach-trainer-only { display: none !important; }</style>" + TAG
)

LAUNCH_STYLE = {"theme": THEME, "css": CSS, "head": HEAD}


@contextlib.contextmanager
def _api_errors(*kinds: type[Exception]):
    """Turn the errors a caller can fix into a ``gr.Error`` with just the message."""
    try:
        yield
    except kinds as exc:
        raise gr.Error(str(exc)) from None


_JSON_KINDS = {
    bool: "true/false",
    int: "a number",
    float: "a number",
    list: "a list",
    dict: "an object",
}


def _text_args(**values) -> None:
    """API arguments arrive as raw JSON, so a number, list or object can sit where text belongs;
    say which argument, instead of Python's own words ("unhashable type: 'list'")."""
    for name, value in values.items():
        if value is not None and not isinstance(value, str):
            kind = _JSON_KINDS.get(type(value), type(value).__name__)
            raise gr.Error(f"{name} must be text, not {kind}.")


def build_app(settings: Settings, coach=None, limits: Limits | None = None) -> gr.Blocks:
    """The app over ``coach`` (built here from ``settings`` when not given, index included)."""
    limits = limits or Limits()
    services = Services(settings, coach=coach)
    api_sessions = SessionStore(cap=500, loader=rehearse.resumer(services))  # any server continues
    trainers = bool(settings.trainer_password) or lti_registered(settings)
    lang0 = DEFAULT_LANG
    i18n = Relabel()

    with gr.Blocks(title="coach", analytics_enabled=False, delete_cache=(3600, 6 * 3600)) as demo:
        learner = learner_state()  # the browser's learner id (localStorage), see ui.history_tab
        with gr.Row(equal_height=True, elem_id="coach-top"):
            with gr.Column(scale=3, min_width=160):
                i18n.custom(
                    gr.Markdown(f"# coach\n{t(lang0, 'tagline')}", elem_id="coach-header"),
                    lambda lang: gr.update(value=f"# coach\n{t(lang, 'tagline')}"),
                )
            lang = i18n.keys(
                gr.Radio(
                    LANG_CHOICES,
                    value=lang0,
                    label=t(lang0, "language"),
                    elem_id="lang-picker",
                    scale=1,
                    min_width=200,
                ),
                label="language",
            )

        with gr.Tabs(selected="advice", elem_id="coach-tabs", overflow_behavior="menu") as tabs:
            advice_tab = build_advice_tab(services, lang, i18n, learner)
            rehearse_tab = build_rehearse_tab(services, lang, i18n, learner)
            build_check_tab(services, lang, i18n)
            trainer_tab = (
                build_trainer_tab(services, lang, i18n, limits, demo=demo) if trainers else None
            )

        my_data = build_my_data(i18n)
        loaded = gr.Markdown("", elem_id="coach-loaded", visible="hidden")  # set when load is done
        wire_practise(services, lang, tabs, advice_tab, rehearse_tab, learner)

        i18n.wire(lang)
        # Gradio's own strings ("Drop File Here", "Copy") and <html lang> follow the picker.
        lang.change(None, [lang], None, js="(code) => { window.coachSetLanguage?.(code); }")
        loaded_event = wire_deep_links(
            demo,
            services,
            lang=lang,
            tabs=tabs,
            loaded=loaded,
            advice_tab=advice_tab,
            rehearse_tab=rehearse_tab,
            trainers=trainers,
            trainer_tab=trainer_tab,
            learner=learner,
        )
        wire_learner(
            demo,
            services,
            learner=learner,
            lang=lang,
            loaded_event=loaded_event,
            advice_tab=advice_tab,
            rehearse_tab=rehearse_tab,
            attempts=rehearse_tab.attempts,
            my_data=my_data,
        )

        def advise_api(question: str) -> dict:
            """Advice on a situation: the answer (Markdown), its language, the backend, the sources."""
            _text_args(question=question)
            with _api_errors(CoachError):
                return advice.advise(services.coach, question, services.asked_path)

        def check_api(draft: str) -> dict:
            """Check a draft message: the flagged phrases (with why), the rewrite and the language."""
            _text_args(draft=draft)
            with _api_errors(CoachError):
                return check.check(draft, services.coach.backend)

        def rehearse_start_api(
            scenario: str, level: str = "tense", lang: str = "en", request: gr.Request = None
        ) -> dict:
            """Start a rehearsal: returns session_id (pass it to /rehearse_turn) and the opening line."""
            _text_args(scenario=scenario, level=level, lang=lang)
            with _api_errors(ValueError):
                return rehearse.api_start(
                    api_sessions,
                    services.scenarios,
                    scenario,
                    level,
                    lang,
                    owner=client_address(request),
                    **services.rehearsal_options(),
                )

        def rehearse_turn_api(session_id: str, text: str) -> dict:
            """One turn of a rehearsal: the counterpart's reply, the tension and feedback on the turn."""
            _text_args(session_id=session_id, text=text)
            with _api_errors(ValueError):
                return rehearse.api_turn(api_sessions, session_id, text)

        gr.api(advise_api, api_name="advise")
        gr.api(check_api, api_name="check")
        gr.api(rehearse_start_api, api_name="rehearse_start")
        gr.api(rehearse_turn_api, api_name="rehearse_turn")

    # An offline answer is ~30 ms of CPU; with a model, a request mostly waits on the model server.
    # api_open=False: no handler runs outside the queue (``/gradio_api/run/…`` is refused), so
    # every call waits its turn and counts against the per-client share (see ui.guard).
    demo.queue(
        default_concurrency_limit=services.settings.app_concurrency,
        max_size=QUEUE_SIZE,
        api_open=False,
    )
    demo.state_session_capacity = STATE_SESSIONS  # read when the app is mounted (see above)
    demo.coach_services = services  # for tests and for mounting code that wants the coach
    demo.api_sessions = api_sessions
    return demo


def wire_practise(services: Services, lang, tabs, advice_tab, rehearse_tab, learner) -> None:
    """The "practise this" button: the Rehearse tab on the scenario closest to the question,
    started, with the picked line already in the learner's input box (ui.practise picks it)."""
    from coach.embeddings import get_embedder
    from ui.practise import closest_scenario, said_lines

    reply_at = rehearse_tab.outputs.index(rehearse_tab.reply)

    def on_practise(line, kept, code, learner_id):
        code = norm_lang(code if isinstance(code, str) else None)
        person = person_of(learner_id)
        if person is None:
            gr.Warning(t(code, "learner_bad"))
            return [gr.skip()] * (3 + len(rehearse_tab.outputs))
        kept = kept if isinstance(kept, list) else []
        latest = kept[-1] if kept and isinstance(kept[-1], dict) else {}
        if not isinstance(line, str) or line not in said_lines(latest.get("answer", "")):
            gr.Warning(t(code, "practise_none"))
            return [gr.skip()] * (3 + len(rehearse_tab.outputs))
        about = f"{latest.get('question', '')}\n{line}"
        rlang = norm_lang(latest.get("language") or code)
        embedder = None
        with contextlib.suppress(Exception):  # no embedder: the first scenario in the language
            embedder = get_embedder(services.settings.embedder)
        scenario_id = closest_scenario(services.scenarios, embedder, about, rlang)
        if scenario_id is None:
            gr.Warning(t(code, "unknown_scenario"))
            return [gr.skip()] * (3 + len(rehearse_tab.outputs))
        current = rehearse.start_session(
            services.scenarios,
            scenario_id,
            rehearse.DEFAULT_LEVEL,
            rlang,
            **services.rehearsal_options(person),
        )
        values = rehearse_tab.view(current, code)
        values[reply_at] = gr.update(value=line, interactive=True)
        gr.Info(t(code, "practise_ready"))
        scenario = gr.update(
            choices=rehearse.scenario_choices(services.scenarios, rlang), value=scenario_id
        )
        return [gr.Tabs(selected="rehearse"), scenario, rlang, *values]

    advice_tab.practise.click(
        on_practise,
        [advice_tab.line, advice_tab.turns, lang, learner],
        [tabs, rehearse_tab.scenario, rehearse_tab.rlang, *rehearse_tab.outputs],
        api_visibility="private",
    )


MOUNT_OPTIONS = {
    "max_file_size": MAX_UPLOAD,
    # No "Use via API" footer for learners; the API itself works as before (README, "API").
    "footer_links": [],
    "ssr_mode": False,
    "show_error": True,
    **LAUNCH_STYLE,
}


def web_component_js() -> str:
    """Gradio's web-component loader, as the gradio.js on its CDN, from the installed package."""
    loader = Path(gr.__file__).parent / "templates" / "frontend" / "gradio.js"
    return loader.read_text(encoding="utf-8")


def create_server(
    settings: Settings,
    demo: gr.Blocks | None = None,
    root_path: str = "",
    limits: Limits | None = None,
):
    """A FastAPI app serving the coach at ``/`` and Gradio's web component at ``/gradio.js``,
    behind ``ui.guard.Guard``.

    This is what ``coach serve`` runs. Mounting into an existing FastAPI app needs the same
    three steps as below: ``gr.mount_gradio_app(..., **MOUNT_OPTIONS)``, ``secure_mounted(demo)``
    and the ``Guard`` middleware (SECURITY.md).
    """
    from fastapi import FastAPI
    from fastapi.responses import Response

    demo = demo if demo is not None else build_app(settings)
    app = FastAPI(title="coach", docs_url=None, redoc_url=None, openapi_url=None)

    @app.get("/gradio.js", include_in_schema=False)
    def gradio_js() -> Response:
        return Response(
            web_component_js(),
            media_type="text/javascript",
            headers={"Access-Control-Allow-Origin": "*", "Cache-Control": "no-cache"},
        )

    app.include_router(lti_router(settings, demo.coach_services))
    app = gr.mount_gradio_app(app, demo, path="/", root_path=root_path or None, **MOUNT_OPTIONS)
    secure_mounted(demo)
    app.add_middleware(HeadScript)
    app.add_middleware(Guard, limits=limits or Limits(), blocks=demo)
    return app


def lti_registered(settings: Settings) -> bool:
    """An LMS is registered (``coach lti add-platform``): instructors may land in the Trainer tab."""
    from coach.lti.config import LtiConfigError, read_platforms

    try:
        return bool(read_platforms(settings))
    except LtiConfigError:
        return False


def lti_router(settings: Settings, services):
    """The LTI 1.3 endpoints (``coach.lti.routes``) on the app's database and scenarios."""
    from coach.lti.routes import build_router

    return build_router(
        settings,
        store=lambda: services.store,
        scenarios=lambda: services.scenarios,
        on_members=services.sync_members,
    )


def secure_mounted(demo: gr.Blocks) -> None:
    """Switch on Gradio's own file checks for a mounted app.

    Gradio only checks the file paths that arrive in a request (a chat history may carry
    ``{"path": "/etc/passwd"}``) once ``launch()`` has run: for an app mounted with
    ``mount_gradio_app`` it would copy any server file into its cache and hand out its URL.
    Marked as launched, only files this server handed out or a user uploaded are accepted."""
    demo.has_launched = True
    gr.set_static_paths([DOWNLOADS])  # our downloads are served as they are, not copied


def serve(
    settings: Settings, host: str = "127.0.0.1", port: int = 7860, root_path: str = ""
) -> None:
    """Build the index if needed, then serve the app until Ctrl-C."""
    import threading

    import uvicorn

    def notice():
        print("Building the knowledge index (first start, a few seconds)…", flush=True)

    started = time.perf_counter()
    from coach.answer import Coach

    coach = Coach(settings, on_build=notice)
    app = create_server(settings, build_app(settings, coach=coach), root_path=root_path)
    server = uvicorn.Server(
        server_config(app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=3)
    )
    # In a thread, uvicorn leaves Ctrl-C to us, so stopping is quiet and clean.
    thread = threading.Thread(target=server.run, name="coach-server", daemon=True)
    thread.start()
    while thread.is_alive() and not server.started:
        time.sleep(0.05)
    if not server.started:
        raise SystemExit(f"coach could not listen on {host}:{port} (is the port in use?)")
    url = f"http://{host}:{port}{root_path}/"
    print(f"coach is ready in {time.perf_counter() - started:.1f} s: {url}", flush=True)
    try:
        while thread.is_alive():
            thread.join(0.5)
    except KeyboardInterrupt:
        print("Stopping coach…", flush=True)
        server.should_exit = True
        thread.join(10)
