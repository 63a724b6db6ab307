"""Names nobody listed cross scripts; names never match ordinary words; case forms with sound
changes, region forms and full names in any language's form are found. Documents written for
these tests."""

import re
from pathlib import Path

import pytest
from helpers import write_jsonl

from searchapp import create_app
from searchapp.docstore import DocStore
from searchapp.extract.review import doubtful_entities
from searchapp.model import Document
from searchapp.names.lookup import NameIndex
from searchapp.names.registry import Registry
from searchapp.pipeline import delete_entity, import_paths

DOCS = {
    # A town nobody curated, in both scripts and in Ukrainian case forms with a sound change.
    "bo-en": ("en", "Schools reopen in Borodyanka", "Teachers in Borodyanka opened two repaired schools on Monday."),
    "bo-uk": ("uk", "У Бородянці відкрили школи", "Учителі у Бородянці відкрили дві відремонтовані школи."),
    "bo-uk2": ("uk", "Допомога для громади", "Волонтери привезли до Бородянки генератори."),
    # A person nobody curated, written by ear in Russian (Musk, Маск).
    "mu-en": ("en", "Satellite terminals shipped", "Elon Musk said more terminals would be shipped."),
    "mu-ru": ("ru", "Терминалы отправлены", "Илон Маск заявил, что отправит новые терминалы."),
    # Ordinary words that look like names.
    "crime-en": ("en", "Crime figures published", "Police said crime fell, though crimes against shops rose."),
    "crimea-en": ("en", "Bridge traffic resumes", "Traffic across the bridge to Crimea resumed at dawn."),
    # Крім ("except"), capitalised at the start of a sentence, shares Крим's letters.
    "krim-uk": ("uk", "Бюджет", "Уряд ухвалив бюджет. Крім того, зросли пенсії."),
    # An ordinary word is told from a name by how the archive writes it: here, as a word, often.
    "suma-uk": ("uk", "Бюджет громади", "Загальна сума видатків зросла, а сума податків не змінилася."),
    "suma-uk2": ("uk", "Гранти", "Сума гранту становить сто тисяч, і ця сума вже виплачена."),
    "suma-uk3": ("uk", "Ремонт доріг", "На ремонт доріг виділили чималу суму, ця сума буде збільшена."),
    "sumy-uk": ("uk", "Обстріл міста", "Уночі в Сумах пролунали вибухи, повідомила влада міста Суми."),
    "lav-uk": ("uk", "Нові меблі", "У парку поставили нові лави та лав для відпочинку."),
    "lviv-uk": ("uk", "Тривога на заході", "У Львові оголосили повітряну тривогу."),
    # A Polish surname with rz, which Cyrillic writes рж.
    "krz-en": ("en", "A bridge reopens", "The engineer Krzyżanowski signed off the repaired bridge."),
    "krz-uk": ("uk", "Міст відкрили", "Інженер Кржижановський підписав акт про ремонт мосту."),
    # Two places named in one document, apart.
    "two-en": ("en", "Trains resume", "Ferries from Odesa reached Kherson again after the repairs."),
    # A village whose name is close to an ordinary word (золото, gold) that no document uses.
    "zo-en": ("en", "Shelling near Zolote", "The village of Zolote in Luhansk region was shelled overnight."),
    "zo-uk": ("uk", "Обстріл села", "Уночі обстріляли село Золоте на Луганщині."),
    # A surname nobody listed, close to a listed one (Budanov), in Cyrillic only.
    "buy-ru": ("ru", "Суд", "Врача Надежду Буянову оштрафовали за пост."),
    # A village nobody listed, close by ear to a listed surname (Starovoit).
    "st-ru": ("ru", "Пожар", "В поселке Становое сгорели два дома."),
    # A state named in Latin only in a headline, and inside a sentence in Cyrillic.
    "pa-en": ("en", "Pennsylvania Counts On", "Officials kept counting through the night."),
    "pa-ru": ("ru", "Подсчет", "Подсчет голосов в Пенсильвании продолжался всю ночь."),
    # A resort, a mountain region whose name Yalta's ISO 9 spelling (Âlta) would fold to, and
    # a country whose name GeoNames lists for a capital.
    "yal-ru": ("ru", "Курорт", "В Ялте открыли набережную."),
    "alt-ru": ("ru", "Горы", "Туристы поднялись на перевал на Алтае."),
    "bra-ru": ("ru", "Футбол", "Сборная Бразилии выиграла матч."),
    # Towns whose Latin spellings are English or Polish words (nickel; czyta, "reads").
    "nikel-ru": ("ru", "Комбинат", "В посёлке Никель закрыли комбинат."),
    "chita-ru": ("ru", "Погода", "Утром в Чите выпал первый снег."),
    # Case forms with sound changes.
    "ir-uk": ("uk", "Мости відновлюють", "Біля Ірпеня відновлюють міст; в Ірпені працюють будівельники."),
    "ir-en": ("en", "Bridge works", "Workers near Irpin are rebuilding a bridge."),
    # A region named after its city.
    "kh-region": ("uk", "Евакуація", "З Харківщини евакуювали ще двісті людей."),
    "kh-oblast-ru": ("ru", "Эвакуация", "Из Харьковской области вывезли еще двести человек."),
    "kh-region-en": ("en", "Evacuation", "Two hundred more people left the Kharkiv region by train."),
    # Full names in other languages' forms, initials and first names with patronymics.
    "bi-en": ("en", "Talks in Washington", "Joe Biden spoke to reporters after the talks."),
    "bi-ru": ("ru", "Переговоры в Вашингтоне", "Джозеф Байден выступил после переговоров."),
    "ze-init": ("en", "Address to parliament", "President V. Zelensky addressed parliament."),
    "pu-patr": ("ru", "Заявление", "Владимир Владимирович Путин сделал заявление."),
    "pu-other": ("en", "A different Vladimir", "Vladimir Klitschko met Putin's critics."),
    "ot-person": ("uk", "Зустріч", "Олена Зеленська зустрілася з учителями."),
    "ze-uk": ("uk", "Звернення", "Володимир Зеленський звернувся до українців."),
    # Regions named together ("the Zhytomyr, Poltava and Chernihiv regions"), against a city named alone.
    "rl-en": ("en", "Power cuts", "Power was cut in the Zhytomyr, Poltava and Chernihiv regions overnight."),
    "rl-uk": ("uk", "Знеструмлення", "Світло вимкнули на Полтавщині."),
    "rl-city": ("en", "Concert", "An orchestra from Poltava played for the regions of the east."),
    # Region adjectives name a region only before "область"; listed together, each does.
    "ku-list": ("ru", "Обстрелы", "Дроны атаковали объекты Курской и Белгородской областей."),
    "ku-city": ("ru", "Дума", "Депутаты Курской городской думы собрались на заседание."),
    # A double surname, whose second half is also an ordinary Russian word (камыш, reed).
    "kk-ru": ("ru", "Визит", "Министр обороны Польши Владислав Косиняк-Камыш посетил базу."),
    "kk-en": ("en", "Visit", "Defence minister Władysław Kosiniak-Kamysz visited the base."),
    # A city of three words that only GeoNames lists.
    "rio-ru": ("ru", "Саммит", "Лидеры собрались в Рио-де-Жанейро на саммит."),
    "rio-en": ("en", "Summit", "Leaders met in Rio de Janeiro for the summit."),
    # A town that only GeoNames lists, named in Russian by a spelling no document here has in Latin.
    "se-ru": ("ru", "Фронт", "Бои идут у Селидово, сообщили военные."),
    # A surname with particles, in full and alone.
    "vdl-en": ("en", "Briefing", "Ursula von der Leyen spoke to the press."),
    "vdl-uk": ("uk", "Брифінг", "Фон дер Ляєн виступила перед журналістами."),
    # The Polish currency, whose stem a town's name shares (Złotów).
    "zl-pl": ("pl", "Ceny", "Chleb kosztuje teraz pięć złotych."),
    # A Scottish or Irish Mc surname, written Мак in Cyrillic.
    "mc-en": ("en", "Interview", "Former ambassador Michael McFaul spoke about sanctions."),
    "mc-ru": ("ru", "Интервью", "Бывший посол Майкл Макфол рассказал о санкциях."),
}


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    root = tmp_path_factory.mktemp("across")
    paths = {"DB": str(root / "store.db"), "INDEX_DIR": str(root / "index")}
    records = [{"id": i, "lang": lang, "title": t, "text": x} for i, (lang, t, x) in DOCS.items()]
    registry = Registry(paths["DB"])
    registry.ensure_seeded()
    import_paths([str(write_jsonl(root / "docs.jsonl", records))], DocStore(paths["DB"]), paths["INDEX_DIR"],
                 registry=registry)
    registry.close()
    app = create_app({**paths, "TESTING": True})
    yield app.test_client()
    app.extensions["searchapp"].close()


