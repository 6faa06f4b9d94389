"""Markdown rendering and sanitising: the only producer of HTML that templates
mark as safe. Pure functions (no Flask), run once when content is loaded.

Supported: tables, footnotes, call-out boxes (``!!! note``), folded answers
(``??? answer``, a <details> element that needs no JavaScript), glossary terms
(``[[term-id]]`` or ``[[term-id|shown text]]``, as in wiki links), images with required alt text
under ``media/``, and ids on headings for a table of contents.
"""

import html as htmllib
import re
import xml.etree.ElementTree as etree
from dataclasses import dataclass, field

import markdown
import nh3
from markdown.extensions import Extension
from markdown.extensions.toc import slugify_unicode
from markdown.inlinepatterns import ENTITY_RE, InlineProcessor
from markdown.postprocessors import Postprocessor
from markdown.treeprocessors import Treeprocessor

CALLOUT_KINDS = ("note", "tip", "warning", "example", "exercise", "answer")

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i", "code", "pre",
    "blockquote", "ul", "ol", "li", "dl", "dt", "dd", "a", "img", "table", "thead", "tbody",
    "tr", "th", "td", "caption", "sup", "sub", "div", "span", "details", "summary", "abbr",
    "dfn", "small", "mark", "figure", "figcaption",
}
ALLOWED_ATTRIBUTES = {
    "*": {"id", "class", "title", "lang", "dir"},
    "a": {"href"},
    "img": {"src", "alt", "loading", "width", "height"},
    "th": {"align", "scope", "colspan", "rowspan"},
    "td": {"align", "colspan", "rowspan"},
    "ol": {"start"},
    "details": {"open"},
}


@dataclass(frozen=True)
class TocEntry:
    level: int
    id: str
    title: str


@dataclass
class Rendered:
    html: str
    toc: list[TocEntry] = field(default_factory=list)
    terms: list[str] = field(default_factory=list)        # glossary ids used, in order
    problems: list[tuple[int, str]] = field(default_factory=list)   # (line, message)
    words: int = 0


class _Context:
    """State shared by the extensions during one rendering."""

    def __init__(self, glossary: dict[str, str], media_url: str | None, media_files: set[str]):
        self.glossary = glossary              # id -> term in this language
        self.media_url = media_url
        self.media_files = media_files
        self.terms: list[str] = []
        self.problems: list[tuple[str, str]] = []     # (source text to locate, message)


class _TermPattern(InlineProcessor):
    def __init__(self, ctx: _Context):
        super().__init__(r"\[\[([^\]\|\x1f\n]+?)(?:[\|\x1f]([^\]\n]+?))?\]\]")
        self.ctx = ctx

    def handleMatch(self, m, data):
        term_id, shown = m.group(1).strip(), (m.group(2) or "").strip() or None
        if shown and term_id not in self.ctx.glossary and shown in self.ctx.glossary:
            term_id, shown = shown, term_id     # [[shown text|term-id]] is accepted too
        if term_id not in self.ctx.glossary:
            source = m.group(0).replace("\x1f", "|")
            self.ctx.problems.append((source, f"unknown glossary term id {term_id!r} in "
                                              f"{source} (write [[term-id]] or "
                                                  "[[term-id|shown text]])"))
            el = etree.Element("span")
            el.text = shown or term_id
            return el, m.start(0), m.end(0)
        if term_id not in self.ctx.terms:
            self.ctx.terms.append(term_id)
        el = etree.Element("a", {"class": "term", "href": f"#term-{term_id}"})
        el.text = shown or self.ctx.glossary[term_id]
        return el, m.start(0), m.end(0)


class _ImageCheck(Treeprocessor):
    def __init__(self, md, ctx: _Context):
        super().__init__(md)
        self.ctx = ctx

    def run(self, root):
        for img in root.iter("img"):
            src, alt = img.get("src", ""), (img.get("alt") or "").strip()
            if not alt:
                self.ctx.problems.append((src, f"image {src!r} has no alt text"))
            if not src.startswith("media/") or ".." in src:
                self.ctx.problems.append((src, f"image {src!r} must be a file under media/"))
            elif src[len("media/"):] not in self.ctx.media_files:
                self.ctx.problems.append((src, f"image {src!r} does not exist"))
            elif self.ctx.media_url is not None:
                img.set("src", f"{self.ctx.media_url}/{src[len('media/'):]}")
            img.set("loading", "lazy")


