"""Load and validate the Markdown knowledge (playbooks and the source article) into sections.

A knowledge file is Markdown with YAML front matter. LangChain's header splitter cuts the body at
its ``##`` headings; the article, which has none, is cut at paragraphs and numbered points. Every
problem is raised as a KnowledgeError naming the file, before anything touches the index.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from coach.errors import KnowledgeError, KnowledgeProblems
from coach.language import LANGUAGES
from coach.principles import PRINCIPLES, unknown_principles
from coach.tone import fold

KINDS = ("playbook", "article")
MAX_SITUATION_CHARS = 300
# Who a playbook is written for (``for:`` in its front matter), and the next turns it covers.
ASKERS = ("marketing", "sales", "leadership", "finance", "any")
STANCES = ("received", "caused", "mediating", "initiating", "any")
OBJECTIONS = (
    "no-time",
    "not-my-problem",
    "tried-before",
    "says-no",
    "boss",
    "denies",
    "gets-angry",
)
REQUIRED_OBJECTIONS = ("no-time", "not-my-problem", "tried-before", "says-no", "boss")
TURN_FIELDS = ("they_say", "do", "say")

# Section key -> the heading used for it in each language (matched without accents or case).
PLAYBOOK_SECTIONS: dict[str, dict[str, str]] = {
    "situation": {"en": "The situation", "es": "La situación"},
    "context": {"en": "What is usually going on", "es": "Qué suele estar pasando"},
    "principles": {"en": "Principles that apply", "es": "Principios que aplican"},
    "steps": {"en": "Steps", "es": "Pasos"},
    "say": {"en": "What to say", "es": "Qué decir"},
    "avoid": {"en": "What to avoid saying", "es": "Qué evitar decir"},
    "question": {"en": "A question to ask", "es": "Una pregunta para la otra persona"},
}
_HEADING_TO_KEY = {
    fold(heading): key for key, names in PLAYBOOK_SECTIONS.items() for heading in names.values()
}
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?)\r?\n---[ \t]*\r?\n?(.*)\Z", re.DOTALL)
_POINT = re.compile(r"^\s{0,4}(\d+)\.\s+", re.MULTILINE)


@cache
def _splitter():
    """LangChain's Markdown splitter, imported on first use so the app starts without it."""
    from langchain_text_splitters import MarkdownHeaderTextSplitter

    return MarkdownHeaderTextSplitter([("#", "title"), ("##", "heading")], strip_headers=True)


@dataclass(frozen=True)
class Section:
    """One retrievable piece of a knowledge file, with the metadata the index keeps."""

    doc_id: str
    language: str
    key: str  # situation, steps, ..., or "situations"; "punto 3" / "párrafo 2" in the article
    heading: str
    text: str
    principles: tuple[str, ...]

    @property
    def chunk_id(self) -> str:
        return f"{self.doc_id}/{self.language}/{self.key}"


@dataclass
class KnowledgeDoc:
    id: str
    title: str
    language: str
    kind: str
    principles: list[str]
    situations: list[str]
    path: Path
    display_path: str
    sha256: str
    sections: list[Section] = field(default_factory=list)
    for_asker: tuple[str, ...] = ()  # empty: written for anyone
    for_stance: tuple[str, ...] = ()
    next_turns: dict[str, dict[str, str]] = field(default_factory=dict)  # objection -> fields

    def section(self, key: str) -> Section | None:
        return next((s for s in self.sections if s.key == key), None)


_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlAliasError(yaml.YAMLError):
    """Knowledge files may not use YAML aliases: nothing needs them, and a few lines of nested
    aliases expand into gigabytes (a "billion laughs" file)."""


def parse_yaml(text: str) -> object:
    """``yaml.safe_load`` without aliases, with libyaml's C parser when PyYAML has it (about ten
    times faster: the app parses every scenario at start-up)."""
    for event in yaml.parse(text, Loader=_YAML_LOADER):  # events only: nothing is expanded
        if isinstance(event, yaml.AliasEvent):
            raise YamlAliasError("uses a YAML alias (*name); write the value out instead")
    return yaml.load(text, Loader=_YAML_LOADER)


def list_items(text: str) -> list[str]:
    """The items of a Markdown list (numbered or bulleted), without their markers or quotes."""
    items = re.findall(r"^\s*(?:\d+[.)]|[-*])\s+(.+?)\s*$", text, re.MULTILINE)
    return [item.strip() for item in items if item.strip()]


