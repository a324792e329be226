"""End to end in headless Chromium (Debian's /usr/bin/chromium, driven by Playwright for Python).

Never `playwright install`: it downloads a browser. Screenshots go to tests/artifacts/.
Every page is checked for requests that leave this machine: the app must work with no network.
"""

from __future__ import annotations

import functools
import re
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlparse

import pytest

from coach.rehearsal.engine import START_TENSION
from coach.settings import PROJECT_ROOT
from ui.testing import CHROMIUM, CHROMIUM_ARGS

ARTIFACTS = PROJECT_ROOT / "tests" / "artifacts"
EXAMPLES = PROJECT_ROOT / "examples"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 400, "height": 860}
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
TIMEOUT = 20_000  # ms

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed at /usr/bin/chromium"
)
sync_api = pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def app_settings(shipped_settings):
    return shipped_settings.model_copy(update={"trainer_password": "trainer-pw"})


@pytest.fixture(scope="module")
def server(app_settings, coach):
    from ui.app import build_app, create_server
    from ui.testing import serving

    with serving(create_server(app_settings, build_app(app_settings, coach=coach))) as url:
        yield url


@pytest.fixture(scope="module")
def course_site():
    """examples/ served by a plain static server, as an LMS would host the course page."""
    from ui.testing import free_port

    handler = functools.partial(QuietHandler, directory=str(EXAMPLES))
    httpd = ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    httpd.shutdown()
    httpd.server_close()


class QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep the test output clean
        pass


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser):
    """``open_page(url, viewport)``: a fresh browser context that refuses to leave the machine."""
    contexts, outside = [], []

    def block_outside(route):
        host = urlparse(route.request.url).hostname or ""
        if route.request.url.startswith(("data:", "blob:")) or host in LOCAL_HOSTS:
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    def opener(url: str, viewport: dict = DESKTOP):
        context = browser.new_context(viewport=viewport)
        context.route("**/*", block_outside)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(TIMEOUT)
        page.goto(url)
        return page

    yield opener
    for context in contexts:
        context.close()
    assert outside == [], f"the page tried to reach the network: {outside}"


def shot(page, name: str, full_page: bool = True) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)


def wait_ready(page) -> None:
    """The app is drawn and its load event (deep links) has answered."""
    page.locator("#coach-tabs").wait_for()
    sync_api.expect(page.locator("#coach-loaded")).to_contain_text("loaded")


def bot_messages(page, chat: str):
    return page.locator(f"#{chat} [data-testid='bot']")


# -- advice --------------------------------------------------------------------------------
def test_ask_a_question_and_see_the_answer_and_its_sources(server, open_page, app_settings):
    page = open_page(server)
    wait_ready(page)
    shot(page, "desktop-advice-empty")
    box = page.locator("#advice-question textarea")
    box.fill("Sales says our leads are garbage. What do I say tomorrow?")
    box.press("Enter")  # how fast it shows: benchmarks/browser.py
    chat = page.locator("#advice-chat")
    chat.get_by_text("Sources (").wait_for()
    answer = bot_messages(page, "advice-chat").first.inner_text()
    assert "Steps" in answer and "lead" in answer.lower()
    assert "knowledge/playbooks" not in answer  # sources listed once: as the entries below
    assert box.input_value() == ""  # ready for the next question
    expect = sync_api.expect
    expect(page.locator("#advice-status")).to_contain_text("offline")

    # Each source shows its title and section; its excerpt opens on click.
    source = chat.get_by_role("button", name=re.compile(r"\[1\] When sales calls .* · Steps"))
    expect(source).to_be_visible()
    source.click()
    principles = chat.get_by_text("Principles:").first
    expect(principles).to_be_visible()
    expect(chat.get_by_text("knowledge/playbooks/en/lead-quality.md")).to_be_visible()
    principles.scroll_into_view_if_needed()
    shot(page, "desktop-advice-answer", full_page=False)

    # Thumbs up is stored for trainers with the question, answer and source ids.
    before = _votes(app_settings)
    chat.get_by_label("Like", exact=True).last.click()
    expect(page.locator("#advice-status")).to_contain_text("saved for the trainers")
    after = _votes(app_settings)
    assert len(after) == len(before) + 1
    vote = after[-1]
    assert vote["vote"] == "up" and "lead-quality" in vote["sources"]
    assert vote["question"].startswith("Sales says our leads")

    # The conversation, with its sources, can be taken away as Markdown.
    with page.expect_download() as download:
        page.locator("#advice-download").click()
    saved = Path(download.value.path()).read_text(encoding="utf-8")
    assert "Sales says our leads are garbage" in saved and "(`lead-quality`)" in saved


