"""Names across scripts: any spelling finds every spelling; the reader stays in control."""

import pytest
from helpers import write_jsonl

from searchapp import create_app
from searchapp.docstore import DocStore
from searchapp.pipeline import import_paths

# One short document per spelling, written for these tests.
DOCS = {
    "lk-en1": ("en", "Lukashenko visits a tractor plant", "President Lukashenko toured the plant on Monday."),
    "lk-en2": ("en", "Opposition says Lukashenka must go", "Protesters chanted that Lukashenka must leave office."),
    "lk-ru": ("ru", "Лукашенко выступил в парламенте", "Александр Лукашенко выступил с посланием."),
    "lk-be": ("be", "Лукашэнка выступіў у парламенце", "Аляксандр Лукашэнка выступіў з пасланнем."),
    "lk-pl": ("pl", "Łukaszenka przemawiał w parlamencie", "Łukaszenka wygłosił orędzie do narodu."),
    "kv-en1": ("en", "Air raid alert in Kyiv", "Sirens sounded across Kyiv overnight."),
    "kv-en2": ("en", "Kiev metro used as shelter", "Residents of Kiev slept in metro stations."),
    "kv-uk": ("uk", "Тривога у Києві", "У Києві лунали сирени всю ніч."),
    "kv-ru": ("ru", "Тревога в Киеве", "В Киеве всю ночь звучали сирены."),
    "kv-pl": ("pl", "Alarm w Kijowie", "W Kijowie całą noc wyły syreny."),
    "ze-en1": ("en", "Zelensky addresses parliament", "Zelensky spoke for an hour."),
    "ze-en2": ("en", "Zelenskyy meets troops", "President Zelenskyy visited the front."),
    "ze-uk": ("uk", "Зеленський звернувся до нації", "Володимир Зеленський звернувся до українців."),
    "pr-en": ("en", "Prigozhin threatens to leave", "Prigozhin said his men lacked ammunition."),
    "pr-ru": ("ru", "Пригожин пригрозил уйти", "Пригожин заявил о нехватке снарядов."),
    "pr-en2": ("en", "Pryhozhyn's fighters withdraw", "Fighters loyal to Pryhozhyn left the town."),
    "pu-ru": ("ru", "Заявление Путина", "Пресс-служба Путина опубликовала заявление."),
    "zi-pl": ("pl", "Zieliński o budżecie", "Poseł Jarosław Zieliński skrytykował projekt budżetu."),
    "gr-en": ("en", "Grain prices rise", "The price of grain rose again."),
}


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    root = tmp_path_factory.mktemp("names")
    paths = {"DB": str(root / "store.db"), "INDEX_DIR": str(root / "index")}
    records = [{"id": i, "lang": lang, "title": t, "text": x} for i, (lang, t, x) in DOCS.items()]
    import_paths([str(write_jsonl(root / "names.jsonl", records))], DocStore(paths["DB"]), paths["INDEX_DIR"])
    app = create_app({**paths, "TESTING": True})
    yield app.test_client()
    app.extensions["searchapp"].close()


def found(client, q, **params):
    data = client.get("/api/search", query_string={"q": q, **params}).get_json()
    return {r["id"] for r in data["results"]}


LUKASHENKO = {"lk-en1", "lk-en2", "lk-ru", "lk-be", "lk-pl"}
KYIV = {"kv-en1", "kv-en2", "kv-uk", "kv-ru", "kv-pl"}
ZELENSKY = {"ze-en1", "ze-en2", "ze-uk"}
PRIGOZHIN = {"pr-en", "pr-ru", "pr-en2"}


@pytest.mark.parametrize("q", ["Lukashenka", "Lukashenko", "Лукашенко", "Лукашэнка", "Łukaszenka"])
def test_every_spelling_of_lukashenko_finds_all(client, q):
    assert found(client, q) == LUKASHENKO


@pytest.mark.parametrize("q", ["Kiev", "Kyiv", "Київ", "Киев", "Kijów", "Києві"])
def test_every_spelling_of_kyiv_finds_all(client, q):
    assert found(client, q) == KYIV


@pytest.mark.parametrize("q", ["Zelensky", "Zelenskyy", "Зеленський"])
def test_every_spelling_of_zelensky_finds_all(client, q):
    assert found(client, q) == ZELENSKY


@pytest.mark.parametrize("q", ["Prigozhin", "Пригожин", "Pryhozhyn"])
def test_prigozhin_across_scripts_and_systems(client, q):
    assert found(client, q) == PRIGOZHIN


def test_putin_finds_the_russian_genitive(client):
    assert "pu-ru" in found(client, "Putin")


def test_a_misspelt_name_finds_its_person_and_says_so(client):
    data = client.get("/api/search?q=Pritozhin").get_json()
    assert {r["id"] for r in data["results"]} == PRIGOZHIN
    assert data["expansions"][0]["entity"] == "person:yevgeny-prigozhin"
    assert data["expansions"][0]["how"] == "close misspelling"


def test_ordinary_words_are_not_fuzzed(client):
    data = client.get("/api/search?q=grian").get_json()
    assert data["total"] == 0 and data["expansions"] == []
    assert found(client, "grain") == {"gr-en"}


def test_people_with_similar_keys_are_not_merged(client):
    """Zieliński and Zelensky share the consonant skeleton z-l-n-s-k but are different people."""
    assert found(client, "Zieliński") == {"zi-pl"}
    assert "zi-pl" not in found(client, "Zelensky")


def test_expansions_are_reported_with_variants(client):
    data = client.get("/api/search?q=Lukashenka").get_json()
    (exp,) = data["expansions"]
    assert exp["term"] == "Lukashenka" and exp["entity"] == "person:alexander-lukashenko"
    assert {"Lukashenko", "Лукашенко", "Лукашэнка", "Łukaszenka"} <= set(exp["variants"])
    page = client.get("/search?q=Lukashenka").get_data(as_text=True)
    assert "Also searched" in page and "Лукашэнка" in page
    assert 'href="/search?q=Lukashenka&amp;expand=0"' in page


def test_expand_0_searches_only_what_was_typed(client):
    data = client.get("/api/search?q=Lukashenka&expand=0").get_json()
    assert {r["id"] for r in data["results"]} == {"lk-en2"} and data["expansions"] == []


def test_exact_mode_matches_only_the_spelling_typed(client):
    assert found(client, "=Lukashenka") == {"lk-en2"}
    assert found(client, "=Лукашенко") == {"lk-ru"}
    assert found(client, '="Пресс-служба Путина"') == {"pu-ru"}
    assert found(client, "=Путин") == set()  # no stemming in exact mode


def test_multi_word_names_expand_as_phrases(client):
    assert found(client, "Alexander Lukashenko") == {"lk-ru", "lk-be"}
    assert found(client, '"Volodymyr Zelensky"') == {"ze-uk"}


def test_expansion_inside_boolean_queries_and_with_facets(client):
    assert found(client, "Lukashenka OR Prigozhin") == LUKASHENKO | PRIGOZHIN
    assert found(client, "Kyiv -Kiev") == set()  # excluding a spelling excludes the place
    assert found(client, "Lukashenka", lang="be") == {"lk-be"}
    assert found(client, "Kyiv sirens") == {"kv-en1"}


def test_variants_are_highlighted(client):
    data = client.get("/api/search?q=Lukashenka&lang=ru").get_json()
    assert "<mark>Лукашенко</mark>" in data["results"][0]["title_html"]
