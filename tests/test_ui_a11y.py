"""The app as a learner meets it in a course: 400 px and 1280 px, English and Spanish, checked
with axe-core (axe-playwright-python) in Debian's headless Chromium against a real server.

One page per language and width: each visits every learner tab, runs axe on it and keeps a
screenshot (tests/artifacts/a11y-*.png).
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path

import pytest

from coach.settings import PROJECT_ROOT
from ui.testing import CHROMIUM, CHROMIUM_ARGS

ARTIFACTS = PROJECT_ROOT / "tests" / "artifacts"
PHONE = {"width": 400, "height": 860}
DESKTOP = {"width": 1280, "height": 900}
TIMEOUT = 20_000
TABS = {
    "en": {"advice": "Ask for advice", "rehearse": "Rehearse", "check": "Check my message"},
    "es": {"advice": "Pedir consejo", "rehearse": "Ensayar", "check": "Revisar mi mensaje"},
}
QUESTION = {
    "en": "Sales says our leads are garbage. What do I say tomorrow?",
    "es": "Ventas dice que nuestros leads son basura. ¿Qué digo mañana?",
}
# Gradio-internal markup we cannot change from the app, each with the reason:
EXCLUDE = [
    # the toast of a gr.Warning/gr.Info: its header (role=button) holds Gradio's close button
    [".toast-wrap"],
]

pytestmark = pytest.mark.skipif(
    not Path(CHROMIUM).exists(), reason="Debian's chromium is not installed at /usr/bin/chromium"
)
sync_api = pytest.importorskip("playwright.sync_api")
axe_sync = pytest.importorskip("axe_playwright_python.sync_playwright")
expect = sync_api.expect


@pytest.fixture(scope="module")
def server(shipped_settings, coach):
    from ui.app import build_app, create_server
    from ui.testing import serving

    settings = shipped_settings.model_copy(update={"trainer_password": "trainer-pw"})
    with serving(create_server(settings, build_app(settings, coach=coach))) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def open_page(browser):
    contexts = []

    def opener(url: str, viewport: dict, locale: str = "en-US", headers: dict | None = None):
        context = browser.new_context(
            viewport=viewport, locale=locale, extra_http_headers=headers or {}
        )
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(TIMEOUT)
        page.goto(url)
        page.locator("#coach-tabs").wait_for()
        expect(page.locator("#coach-loaded")).to_contain_text("loaded")
        return page

    yield opener
    for context in contexts:
        context.close()


def serious(page) -> list[str]:
    """axe-core's serious and critical violations on the page, one line each, read once the page
    is quiet. Gradio flashes a pending output (and a chained event can make it pending again just
    after), so axe could read half-faded text as low contrast: wait until nothing has been
    pending for a while, and freeze animations so the colours read are the final ones."""
    page.add_style_tag(
        content="*, *::before, *::after { animation: none !important; transition: none !important; }"
    )
    quiet = 0
    for _ in range(80):  # up to ~20 s
        quiet = quiet + 1 if page.locator(".pending").count() == 0 else 0
        if quiet >= 4:
            break
        page.wait_for_timeout(250)
    assert quiet >= 4, "an output was still pending after 20 s"
    results = axe_sync.Axe().run(
        page, context={"exclude": EXCLUDE}, options={"resultTypes": ["violations"]}
    )
    return [
        f"{v['id']} ({v['impact']}): {[(n['target'], n.get('failureSummary', '')[-160:]) for n in v['nodes'][:3]]}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def no_sideways_scroll(page, viewport: dict) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= viewport["width"], f"the page scrolls sideways ({width} px)"


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"a11y-{name}.png"))


@pytest.mark.parametrize("lang", ["en", "es"])
@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["400px", "1280px"])
def test_every_tab_is_accessible_in_both_languages(server, open_page, lang, viewport):
    page = open_page(f"{server}?lang={lang}", viewport)
    size = f"{viewport['width']}-{lang}"
    assert page.evaluate("document.documentElement.lang") == lang
    tabs = page.get_by_role("tab")
    expect(tabs.first).to_be_visible()
    # Learners: no trainer tab, no "Use via API" footer.
    assert page.get_by_role("tab", name=re.compile("Trainer|Formadores")).count() == 0
    assert page.locator("footer").filter(visible=True).count() == 0
    assert page.get_by_text(re.compile("Use via API|vía API", re.I)).count() == 0
    expect(page.locator("#advice-who")).to_contain_text(
        "Trainers see your questions" if lang == "en" else "Los formadores ven tus preguntas"
    )
    # The tabs stay on one line.
    tops = {round(box["y"]) for box in (t.bounding_box() for t in tabs.all()) if box}
    assert len(tops) == 1, f"the tabs wrap onto {len(tops)} lines"

    # Advice: ask, and the answer's first line is in view (not the end of the answer).
    box = page.locator("#advice-question textarea")
    box.fill(QUESTION[lang])
    box.press("Enter")
    chat = page.locator("#advice-chat")
    chat.get_by_text("Sources (" if lang == "en" else "Fuentes (").wait_for()
    answer = page.locator("#advice-chat [data-testid='bot']").first
    page.wait_for_timeout(400)  # the scroll runs after the answer is drawn
    first_line = answer.evaluate(
        """(el) => {
            const box = el.getBoundingClientRect();
            const chat = document.querySelector('#advice-chat .bubble-wrap')
                || document.querySelector('#advice-chat');
            const frame = chat.getBoundingClientRect();
            return box.top >= frame.top - 2 && box.top + 20 <= Math.min(frame.bottom,
                window.innerHeight);
        }"""
    )
    assert first_line, "the start of the answer is not in view after asking"
    no_sideways_scroll(page, viewport)
    # A source's toggle has a name a screen reader can say.
    toggles = chat.locator(".thought-group [role=button]")
    expect(toggles.first).to_be_visible()
    # Past conversations (issue 13): the question just asked is listed.
    page.locator("#advice-past > button").click()
    expect(page.locator("#advice-past-pick input")).to_be_visible()
    assert serious(page) == [], "axe-core on the advice tab"
    shot(page, f"{size}-advice")

    # Rehearse (set-up and a first turn) and check my message.
    page.get_by_role("tab", name=TABS[lang]["rehearse"]).click()
    expect(page.locator("#rehearse-start")).to_be_visible()
    page.locator("#rehearse-start").click()
    reply = page.locator("#rehearse-input textarea")
    expect(reply).to_be_editable()
    clear = page.locator("#rehearse-chat").get_by_role("button", name=re.compile("Clear|Limpiar"))
    expect(clear).to_be_hidden()  # a rehearsal cannot be wiped mid-way, in either language
    no_sideways_scroll(page, viewport)
    if viewport is PHONE:  # narrow: the conversation comes first, the feedback below it
        chat_box = page.locator("#rehearse-chat").bounding_box()
        feedback_box = page.locator("#rehearse-feedback").bounding_box()
        assert chat_box["y"] < feedback_box["y"]
    # Past attempts, "My progress" and "My data" (issue 13), opened.
    for accordion in ("#rehearse-past", "#rehearse-progress", "#coach-my-data"):
        page.locator(f"{accordion} > button").click()
    expect(page.locator("#progress-empty")).to_be_visible()
    expect(page.locator("#my-data-delete")).to_be_visible()
    no_sideways_scroll(page, viewport)
    assert serious(page) == [], "axe-core on the rehearse tab"
    shot(page, f"{size}-rehearse")

    page.get_by_role("tab", name=TABS[lang]["check"]).click()
    draft = page.locator("#check-draft textarea")
    draft.fill(
        "You always send us garbage leads. Those people in sales never follow up."
        if lang == "en"
        else "Siempre nos mandan leads basura, los de ventas no sirven."
    )
    page.locator("#check-run").click()
    expect(page.locator("#check-rewrite textarea")).not_to_have_value("")
    no_sideways_scroll(page, viewport)
    assert serious(page) == [], "axe-core on the check tab"
    shot(page, f"{size}-check")


def test_highlights_never_split_a_word_at_400px(server, open_page):
    page = open_page(f"{server}?tab=check&lang=es", PHONE)
    page.locator("#check-draft textarea").fill(
        "Los de marketing siempre nos mandan leads basura y los de ventas nunca hacen nada, "
        "francamente son unos incompetentes con los plazos."
    )
    page.locator("#check-run").click()
    expect(page.locator("#check-highlights")).to_contain_text("basura")
    # Every word of the highlighted text sits on one line: no word's letters on two lines.
    split = page.evaluate(
        """() => {
            const root = document.querySelector('#check-highlights');
            const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
            const broken = [];
            for (let node = walker.nextNode(); node; node = walker.nextNode()) {
                const text = node.textContent;
                const re = /[\\p{L}]+/gu;
                for (let m = re.exec(text); m; m = re.exec(text)) {
                    const range = document.createRange();
                    range.setStart(node, m.index);
                    range.setEnd(node, m.index + m[0].length);
                    const tops = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
                    if (tops.size > 1) broken.push(m[0]);
                }
            }
            return broken;
        }"""
    )
    assert split == [], f"words split across lines: {split}"


def test_the_browser_language_picks_the_interface_and_gradio_strings(server, open_page):
    """No ?lang=: Accept-Language decides (Spanish here), Gradio's own strings included."""
    page = open_page(
        server, PHONE, locale="es-ES", headers={"Accept-Language": "fr-FR, es;q=0.8, en;q=0.5"}
    )
    expect(page.get_by_role("tab", name="Pedir consejo")).to_be_visible()
    expect(page.locator("#lang-picker input[value=es]")).to_be_checked()
    assert page.evaluate("document.documentElement.lang") == "es"
    # A ?lang= link wins over the browser, and Gradio's strings follow it (a French browser
    # asking for Spanish gets Gradio's Spanish "Drop File Here" on the trainer upload box).
    page = open_page(f"{server}?lang=es&trainer=1", DESKTOP, locale="fr-FR")
    page.get_by_role("tab", name="Formadores").click()
    page.locator("#trainer-password input").fill("trainer-pw")
    page.locator("#trainer-unlock").click()
    files = page.locator("#trainer-files")
    expect(files).to_be_visible()
    expect(files).not_to_contain_text("Drop File Here")
    expect(files).not_to_contain_text("Déposer")
    expect(files).to_contain_text("Coloque el archivo aquí")
    # Switching the picker switches <html lang> at once, and the address keeps the choice
    # (Gradio draws its own strings once: they follow on the next load).
    page.locator("#lang-picker").get_by_text("English").click()
    expect(page.get_by_role("tab", name="Trainer")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert "lang=en" in page.url


def test_the_trainer_tab_shows_only_at_the_trainer_url(server, open_page):
    learner = open_page(f"{server}?lang=en", DESKTOP)
    assert learner.get_by_role("tab", name="Trainer").count() == 0
    trainer = open_page(f"{server}?trainer=1&lang=en", DESKTOP)
    expect(trainer.get_by_role("tab", name="Trainer")).to_be_visible()


def test_an_unknown_scenario_in_a_link_gets_a_clear_message(server, open_page):
    page = open_page(f"{server}?tab=rehearse&scenario=no-such-thing&lang=en", PHONE)
    toast = page.locator(".toast-body, [data-testid='toast-body']").first
    expect(toast).to_contain_text("That scenario is not available")
    expect(toast).not_to_contain_text("leads-garbage-missed-quarter")


def test_practise_a_suggested_line_in_a_rehearsal(server, open_page, browser):
    page = open_page(f"{server}?lang=en", PHONE)
    box = page.locator("#advice-question textarea")
    box.fill(QUESTION["en"])
    box.press("Enter")
    lines = page.locator("#advice-lines")
    expect(lines).to_be_visible()
    first = lines.locator("label").first
    said = first.inner_text().strip()
    assert len(said) > 20
    first.click()
    expect(page.locator("#advice-line textarea")).to_have_value(said)
    page.locator("#advice-practise").click()
    expect(page.get_by_role("tab", name="Rehearse", selected=True)).to_be_visible()
    expect(page.locator("#rehearse-brief")).to_contain_text("garbage")  # the closest scenario
    reply = page.locator("#rehearse-input textarea")
    expect(reply).to_have_value(said)
    reply.press("Enter")
    expect(page.locator("#rehearse-feedback")).to_contain_text("Score")
    shot(page, "400-en-practise")


def test_the_dark_theme_asked_by_a_course_page_is_accessible_too(server, open_page):
    page = open_page(f"{server}?theme=dark&lang=es&tab=check", PHONE)
    assert page.evaluate("!!document.querySelector('.dark')"), "?theme=dark was not applied"
    page.locator("#check-draft textarea").fill("Siempre nos mandan leads basura.")
    page.locator("#check-run").click()
    expect(page.locator("#check-rewrite textarea")).not_to_have_value("")
    assert serious(page) == [], "axe-core on the dark check tab"
    shot(page, "400-es-dark-check")


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_unlocked_trainer_tab_is_accessible_at_400px(server, open_page, lang):
    """Uploads, feedback and the dashboard (issue 13) pass axe-core too, and fit in 400 px with
    rows in the tables (wide tables scroll inside their box, not the page)."""
    from gradio_client import Client

    client = Client(server, verbose=False)
    started = client.predict(
        "leads-garbage-missed-quarter", "hostile", lang, api_name="/rehearse_start"
    )
    for line in ("You always blame marketing.", "Whatever.", "Bye."):
        with contextlib.suppress(Exception):  # it may end before the last line
            client.predict(started["session_id"], line, api_name="/rehearse_turn")
    page = open_page(f"{server}?tab=trainer&lang={lang}", PHONE)  # at 400 px it is in the menu
    page.locator("#trainer-password input").fill("trainer-pw")
    page.locator("#trainer-unlock").click()
    expect(page.locator("#trainer-files")).to_be_visible()
    expect(page.locator("#dash-scenarios")).to_contain_text("leads-garbage-missed-quarter")
    no_sideways_scroll(page, PHONE)
    assert serious(page) == [], "axe-core on the unlocked trainer tab"
    shot(page, f"400-{lang}-trainer")
