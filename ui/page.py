"""The page around the app: interface language, learner vs trainer view, theme, and the small
browser script that keeps Gradio's own strings, ``<html lang>`` and the colour scheme in step.

Gradio picks its built-in strings ("Drop File Here", "Like") from ``navigator.language`` before
the app loads, and svelte-i18n writes that locale into ``<html lang>``. The script in ``HEAD``
runs before Gradio's modules, so ``?lang=`` (else the browser's first English or Spanish
language, else English) wins; ``window.coachSetLanguage`` follows the picker afterwards.
"""

from __future__ import annotations

from ui.strings import DEFAULT_LANG, LANGS

TRUE_WORDS = {"1", "true", "yes", "on"}


def accept_language(header: str | None) -> str | None:
    """The first of our languages in an ``Accept-Language`` header, by its q-weight."""
    ranked = []
    for position, part in enumerate((header or "").split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                weight = 0.0
        code = tag.strip().lower()[:2]
        if code in LANGS and weight > 0:
            ranked.append((-weight, position, code))
    return min(ranked)[2] if ranked else None


def interface_language(params: dict, headers) -> str:
    """``?lang=`` when it is one of ours, else the browser's ``Accept-Language``, else English."""
    asked = str(params.get("lang") or "").strip().lower()[:2]
    if asked in LANGS:
        return asked
    header = headers.get("accept-language") if headers is not None else None
    return accept_language(header) or DEFAULT_LANG


def trainer_view(params: dict) -> bool:
    """A trainer URL: ``?trainer=1`` (or a link straight to ``?tab=trainer``). It only shows the
    tab; every trainer action still needs the password (checked in each handler)."""
    flag = str(params.get("trainer") or "").strip().lower()
    tab = str(params.get("tab") or "").strip().lower()
    return flag in TRUE_WORDS or tab == "trainer"


# Runs in <head>, before Gradio's module scripts (which are deferred).
SCRIPT = r"""
(function () {
  if (window.__coachPage) return;
  window.__coachPage = true;
  var LANGS = ["en", "es"];
  var query = new URLSearchParams(window.location.search);
  function ours(tag) {
    var code = String(tag || "").slice(0, 2).toLowerCase();
    return LANGS.indexOf(code) >= 0 ? code : null;
  }
  var wanted = ours(query.get("lang"));
  if (!wanted) {
    var list = navigator.languages && navigator.languages.length ? navigator.languages
      : [navigator.language];
    for (var i = 0; i < list.length && !wanted; i++) wanted = ours(list[i]);
  }
  wanted = wanted || "en";
  try {
    Object.defineProperty(navigator, "language", { get: function () { return wanted; } });
  } catch (e) {}
  document.documentElement.lang = wanted;

  var trainer = /^(1|true|yes|on)$/i.test(query.get("trainer") || "")
    || (query.get("tab") || "").toLowerCase() === "trainer";
  if (trainer) document.documentElement.classList.add("coach-trainer");

  // The course page decides the colour scheme: ?theme=light|dark, light inside a frame.
  var theme = (query.get("theme") || "").toLowerCase();
  var framed = false;
  try { framed = window.self !== window.top; } catch (e) { framed = true; }
  if (theme !== "light" && theme !== "dark") theme = framed ? "light" : "";
  if (theme && !query.get("__theme")) {
    var real = window.matchMedia ? window.matchMedia.bind(window) : null;
    window.matchMedia = function (q) {
      if (/prefers-color-scheme:\s*dark/.test(q)) {
        return { matches: theme === "dark", media: q, onchange: null,
          addEventListener: function () {}, removeEventListener: function () {},
          addListener: function () {}, removeListener: function () {},
          dispatchEvent: function () { return false; } };
      }
      return real ? real(q) : { matches: false, media: q };
    };
  }

  // The picker: <html lang> follows at once, and so does Gradio's locale (its i18n module is
  // already loaded; find it). Gradio 6 translates a component's own strings when it is drawn,
  // so those already on the page keep the language the page opened in; ?lang= is updated so
  // a reload shows them in the new one.
  window.coachSetLanguage = function (code) {
    code = ours(code) || "en";
    document.documentElement.lang = code;
    try {
      var url = new URL(window.location.href);
      if (url.searchParams.get("lang") !== code) {
        url.searchParams.set("lang", code);
        window.history.replaceState(window.history.state, "", url.toString());
      }
    } catch (e) {}
    var core = performance.getEntriesByType("resource").map(function (e) { return e.name; })
      .filter(function (n) { return /\/assets\/core-[^/]*\.js$/.test(n); })[0];
    if (core) {
      import(core).then(function (m) {
        if (m.changeLocale) m.changeLocale(code);
        document.documentElement.lang = code;
      }).catch(function () {});
    }
    return code;
  };

  // Scroll a chat so the start of its newest answer is at the top (not its end).
  window.coachShowAnswer = function (chatId) {
    var chat = document.getElementById(chatId);
    if (!chat) return;
    var users = chat.querySelectorAll("[data-testid='user']");
    var last = users[users.length - 1];
    if (!last) return;
    var box = last.closest(".bubble-wrap") || chat.querySelector(".bubble-wrap");
    if (box) {
      var top = last.getBoundingClientRect().top - box.getBoundingClientRect().top;
      box.scrollTop += top - 4;
    }
    var rect = chat.getBoundingClientRect();
    if (rect.top < 0 || rect.top > window.innerHeight) chat.scrollIntoView({ block: "start" });
  };

  // Controls Gradio draws without a name: give them one, in the page's language.
  var NAMES = {
    en: { toggle: "Show or hide this source" },
    es: { toggle: "Mostrar u ocultar esta fuente" }
  };
  function nameControls(root) {
    var names = NAMES[ours(document.documentElement.lang) || "en"];
    // A source's arrow sits inside the source's own toggle (a role=button title): one control,
    // named by its text, so the arrow leaves the tab order and the accessibility tree.
    // (disabled: not focusable at all; CSS lets its clicks fall through to the title).
    root.querySelectorAll(".thought-group [role=button] button").forEach(function (b) {
      b.setAttribute("tabindex", "-1");
      b.setAttribute("aria-hidden", "true");
      b.disabled = true;
      var title = b.closest("[role=button]");
      title.setAttribute("aria-expanded", title.classList.contains("expanded") ? "true" : "false");
    });
    root.querySelectorAll("button").forEach(function (b) {
      if ((b.getAttribute("aria-label") || "").trim() || b.getAttribute("aria-hidden")) return;
      if ((b.innerText || "").trim() || (b.getAttribute("title") || "").trim()) return;
      if (b.closest(".message-wrap, .bubble-wrap, .chatbot, [role=log]")) {
        b.setAttribute("aria-label", names.toggle);
      }
    });
  }
  var timer = null;
  new MutationObserver(function () {
    if (timer) return;
    timer = setTimeout(function () { timer = null; nameControls(document); }, 60);
  }).observe(document.documentElement, {
    childList: true, subtree: true, attributes: true, attributeFilter: ["class"]
  });
  // Added late (Gradio's own `head`, e.g. in the web component): Gradio is already set up.
  if (document.readyState !== "loading") window.coachSetLanguage(wanted);
})();
"""


TAG = f"<script>{SCRIPT}</script>"


class HeadScript:
    """ASGI middleware: puts ``SCRIPT`` first in the ``<head>`` of the app's page, so it runs
    before Gradio sets up its strings (its ``head`` option is applied after that)."""

    def __init__(self, app, root_path: str = "") -> None:
        self.app = app
        root = "/" + root_path.strip("/") if root_path.strip("/") else ""
        self.pages = {root or "/", root + "/"}

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http" or scope.get("method") != "GET":
            return await self.app(scope, receive, send)
        if scope.get("path", "") not in self.pages:
            return await self.app(scope, receive, send)
        held: dict = {}
        chunks: list[bytes] = []

        async def patched(message):
            if message["type"] == "http.response.start":
                held["start"] = message
                return
            if message["type"] != "http.response.body" or "start" not in held:
                return await send(message)
            chunks.append(message.get("body", b""))
            if message.get("more_body"):
                return
            start, body = held.pop("start"), b"".join(chunks)
            headers = [
                (k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"
            ]
            kind = dict(start.get("headers", [])).get(b"content-type", b"")
            if kind.startswith(b"text/html") and b"<head>" in body:
                body = body.replace(b"<head>", b"<head>" + TAG.encode("utf-8"), 1)
            headers.append((b"content-length", str(len(body)).encode()))
            await send({**start, "headers": headers})
            await send({"type": "http.response.body", "body": body})

        return await self.app(scope, receive, patched)


def with_page_language(js: str, at: int) -> str:
    """Wrap an event's ``js`` so that input ``at`` (the interface language) is the page's own,
    which the page script sets before anything else: a question asked before Gradio's load event
    has set the picker is still answered in the page's language."""
    return (
        f"(...args) => {{ args = ({js})(...args); var l = document.documentElement.lang; "
        f"if (l === 'es' || l === 'en') args[{at}] = l; return args; }}"
    )
