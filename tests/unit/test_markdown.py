"""Markdown rendering and sanitising (app/core/markdown.py): what lesson authors
can write (courses/README.md) and what never reaches a learner's browser."""

import pytest

from app.core.markdown import CALLOUT_KINDS, TocEntry, render, render_inline, sanitize

GLOSSARY = {"usual-residence": "usual residence", "migrant-stock": "migrant stock"}
MEDIA_URL = "/courses/field-basics/media"


def html_of(text, **kwargs):
    rendered = render(text, glossary=GLOSSARY, **kwargs)
    assert rendered.problems == [], rendered.problems
    return rendered.html


def test_pipe_tables():
    html = html_of("| Stay | Classification |\n| --- | ---: |\n| 14 months | long-term |\n")
    assert "<table>" in html and "<thead>" in html and "<th>Stay</th>" in html
    assert '<td align="right">long-term</td>' in html


def test_footnotes_link_both_ways():
    html = html_of("A fact.[^1]\n\n[^1]: UN DESA (1998).\n")
    assert '<sup id="fnref:1"><a class="footnote-ref" href="#fn:1"' in html
    assert '<li id="fn:1">' in html and "UN DESA (1998)." in html
    assert 'class="footnote-backref" href="#fnref:1"' in html


@pytest.mark.parametrize("kind", CALLOUT_KINDS)
def test_every_documented_callout_kind(kind):
    html = html_of(f'!!! {kind} "A title"\n    The **body**.\n')
    assert f'<div class="admonition {kind}">' in html
    assert '<p class="admonition-title">A title</p>' in html
    assert "<p>The <strong>body</strong>.</p>" in html


def test_callout_kinds_are_the_documented_ones():
    assert CALLOUT_KINDS == ("note", "tip", "warning", "example", "exercise", "answer")


def test_unknown_callout_is_a_problem_with_its_line():
    rendered = render('Intro.\n\n!!! danger "Careful"\n    Text.\n')
    assert rendered.problems == [(3, "unknown call-out kind 'danger' (use one of: note, tip, "
                                     "warning, example, exercise, answer)")]


def test_folded_answer_is_a_details_element_closed_by_default():
    html = html_of('??? answer "Show the answer"\n    Ana is a long-term migrant.\n')
    assert '<details class="answer">' in html
    assert "<summary>Show the answer</summary>" in html
    assert "<p>Ana is a long-term migrant.</p>" in html
    opened = html_of('???+ answer "Shown"\n    Yes.\n')
    assert '<details class="answer" open="">' in opened


def test_glossary_term_by_id_uses_the_term_of_this_language():
    rendered = render("Their [[usual-residence]].", glossary={"usual-residence": "résidence"})
    assert rendered.html == ('<p>Their <a class="term" href="#term-usual-residence" '
                             'rel="noopener noreferrer">résidence</a>.</p>')
    assert rendered.terms == ["usual-residence"]


@pytest.mark.parametrize("text", ["[[usual-residence|where they live]]",
                                  "[[where they live|usual-residence]]",
                                  "[[ usual-residence | where they live ]]"])
def test_glossary_term_with_own_words_in_either_order(text):
    rendered = render(f"See {text}.", glossary=GLOSSARY)
    assert rendered.problems == []
    assert '<a class="term" href="#term-usual-residence" rel="noopener noreferrer">' \
           "where they live</a>" in rendered.html
    assert rendered.terms == ["usual-residence"]


def test_glossary_terms_are_listed_once_in_order_of_use():
    rendered = render("[[migrant-stock]], [[usual-residence]] and [[migrant-stock|stock]].",
                      glossary=GLOSSARY)
    assert rendered.terms == ["migrant-stock", "usual-residence"]
    assert rendered.html.count('class="term"') == 3


def test_unknown_glossary_term_is_a_problem_with_its_line():
    rendered = render("First line.\n\nSecond paragraph with [[residence]].\n",
                      glossary=GLOSSARY)
    assert rendered.problems == [(3, "unknown glossary term id 'residence' in [[residence]] "
                                     "(write [[term-id]] or [[term-id|shown text]])")]
    assert "<span>residence</span>" in rendered.html and 'class="term"' not in rendered.html
    assert rendered.terms == []


def test_images_point_at_the_media_url_and_load_lazily():
    rendered = render("![Two bars](media/bars.svg)\n\n![A map](media/maps/africa.png)\n",
                      media_url=MEDIA_URL, media_files={"bars.svg", "maps/africa.png"})
    assert rendered.problems == []
    assert ('<img alt="Two bars" loading="lazy" src="/courses/field-basics/media/bars.svg">'
            in rendered.html)
    assert 'src="/courses/field-basics/media/maps/africa.png"' in rendered.html
    # Without a media URL (validation only), the source is left as written.
    plain = render("![Two bars](media/bars.svg)", media_files={"bars.svg"})
    assert 'src="media/bars.svg"' in plain.html and 'loading="lazy"' in plain.html