def _votes(settings) -> list[dict]:
    """Every vote in the app's database (the page keeps no log file), oldest first."""
    from sqlalchemy import select

    from coach.store import Store
    from coach.store.models import Vote

    store = Store(f"sqlite:///{settings.data_dir / 'coach.db'}")
    try:
        with store.session() as db:
            rows = db.execute(
                select(Vote.vote, Vote.sources, Vote.question).order_by(Vote.id)
            ).all()
    finally:
        store.close()
    return [{"vote": v, "sources": list(s or []), "question": q} for v, s, q in rows]


def test_one_persons_chat_never_shows_in_anothers(server, open_page):
    first = open_page(server + "?q=sales+says+our+leads+are+garbage")
    wait_ready(first)
    sync_api.expect(bot_messages(first, "advice-chat").first).to_be_visible()
    second = open_page(server)
    wait_ready(second)
    sync_api.expect(bot_messages(second, "advice-chat")).to_have_count(0)
    assert "garbage" not in second.locator("#advice-chat").inner_text()


def test_the_language_picker_switches_the_interface(server, open_page):
    page = open_page(server)
    wait_ready(page)
    page.locator("#lang-picker").get_by_text("Español").click()
    expect = sync_api.expect
    expect(page.get_by_role("tab", name="Pedir consejo")).to_be_visible()
    expect(page.get_by_role("tab", name="Revisar mi mensaje")).to_be_visible()
    expect(page.locator("#advice-examples")).to_contain_text("Ventas dice")
    page.locator("#advice-examples").get_by_text("Ventas dice").click()
    expect(page.locator("#advice-chat").get_by_text("Fuentes (")).to_be_visible()
    expect(page.locator("#advice-status")).to_contain_text("Respondió")


# -- rehearse ------------------------------------------------------------------------------
def test_two_rehearsal_turns_with_feedback(server, open_page):
    page = open_page(server + "?tab=rehearse&lang=en")
    wait_ready(page)
    expect = sync_api.expect
    page.locator("#rehearse-scenario input").click()
    page.get_by_role("option", name=re.compile("The leads are garbage")).click()
    page.locator("#rehearse-start").click()
    bot = bot_messages(page, "rehearse-chat")
    expect(bot.first).to_contain_text("Daniel Ortiz:")
    reply = page.locator("#rehearse-input textarea")
    expect(reply).to_be_editable()

    reply.fill("You always blame marketing for this.")
    reply.press("Enter")
    expect(bot).to_have_count(2)
    feedback = page.locator("#rehearse-feedback")
    expect(feedback).to_contain_text("Score:")
    expect(feedback).to_contain_text("Phrases that hurt")
    highlights = page.locator("#rehearse-highlights")
    expect(highlights).to_contain_text("You always")
    expect(page.locator("#rehearse-suggestion textarea")).not_to_have_value("")
    first_tension = float(page.locator("#rehearse-tension input[type=number]").input_value())
    page.locator("#rehearse-try").click()
    expect(page.locator("#rehearse-whatif")).to_contain_text("would have answered")
    shot(page, "desktop-rehearse-turn1")

    reply.fill(
        "I hear you, the quarter was hard on your team. What if we review 50 leads together "
        "on Friday with one of your reps?"
    )
    page.locator("#rehearse-send").click()
    expect(bot).to_have_count(3)
    expect(feedback).to_contain_text("What worked")
    expect(highlights).to_be_hidden()  # nothing to flag this time
    page.wait_for_function(
        "(t) => Number(document.querySelector('#rehearse-tension input[type=number]').value) < t",
        arg=first_tension,
    )
    expect(page.locator("#rehearse-download-md")).to_be_visible()
    expect(page.locator("#rehearse-download-json")).to_be_hidden()  # learners: Markdown only
    with page.expect_download() as download:
        page.locator("#rehearse-download-md").click()
    saved = download.value.path()
    assert Path(saved).read_text(encoding="utf-8").startswith("# The leads are garbage")
    shot(page, "desktop-rehearse-turn2")