def _read(path: Path) -> str:
    data = path.read_bytes()
    if not data.strip():
        raise KnowledgeError(path, "the file is empty", "el archivo está vacío")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise KnowledgeError(
            path,
            f"is not UTF-8 text (byte {exc.start}); save it as UTF-8 and run again",
            f"no es texto UTF-8 (byte {exc.start}); guárdalo como UTF-8 y vuelve a intentarlo",
        ) from None


def _front_matter(path: Path, text: str) -> tuple[dict, str]:
    match = _FRONT_MATTER.match(text)
    if not match:
        raise KnowledgeError(
            path,
            "has no YAML front matter (the file must start with a '---' line)",
            "no tiene cabecera YAML (el archivo debe empezar con una línea '---')",
        )
    try:
        meta = parse_yaml(match.group(1))
    except YamlAliasError as exc:
        raise KnowledgeError(path, f"front matter {exc}", f"cabecera: {exc}") from None
    except yaml.YAMLError as exc:
        where = getattr(exc, "problem_mark", None)
        line = where.line + 2 if where else None
        raise KnowledgeError(
            path,
            "front matter is not valid YAML" + (f" at line {line}" if line else ""),
            "la cabecera no es YAML válido" + (f" en la línea {line}" if line else ""),
        ) from None
    if not isinstance(meta, dict):
        raise KnowledgeError(
            path,
            "front matter must be a YAML mapping (key: value lines)",
            "la cabecera debe ser un mapa YAML (líneas clave: valor)",
        )
    return meta, match.group(2)


def _require(path: Path, meta: dict, key: str, kind: type) -> object:
    value = meta.get(key)
    if value is None or value == "" or value == []:
        raise KnowledgeError(
            path, f"front matter is missing '{key}'", f"a la cabecera le falta '{key}'"
        )
    if not isinstance(value, kind):
        expected = {"str": ("text", "un texto"), "list": ("list", "una lista")}.get(
            kind.__name__, (kind.__name__, kind.__name__)
        )
        raise KnowledgeError(
            path,
            f"front matter '{key}' must be a {expected[0]}",
            f"'{key}' en la cabecera debe ser {expected[1]}",
        )
    return value


def _check_principles(path: Path, ids: Iterable[str], where: str = "principles") -> list[str]:
    ids = [str(p) for p in ids]
    unknown = unknown_principles(ids)
    if unknown:
        known = ", ".join(PRINCIPLES)
        raise KnowledgeError(
            path,
            f"unknown principle id '{unknown[0]}' in {where} (known: {known})",
            f"id de principio desconocido '{unknown[0]}' en {where} (conocidos: {known})",
        )
    return ids


def _playbook_sections(path: Path, doc: KnowledgeDoc, body: str) -> list[Section]:
    principles = tuple(doc.principles)
    sections: list[Section] = []
    for chunk in _splitter().split_text(body):
        heading = chunk.metadata.get("heading")
        if not heading:
            continue
        key = _HEADING_TO_KEY.get(fold(heading.strip()))
        if key is None:
            raise KnowledgeError(
                path,
                f"unknown section heading '## {heading}'",
                f"título de sección desconocido '## {heading}'",
            )
        text = chunk.page_content.strip()
        if not text:
            raise KnowledgeError(
                path, f"section '## {heading}' is empty", f"la sección '## {heading}' está vacía"
            )
        sections.append(Section(doc.id, doc.language, key, heading, text, principles))
    missing = [
        PLAYBOOK_SECTIONS[k][doc.language]
        for k in PLAYBOOK_SECTIONS
        if k not in {s.key for s in sections}
    ]
    if missing:
        listed = ", ".join(f"'## {m}'" for m in missing)
        raise KnowledgeError(path, f"missing section(s): {listed}", f"faltan secciones: {listed}")
    for section in sections:
        if section.key in ("steps", "say") and not list_items(section.text):
            raise KnowledgeError(
                path,
                f"section '## {section.heading}' needs a list of items",
                f"la sección '## {section.heading}' necesita una lista de puntos",
            )
    for number, situation in enumerate(doc.situations, 1):
        sections.append(
            Section(
                doc.id, doc.language, f"situation-{number}", "situations", situation, principles
            )
        )
    for objection, turn in doc.next_turns.items():
        text = "\n".join(turn[f] for f in TURN_FIELDS)
        sections.append(
            Section(doc.id, doc.language, f"turn-{objection}", "next_turns", text, principles)
        )
    return sections


