"""Extraction: clean text, dates, sources, people and places, and the annotated evaluation set."""

import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from searchapp.extract import extract
from searchapp.extract.clean import clean_text
from searchapp.extract.dates import publication_date
from searchapp.extract.entities import find_mentions
from searchapp.extract.sources import detect_source
from searchapp.ingest.readers import document_from_text
from searchapp.model import Document
from searchapp.names.lookup import NameIndex
from searchapp.names.registry import Registry

NOW = datetime(2024, 12, 31, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def names(seeded_db):
    registry = Registry(str(seeded_db))
    index = NameIndex(registry.entities())
    registry.close()
    return index


def test_clean_text_keeps_the_article_and_drops_the_page_around_it():
    page = "\n".join([
        "Home | News | World | Sport | Sign in",
        "Kherson retaken",
        "Ukrainian soldiers entered the centre of Kherson on Friday. Residents waved flags in the main square,"
        " officials said, and the mayor thanked the army.",
        "11 November 2022, 14:05",
        "Share this article: Facebook | Twitter",
        "Related articles",
        "- What next for the south?",
        "- Photo gallery",
        "Comments (31)",
        "anna 11.11 15:01 finally",
    ])
    cleaned = clean_text(page)
    assert cleaned.startswith("Kherson retaken\nUkrainian soldiers entered")
    assert "11 November 2022, 14:05" in cleaned  # a dated line is not a comment
    for gone in ("Sign in", "Share this", "Related", "Photo gallery", "Comments", "finally"):
        assert gone not in cleaned


@pytest.mark.parametrize("text, lang, expected", [
    ("Strikes on Odesa\nJuly 19, 2023, Wednesday\nRussian missiles hit the port.", "en", "2023-07-19"),
    ("MINSK, August 10, 2020 - Officials said the vote was fair.", "en", "2020-08-10"),
    ("Text of the post, long enough to be a sentence.\n20 мая 2023", "ru", "2023-05-20"),
    ("Запорізька АЕС знову без живлення.\n17 травня 2023", "uk", "2023-05-17"),
    ("Atak na Lwów.\n6 lipca 2023", "pl", "2023-07-06"),
    ("Fighting continues. Day 448 of the invasion.", "en", "2023-05-17"),
    ("Бої тривають.\n448-й день повномасштабного вторгнення", "uk", "2023-05-17"),
    ("The report.\nPublished: 08.11.2022 · Updated 09.11.2022", "en", "2022-11-08"),
    ("Replaces an earlier version published on 24 October 2023, after a revision.", "en", ""),
    ("Obituary\n2 March 1931 - 30 August 2022\nHe taught for fifty years.", "en", ""),  # a life, not a date
    ("On July 17, 2014, weeks after the occupation began, I went to Donetsk.", "en", ""),  # a story's date
    ("3 stycznia 2023 roku ruszy kolejna edycja programu.", "pl", ""),  # an event to come
    ("The talks lasted hours. On 24 February 2022 the invasion began, he recalled.", "en", ""),  # an event
    ("Great article! 24.09 01:36", "en", ""),  # a comment time stamp, no year
    ("Conference\nMay 17, 2031", "en", ""),  # never a future date
    ("Yesterday\nOfficials said the grid was repaired.", "en", ""),  # no day it counts from: no date
    ("Сегодня\nВласти сообщили о ремонте сети.", "ru", ""),
    ("Учора ввечері відновили світло в місті.", "uk", ""),
    ("May 2023\nMonthly report on the grain exports.", "en", "2023-05"),  # month precision
])
def test_publication_dates(text, lang, expected):
    assert publication_date(text, lang, NOW) == expected


def test_a_day_of_the_war_told_as_a_past_event_is_not_the_publication_date():
    text = ("Звернення до парламенту.\nМи дякуємо вам за підтримку.\n"
            "Я пригадую, як звертався до вас на 34-й день повномасштабного вторгнення.")
    assert publication_date(text, "uk", NOW) == ""
    assert publication_date("Day 236 of the invasion\nExplosions in Kyiv.", "en", NOW) == "2022-10-17"


def test_the_date_in_a_documents_url_overrules_text_evidence_far_from_it():
    text = "At a glance: what we know on day 226 of the invasion\nA missile fell near the border."
    url = "https://news.example.org/world/2022/nov/16/missile-poland"
    assert publication_date(text, "en", NOW) == "2022-10-07"  # the text alone (its number is a typo)
    assert publication_date(text, "en", NOW, url) == ""  # refused: the URL says 16 November
    assert publication_date("Day 266 of the invasion\nA missile fell.", "en", NOW, url) == "2022-11-16"
    assert publication_date("May 2023\nMonthly report.", "en", NOW, "https://x.example/2023/05/30/r") == "2023-05"


@pytest.mark.parametrize("metadata, url, text, expected", [
    ("Given Outlet", "https://www.bbc.co.uk/news/x", "", "Given Outlet"),
    ("", "https://www.bbc.co.uk/news/x", "", "BBC"),
    ("", "https://news.zerkalo.io/life/1.html", "", "Zerkalo"),
    ("", "https://t.me/rian_ru/1234", "", "RIA Novosti (Telegram)"),
    ("", "https://www.youtube.com/watch?v=88jGEXGFOBs", "", "YouTube"),
    ("", "", "The article.\n© Minsk Monitor 2024", "Minsk Monitor"),
    ("", "", "The article.\nSource: Ukrinform", "Ukrinform"),
    ("", "", "The article, as told to a reporter of ZN.UA.", "ZN.UA"),
    ("", "https://unknown.example/a", "No cue here.", ""),
])
def test_sources(metadata, url, text, expected):
    assert detect_source(metadata, url, text) == expected


def test_known_names_resolve_to_entities_in_any_case_form(names):
    m = find_mentions("Встреча с Путиным прошла в Киеве. Позже Лукашенко улетел в Минск.", names)
    assert m.people == ["person:vladimir-putin", "person:alexander-lukashenko"]
    assert m.places == ["place:kyiv", "place:minsk"]


@pytest.mark.parametrize("text, lang, place", [
    ("Канцлер вернулся. В Берлине решение не комментировали.", "ru", "place:berlin-de-"),  # after a capital В
    ("Uchodźcy zostają w Ukrainie dłużej.", "pl", "place:country-ua"),  # a Polish locative
    ("Делегация КНДР прибыла на переговоры.", "ru", "place:country-kp"),  # a country's abbreviation
    ("Обстріли військами РФ не вщухали.", "uk", "place:country-ru"),
    ("Uchodźców przybywa także w Niemczech, mówią władze.", "pl", "place:country-de"),  # a sound change
    ("Wizy do Rosji wstrzymano.", "pl", "place:country-ru"),  # not someone whose name sounds alike
    ("Слухання в Гаазі відклали до весни.", "uk", "place:the-hague-nl-"),  # GeoNames: "The Hague"
    ("Суд в Нью-Йорке отложил заседание.", "ru", "place:new-york-city-us-"),  # GeoNames: "New York City"
    ("Trade between Russia and the Republic of Korea grew.", "en", "place:country-kr"),  # a name with "of"
    ("Беспилотник упал в Липецкой области.", "ru", "place:lipetsk-oblast"),  # Russia's oblasts, not only border ones
])
def test_places_named_by_case_forms_and_abbreviations_are_found(names, text, lang, place):
    assert any(p.startswith(place) for p in find_mentions(text, names, lang=lang).places)


@pytest.mark.parametrize("text, lang, place", [
    ("Смоленская площадь ответила на ноту.", "ru", "place:smolensk-oblast"),  # the ministry's square
    ("Митинг прошёл на Тверской улице.", "ru", "place:tver-oblast"),
    ("Бойцы группировки \"Днепр\" держат оборону.", "ru", "place:dnipro"),  # a unit named after the river
])
def test_a_name_that_names_something_else_here_is_no_place(names, text, lang, place):
    assert place not in find_mentions(text, names, lang=lang).places


def test_a_city_name_shared_across_countries_is_the_one_in_a_country_the_text_named(names):
    alone = find_mentions("Митинг в Валенсии собрал тысячи людей.", names, lang="ru").places
    after_spain = find_mentions("Испания снова под водой. Митинг в Валенсии собрал тысячи людей.", names,
                                lang="ru").places
    assert any(p.startswith("place:valencia-ve-") for p in alone)  # the largest of the name
    assert any(p.startswith("place:valencia-es-") for p in after_spain)
    assert not any(p.startswith("place:valencia-ve-") for p in after_spain)


@pytest.mark.parametrize("text, lang, region", [
    ("Авіаудари в Луганській області тривали всю ніч.", "uk", "place:luhansk-oblast"),  # not the city Luhansk
    ("A local Donetsk region news site reported the blast.", "en", "place:donetsk-oblast"),
    ("Дроны сбили в Краснодарском крае.", "ru", "place:krasnodar-krai"),
])
def test_a_region_named_with_its_region_word_is_the_region_not_its_city(names, text, lang, region):
    assert find_mentions(text, names, lang=lang).places == [region]


def test_regions_named_together_with_one_region_word_are_both_regions(names):
    text = "Тривоги лунали у Харківській та Сумській областях."
    assert find_mentions(text, names, lang="uk").places == ["place:kharkiv-oblast", "place:sumy-oblast"]


def test_a_world_figure_is_found_by_a_russian_surname_alone_but_not_by_an_ordinary_word(names):
    assert find_mentions("Путин провёл переговоры с Токаевым в Астане.", names, lang="ru").people == \
        ["person:vladimir-putin", "person:kassym-jomart-tokayev"]
    assert find_mentions("Park officials said the gates would open.", names, lang="en").people == []


def test_a_person_is_not_a_place(names):
    m = find_mentions("Vladimir Putin spoke in Moscow.", names)
    assert m.people == ["person:vladimir-putin"] and m.places == ["place:moscow"]


def test_minsk_is_the_capital_unless_it_says_mazowiecki(names):
    assert find_mentions("Protests in Minsk continued.", names).places == ["place:minsk"]
    mazowiecki = find_mentions("Farmers blocked a road near Mińsk Mazowiecki.", names).places
    assert len(mazowiecki) == 1 and mazowiecki[0] != "place:minsk" and "minsk-mazowiecki" in mazowiecki[0]


def test_unknown_people_and_their_surnames(names):
    m = find_mentions("Spokeswoman Kira Yarmysh said lawyers were refused. Yarmysh added that the "
                      "Ministry of Justice did not answer.", names)
    assert len(m.people) == 1 and m.new_people == {m.people[0]: "Kira Yarmysh"}
    alone = find_mentions("Yarmysh added that the ministry did not answer.", names)
    assert alone.people == []  # a surname alone, with no full name before it, is not enough


def test_case_forms_of_an_unknown_person_share_one_id(names):
    a = find_mentions("Коллега Сергей Алейник приехал.", names).people
    b = find_mentions("Переговоры с Сергеем Алейником прошли.", names).people
    assert a == b and len(a) == 1


def test_headlines_give_known_names_only(names):
    doc = Document(id="h", title="Mayor Warns Of Blackouts In Kyiv", text="The mayor spoke on Monday.", lang="en")
    extract(doc, names, NOW)
    assert doc.places == ["place:kyiv"] and doc.people == []


def test_metadata_wins_over_extraction(names):
    doc = Document(id="m", title="Title", text="May 17, 2023\nPutin spoke.", lang="en", date="2020-01-01",
                   source="Given", people=["person:nobody"])
    extract(doc, names, NOW)
    assert (doc.date, doc.source, doc.people) == ("2020-01-01", "Given", ["person:nobody"])
    assert doc.raw_text == "May 17, 2023\nPutin spoke."


def test_the_annotated_evaluation_set_meets_the_bar(names):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    from bench_extract import evaluate

    result = evaluate(names)
    assert result["documents"] >= 30
    held_out = evaluate(names, path=Path(__file__).resolve().parent / "data" / "extract_heldout.jsonl")
    assert held_out["people"]["f1"] >= 0.9 and held_out["places"]["f1"] >= 0.9
    assert result["people"]["f1"] >= 0.9 and result["places"]["f1"] >= 0.9
    assert result["date_accuracy"] >= 0.95 and result["source_accuracy"] >= 0.95


@pytest.mark.parametrize("dateline, date", [("Минск, 12 марта 2024 года", "2024-03-12"),
                                            ("Київ, 5 травня 2023 року", "2023-05-05"),
                                            ("MINSK, August 10, 2020", "2020-08-10")])
def test_a_text_file_that_starts_with_its_dateline_gets_its_next_line_as_title_and_the_date(names, dateline, date):
    body = "Power returned to the eastern districts\nCrews worked through the night to repair the lines."
    doc = document_from_text(f"{dateline}\n{body}".encode(), "note.txt")
    extract(doc, names, now=datetime(2025, 1, 1, tzinfo=UTC))
    assert doc.title == "Power returned to the eastern districts" and doc.date == date
    assert doc.text.startswith(dateline) and "Crews worked" in doc.text and "eastern districts" not in doc.text


def test_a_chapter_list_is_text_not_a_comment_thread():
    intro = ("Новий випуск подкасту про переговори: ведучі розбирають, що пропонують сторони, які строки "
             "обговорюють делегації і чого чекати від зустрічі лідерів наступного тижня.")
    chapters = "00:00 Вступ\n03:15 Що пропонує Київ\n09:12 Чи готовий Путін до зустрічі\n21:40 Санкції і нафта"
    cleaned = clean_text(f"{intro}\n\n{chapters}\n\nСлухайте на всіх платформах.")
    assert "09:12 Чи готовий Путін до зустрічі" in cleaned and "Слухайте на всіх платформах." in cleaned
    comments = clean_text(f"{intro} {intro}\n\nIvan 24.09 01:36\nNonsense\nPetro 24.09 02:10\nAgreed")
    assert "Ivan" not in comments and "Agreed" not in comments  # a comment thread still goes


@pytest.mark.parametrize("text", ["Shareef Amin, a volunteer medic, was wounded near the river.",
                                  "Updated defence plans were published on Monday."])
def test_a_sentence_that_starts_like_a_widget_is_kept(text):
    assert clean_text(text) == text


def test_a_sign_up_line_glued_to_the_lead_loses_the_sign_up_only():
    lead = "The minister arrives in Munich on Friday to ask allies for more air defence before the winter."
    glued = "Follow us on Facebook and get the evening newsletter in your inbox every day.The minister"
    assert clean_text(glued + lead[len("The minister"):]) == lead
    assert clean_text("Sign up to receive our newsletter in your inbox.") == ""


def test_related_links_and_sign_up_prompts_inside_a_line_go_and_the_sentences_around_them_stay():
    line = ("Officials have not commented on the departure. Related: Who is the new envoy? "
            "Subscribe to our morning briefing. The talks resume on Monday.")
    assert clean_text(line) == "Officials have not commented on the departure. The talks resume on Monday."


@pytest.mark.parametrize("head", ["POLITICS", "By Anna Kovalenko", "Автор: Олена Петренко", "Новини | Політика | Світ",
                                  "ECONOMY\nBy Anna Kovalenko and Petro Shevchuk"])
def test_a_rubric_or_byline_on_the_first_line_is_not_the_title(names, head):
    body = "Power returned to the eastern districts\nCrews worked through the night to repair the lines."
    doc = document_from_text(f"{head}\n{body}".encode(), "note.txt")
    extract(doc, names, now=datetime(2025, 1, 1, tzinfo=UTC))
    assert doc.title == "Power returned to the eastern districts" and "Crews worked" in doc.text