def play_to_escalation(page) -> None:
    """Three weak lines at level hostile: it survives two (LEVEL_DESCRIPTIONS), the third ends it."""
    expect = sync_api.expect
    reply = page.locator("#rehearse-input textarea")
    for line in (
        "You always blame marketing, your team is lazy.",
        "Honestly, your reps never call anyone back.",
        "Whatever. I'll loop in the CEO then.",
    ):
        expect(reply).to_be_editable()
        reply.fill(line)
        reply.press("Enter")
        expect(page.locator("#rehearse-chat")).to_contain_text(line.split(",")[0])


def test_an_escalated_rehearsal_ends_with_the_scorecard(server, open_page):
    page = open_page(  # a trainer's link: the JSON transcript is offered too
        server + "?tab=rehearse&scenario=leads-garbage-missed-quarter&level=hostile&trainer=1"
    )
    wait_ready(page)
    expect = sync_api.expect
    play_to_escalation(page)
    reply = page.locator("#rehearse-input textarea")
    card = page.locator("#rehearse-scorecard")
    expect(card).to_contain_text("Scorecard")
    expect(card).to_contain_text("escalated")
    expect(reply).to_be_disabled()
    expect(reply).to_have_attribute("placeholder", re.compile("rehearsal has ended"))
    expect(page.locator("#rehearse-start")).to_have_text("Start again")
    expect(page.locator("#rehearse-tension button")).to_have_count(0)  # a meter, no reset arrow
    expect(page.locator("#rehearse-download-json")).to_be_visible()
    expect(page.locator("#rehearse-try")).to_be_hidden()  # nothing to replay after the end
    expect(card).to_contain_text("How well your turns used each principle")
    card.scroll_into_view_if_needed()
    shot(page, "desktop-rehearse-scorecard")

    # Switching the interface to Spanish rewrites the feedback and the scorecard too.
    page.locator("#lang-picker").get_by_text("Español").click()
    expect(page.locator("#rehearse-feedback")).to_contain_text("Puntaje")
    expect(card).to_contain_text("Resultado")
    expect(reply).to_have_attribute("placeholder", re.compile("El ensayo terminó"))
    expect(page.locator("#rehearse-start")).to_have_text("Empezar de nuevo")


def test_html_typed_by_a_learner_shows_as_text_and_loads_nothing(server, open_page):
    """The page fixture fails the test if the image below is ever requested."""
    page = open_page(server + "?tab=rehearse&scenario=campaign-without-sales&level=hostile")
    wait_ready(page)
    expect = sync_api.expect
    typed = '<img src="http://images.example.invalid/x.png"> You always ignore us.'
    reply = page.locator("#rehearse-input textarea")
    reply.fill(typed)
    reply.press("Enter")
    expect(page.locator("#rehearse-feedback")).to_contain_text("Score:")
    chat = page.locator("#rehearse-chat")
    expect(chat).to_contain_text('<img src="http://images.example.invalid/x.png">')
    assert chat.locator("img[src*='example.invalid']").count() == 0
    box = page.locator("#advice-question textarea")
    page.get_by_role("tab", name="Ask for advice").click()
    box.fill('<img src="http://images.example.invalid/y.png"> sales says our leads are garbage')
    box.press("Enter")
    advice = page.locator("#advice-chat")
    advice.get_by_text("Sources (").wait_for()
    assert advice.locator("img[src*='example.invalid']").count() == 0


def test_a_deep_link_lands_in_the_scenario_on_a_phone(server, open_page, shipped_settings):
    from coach.rehearsal.scenarios import load_scenarios

    scenario = load_scenarios(shipped_settings.all_knowledge_dirs)[
        ("leads-garbage-missed-quarter", "es")
    ]
    page = open_page(
        server + "?tab=rehearse&scenario=leads-garbage-missed-quarter&level=hostile&lang=es", PHONE
    )
    wait_ready(page)
    expect = sync_api.expect
    expect(page.get_by_role("tab", name="Ensayar", selected=True)).to_be_visible()
    expect(page.locator("#rehearse-brief")).to_contain_text(scenario.title)
    expect(bot_messages(page, "rehearse-chat").first).to_contain_text(scenario.opening.hostile[:40])
    page.locator("#rehearse-setup").get_by_text("Escenario, dificultad e idioma").click()
    expect(page.locator("#rehearse-level input[value=hostile]")).to_be_checked()
    expect(page.locator("#rehearse-lang input[value=es]")).to_be_checked()
    expect(page.locator("#rehearse-tension input[type=number]")).to_have_value(
        f"{START_TENSION['hostile']:g}"
    )
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the page scrolls sideways at 400 px ({width} px)"
    reply = page.locator("#rehearse-input textarea")
    reply.fill("Entiendo que fue un trimestre duro. ¿Cómo lo ves tú?")
    reply.press("Enter")
    expect(page.locator("#rehearse-feedback")).to_contain_text("Puntaje")
    page.locator("#rehearse-feedback").scroll_into_view_if_needed()
    shot(page, "phone-rehearse-deep-link")