def _written_for(path: Path, value: object) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """``for: {asker: [...], stance: [...]}``; a playbook without it is for anyone, and ``any``
    in a list opens that field to anyone (``[leadership, any]``: written mostly for leaders,
    useful to whoever runs it)."""
    if value is None:
        return (), ()
    if not isinstance(value, dict):
        raise KnowledgeError(
            path,
            "'for' must be a mapping with 'asker' and 'stance'",
            "'for' debe ser un mapa con 'asker' y 'stance'",
        )
    found = []
    for key, allowed in (("asker", ASKERS), ("stance", STANCES)):
        items = value.get(key) or []
        items = [items] if isinstance(items, str) else items
        bad = [i for i in items if i not in allowed] if isinstance(items, list) else [items]
        if bad or not items:
            raise KnowledgeError(
                path,
                f"'for.{key}' must list one or more of: {', '.join(allowed)}",
                f"'for.{key}' debe listar uno o más de: {', '.join(allowed)}",
            )
        found.append(() if "any" in items else tuple(items))
    return found[0], found[1]


def _next_turns(path: Path, value: object) -> dict[str, dict[str, str]]:
    """``next_turns``: the usual objections, each with what they say, what to do, what to say."""
    if value is None:
        return {}
    turns: dict[str, dict[str, str]] = {}
    for item in value if isinstance(value, list) else [None]:
        ok = isinstance(item, dict) and item.get("objection") in OBJECTIONS
        ok = ok and all(isinstance(item.get(f), str) and item[f].strip() for f in TURN_FIELDS)
        if not ok:
            raise KnowledgeError(
                path,
                "each item of 'next_turns' needs 'objection' (one of "
                f"{', '.join(OBJECTIONS)}) and the texts {', '.join(TURN_FIELDS)}",
                "cada elemento de 'next_turns' necesita 'objection' (uno de "
                f"{', '.join(OBJECTIONS)}) y los textos {', '.join(TURN_FIELDS)}",
            )
        if re.search(r"\d", item["say"]):
            raise KnowledgeError(
                path,
                f"next_turns '{item['objection']}': a line to say carries no figures; "
                "use a [placeholder] the user fills",
                f"next_turns '{item['objection']}': una frase para decir no lleva cifras; "
                "usa un [marcador] que la persona completa",
            )
        turns[item["objection"]] = {f: item[f].strip() for f in TURN_FIELDS}
    return turns


def _article_sections(path: Path, doc: KnowledgeDoc, body: str, meta: dict) -> list[Section]:
    by_section = meta.get("section_principles") or {}
    if not isinstance(by_section, dict):
        raise KnowledgeError(path, "front matter 'section_principles' must be a mapping")
    labels = {"es": ("punto", "párrafo"), "en": ("point", "paragraph")}[doc.language]
    # The header splitter folds blank lines away, and paragraphs are what we cut at here.
    text = re.sub(r"^#[^#].*$", "", body, flags=re.MULTILINE)
    sections: list[Section] = []
    paragraph = 0
    for block in re.split(r"\n\s*\n", text):
        block = block.strip()
        if not block:
            continue
        points = list(_POINT.finditer(block))
        lead = block[: points[0].start()].strip() if points else ""
        if lead:
            paragraph += 1
            key = f"{labels[1]} {paragraph}"
            sections.append(Section(doc.id, doc.language, key, key, lead, ()))
        if points:
            for here, nxt in zip(points, points[1:] + [None], strict=False):
                item = block[here.end() : nxt.start() if nxt else None].strip()
                key = f"{labels[0]} {here.group(1)}"
                sections.append(Section(doc.id, doc.language, key, key, item, ()))
            continue
        paragraph += 1
        key = f"{labels[1]} {paragraph}"
        sections.append(Section(doc.id, doc.language, key, key, block, ()))
    known = {s.key for s in sections}
    result = []
    for section in sections:
        ids = by_section.get(section.key) or []
        ids = _check_principles(path, ids if isinstance(ids, list) else [ids], "section_principles")
        result.append(Section(**{**section.__dict__, "principles": tuple(ids)}))
    stray = set(by_section) - known
    if stray:
        raise KnowledgeError(path, f"section_principles names no section '{sorted(stray)[0]}'")
    return result