class _DropRawHtml(Postprocessor):
    """Raw HTML written in a lesson is removed (courses/README.md): otherwise an
    <img> would bypass the alt-text and media/ checks and the sanitiser would keep
    it. Character entities (&amp;, &nbsp;) share the same stash and are kept."""

    def run(self, text):
        stash = self.md.htmlStash
        for i, block in enumerate(stash.rawHtmlBlocks):
            if not (isinstance(block, str) and re.fullmatch(ENTITY_RE, block)):
                stash.rawHtmlBlocks[i] = ""
                text = text.replace(f"<p>{stash.get_placeholder(i)}</p>", "")
        return text


class _ContentExtension(Extension):
    def __init__(self, ctx: _Context):
        super().__init__()
        self.ctx = ctx

    def extendMarkdown(self, md):
        # Priority above links (160) so that [[…]] is not read as a reference link.
        md.inlinePatterns.register(_TermPattern(self.ctx), "glossary_term", 175)
        md.treeprocessors.register(_ImageCheck(md, self.ctx), "image_check", 5)
        md.postprocessors.register(_DropRawHtml(md), "drop_raw_html", 35)   # before raw_html


def _build(ctx: _Context) -> markdown.Markdown:
    return markdown.Markdown(
        extensions=[
            "tables", "footnotes", "admonition", "sane_lists", "pymdownx.details",
            "toc", _ContentExtension(ctx),
        ],
        extension_configs={
            "toc": {"slugify": slugify_unicode, "toc_depth": "2-3"},
            # The sanitiser keeps align= but drops style=: ask for the attribute.
            "tables": {"use_align_attribute": True},
            "footnotes": {"BACKLINK_TITLE": ""},
        },
        output_format="html",
    )


def sanitize(html: str) -> str:
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES,
                     url_schemes={"http", "https", "mailto"}, link_rel="noopener noreferrer")


_TERM_PIPE = re.compile(r"\[\[([^\]\|\n]+?)\|([^\]\n]+?)\]\]")
_ADMONITION = re.compile(r"^(!!!|\?\?\?\+?)\s+([\w-]+)", re.MULTILINE)


def _callout_problems(text: str) -> list[tuple[int, str]]:
    problems = []
    for m in _ADMONITION.finditer(text):
        if m.group(2) not in CALLOUT_KINDS:
            line = text.count("\n", 0, m.start()) + 1
            problems.append((line, f"unknown call-out kind {m.group(2)!r} "
                                   f"(use one of: {', '.join(CALLOUT_KINDS)})"))
    return problems


def _line_of(text: str, needle: str) -> int:
    pos = text.find(needle)
    return text.count("\n", 0, pos) + 1 if pos >= 0 else 0


def render(text: str, *, glossary: dict[str, str] | None = None,
           media_url: str | None = None, media_files: set[str] | frozenset = frozenset()
           ) -> Rendered:
    """Render a lesson body. Problems are returned with line numbers (relative
    to ``text``) instead of raised, so a validator can report them all."""
    ctx = _Context(glossary or {}, media_url, set(media_files))
    md = _build(ctx)
    # The "|" of [[term-id|text]] would split a table row: hide it from the table
    # parser (the glossary pattern accepts either separator).
    html = md.convert(_TERM_PIPE.sub("[[\\1\x1f\\2]]", text))
    toc = [TocEntry(t["level"], t["id"], _plain(t["name"])) for t in _flatten(md.toc_tokens)]
    problems = _callout_problems(text)
    problems += [(_line_of(text, needle), message) for needle, message in ctx.problems]
    words = len(re.findall(r"\w+", re.sub(r"<[^>]+>", " ", html)))
    return Rendered(sanitize(html), toc, list(ctx.terms), problems, words)


def render_inline(text: str) -> str:
    """Short texts (quiz prompts, options, explanations): Markdown without the
    outer paragraph when there is only one."""
    md = markdown.Markdown(extensions=["sane_lists"], output_format="html")
    md.postprocessors.register(_DropRawHtml(md), "drop_raw_html", 35)
    html = md.convert(str(text)).strip()
    if html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
        html = html[3:-4]
    return sanitize(html)


def _flatten(tokens):
    for token in tokens:
        yield token
        yield from _flatten(token.get("children", []))


def _plain(name: str) -> str:
    return htmllib.unescape(re.sub(r"<[^>]+>", "", name))
