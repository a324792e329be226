"""Every string the app shows, in English and Spanish. ``t(lang, key)`` picks one."""

from __future__ import annotations

import html

LANGS = ("en", "es")
DEFAULT_LANG = "en"
LANG_CHOICES = [("English", "en"), ("Español", "es")]

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "title": "coach",
        "trainers_see": "Trainers can see the questions you ask here and your thumbs up/down, not your name.",
        "unknown_scenario": "That scenario is not available. Pick one from the list and press Start.",
        "lines_title": "Lines from this answer you could say",
        "lines_pick": "Pick a line to copy it or practise it",
        "line_chosen": "The line, ready to copy",
        "practise_this": "Practise this in a rehearsal",
        "practise_none": "Ask a question first, then pick one of the lines to say.",
        "practise_ready": "Rehearsal started: the line is in your input box. Edit it if you like and press Send.",
        "by_principle_help": "How well your turns used each principle, averaged over the turns where it applied (0 = not at all, 100 = fully).",
        "tagline": "Marketing and Sales, one team: advice, rehearsal and a second look at your messages.",
        "language": "Language",
        # tabs
        "tab_advice": "Ask for advice",
        "tab_rehearse": "Rehearse",
        "tab_check": "Check my message",
        "tab_trainer": "Knowledge",
        # advice
        "advice_intro": "Describe the situation in your own words. Answers cite the playbooks and the article they come from.",
        "chat_label": "Conversation",
        "question_label": "Your situation",
        "question_placeholder": "e.g. Sales says our leads are garbage. What do I say tomorrow?",
        "ask": "Ask",
        "clear": "New conversation",
        "examples": "Try one of these",
        "thinking": "Looking in the playbooks…",
        "sources_title": "Sources",
        "source_section": "Section",
        "source_principles": "Principles",
        "section_point": "point",
        "section_paragraph": "paragraph",
        "in_en": "in English",
        "in_es": "in Spanish",
        "whole_playbook": "Read the whole playbook",
        "answered_by": "Answered by the **{backend}** coach in {ms} ms.",
        "fallback": "The model could not answer ({reason}); the offline coach answered instead.",
        "backend_offline": "offline",
        "backend_openai": "model",
        "vote_thanks_up": "Thanks: your vote (helpful) was saved for the trainers.",
        "vote_thanks_down": "Thanks: your vote (not helpful) was saved for the trainers.",
        "vote_not_saved": "Sorry: your vote could not be saved (the server has no room to write it).",
        "vote_nothing": "Vote on an answer with the thumbs under it.",
        "vote_same": "Your vote on this answer is already saved.",
        "conversation_full": "This conversation is long. Download it if you want to keep it, then clear it to start a new one.",
        "placeholder_chat": "**Ask about a situation between Marketing and Sales.**\n\nYou get concrete steps, phrases to say, a question to ask, and the sources.",
        # rehearse
        "rehearse_intro": "Practise a difficult conversation. The counterpart reacts to how you speak; after each turn you get feedback.",
        "setup": "Scenario, difficulty and language",
        "scenario": "Scenario",
        "level": "Difficulty",
        "level_calm": "Calm",
        "level_tense": "Tense",
        "level_hostile": "Hostile",
        "rehearse_lang": "Conversation language",
        "start": "Start",
        "restart": "Start again",
        "your_turn": "What you say",
        "your_turn_placeholder": "Answer the counterpart…",
        "send": "Send",
        "scenario_brief": "**You are:** {role}  \n**Talking to:** {who}\n\n{summary}",
        "tension": "Tension (0 calm – 10 escalated)",
        "feedback": "Feedback on your last turn",
        "feedback_empty": "Your feedback appears here after your first turn.",
        "score": "Score",
        "flagged": "Phrases that hurt",
        "no_flags": "No blaming or personal phrases.",
        "worked": "What worked",
        "tips": "What would help",
        "alternative": "Try saying it this way",
        "try_this": "Try this instead",
        "what_if_title": "If you had said the alternative",
        "what_if_reply": "**{who}** would have answered: “{reply}”",
        "what_if_tension": "Tension would be **{tension}/10** (score {score}/100).",
        "scorecard": "Scorecard",
        "outcome": "Outcome",
        "outcome_resolved": "resolved: you reached a concrete agreement",
        "outcome_resolved_low": (
            "resolved: you reached a concrete agreement, but the way there cost points; "
            "your weakest line below is the one to practise"
        ),
        "outcome_escalated": "escalated: the conversation broke down",
        "outcome_turn-limit": "ended at the turn limit",
        "outcome_in-progress": "in progress",
        "overall": "Overall score",
        "first_best": "First turn {first}/100 → best turn {best}/100 (turn {n})",
        "by_principle": "By principle",
        "alternatives": "Alternatives worth keeping",
        "turn": "Turn",
        "download_md": "Transcript (Markdown)",
        "download_chat": "Download the conversation (.md)",
        "chat_title": "Conversation with coach",
        "download_json": "Transcript (JSON)",
        "rehearse_ended": "The rehearsal has ended. Start again to practise once more.",
        "start_first": "Pick a scenario and press Start.",
        "you": "You",
        # check
        "check_intro": "Paste a draft (an email, a chat message). You see the phrases that may hurt, why, and a rewrite.",
        "draft": "Your draft",
        "draft_placeholder": "e.g. You always send us garbage leads, those people never follow up.",
        "check": "Check",
        "highlights": "Flagged phrases",
        "why": "Why they hurt",
        "rewrite": "Rewrite, ready to copy",
        "all_clear": "Nothing blaming or personal found. Good to send.",
        # trainer
        "trainer_intro": "For trainers: add playbooks (.md) and scenarios (.yaml), and see what learners ask and vote.",
        "password": "Trainer password",
        "unlock": "Unlock",
        "wrong_password": "That password is not right.",
        "upload": "Playbooks (.md) or scenarios (.yaml)",
        "upload_button": "Validate and add",
        "upload_none": "Choose one or more files first.",
        "upload_ok": "added as `{name}`",
        "upload_error": "not added: {problem}",
        "reindexed": "Re-indexed: {added} added, {updated} updated. New knowledge is used from the next question on.",
        "your_uploads": "Uploaded files",
        "remove": "Remove",
        "remove_none": "Pick an uploaded file to remove first.",
        "removed": "Removed `{name}`: coach no longer uses it.",
        "reindex_failed": "The index could not be rebuilt yet: {problem}\n\nAnswers keep using the previous index; the change goes in at the next re-index (`coach index`, or the next upload once this is fixed).",
        "feedback_summary": "Feedback",
        "refresh": "Refresh",
        "votes_by_source": "Votes by source",
        "asked_most": "Situations asked most",
        "unplaced": "Questions coach asked back on (no playbook fit): ideas for new playbooks",
        "col_when": "When",
        "col_question": "Question",
        "col_language": "Language",
        "nothing_yet": "Nothing yet.",
        "col_source": "Source",
        "col_up": "Helpful",
        "col_down": "Not helpful",
        "col_count": "Asked",
        "col_example": "Latest question",
        "locked": "Locked.",
        "lock": "Lock",
        "locked_again": "Locked. Enter the password to unlock again.",
        "too_many_guesses": "Too many tries. Wait {seconds} s and try again.",
    },
    "es": {
        "title": "coach",
        "trainers_see": "Los formadores pueden ver las preguntas que haces aquí y tus pulgares arriba/abajo, no tu nombre.",
        "unknown_scenario": "Ese escenario no está disponible. Elige uno de la lista y pulsa Empezar.",
        "lines_title": "Frases de esta respuesta que podrías decir",
        "lines_pick": "Elige una frase para copiarla o practicarla",
        "line_chosen": "La frase, lista para copiar",
        "practise_this": "Practicar esto en un ensayo",
        "practise_none": "Primero haz una pregunta y luego elige una de las frases para decir.",
        "practise_ready": "Ensayo iniciado: la frase está en tu cuadro de respuesta. Edítala si quieres y pulsa Enviar.",
        "by_principle_help": "Qué tanto usaron tus turnos cada principio, en promedio sobre los turnos donde aplicaba (0 = nada, 100 = del todo).",
        "tagline": "Marketing y Ventas, un solo equipo: consejos, ensayo y una segunda mirada a tus mensajes.",
        "language": "Idioma",
        "tab_advice": "Pedir consejo",
        "tab_rehearse": "Ensayar",
        "tab_check": "Revisar mi mensaje",
        "tab_trainer": "Conocimiento",
        "advice_intro": "Describe la situación con tus palabras. Las respuestas citan los playbooks y el artículo de donde vienen.",
        "chat_label": "Conversación",
        "question_label": "Tu situación",
        "question_placeholder": "p. ej. Ventas dice que nuestros leads son basura. ¿Qué digo mañana?",
        "ask": "Preguntar",
        "clear": "Nueva conversación",
        "examples": "Prueba con una de estas",
        "thinking": "Buscando en los playbooks…",
        "sources_title": "Fuentes",
        "source_section": "Sección",
        "source_principles": "Principios",
        "section_point": "punto",
        "section_paragraph": "párrafo",
        "in_en": "en inglés",
        "in_es": "en español",
        "whole_playbook": "Leer el playbook completo",
        "answered_by": "Respondió el coach **{backend}** en {ms} ms.",
        "fallback": "El modelo no pudo responder ({reason}); respondió el coach sin conexión.",
        "backend_offline": "sin conexión",
        "backend_openai": "con modelo",
        "vote_thanks_up": "Gracias: tu voto (útil) quedó guardado para los formadores.",
        "vote_thanks_down": "Gracias: tu voto (no útil) quedó guardado para los formadores.",
        "vote_not_saved": "Lo sentimos: tu voto no se pudo guardar (el servidor no tiene espacio para escribirlo).",
        "vote_nothing": "Vota una respuesta con los pulgares que tiene debajo.",
        "vote_same": "Tu voto sobre esta respuesta ya está guardado.",
        "conversation_full": "Esta conversación es larga. Descárgala si quieres conservarla y luego bórrala para empezar otra.",
        "placeholder_chat": "**Pregunta por una situación entre Marketing y Ventas.**\n\nRecibes pasos concretos, frases para decir, una pregunta para la otra persona y las fuentes.",
        "rehearse_intro": "Practica una conversación difícil. La otra persona reacciona a cómo hablas; después de cada turno recibes retroalimentación.",
        "setup": "Escenario, dificultad e idioma",
        "scenario": "Escenario",
        "level": "Dificultad",
        "level_calm": "Tranquila",
        "level_tense": "Tensa",
        "level_hostile": "Hostil",
        "rehearse_lang": "Idioma de la conversación",
        "start": "Empezar",
        "restart": "Empezar de nuevo",
        "your_turn": "Lo que dices",
        "your_turn_placeholder": "Responde a la otra persona…",
        "send": "Enviar",
        "scenario_brief": "**Tú eres:** {role}  \n**Hablas con:** {who}\n\n{summary}",
        "tension": "Tensión (0 calma – 10 escalada)",
        "feedback": "Retroalimentación de tu último turno",
        "feedback_empty": "Tu retroalimentación aparece aquí después de tu primer turno.",
        "score": "Puntaje",
        "flagged": "Frases que lastiman",
        "no_flags": "Ninguna frase de culpa ni personal.",
        "worked": "Qué funcionó",
        "tips": "Qué ayudaría",
        "alternative": "Prueba decirlo así",
        "try_this": "Probar esta alternativa",
        "what_if_title": "Si hubieras dicho la alternativa",
        "what_if_reply": "**{who}** habría respondido: “{reply}”",
        "what_if_tension": "La tensión quedaría en **{tension}/10** (puntaje {score}/100).",
        "scorecard": "Resultado",
        "outcome": "Desenlace",
        "outcome_resolved": "resuelta: llegaron a un acuerdo concreto",
        "outcome_resolved_low": (
            "resuelta: llegaron a un acuerdo concreto, pero el camino costó puntos; "
            "tu frase más floja, abajo, es la que conviene practicar"
        ),
        "outcome_escalated": "escalada: la conversación se rompió",
        "outcome_turn-limit": "terminó por límite de turnos",
        "outcome_in-progress": "en curso",
        "overall": "Puntaje general",
        "first_best": "Primer turno {first}/100 → mejor turno {best}/100 (turno {n})",
        "by_principle": "Por principio",
        "alternatives": "Alternativas que vale la pena guardar",
        "turn": "Turno",
        "download_md": "Transcripción (Markdown)",
        "download_chat": "Descargar la conversación (.md)",
        "chat_title": "Conversación con coach",
        "download_json": "Transcripción (JSON)",
        "rehearse_ended": "El ensayo terminó. Empieza de nuevo para practicar otra vez.",
        "start_first": "Elige un escenario y pulsa Empezar.",
        "you": "Tú",
        "check_intro": "Pega un borrador (un correo, un mensaje). Verás las frases que pueden lastimar, por qué, y una versión reescrita.",
        "draft": "Tu borrador",
        "draft_placeholder": "p. ej. Siempre nos mandan leads basura, los de ventas nunca dan seguimiento.",
        "check": "Revisar",
        "highlights": "Frases señaladas",
        "why": "Por qué lastiman",
        "rewrite": "Versión reescrita, lista para copiar",
        "all_clear": "No encontré nada de culpa ni personal. Listo para enviar.",
        "trainer_intro": "Para formadores: agrega playbooks (.md) y escenarios (.yaml), y mira qué preguntan y votan.",
        "password": "Contraseña de formador",
        "unlock": "Desbloquear",
        "wrong_password": "Esa contraseña no es correcta.",
        "upload": "Playbooks (.md) o escenarios (.yaml)",
        "upload_button": "Validar y agregar",
        "upload_none": "Elige uno o más archivos primero.",
        "upload_ok": "agregado como `{name}`",
        "upload_error": "no se agregó: {problem}",
        "reindexed": "Reindexado: {added} nuevos, {updated} actualizados. El conocimiento nuevo se usa desde la próxima pregunta.",
        "your_uploads": "Archivos subidos",
        "remove": "Quitar",
        "remove_none": "Elige primero un archivo subido para quitarlo.",
        "removed": "Se quitó `{name}`: coach ya no lo usa.",
        "reindex_failed": "El índice aún no se pudo reconstruir: {problem}\n\nLas respuestas siguen usando el índice anterior; el cambio entra en el próximo reindexado (`coach index`, o la próxima subida cuando esto se corrija).",
        "feedback_summary": "Votos",
        "refresh": "Actualizar",
        "votes_by_source": "Votos por fuente",
        "asked_most": "Situaciones más consultadas",
        "unplaced": "Preguntas en las que coach pidió más (ningún playbook encajaba): ideas para playbooks nuevos",
        "col_when": "Cuándo",
        "col_question": "Pregunta",
        "col_language": "Idioma",
        "nothing_yet": "Todavía nada.",
        "col_source": "Fuente",
        "col_up": "Útil",
        "col_down": "No útil",
        "col_count": "Veces",
        "col_example": "Última pregunta",
        "locked": "Bloqueado.",
        "lock": "Bloquear",
        "locked_again": "Bloqueado. Escribe la contraseña para desbloquear de nuevo.",
        "too_many_guesses": "Demasiados intentos. Espera {seconds} s y vuelve a intentarlo.",
    },
}