@pytest.mark.parametrize("markdown,message", [
    ("![](media/bars.svg)", "image 'media/bars.svg' has no alt text"),
    ("![  ](media/bars.svg)", "image 'media/bars.svg' has no alt text"),
    ("![Chart](https://example.org/c.png)", "image 'https://example.org/c.png' must be a file "
                                            "under media/"),
    ("![Chart](bars.svg)", "image 'bars.svg' must be a file under media/"),
    ("![Chart](media/../course.yaml)", "image 'media/../course.yaml' must be a file under "
                                       "media/"),
    ("![Chart](media/nope.svg)", "image 'media/nope.svg' does not exist"),
])
def test_image_problems_have_their_line(markdown, message):
    rendered = render(f"Intro.\n\n{markdown}\n", media_url=MEDIA_URL,
                      media_files={"bars.svg"})
    assert rendered.problems == [(3, message)]
    assert 'loading="lazy"' in rendered.html


def test_image_outside_media_is_not_rewritten():
    rendered = render("![Chart](https://example.org/c.png)", media_url=MEDIA_URL)
    assert MEDIA_URL not in rendered.html


@pytest.mark.parametrize("markdown,forbidden", [
    ('<script>alert("x")</script>', "alert"),
    ('<div onclick="steal()">Hi</div>', "onclick"),
    ("[Click](javascript:alert(1))", "javascript:"),
    ('<a href="javascript:alert(1)">x</a>', "javascript:"),
    ('<img src="x" onerror="alert(1)">', "onerror"),
    ('<iframe src="https://example.org/"></iframe>', "iframe"),
    ('<style>body{display:none}</style>', "display"),
    ('Text <img src="https://tracker.example/p.gif"> more', "tracker.example"),
    ('<form action="https://example.org/"><input name="p"></form>', "<input"),
    ("[x](data:text/html;base64,PHNjcmlwdD4=)", "data:"),
])
def test_dangerous_markup_is_removed(markdown, forbidden):
    rendered = render(f"Before.\n\n{markdown}\n\nAfter.\n")
    assert forbidden not in rendered.html
    assert "<p>Before.</p>" in rendered.html and "<p>After.</p>" in rendered.html


def test_raw_html_is_removed_but_entities_and_code_stay():
    html = render("A <b>bold</b> &amp; &copy; claim: 3 < 4.\n\n<div>Block</div>\n\n"
                  "Code: `<b>x</b>`\n").html
    assert "<b>" not in html and "<div>" not in html and "Block" not in html
    assert "<p>A bold &amp; © claim: 3 &lt; 4.</p>" in html
    assert "<code>&lt;b&gt;x&lt;/b&gt;</code>" in html
    assert "<p></p>" not in html


def test_safe_links_keep_their_address():
    html = render("[UN DESA data](https://www.un.org/development/desa/pd/)").html
    assert '<a href="https://www.un.org/development/desa/pd/" rel="noopener noreferrer">' \
           "UN DESA data</a>" in html


@pytest.mark.parametrize("heading,expected_id", [
    ("Stocks and flows", "stocks-and-flows"),
    ("The 12-month rule", "the-12-month-rule"),
    ("Résidence habituelle : la règle", "résidence-habituelle-la-règle"),
    ("ما هي الهجرة؟", "ما-هي-الهجرة"),
])
def test_heading_ids_keep_letters_of_every_language(heading, expected_id):
    rendered = render(f"## {heading}\n\nText.\n")
    assert f'<h2 id="{expected_id}">' in rendered.html
    assert rendered.toc == [TocEntry(2, expected_id, heading)]


def test_table_of_contents_entries():
    rendered = render("## First *part*\n\n### A detail\n\n#### Too deep\n\n"
                      "## First *part*\n\nText.\n")
    assert rendered.toc == [TocEntry(2, "first-part", "First part"),
                            TocEntry(3, "a-detail", "A detail"),
                            TocEntry(2, "first-part_1", "First part")]
    assert '<h2 id="first-part_1">' in rendered.html     # repeated headings stay unique


def test_level_one_headings_are_not_allowed_in_the_body():
    html = render("# A second title\n\nText.\n").html
    assert "<h1" not in html


def test_word_count_counts_text_not_markup():
    rendered = render("One **two** three.\n\n## Four five\n\n"
                      "| six | seven |\n| --- | --- |\n| eight | nine |\n")
    assert rendered.words == 9
    assert render("").words == 0


def test_render_inline_for_prompts_and_options():
    assert render_inline("Stock or flow: *residents on 1 July*?") == (
        "Stock or flow: <em>residents on 1 July</em>?")
    assert render_inline(12) == "12"
    assert render_inline("One\n\nTwo") == "<p>One</p>\n<p>Two</p>"
    unsafe = render_inline('**Bold** <script>x()</script> [a](javascript:x) <b onclick="y">z</b>')
    assert "script" not in unsafe and "javascript" not in unsafe and "onclick" not in unsafe
    assert unsafe.startswith("<strong>Bold</strong>")


def test_sanitize_keeps_the_allowed_vocabulary():
    html = sanitize('<details open><summary>S</summary><p class="x" id="y">T</p></details>'
                    '<abbr title="International Organization for Migration">IOM</abbr>')
    assert html == ('<details open=""><summary>S</summary><p class="x" id="y">T</p>'
                    '</details><abbr title="International Organization for Migration">IOM'
                    "</abbr>")