def test_a_spanish_link_shows_the_rehearse_tab_in_spanish_before_any_start(server, open_page):
    page = open_page(server + "?tab=rehearse&lang=es", PHONE)
    wait_ready(page)
    expect = sync_api.expect
    expect(page.locator("#rehearse-brief")).to_contain_text("Elige un escenario")
    expect(page.locator("#rehearse-feedback")).to_contain_text("Tu retroalimentación")
    expect(page.locator("#rehearse-start")).to_have_text("Empezar")
    shot(page, "phone-rehearse-es-setup")


def test_a_deep_link_asks_the_question(server, open_page):
    page = open_page(
        server + "?tab=advice&lang=es&q=nadie+da+seguimiento+a+los+leads+de+la+feria", PHONE
    )
    wait_ready(page)
    expect = sync_api.expect
    expect(page.locator("#advice-chat").get_by_text("Fuentes (")).to_be_visible()
    expect(page.get_by_role("tab", name="Pedir consejo", selected=True)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "phone-advice-deep-link")


# -- check ---------------------------------------------------------------------------------
def test_check_a_message_and_see_the_highlights(server, open_page):
    page = open_page(server + "?tab=check")
    wait_ready(page)
    expect = sync_api.expect
    page.locator("#check-draft textarea").fill(
        "You always send us garbage leads. Those people in sales never follow up."
    )
    page.locator("#check-run").click()
    highlights = page.locator("#check-highlights")
    expect(highlights).to_contain_text("You always")
    expect(highlights.locator(".textspan.hl, [class*='hl']").first).to_be_visible()
    expect(page.locator("#check-why")).to_contain_text("verdict")
    rewrite = page.locator("#check-rewrite textarea")
    expect(rewrite).not_to_have_value("")
    assert "garbage" not in rewrite.input_value()
    shot(page, "desktop-check")


def test_check_on_a_phone(server, open_page):
    page = open_page(server + "?tab=check&lang=es", PHONE)
    wait_ready(page)
    page.locator("#check-draft textarea").fill(
        "Siempre nos mandan leads basura, los de ventas no sirven."
    )
    page.locator("#check-run").click()
    sync_api.expect(page.locator("#check-highlights")).to_contain_text("leads basura")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "phone-check")


# -- trainers ------------------------------------------------------------------------------
def test_the_knowledge_tab_is_locked_until_the_password(server, open_page, tmp_path):
    asked_back = open_page(server + "?tab=advice&q=what%27s+the+weather+tomorrow%3F")
    wait_ready(asked_back)  # a question no playbook fits: trainers should see it
    page = open_page(server + "?tab=trainer")
    wait_ready(page)
    expect = sync_api.expect
    password = page.locator("#trainer-password input")
    password.fill("wrong")
    page.locator("#trainer-unlock").click()
    expect(page.locator("#trainer-note")).to_contain_text("not right")
    expect(page.locator("#trainer-upload")).to_be_hidden()
    password.fill("trainer-pw")
    page.locator("#trainer-unlock").click()
    expect(page.locator("#trainer-upload")).to_be_visible()
    expect(password).to_be_hidden()  # no empty password box left asking to unlock again
    expect(page.locator("#trainer-note")).not_to_contain_text("not right")
    broken = tmp_path / "broken playbook.md"
    broken.write_text("# no front matter here\n", encoding="utf-8")
    page.locator("#trainer-files input[type=file]").set_input_files(str(broken))
    page.get_by_text("broken playbook.md").first.wait_for()
    page.locator("#trainer-upload").click()
    expect(page.locator("#trainer-result")).to_contain_text("front matter")
    expect(page.locator("#trainer-votes")).to_be_visible()
    expect(page.locator("#trainer-asked-back")).to_contain_text("what's the weather tomorrow?")
    shot(page, "desktop-trainer")


