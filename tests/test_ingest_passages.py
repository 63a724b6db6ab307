"""Passages: paragraph-sized, sentence-aligned, capped."""

from searchapp.ingest.passages import MAX_CHARS, split_passages, split_sentences


def test_short_paragraphs_are_joined_up_to_three():
    text = "\n".join(f"Paragraph {i} is short." for i in range(7))
    passages = split_passages(text)
    assert [p.count("\n") + 1 for p in passages] == [3, 3, 1]
    assert "\n".join(passages) == text


def test_long_paragraph_is_cut_at_sentence_ends():
    sentence = "Lukashenko met Putin in Sochi to talk about gas prices and the union state. "
    text = sentence * 40
    passages = split_passages(text)
    assert len(passages) > 1
    assert all(len(p) <= MAX_CHARS for p in passages)
    assert all(p.endswith("state.") for p in passages)


def test_giant_line_without_sentences_is_capped():
    passages = split_passages("x" * 5000)
    assert all(len(p) <= MAX_CHARS for p in passages) and "".join(passages) == "x" * 5000


def test_sentences_do_not_split_after_abbreviations_or_initials():
    assert split_sentences("Gen. Syrskyi spoke to Mr. Smith. Then A. Lukashenko left.") == [
        "Gen. Syrskyi spoke to Mr. Smith.", "Then A. Lukashenko left."]


def test_empty_text_has_no_passages():
    assert split_passages("  \n\n ") == []
