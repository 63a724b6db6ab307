"""Highlighting: every matched form marked, nothing else, all text escaped."""

from searchapp.search.parse import parse_query
from searchapp.search.rewrite import compile_query
from searchapp.search.snippets import excerpt, highlight


def marks(q, text, lang="en"):
    html = str(highlight(text, lang, compile_query(parse_query(q).query).highlights))
    return html


def test_marks_inflected_forms_in_the_documents_language():
    assert marks("Путин", "Встреча с Путиным в Сочи", "ru") == "Встреча с <mark>Путиным</mark> в Сочи"
    assert marks("sanctions", "New sanction announced", "en") == "New <mark>sanction</mark> announced"


def test_marks_phrases_as_one_span_and_not_scattered_words():
    html = marks('"grain deal"', "The grain deal ended; a deal on grain may follow.")
    assert html == "The <mark>grain deal</mark> ended; a deal on grain may follow."


def test_does_not_mark_negated_or_stop_words():
    assert marks("Kyiv -Lviv", "Strikes on Kyiv and Lviv") == "Strikes on <mark>Kyiv</mark> and Lviv"
    assert marks("the war", "The war goes on") == "The <mark>war</mark> goes on"


def test_document_text_is_escaped_around_and_inside_marks():
    html = marks("script", 'a <script>alert("x")</script> & b')
    assert html == 'a &lt;<mark>script</mark>&gt;alert(&#34;x&#34;)&lt;/<mark>script</mark>&gt; &amp; b'


def test_excerpt_is_a_window_around_the_first_match():
    text = "Filler sentence number one. " * 40 + "Here Zaluzhnyi was replaced. " + "More filler text here. " * 40
    html = str(excerpt(text, "en", compile_query(parse_query("Zaluzhnyi").query).highlights))
    assert "<mark>Zaluzhnyi</mark>" in html
    assert html.startswith("… ") and html.endswith(" …")
    assert len(html) < 420


def test_an_excerpt_holds_whole_sentences_around_the_match():
    before = "The council met on Monday to discuss the winter. Officials listed the repairs still to do. " * 4
    after = " Crews said the work would take a week. Residents were asked to save power in the evenings." * 4
    text = before + "Engineers in Irpin rebuilt the substation that feeds the northern districts." + after
    html = str(excerpt(text, "en", compile_query(parse_query("Irpin").query).highlights))
    assert html.startswith("… Engineers in <mark>Irpin</mark>")  # the match's sentence from its start
    assert html.endswith(". …")  # and the last sentence that fits, whole
