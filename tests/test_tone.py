import pytest

from coach.tone import analyze


def kinds(text, language=None):
    return [f.kind for f in analyze(text, language).flags]


@pytest.mark.parametrize(
    ("text", "kind", "span"),
    [
        ("It's your fault we missed the quarter.", "blame", "It's your fault"),
        ("We lost the deal because of you.", "blame", "because of you"),
        ("You always send the leads late.", "absolute", "You always"),
        ("You guys never follow up.", "absolute", "You guys never"),
        ("You're so lazy.", "label", "You're so lazy"),
        ("These are garbage leads.", "label", "garbage leads"),
        ("Those people in sales won't call.", "out-group", "Those people"),
        ("Late again, as usual.", "contempt", "as usual"),
        ("You have to fix this today.", "demand", "You have to"),
        ("You don't care about our pipeline.", "you-accusation", "You don't care"),
        ("Why did you launch it without us?", "you-accusation", "Why did you"),
        ("Not my job.", "defensive", "Not my job"),
        ("Whatever.", "stonewall", "Whatever"),
        ("Es tu culpa que no llegamos a la meta.", "blame", "Es tu culpa"),
        ("¿Quién tiene la culpa de esto?", "blame", "Quién tiene la culpa"),
        ("Siempre llegas tarde a la junta.", "absolute", "Siempre llegas"),
        ("Nunca contestas mis correos.", "absolute", "Nunca contestas"),
        ("Eres un inútil.", "label", "Eres un inútil"),
        ("Los de ventas no leen nada.", "out-group", "Los de ventas"),
        ("Como siempre, tarde.", "contempt", "Como siempre"),
        ("Tienes que mandarme la lista hoy.", "demand", "Tienes que"),
        ("Te da igual lo que pase con la campaña.", "you-accusation", "Te da igual"),
        ("¿Por qué no avisaste?", "you-accusation", "Por qué no avisaste"),
        ("No es mi problema.", "defensive", "No es mi problema"),
    ],
)
def test_flags_carry_kind_and_exact_span(text, kind, span):
    report = analyze(text)
    assert not report.ok
    flag = next(f for f in report.flags if f.kind == kind)
    assert flag.text == span
    assert text[flag.start : flag.end] == span
    assert flag.why


def test_accents_are_optional_but_spans_keep_them():
    report = analyze("Eres un inutil y es tu culpa", "es")
    assert {f.kind for f in report.flags} == {"label", "blame"}
    accented = analyze("Eres un inútil", "es").flags[0]
    assert accented.text == "Eres un inútil"


@pytest.mark.parametrize(
    "text",
    [
        "I hear you. How do we solve this? I propose we review 50 leads by Friday.",
        "Te entiendo. ¿Cómo lo resolvemos? Propongo que revisemos 50 leads el viernes.",
        "Siempre es bueno preguntar antes de lanzar una campaña.",
        "We rarely agree on the first try, and that is fine.",
        "It was a hard quarter for everyone.",
    ],
)
def test_constructive_messages_carry_no_flag(text):
    assert analyze(text).ok


def test_solution_markers_are_counted():
    markers = analyze(
        "I hear you. How could we fix this? I propose we review the leads by Friday. "
        "What do you think?"
    ).solution_markers
    for kind in ("acknowledge", "solution-question", "proposal", "date", "ask-view", "we"):
        assert markers.get(kind, 0) >= 1, kind


def test_spanish_markers_include_first_person_plural():
    markers = analyze(
        "¿Qué podríamos cambiar? Revisemos juntos los datos el lunes."
    ).solution_markers
    assert markers["we"] >= 2
    assert markers["solution-question"] >= 1


def test_record_shape():
    record = analyze("You always do this").to_dict()
    assert record["ok"] is False
    assert set(record["flags"][0]) >= {"kind", "text", "start", "end"}
    assert isinstance(record["solution_markers"], dict)
