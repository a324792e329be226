import json
from pathlib import Path

import pytest

from coach.language import LANGUAGES, detect_language, unsupported_language

QUESTIONS = Path(__file__).resolve().parents[1] / "benchmarks" / "eval" / "questions.jsonl"
BENCHMARK = [json.loads(line) for line in QUESTIONS.read_text().splitlines() if line.strip()]

SPANISH = [
    "ventas dice que nuestros leads son basura",
    "¿quién da seguimiento?",
    "marketing no manda leads buenos",
    "no me hablan desde la junta",
    "Necesito ayuda",
    "el CRM está mal",
    "finanzas decide",
    "vosotros nunca avisáis de las campañas",
    # Short complaints that used to be answered in English.
    "no me respetan",
    "Me siento ignorada",
    "me ignoran",
    "estoy harta",
    "no me escuchan",
    "ayuda",
    "qué hago",
    "que hago",
    "mi jefe me grita",
    "ventas no me contesta",
    "Ella no me escucha",
    "Me dice que no hay presupuesto",
    "no se que hacer",
    "Hola",
    "gracias!",
    "¿Y ahora qué?",
]
ENGLISH = [
    "sales says our leads are garbage, what do I say tomorrow?",
    "best pasta recipe",
    "next steps for the pipeline",
    "who owns follow-up??",
    "the pipeline is dead",
    "marketing launched something without telling anybody",
    "nobody answers my emails",
    "I am done",
    "help",
    # Greetings and one-word messages.
    "Hello",
    "hello",
    "hi",
    "thanks",
    "ok",
    "hey there",
    "what now?",
    "help me",
    "tell me what to do",
    "let me know",
    "Me too",
    "I don’t know what to tell my boss",  # typographic apostrophe
]
# A Spanish question full of English marketing jargon is still Spanish, and mixed sentences follow
# whichever language carries most of them.
MIXED = [
    ("¿Cómo le digo a ventas que los leads del funnel sí son buenos?", "es"),
    ("El forecast del pipeline no cuadra con el CRM", "es"),
    ("¿Quién hace el follow-up de los MQL?", "es"),
    ("El kickoff con ventas fue un desastre", "es"),
    ("necesito un deck para el kickoff de mañana", "es"),
    ("el SLA de inbound no se cumple", "es"),
    ("los SQL no llegan al CRM y el deck del forecast está mal", "es"),
    ("necesito preparar el deck for the meeting de mañana con mi jefe", "es"),
    ("the junta was a disaster, what do I tell my boss", "en"),
    ("can you help me prepare the deck para ventas", "en"),
    ("our inbound funnel is fine, the follow-up is not", "en"),
]
UNSUPPORTED = [
    ("Les ventes disent que nos leads sont nuls, que dois-je dire ?", "French"),
    ("Je ne sais pas quoi faire", "French"),
    ("Mon chef ne m'écoute pas", "French"),
    ("Qu'est-ce que je dis à mon patron demain ?", "French"),
    ("Vendas diz que nossos leads são ruins, o que eu digo amanhã?", "Portuguese"),
    ("Não sei o que fazer", "Portuguese"),
    ("Você pode me ajudar?", "Portuguese"),
    ("O meu chefe não me escuta", "Portuguese"),
    ("Como falo com a equipe de vendas?", "Portuguese"),
    ("Vendas e marketing não se falam", "Portuguese"),
    ("Der Vertrieb sagt, unsere Leads sind schlecht. Was soll ich morgen sagen?", "German"),
    ("Ich weiß nicht, was ich tun soll", "German"),
    ("Mein Chef hört mir nicht zu", "German"),
    ("Wie rede ich mit dem Vertrieb über das CRM?", "German"),
    ("Le vendite dicono che i nostri lead sono pessimi, cosa dico domani?", "Italian"),
    ("Il mio capo non mi ascolta", "Italian"),
    ("Ma che cosa faccio con il team di vendita?", "Italian"),
    ("Io non so cosa dire al capo", "Italian"),
    ("Продажи говорят, что наши лиды плохие", "Russian"),
    ("المبيعات تقول إن عملاءنا سيئون", "Arabic"),
    ("销售说我们的线索很差", "Chinese"),
    ("営業は私たちのリードが悪いと言っています", "Japanese"),
    ("영업팀은 우리 리드가 나쁘다고 합니다", "Korean"),
    ("המכירות אומרות שהלידים שלנו גרועים", "Hebrew"),
    ("Οι πωλήσεις λένε ότι τα leads μας είναι κακά", "Greek"),
]
# Too short or too ambiguous to call; also the Spanish near-misses of Portuguese and Italian.
AMBIGUOUS = [
    "",
    "ok",
    "no",
    "leads",
    "CRM",
    "CRM SLA KPI",
    "12345",
    "👍",
    "🙂🙂",
    "João Silva",
    "São Paulo",
    "Pierre Dubois",
    "Marco Rossi",
    "Hans Müller",
    "Les Misérables",
    "Die Hard",
    "Der Spiegel",
    "merci",
    "ciao",
    "我",
    "CRM 很差",
    "Hablé con João en São Paulo",
    "Tengo una reunión con Pierre y Marco, ¿qué les digo?",
    "Che, ¿qué hago?",
    "Mi jefe dice que no",
    "Como le explico al equipo que o lo hacemos juntos o no sale",
    "Yo no sé qué decirle al jefe",
    "Ventas y marketing no se hablan",
    "Ella dice que son malos",
    "I said c'est la vie and moved on",
    "the deal will die if nobody calls",
    "Met with Jean-Pierre today",
    "we use Pipedrive und HubSpot",
]


@pytest.mark.parametrize("text", SPANISH)
def test_short_spanish_questions_are_spanish(text):
    assert detect_language(text) == "es"


@pytest.mark.parametrize("text", ENGLISH)
def test_short_english_questions_are_english(text):
    assert detect_language(text) == "en"


@pytest.mark.parametrize(("text", "language"), MIXED)
def test_mixed_text_follows_the_dominant_language(text, language):
    assert detect_language(text) == language


def test_no_signal_falls_back_to_the_default():
    assert detect_language("CRM SLA KPI", default="es") == "es"
    assert detect_language("ok", default="es") == "es"


@pytest.mark.parametrize("case", BENCHMARK, ids=lambda case: case["q"][:40])
def test_every_benchmark_question_is_detected_in_its_language(case):
    assert detect_language(case["q"]) == case["language"]
    assert unsupported_language(case["q"]) is None


def test_the_benchmark_covers_both_languages():
    assert {case["language"] for case in BENCHMARK} == set(LANGUAGES)


@pytest.mark.parametrize(("text", "name"), UNSUPPORTED)
def test_unsupported_languages_are_named(text, name):
    assert unsupported_language(text) == name
    assert detect_language(text) in LANGUAGES  # the caller decides what to do with it


@pytest.mark.parametrize("text", SPANISH + ENGLISH + [text for text, _ in MIXED] + AMBIGUOUS)
def test_spanish_english_and_ambiguous_text_is_not_unsupported(text):
    assert unsupported_language(text) is None
    assert detect_language(text) in LANGUAGES