def test_a_trainer_uploads_a_playbook_sees_it_listed_and_removes_it(
    open_page, tmp_path, small_knowledge
):
    """On a server of its own (its index changes): an upload appears in the list of uploaded
    files by its title, and removing it from there deletes it (and re-indexes)."""
    from coach.settings import Settings
    from ui.app import build_app, create_server
    from ui.testing import serving

    settings = Settings(
        data_dir=tmp_path / "data", knowledge_dirs=[small_knowledge], trainer_password="pw"
    )
    source = (small_knowledge / "en" / "weekly-sync.md").read_text(encoding="utf-8")
    upload = tmp_path / "Pricing talks.md"
    upload.write_text(
        source.replace("id: weekly-sync", "id: pricing-talks").replace(
            "The weekly sync keeps getting skipped", "Pricing talks go nowhere"
        ),
        encoding="utf-8",
    )
    expect = sync_api.expect
    with serving(create_server(settings, build_app(settings))) as url:
        page = open_page(url + "?tab=trainer&lang=en")
        wait_ready(page)
        page.locator("#trainer-password input").fill("pw")
        page.locator("#trainer-unlock").click()
        page.locator("#trainer-files input[type=file]").set_input_files(str(upload))
        page.get_by_text("Pricing talks.md").first.wait_for()
        page.locator("#trainer-upload").click()
        expect(page.locator("#trainer-result")).to_contain_text("added as")
        page.locator("#trainer-uploaded input").click()
        page.get_by_role("option", name=re.compile("Pricing talks go nowhere")).click()
        page.locator("#trainer-remove").click()
        expect(page.locator("#trainer-removed")).to_contain_text("no longer uses it")
        shot(page, "desktop-trainer-removed")
        assert settings.uploads_dir.exists() and not list(settings.uploads_dir.rglob("*.md"))


# -- embedding -----------------------------------------------------------------------------
def test_the_course_page_embeds_the_app(server, course_site, open_page):
    page = open_page(f"{course_site}course-page.html?app={server.rstrip('/')}")
    expect = sync_api.expect
    frame = page.frame_locator("#coach-frame")
    box = frame.locator("#advice-question textarea")
    box.fill("how do I say no to a sales rep without a fight?")
    box.press("Enter")
    expect(frame.locator("#advice-chat").get_by_text("Sources (")).to_be_visible()

    narrow = page.frame_locator("#coach-narrow")
    expect(narrow.locator("#rehearse-brief")).to_contain_text("Los leads son basura")
    expect(narrow.get_by_role("tab", name="Ensayar", selected=True)).to_be_visible()

    component = page.locator("gradio-app")
    box = component.locator("#advice-question textarea")
    box.fill("marketing and sales disagree on the discount budget")
    box.press("Enter")
    expect(component.locator("#advice-chat").get_by_text("Sources (")).to_be_visible()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for section in ("ask", "rehearse", "component"):
        page.locator(f"#{section}").screenshot(path=str(ARTIFACTS / f"course-page-{section}.png"))


def test_the_course_page_frames_load_every_time(server, course_site, browser):
    """Fresh loads of the course page: both frames reach the app at ?app= every time (their
    address is built before the first request, so nothing is ever asked of the default
    address), and the app inside a frame is light unless the course page asks for dark."""
    app = server.rstrip("/")
    expect = sync_api.expect
    elsewhere: list[str] = []

    def watch(route):
        url = route.request.url
        if url.startswith((app, course_site.rstrip("/"), "data:", "blob:", "about:")):
            route.continue_()
        else:
            elsewhere.append(url)
            route.abort()

    context = browser.new_context(viewport=DESKTOP, color_scheme="dark")
    context.route("**/*", watch)
    context.route("**/gradio.js", lambda route: route.abort())  # the web component: not here
    try:
        page = context.new_page()
        page.set_default_timeout(TIMEOUT)
        for _ in range(20):
            page.goto(f"{course_site}course-page.html?app={app}")
            for frame_id in ("#coach-frame", "#coach-narrow"):
                frame = page.frame_locator(frame_id)
                expect(frame.locator("#coach-loaded")).to_contain_text("loaded")
        narrow = page.frame_locator("#coach-narrow")
        is_dark = narrow.locator("body").evaluate(
            "() => document.body.classList.contains('dark') "
            "|| !!document.querySelector('.gradio-container.dark, .dark .gradio-container')"
        )
        assert not is_dark, "the app turned dark inside a light course page"
        page.goto(f"{course_site}course-page.html?app={app}&theme=dark")
        expect(page.frame_locator("#coach-narrow").locator("#coach-loaded")).to_contain_text(
            "loaded"
        )
        dark_now = (
            page.frame_locator("#coach-narrow")
            .locator("body")
            .evaluate(
                "() => document.body.classList.contains('dark') "
                "|| !!document.querySelector('.dark')"
            )
        )
        assert dark_now, "?theme=dark did not reach the app"
    finally:
        context.close()
    assert elsewhere == [], f"requests to another address: {sorted(set(elsewhere))[:5]}"