def search(client, q, **params):
    return client.get("/api/search", query_string={"q": q, **params}).get_json()


def found(client, q, **params):
    return {r["id"] for r in search(client, q, **params)["results"]}


@pytest.mark.parametrize("q", ["Borodyanka", "Бородянка", "Бородянці", "бородянка"])
def test_a_town_nobody_listed_is_found_in_both_scripts_and_every_case_form(client, q):
    assert found(client, q) == {"bo-en", "bo-uk", "bo-uk2"}


def test_the_reader_sees_the_spellings_found_for_an_unlisted_name(client):
    (expansion,) = search(client, "Borodyanka")["expansions"]
    assert expansion["entity"] is None and "Бородянка" in expansion["variants"]


@pytest.mark.parametrize("q", ["Krzyżanowski", "Krzyzanowski", "Кржижановський"])
def test_polish_rz_is_cyrillic_rzh(client, q):
    assert found(client, q) == {"krz-en", "krz-uk"}


@pytest.mark.parametrize("q", ["Musk", "Маск", "Маском"])
def test_a_name_written_by_ear_in_another_script_is_found(client, q):
    assert found(client, q) == {"mu-en", "mu-ru"}


def test_expansion_off_finds_only_the_spelling_typed(client):
    assert found(client, "Borodyanka", expand="0") == {"bo-en"}
    assert found(client, "=Musk") == {"mu-en"}