# The tone checker's flag kinds, as the highlights name them.
KINDS: dict[str, dict[str, str]] = {
    "en": {
        "blame": "blame",
        "absolute": "always/never",
        "you-accusation": "accusation",
        "label": "label",
        "out-group": "us vs. them",
        "contempt": "contempt",
        "demand": "demand",
        "defensive": "defensive",
        "stonewall": "shutting down",
    },
    "es": {
        "blame": "culpa",
        "absolute": "siempre/nunca",
        "you-accusation": "acusación",
        "label": "etiqueta",
        "out-group": "nosotros vs. ellos",
        "contempt": "desdén",
        "demand": "exigencia",
        "defensive": "defensiva",
        "stonewall": "cerrazón",
    },
}
MILD_KINDS = ("defensive", "stonewall")


def kind_label(kind: str, lang: str | None) -> str:
    return KINDS[norm_lang(lang)].get(kind, kind)


def kind_colors() -> dict[str, str]:
    """Colour of every kind label in every language: red, amber for the milder ones."""
    return {
        label: "#fbbf24" if kind in MILD_KINDS else "#f87171"
        for names in KINDS.values()
        for kind, label in names.items()
    }


def norm_lang(lang: str | None) -> str:
    """``es``/``en`` (also ``es-MX``, ``EN``); anything else is the default."""
    code = (lang or "").strip().lower()[:2]
    return code if code in LANGS else DEFAULT_LANG


def t(lang: str | None, key: str, **values: object) -> str:
    text = STRINGS[norm_lang(lang)][key]
    return text.format(**values) if values else text


def error_text(exc: Exception, lang: str | None) -> str:
    """What went wrong, in the interface's language when coach knows the message in both."""
    from coach.text import InputError

    return exc.message(norm_lang(lang)) if isinstance(exc, InputError) else str(exc)


def inert(text: str) -> str:
    """Someone's own words inside Markdown: an HTML tag shows as typed and never renders
    (an ``<img src=…>`` in a rehearsal turn must not load anything)."""
    return html.escape(text or "", quote=False)