# -- history (issue 13) ----------------------------------------------------------------------
def test_a_reload_lists_the_conversation_and_reopens_it_at_400px_in_the_course_page(
    server, course_site, open_page
):
    """The learner id lives in the browser's localStorage (gr.BrowserState), also inside the
    course page's frames: after a reload the question asked is under past conversations,
    reopens in the chat and goes on."""
    page = open_page(f"{course_site}course-page.html?app={server.rstrip('/')}", PHONE)
    expect = sync_api.expect
    narrow = page.frame_locator("#coach-narrow")
    expect(narrow.locator("#coach-loaded")).to_contain_text("loaded")
    expect(page.frame_locator("#coach-frame").locator("#coach-loaded")).to_contain_text("loaded")
    narrow.get_by_role("tab", name="Pedir consejo").click()
    question = "Ventas dice que nuestros leads son basura. ¿Qué digo mañana? (antes de recargar)"
    box = narrow.locator("#advice-question textarea")
    box.fill(question)
    box.press("Enter")
    expect(narrow.locator("#advice-chat").get_by_text("Fuentes (")).to_be_visible()

    page.reload()
    narrow = page.frame_locator("#coach-narrow")
    expect(narrow.locator("#coach-loaded")).to_contain_text("loaded")
    narrow.get_by_role("tab", name="Pedir consejo").click()
    asked = narrow.locator("#advice-chat [data-testid='user']")
    expect(asked).to_have_count(0)  # a reload starts with an empty chat
    narrow.locator("#advice-past").get_by_text("Conversaciones anteriores").click()
    narrow.locator("#advice-past-pick input").click()
    narrow.get_by_role("option", name=re.compile("antes de recargar")).click()
    expect(asked.first).to_contain_text("antes de recargar")
    expect(narrow.locator("#advice-status")).to_contain_text("reabierta")
    expect(narrow.locator("#advice-chat").get_by_text("Fuentes (")).to_be_visible()
    box = narrow.locator("#advice-question textarea")
    box.fill("¿Y si no quieren reunirse conmigo?")
    box.press("Enter")
    expect(asked).to_have_count(2)
    width = narrow.locator("body").evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the frame scrolls sideways ({width} px)"
    page.locator("#rehearse").screenshot(path=str(ARTIFACTS / "history-reopened-400.png"))