def test_crimea_does_not_find_crime(client):
    assert found(client, "Crimea") == {"crimea-en"}
    assert found(client, "crime") == {"crime-en"}
    assert search(client, "crime")["expansions"] == []


def test_an_ordinary_word_never_expands_and_a_city_never_finds_it(client):
    assert search(client, "сума")["expansions"] == []
    assert {"suma-uk", "suma-uk2", "suma-uk3"} <= found(client, "сума")
    assert found(client, "Sumy") == {"sumy-uk"}
    assert found(client, "Lviv") == {"lviv-uk"}
    assert search(client, "police")["expansions"] == []


def test_an_ordinary_word_typed_in_lower_case_is_that_word_even_where_the_archive_lacks_it(client):
    assert search(client, "золото")["expansions"] == [] and "zo-en" not in found(client, "золото")
    assert found(client, "Zolote") == {"zo-en", "zo-uk"}


def test_a_name_the_archive_has_in_another_script_is_no_misspelling_of_a_listed_one(client):
    assert found(client, "Buyanova") == {"buy-ru"}
    assert found(client, "Stanovoye") == {"st-ru"}  # (written by ear: Становое)
    assert [e["entity"] for e in search(client, "Buyanova")["expansions"]] == [None]


def test_a_word_of_few_documents_typed_capitalised_is_a_name_when_no_dictionary_lists_it(client):
    assert found(client, "Pennsylvania") == {"pa-en", "pa-ru"}


def test_a_city_does_not_find_what_its_odd_transliterations_and_alternates_name(client):
    assert found(client, "Yalta") == {"yal-ru"}
    (brazil,) = search(client, "Бразилия")["expansions"]
    assert [e["id"] for e in brazil["entities"]] == ["place:country-br"]


