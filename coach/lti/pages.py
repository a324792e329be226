"""The few pages the LTI endpoints show a person, in English and Spanish: a refusal that says
what to do, and the instructor's picker for a new activity (deep linking)."""

from __future__ import annotations

import html

from fastapi.responses import HTMLResponse

PAGE = """<!doctype html><html lang="{lang}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title>
<style>body{{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:1.5rem auto;padding:0 1rem;
color:#1f2937}}label{{display:block;margin:.8rem 0 .2rem;font-weight:600}}select,button{{font:inherit;
padding:.4rem;min-height:44px;width:100%}}button{{margin-top:1.2rem;background:#1d4ed8;color:#fff;
border:0;border-radius:6px}}code{{word-break:break-all}}th{{text-align:left;padding-right:1rem}}</style>
</head><body><main><h1>{title}</h1>{body}</main></body></html>"""

TEXT = {
    "en": {
        "refused_title": "coach could not open this activity",
        "refused_help": "Open the activity again from your course. If this keeps happening "
        "inside the course page, your browser may be blocking coach's cookies there: open the "
        "activity in a new window, or ask your LMS admin to check the coach registration "
        "(<code>coach lti add-platform</code>).",
        "state": "This launch did not start from this browser (or it expired).",
        "nonce": "This launch was already used; open the activity again.",
        "deployment": "This deployment of coach is not registered.",
        "registration": "This LMS (or its client id) is not registered with coach.",
        "signature": "The launch's signature or dates are not valid",
        "kind": "coach only opens activities and deep-linking requests.",
        "form": "This form was not opened by your course (or it expired).",
        "gone": "That scenario is not in coach any more; pick another.",
        "cookies_blocked": "Your browser blocks coach's cookies inside the course page.",
        "new_window": "Open the activity in a new window",
        "pick_title": "Add a coach activity",
        "pick_intro": "Pick what this activity opens. Rehearsals send their score to the "
        "gradebook (out of 100).",
        "scenario": "Scenario",
        "advice": "— Advice chat (no grade) —",
        "level": "Level",
        "levels": {"calm": "Calm", "tense": "Tense", "hostile": "Hostile"},
        "language": "Language",
        "learners": "The learner's",
        "grade": "Grade",
        "policies": {"best": "Best attempt", "latest": "Latest attempt"},
        "add": "Add to the course",
    },
    "es": {
        "refused_title": "coach no pudo abrir esta actividad",
        "refused_help": "Vuelve a abrir la actividad desde tu curso. Si sigue pasando dentro "
        "de la página del curso, puede que tu navegador bloquee allí las cookies de coach: abre "
        "la actividad en una ventana nueva o pide a quien administra la plataforma que revise "
        "el registro de coach (<code>coach lti add-platform</code>).",
        "state": "Este acceso no empezó en este navegador (o ha caducado).",
        "nonce": "Este acceso ya se usó; vuelve a abrir la actividad.",
        "deployment": "Esta instalación de coach no está registrada.",
        "registration": "Esta plataforma (o su client id) no está registrada en coach.",
        "signature": "La firma o las fechas del acceso no son válidas",
        "kind": "coach solo abre actividades y solicitudes de selección de contenido.",
        "form": "Este formulario no lo abrió tu curso (o ha caducado).",
        "gone": "Ese escenario ya no está en coach; elige otro.",
        "cookies_blocked": "Tu navegador bloquea las cookies de coach dentro de la página del curso.",
        "new_window": "Abrir la actividad en una ventana nueva",
        "pick_title": "Añadir una actividad de coach",
        "pick_intro": "Elige qué abre esta actividad. Los ensayos envían su puntuación al libro "
        "de calificaciones (sobre 100).",
        "scenario": "Escenario",
        "advice": "— Chat de consejos (sin nota) —",
        "level": "Nivel",
        "levels": {"calm": "Tranquilo", "tense": "Tenso", "hostile": "Hostil"},
        "language": "Idioma",
        "learners": "El de cada participante",
        "grade": "Nota",
        "policies": {"best": "El mejor intento", "latest": "El último intento"},
        "add": "Añadir al curso",
    },
}


def language(value: str | None) -> str:
    """``es`` for a Spanish locale or Accept-Language (``es``, ``es-MX``, ``es_ES,en;q=0.8``)."""
    return "es" if str(value or "").strip().lower()[:2] == "es" else "en"


def page(title: str, body: str, status: int = 200, lang: str = "en") -> HTMLResponse:
    return HTMLResponse(PAGE.format(title=html.escape(title), body=body, lang=lang), status)


def refused(key: str, lang: str, detail: str = "", status: int = 400) -> HTMLResponse:
    words = TEXT[lang]
    why = words.get(key, key) + (f": {detail}." if detail else "")
    body = f"<p>{html.escape(why)}</p><p>{words['refused_help']}</p>"
    return page(words["refused_title"], body, status, lang)


def picker(action: str, launch_id: str, check: str, scenarios: list, lang: str) -> HTMLResponse:
    """The instructor's form: scenario (or the advice chat), level, language, grade policy."""
    words = TEXT[lang]
    esc = html.escape

    def select(name: str, label: str, options: list[tuple[str, str]], chosen: str = "") -> str:
        shown = "".join(
            f'<option value="{esc(v)}"{" selected" if v == chosen else ""}>{esc(t)}</option>'
            for v, t in options
        )
        return f'<label for="{name}">{esc(label)}</label><select id="{name}" name="{name}">{shown}</select>'

    fields = [
        select("scenario", words["scenario"], [("", words["advice"]), *scenarios]),
        select("level", words["level"], list(words["levels"].items()), "tense"),
        select(
            "lang",
            words["language"],
            [("", words["learners"]), ("en", "English"), ("es", "Español")],
        ),
        select("grade_policy", words["grade"], list(words["policies"].items())),
    ]
    form = (
        f"<p>{esc(words['pick_intro'])}</p>"
        f'<form method="post" action="{esc(action)}">'
        f'<input type="hidden" name="launch_id" value="{esc(launch_id)}">'
        f'<input type="hidden" name="check" value="{esc(check)}">'
        + "".join(fields)
        + f'<button type="submit">{esc(words["add"])}</button></form>'
    )
    return page(words["pick_title"], form, lang=lang)