def test_a_finished_rehearsal_shows_in_history_and_progress_until_my_data_is_deleted(
    server, open_page
):
    page = open_page(server + "?tab=rehearse&scenario=leads-garbage-missed-quarter&level=hostile")
    wait_ready(page)
    expect = sync_api.expect
    play_to_escalation(page)
    expect(page.locator("#rehearse-scorecard")).to_contain_text("escalated")

    # Past attempts: the attempt, then its scorecard and transcript.
    page.locator("#rehearse-past > button").click()
    attempts = page.locator("#rehearse-attempts")
    expect(attempts).to_contain_text("The leads are garbage")
    expect(attempts).to_contain_text("escalated")
    attempts.get_by_text("The leads are garbage").filter(visible=True).first.click()
    detail = page.locator("#rehearse-attempt")
    expect(detail).to_contain_text("Overall score")
    expect(detail).to_contain_text("your team is lazy")
    # My progress: the native charts and the next scenario to try.
    page.locator("#rehearse-progress > button").click()
    expect(page.locator("#progress-table")).to_contain_text("The leads are garbage")
    expect(page.locator("#progress-line canvas, #progress-line svg").first).to_be_visible()
    expect(page.locator("#progress-lost canvas, #progress-lost svg").first).to_be_visible()
    expect(page.locator("#progress-next")).to_contain_text("Next scenario to try")
    page.locator("#rehearse-progress").scroll_into_view_if_needed()
    shot(page, "desktop-my-progress")

    # A return visit finds it; "Delete my data" asks first, then it is gone from every view.
    page.reload()
    wait_ready(page)
    page.get_by_role("tab", name="Rehearse").click()
    page.locator("#rehearse-past > button").click()
    expect(page.locator("#rehearse-attempts")).to_contain_text("The leads are garbage")
    page.locator("#coach-my-data > button").click()
    page.locator("#my-data-delete").click()
    expect(page.locator("#my-data-confirm-note")).to_contain_text("cannot be undone")
    expect(page.locator("#rehearse-attempts")).to_contain_text("The leads are garbage")
    page.locator("#my-data-yes").click()
    expect(page.locator("#my-data-result")).to_contain_text("Conversations: 0, rehearsals: 1")
    expect(page.locator("#rehearse-attempts")).to_be_hidden()
    page.locator("#rehearse-progress > button").click()
    expect(page.locator("#progress-empty")).to_contain_text("Practise a scenario")
    page.reload()
    wait_ready(page)
    page.get_by_role("tab", name="Rehearse").click()
    page.locator("#rehearse-past > button").click()
    expect(page.locator("#rehearse-attempt")).to_contain_text("No attempts yet")


def test_the_trainers_dashboard_shows_a_rehearsal_and_its_csv_opens(server, open_page):
    learner = open_page(server + "?tab=rehearse&scenario=finance-decision-lost&level=hostile")
    wait_ready(learner)
    expect = sync_api.expect
    reply = learner.locator("#rehearse-input textarea")
    expect(reply).to_be_editable()
    reply.fill("You people in finance always cut the wrong budget, it's lazy.")
    reply.press("Enter")
    expect(learner.locator("#rehearse-feedback")).to_contain_text("Score")

    page = open_page(server + "?tab=trainer")
    wait_ready(page)
    page.locator("#trainer-password input").fill("trainer-pw")
    page.locator("#trainer-unlock").click()
    scenarios = page.locator("#dash-scenarios")
    expect(scenarios).to_contain_text("finance-decision-lost")  # shown as soon as unlocked
    expect(page.locator("#dash-flagged")).to_contain_text("you people")
    # Filters: a date range with nothing in it empties the tables; a typo is explained.
    page.locator("#dash-from textarea").fill("2099-01-01")
    page.locator("#dash-show").click()
    expect(scenarios).not_to_contain_text("finance-decision-lost")
    page.locator("#dash-from textarea").fill("01/11/2026")
    page.locator("#dash-show").click()
    expect(page.locator("#dash-note")).to_contain_text("must be a date like")
    page.locator("#dash-from textarea").fill("")
    page.locator("#dash-show").click()
    expect(scenarios).to_contain_text("finance-decision-lost")
    with page.expect_download() as download:
        page.locator("#dash-scenarios-csv").click()
    rows = Path(download.value.path()).read_text(encoding="utf-8-sig").splitlines()
    assert rows[0].startswith("scenario,attempts,learners")
    assert any(row.startswith("finance-decision-lost,") for row in rows[1:])
    page.locator("#dash-scenarios").scroll_into_view_if_needed()
    shot(page, "desktop-trainer-dashboard")


def test_a_question_asked_as_the_page_opens_is_kept_under_the_browsers_id(server, open_page):
    """Asked at once, perhaps before the page's load event has made the learner id: the id is
    claimed in the browser, so the load keeps the same one and a reload lists the question."""
    page = open_page(server + "?lang=es")
    box = page.locator("#advice-question textarea")
    box.fill("Sales never reads our campaign briefs (asked at once)")
    box.press("Enter")
    expect = sync_api.expect
    expect(page.locator("#advice-chat").get_by_text("Sources (")).to_be_visible()
    expect(page.locator("#advice-status")).not_to_contain_text("could not tell who you are")
    expect(page.locator("#advice-status")).to_contain_text("Respondió")  # the page's language
    page.reload()
    wait_ready(page)
    page.locator("#advice-past > button").click()
    page.locator("#advice-past-pick input").click()
    expect(page.get_by_role("option", name=re.compile("asked at once"))).to_be_visible()