@pytest.mark.parametrize("word, town, doc", [("nickel", "Nikel", "nikel-ru"), ("sumy", "Sumy", "sumy-uk"),
                                             ("czyta", "Czyta", "chita-ru")])
def test_an_english_or_polish_word_typed_in_lower_case_is_that_word(client, word, town, doc):
    """The dictionaries know nickel, Polish sumy ("sums") and czyta ("reads") as words: typed so,
    they find the word (which no document here has), not the town; capitalised, the town."""
    assert search(client, word)["expansions"] == []
    assert found(client, word) == set()
    assert doc in found(client, town)


@pytest.mark.parametrize("q", ["Odesa Kherson", "Одеса Херсон", "Odesa AND (Kherson OR)"])
def test_two_names_typed_together_are_two_names_not_one(client, q):
    assert "two-en" in found(client, q)
    assert len(search(client, q)["expansions"]) == 2


def test_case_forms_with_sound_changes_are_found_by_the_nominative(client):
    assert found(client, "Irpin") == {"ir-uk", "ir-en"}
    assert found(client, "Ірпінь", lang="uk") == {"ir-uk"}


def test_a_region_form_is_found_by_its_city_and_shown_as_the_region(client):
    data = search(client, "Kharkiv")
    assert {"kh-region", "kh-oblast-ru", "kh-region-en"} <= {r["id"] for r in data["results"]}
    assert "place:kharkiv-oblast" in {e["id"] for e in data["expansions"][0]["entities"]}


def test_full_names_match_in_any_languages_form_of_the_first_name(client):
    assert found(client, "Joseph Biden") == {"bi-en", "bi-ru"}
    assert "ze-init" in found(client, "Volodymyr Zelensky")
    assert found(client, '"Vladimir Putin"', lang="ru") == {"pu-patr"}
    assert "pu-other" not in found(client, "Vladimir Putin")


def test_a_case_form_selects_the_person_of_its_gender(client):
    response = client.get("/search", query_string={"find_person": "Зеленського"})
    assert "person=person%3Avolodymyr-zelensky" in response.headers["Location"]
    response = client.get("/search", query_string={"find_person": "Зеленської"})
    assert "person=person%3Aolena-zelenska" in response.headers["Location"]
    assert found(client, "Зеленського") == {"ze-uk", "ze-init"}


def test_importing_the_demo_corpus_leaves_no_credit_salutation_adjective_or_doubled_person(demo_paths):
    registry = Registry(demo_paths["DB"])
    names = NameIndex.from_registry(registry)
    people = {e.label() for e in names.entities.values() if e.origin == "extracted"}
    registry.close()
    assert people  # extraction did add people the registry lacked
    junk = re.compile(r"PAP|EPA|Reuters|Dear|Ladies|Crimean|\b(\w+) \1\b")
    assert not [p for p in people if junk.search(p)]
    assert doubtful_entities(names) == []


def test_alias_review_lists_a_doubtful_entity_and_delete_removes_it_for_good(fresh):
    registry = Registry(fresh["DB"])
    registry.add_extracted({"person:dear-ladies": "Dear Ladies", "person:elon-musk": "Elon Musk",
                            "person:ilon-mask": "Илон Маск"})
    names = NameIndex.from_registry(registry)
    doubts = {d.entity_id: d for d in doubtful_entities(names)}
    assert set(doubts) == {"person:dear-ladies", "person:ilon-mask"}
    assert doubts["person:ilon-mask"].merge_into == "person:elon-musk"
    store = DocStore(fresh["DB"])
    store.put_many([Document(id="d1", title="Forum", text="Dear Ladies, welcome.", lang="en",
                             people=["person:dear-ladies", "person:elon-musk"])])
    assert delete_entity(registry, store, fresh["INDEX_DIR"], "person:dear-ladies") == 1
    assert store.get("d1").people == ["person:elon-musk"]
    assert registry.add_extracted({"person:dear-ladies": "Dear Ladies"}) == 0  # not brought back
    registry.close()