def load_file(path: Path, root: Path | None = None) -> KnowledgeDoc:
    """Parse and validate one knowledge file."""
    text = _read(path)
    meta, body = _front_matter(path, text)
    doc_id = str(_require(path, meta, "id", str)).strip()
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", doc_id):
        raise KnowledgeError(
            path,
            f"id '{doc_id}' must be lower-case letters, digits and dashes",
            f"el id '{doc_id}' debe tener solo minúsculas, dígitos y guiones",
        )
    language = str(_require(path, meta, "language", str))
    if language not in LANGUAGES:
        raise KnowledgeError(
            path,
            f"language '{language}' is not one of: {', '.join(LANGUAGES)}",
            f"el idioma '{language}' no es uno de: {', '.join(LANGUAGES)}",
        )
    kind = str(meta.get("kind", "playbook"))
    if kind not in KINDS:
        raise KnowledgeError(
            path,
            f"kind '{kind}' is not one of: {', '.join(KINDS)}",
            f"el tipo '{kind}' no es uno de: {', '.join(KINDS)}",
        )
    principles = _check_principles(path, _require(path, meta, "principles", list))
    situations = meta.get("situations") or []
    if kind == "playbook" and (not isinstance(situations, list) or not situations):
        raise KnowledgeError(
            path,
            "front matter needs 'situations': a list of ways people say it",
            "la cabecera necesita 'situations': una lista de formas en que la gente lo dice",
        )
    for situation in situations:
        if not isinstance(situation, str) or len(situation) > MAX_SITUATION_CHARS:
            raise KnowledgeError(
                path,
                "each item of 'situations' must be one sentence of text "
                f"(at most {MAX_SITUATION_CHARS} characters)",
                "cada elemento de 'situations' debe ser una frase de texto "
                f"(como mucho {MAX_SITUATION_CHARS} caracteres)",
            )
    if not body.strip():
        raise KnowledgeError(path, "has front matter but no text", "tiene cabecera pero no texto")
    display = str(path.relative_to(root)) if root and path.is_relative_to(root) else str(path)
    doc = KnowledgeDoc(
        id=doc_id,
        title=str(_require(path, meta, "title", str)).strip(),
        language=language,
        kind=kind,
        principles=principles,
        situations=[str(s).strip() for s in situations if str(s).strip()],
        path=path.resolve(),
        display_path=display,
        sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
    )
    if kind == "playbook":
        doc.for_asker, doc.for_stance = _written_for(path, meta.get("for"))
        doc.next_turns = _next_turns(path, meta.get("next_turns"))
        doc.sections = _playbook_sections(path, doc, body)
    else:
        doc.sections = _article_sections(path, doc, body, meta)
    return doc


def knowledge_files(dirs: Iterable[Path]) -> list[tuple[Path, Path]]:
    """Every Markdown file under ``dirs`` (README files excepted), with the dir it came from."""
    found = []
    for root in dirs:
        root = Path(root)
        if not root.is_dir():
            raise KnowledgeError(root, "knowledge folder does not exist")
        for path in sorted(root.rglob("*.md")):
            if path.name.lower() != "readme.md" and path.is_file():
                found.append((path, root))
    return found


def load_knowledge(dirs: Iterable[Path]) -> list[KnowledgeDoc]:
    """Load every knowledge file. Any problem stops the run before the index is touched; all
    of them are named at once, so a folder of many files is fixed in one pass."""
    docs: list[KnowledgeDoc] = []
    problems: list[KnowledgeError] = []
    seen: dict[tuple[str, str], Path] = {}
    for path, root in knowledge_files(dirs):
        try:
            doc = load_file(path, root.parent)
        except KnowledgeError as exc:
            problems.append(exc)
            continue
        key = (doc.id, doc.language)
        if key in seen:
            problem = f"id '{doc.id}' ({doc.language}) is also used by {seen[key]}"
            problems.append(KnowledgeError(path, problem))
            continue
        seen[key] = path
        docs.append(doc)
    if len(problems) == 1:
        raise problems[0]
    if problems:
        raise KnowledgeProblems(problems)
    return docs
