"""Analysis: words, folding, per-language stems, and query stems that reach every language."""

import pytest

from searchapp.text.analysis import exact_term, exact_terms, query_stems, stem, stem_terms, tokenize


def test_tokenize_keeps_offsets_and_inner_apostrophes():
    text = "Zelensky's aide: прем'єр Шмигаль, Ivano-Frankivsk"
    words = [(w, text[s:e]) for w, s, e in tokenize(text)]
    assert [w for w, _ in words] == ["Zelensky's", "aide", "прем'єр", "Шмигаль", "Ivano", "Frankivsk"]
    assert all(w == span for w, span in words)


@pytest.mark.parametrize("word, expected", [
    ("Łukaszenka", "lukaszenka"),
    ("Zełenski", "zelenski"),
    ("Kijów", "kijow"),
    ("Артёмовск", "артемовск"),
    ("Ґанок", "ганок"),
    ("прем’єр", "премєр"),
    ("Пу\u0301тин", "путин"),
    ("Zelensky's", "zelensky"),
])
def test_exact_terms_fold_case_accents_and_apostrophes(word, expected):
    assert exact_term(word) == expected


@pytest.mark.parametrize("forms, lang", [
    (["Putin", "Putin's"], "en"),
    (["sanctions", "sanction"], "en"),
    (["Путин", "Путина", "Путиным", "Путину"], "ru"),
    (["Лукашенко", "Лукашенки"], "uk"),
    (["Херсон", "Херсона", "Херсоні"], "uk"),
    (["Łukaszenka", "Łukaszenki", "Łukaszenką"], "pl"),
    (["Лукашэнка", "Лукашэнкі"], "be"),
])
def test_inflected_forms_share_a_stem(forms, lang):
    assert len({stem(f, lang) for f in forms}) == 1


def test_stopwords_get_no_stem_but_stay_in_exact_terms():
    assert stem_terms("the war in Ukraine", "en") == [stem("war", "en"), stem("Ukraine", "en")]
    assert exact_terms("the war in Ukraine") == ["the", "war", "in", "ukraine"]


@pytest.mark.parametrize("word, lang", [
    ("Києві", "uk"), ("Киеве", "ru"), ("Kijowie", "pl"), ("sanctions", "en"), ("Мінску", "be"),
])
def test_query_stems_include_the_stem_of_any_language(word, lang):
    assert stem(word, lang) in query_stems(word)