def test_a_surname_two_people_share_selects_the_one_with_more_documents(fresh):
    registry = Registry(fresh["DB"])
    registry.add_extracted({"person:ivan-kovalenko": "Ivan Kovalenko", "person:petro-kovalenko": "Petro Kovalenko"})
    registry.close()
    docs = [{"id": f"k{i}", "lang": "en", "title": "Ministry statement", "text": f"Petro Kovalenko said {i}."}
            for i in range(3)] + [{"id": "k9", "lang": "en", "title": "Visit", "text": "Ivan Kovalenko visited."}]
    import_paths([str(write_jsonl(Path(fresh["DB"]).with_name("k.jsonl"), docs))], DocStore(fresh["DB"]),
                 fresh["INDEX_DIR"])
    app = create_app({**fresh, "TESTING": True})
    response = app.test_client().get("/search", query_string={"find_person": "Kovalenko"})
    app.extensions["searchapp"].close()
    assert "person=person%3Apetro-kovalenko" in response.headers["Location"]


def test_a_region_named_with_an_ordinary_word_is_found_by_its_phrase(client):
    assert "kh-region-en" in found(client, "Харківщина", lang="en")


def test_an_acronym_is_found_by_the_acronym_not_by_a_name_spelled_alike(tmp_path, fresh):
    docs = [{"id": "swift-bank", "lang": "en", "title": "Banks cut off", "text": "Banks were cut off from SWIFT."},
            {"id": "swift-singer", "lang": "en", "title": "Concert", "text": "Fans queued to see Taylor Swift."},
            {"id": "nato-ru", "lang": "ru", "title": "Саммит", "text": "Саммит НАТО прошел в Вильнюсе."}]
    import_paths([str(write_jsonl(tmp_path / "a.jsonl", docs))], DocStore(fresh["DB"]), fresh["INDEX_DIR"])
    app = create_app({**fresh, "TESTING": True})
    client = app.test_client()
    assert found(client, "Swift") == {"swift-singer"}
    assert found(client, "SWIFT") == {"swift-bank"}
    assert found(client, "NATO") == {"nato-ru"}
    app.extensions["searchapp"].close()


def test_regions_named_together_are_each_found_by_their_region_and_not_by_a_stray_plural(client):
    assert found(client, "Полтавщина") == {"rl-en", "rl-uk"}
    assert found(client, "Chernihiv region") == {"rl-en"}
    assert "rl-city" not in found(client, "Полтавщина")  # Poltava, then "regions" later: no region


@pytest.mark.parametrize("q", ["McFaul", "Макфол"])
def test_a_mc_surname_is_found_as_mak_in_cyrillic(client, q):
    assert found(client, q) == {"mc-en", "mc-ru"}


def test_a_region_adjective_names_the_region_only_before_the_word_for_region(client):
    assert found(client, "Belgorod region") == {"ku-list"}
    assert "ku-list" in found(client, "Kursk")  # the city's search takes in the region named after it
    assert "ku-city" not in found(client, "Kursk") | found(client, "Курская область")


@pytest.mark.parametrize("q", ["Kosiniak-Kamysz", "Косиняк-Камыш", '"Władysław Kosiniak-Kamysz"'])
def test_a_double_surname_is_one_name_in_both_scripts(client, q):
    assert found(client, q) == {"kk-ru", "kk-en"}


@pytest.mark.parametrize("q", ["Rio de Janeiro", "Рио-де-Жанейро"])
def test_a_city_of_three_words_is_found_in_both_scripts(client, q):
    assert found(client, q) == {"rio-ru", "rio-en"}


def test_a_town_only_geonames_lists_is_found_by_a_spelling_the_archive_lacks(client):
    assert found(client, "Selydove") == {"se-ru"}
    assert found(client, "selydove") == set()  # typed in lower case: a word, which no document has
    assert found(client, "Złotów") == set()  # no document names the town: not the stem of złotych


@pytest.mark.parametrize("q", ["von der Leyen", "фон дер Ляєн"])
def test_a_surname_with_particles_is_found_in_both_scripts(client, q):
    assert found(client, q) == {"vdl-en", "vdl-uk"}
    assert found(client, "Ursula von der Leyen") == {"vdl-en"}  # the full name where it stands in full
