"""Uploads: each file type, duplicates, limits and bad input, deletion; searchable at once."""

import html
import io
import re
import zipfile

import pytest
from docx import Document as DocxDocument
from helpers import PASSWORD, add_accounts, csrf_token, make_pdf
from pypdf import PdfReader, PdfWriter

# Werkzeug's test client spools large request bodies to temporary files it never closes.
pytestmark = pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")


@pytest.fixture()
def app(fresh, make_app):
    add_accounts(fresh["DB"])
    return make_app({**fresh, "MAX_FILE_MB": 1, "MAX_UPLOAD_MB": 3})


def token(client, path="/upload"):
    return csrf_token(client, path)


def logged_in(app, name="ada"):
    client = app.test_client()
    client.post("/login", data={"username": name, "password": PASSWORD, "csrf_token": token(client, "/login")})
    return client


def send(client, files, **fields):
    data = {"csrf_token": token(client), "file": [(io.BytesIO(content), name) for name, content in files], **fields}
    return client.post("/upload", data=data, content_type="multipart/form-data")


def results(response):
    """{file name: (status, reason)} from the result table of an upload response."""
    page = response.get_data(as_text=True)
    table = page[page.index('id="upload-results"') : page.index("</table>")]
    rows = re.findall(r'<tr class="(\w+)"><td>([^<]*)</td><td>([^<]*)</td>', table)
    return {html.unescape(name): (status, html.unescape(cell).removeprefix(status).removeprefix(": "))
            for status, name, cell in rows}


def found(client, q, **params):
    return client.get("/api/search", query_string={"q": q, **params}).get_json()


TXT = (b"Kharkiv tram depot repaired\nMarch 3, 2023\nWorkers in Kharkiv repaired the tram depot hit by shelling, "
       b"mayor Ihor Terekhov said on Friday.\nComments (3)\nmax 03.03 10:00 good")


def test_a_text_upload_is_searchable_at_once_with_its_facets(app):
    client = logged_in(app)
    response = send(client, [("depot.txt", TXT)])
    assert response.status_code == 200
    assert results(response)["depot.txt"][0] == "added"
    data = found(client, "tram depot")
    assert data["total"] == 1
    hit = data["results"][0]
    assert hit["date"] == "2023-03-03" and hit["lang"] == "en"
    assert {"Ihor Terekhov"} == {p["label"] for p in hit["people"]}
    assert "place:kharkiv" in [p["id"] for p in hit["places"]]
    assert "good" not in client.get(f"/api/doc/{hit['id']}").get_json()["text"]  # the comment was cleaned away


def test_each_file_type_and_zip_members(app):
    client = logged_in(app)
    docx = DocxDocument()
    docx.add_paragraph("Odesa port reopens")
    docx.add_paragraph("Grain ships left Odesa on Monday under the new corridor.")
    docx_bytes = io.BytesIO()
    docx.save(docx_bytes)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("inner/note.txt", "Minsk court verdict\nThe court in Minsk sentenced the activist.")
        zf.writestr("../escape.txt", "Should never be read")
        zf.writestr("nested.zip", b"PK\x05\x06" + b"\x00" * 18)
    files = [
        ("page.html", b"<html><head><title>Lviv museum</title></head><body><article><p>The museum in Lviv "
                      b"reopened its halls after a year of repairs, the director said.</p></article></body></html>"),
        ("report.pdf", make_pdf(["Sumy region shelled", "Shelling hit villages in the Sumy region overnight."])),
        ("note.docx", docx_bytes.getvalue()),
        ("batch.zip", archive.getvalue()),
    ]
    r = results(send(client, files))
    assert r["page.html"][0] == r["report.pdf"][0] == r["note.docx"][0] == "added"
    assert r["batch.zip/inner/note.txt"][0] == "added"
    assert r["batch.zip/../escape.txt"] == ("failed", "unsafe path in the archive (absolute or with '..'): refused")
    assert "archives inside archives" in r["batch.zip/nested.zip"][1]
    for q in ("Lviv museum", "Sumy villages", "Odesa corridor", "Minsk activist"):
        assert found(client, q)["total"] == 1, q
    assert found(client, "escape")["total"] == 0


def test_duplicates_are_reported_not_added(app):
    client = logged_in(app)
    send(client, [("depot.txt", TXT)])
    again = results(send(client, [("copy.txt", TXT), ("spaced.txt", TXT.replace(b" ", b"  "))]))
    assert again["copy.txt"][0] == "duplicate" and again["spaced.txt"][0] == "duplicate"
    assert found(client, "tram depot")["total"] == 1


@pytest.mark.parametrize("name, content, reason", [
    ("empty.txt", b"", "empty"),
    ("blank.txt", b"   \n  ", "empty"),
    ("garbage.txt", bytes(range(256)) * 8, "not a text, HTML, PDF, Word or ZIP file"),
    ("fake.pdf", b"%PDF-1.4 nothing else", "cannot be read"),
    ("fake.docx", b"PK\x03\x04 broken", "damaged"),
    ("picture.pdf", make_pdf([]), "no text layer"),
])
def test_bad_files_fail_with_a_reason_and_change_nothing(app, name, content, reason):
    client = logged_in(app)
    before = client.get("/healthz").get_json()
    response = send(client, [(name, content)])
    assert response.status_code == 422
    status, text = results(response)[name]
    assert status == "failed" and reason in text
    assert client.get("/healthz").get_json() == before


def test_encrypted_pdf_is_refused(app):
    writer = PdfWriter()
    writer.append(PdfReader(io.BytesIO(make_pdf(["Secret text of the report"]))))
    writer.encrypt("password")
    out = io.BytesIO()
    writer.write(out)
    status, reason = results(send(logged_in(app), [("secret.pdf", out.getvalue())]))["secret.pdf"]
    assert status == "failed" and "encrypted" in reason


def test_size_limits(app):
    client = logged_in(app)
    big = b"Big file\n" + b"x " * (600 * 1024)  # over the 1 MB per-file limit
    r = results(send(client, [("big.txt", big), ("depot.txt", TXT)]))
    assert r["big.txt"][0] == "failed" and "larger than 1 MB" in r["big.txt"][1]
    assert r["depot.txt"][0] == "added"  # the good file of the batch is kept
    too_much = send(client, [(f"f{i}.txt", big) for i in range(3)])
    assert too_much.status_code == 413


def test_zip_bomb_is_refused(app):
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("bomb.txt", b"0" * (5 * 1024 * 1024))
    status, reason = results(send(logged_in(app), [("bomb.zip", archive.getvalue())]))["bomb.zip/bomb.txt"]
    assert status == "failed" and "zip bomb" in reason


def test_overrides_win_and_bad_override_is_explained(app):
    client = logged_in(app)
    send(client, [("depot.txt", TXT)], title="Depot", source="City Hall", date="2023-03-04", lang="en")
    hit = found(client, "tram depot")["results"][0]
    assert (hit["title"], hit["source"], hit["date"]) == ("Depot", "City Hall", "2023-03-04")
    r = results(send(client, [("other.txt", b"Other\nAnother text entirely.")], date="yesterday-ish"))
    assert r["other.txt"][0] == "failed" and "not a date" in r["other.txt"][1]


def test_only_archivists_upload_and_forms_need_csrf(app):
    anonymous = app.test_client()
    assert anonymous.get("/upload").status_code == 302
    reader = logged_in(app, "rita")
    assert reader.get("/upload").status_code == 403
    client = logged_in(app)
    no_token = client.post("/upload", data={"file": [(io.BytesIO(TXT), "a.txt")]}, content_type="multipart/form-data")
    assert no_token.status_code == 400 and found(client, "tram depot")["total"] == 0


def test_deletion_removes_from_search_and_facets_at_once(app, fresh):
    client = logged_in(app)
    send(client, [("depot.txt", TXT)])
    doc_id = found(client, "tram depot")["results"][0]["id"]
    response = client.post(f"/doc/{doc_id}/delete", data={"csrf_token": token(client, f"/doc/{doc_id}")})
    assert response.status_code == 302
    assert found(client, "tram depot")["total"] == 0
    assert found(client, "", person="person:ihor-terekhov")["total"] == 0
    assert client.get(f"/api/doc/{doc_id}").status_code == 404
    from searchapp.docstore import DocStore
    restored = DocStore(fresh["DB"]).restore(doc_id)  # the original is in the trash
    assert restored is not None and restored.original == TXT


def test_recent_uploads_are_listed(app):
    client = logged_in(app)
    send(client, [("depot.txt", TXT), ("empty.txt", b"")])
    page = client.get("/upload").get_data(as_text=True)
    assert "Your recent uploads" in page and "depot.txt" in page and "empty.txt" in page


def test_corrections_win_and_survive_reindexing(app, fresh):
    client = logged_in(app)
    send(client, [("depot.txt", TXT)])
    doc_id = found(client, "tram depot")["results"][0]["id"]
    edit = f"/doc/{doc_id}/edit"
    bad = client.post(edit, data={"csrf_token": token(client, edit), "title": "Depot", "people": "person:nobody"})
    assert bad.status_code == 422 and "line 1: no person is known as “person:nobody”" in bad.get_data(as_text=True)
    saved = client.post(edit, data={"csrf_token": token(client, edit), "title": "Tram depot back in service",
                                     "date": "2023-03-02", "source": "Kharkiv City Council", "lang": "en",
                                     "people": "person:ihor-terekhov\nperson:oleh-syniehubov",
                                     "places": "place:kharkiv"})
    assert saved.status_code == 302

    def check():
        hit = found(client, "tram depot")["results"][0]
        assert hit["title"] == "Tram depot back in service" and hit["date"] == "2023-03-02"
        assert hit["source"] == "Kharkiv City Council"
        assert [p["id"] for p in hit["people"]] == ["person:ihor-terekhov", "person:oleh-syniehubov"]
        assert found(client, "", person="person:oleh-syniehubov")["total"] == 1

    check()
    from click.testing import CliRunner

    from searchapp.cli import main
    result = CliRunner().invoke(main, ["reindex", "--quiet"],
                                env={"SEARCHAPP_DB": fresh["DB"], "SEARCHAPP_INDEX_DIR": fresh["INDEX_DIR"]})
    assert result.exit_code == 0, result.output
    check()


def edit_form(page: str) -> dict[str, str]:
    """{field: value} of the Correct form's inputs and textareas on `page`."""
    fields = {n: v for n, v in re.findall(r'<input name="(\w+)" value="([^"]*)"', page)}
    fields |= {n: v for n, v in re.findall(r'<textarea name="(\w+)"[^>]*>([^<]*)</textarea>', page)}
    return {n: html.unescape(v) for n, v in fields.items()}


def test_the_correct_form_lists_people_and_places_by_name_and_can_be_sent_back_as_it_is(app):
    client = logged_in(app)
    send(client, [("depot.txt", TXT)])
    doc_id = found(client, "tram depot")["results"][0]["id"]
    edit = f"/doc/{doc_id}/edit"
    form = edit_form(client.get(edit).get_data(as_text=True))
    assert form["people"] == "Ihor Terekhov"
    assert "Kharkiv" in form["places"].splitlines() and "place:" not in form["places"]
    unchanged = client.post(edit, data={**form, "csrf_token": token(client, edit)})
    assert unchanged.status_code == 302
    assert client.get(f"/api/doc/{doc_id}").get_json()["people"][0]["id"] == "person:ihor-terekhov"


@pytest.mark.parametrize("people, places, expected_people, expected_places", [
    ("Volodymyr Zelensky", "Київ", ["person:volodymyr-zelensky"], ["place:kyiv"]),
    ("Зеленського\nperson:ihor-terekhov", "place:kharkiv\nKyiv", ["person:volodymyr-zelensky",
                                                                  "person:ihor-terekhov"],
     ["place:kharkiv", "place:kyiv"]),
    ("Володимир Зеленський\n\nZelensky", "Kiev\nКиев", ["person:volodymyr-zelensky"], ["place:kyiv"]),  # once each
    ("", "", [], []),
])
def test_corrections_take_names_in_any_script_or_ids(app, people, places, expected_people, expected_places):
    client = logged_in(app)
    send(client, [("depot.txt", TXT)])
    doc_id = found(client, "tram depot")["results"][0]["id"]
    edit = f"/doc/{doc_id}/edit"
    saved = client.post(edit, data={"csrf_token": token(client, edit), "title": "Depot", "people": people,
                                     "places": places})
    assert saved.status_code == 302
    doc = client.get(f"/api/doc/{doc_id}").get_json()
    assert [p["id"] for p in doc["people"]] == expected_people
    assert [p["id"] for p in doc["places"]] == expected_places


def test_a_refused_correction_says_why_line_by_line_and_keeps_what_was_typed(app):
    client = logged_in(app)
    send(client, [("depot.txt", TXT)])
    doc_id = found(client, "tram depot")["results"][0]["id"]
    edit = f"/doc/{doc_id}/edit"
    typed = {"title": "Depot <reopened> by the mayor", "date": "2023-03-05", "source": "City Hall", "lang": "en",
             "people": "Volodymyr Zelensky\nNobody Atall\nLukashenko", "places": "Київ\nZelensky"}
    bad = client.post(edit, data={**typed, "csrf_token": token(client, edit)})
    page = bad.get_data(as_text=True)
    assert bad.status_code == 422
    assert edit_form(page) == typed  # what was typed, not what is stored
    errors = [html.unescape(e) for e in re.findall(r"<li>(.*?)</li>", page[page.index('id="correct-errors"'):])]
    assert errors[:3] == [
        "People: line 2: no person is known as “Nobody Atall” (look it up under Names, or give an id)",
        "People: line 3: “Lukashenko” could be person:alexander-lukashenko, person:viktor-lukashenko; write the id "
        "of the one meant",
        "Places: line 2: “Zelensky” is a person, not a place",
    ]
    assert found(client, "tram depot")["results"][0]["title"] != typed["title"]  # nothing was changed
    no_date = client.post(edit, data={**typed, "people": "", "places": "", "date": "soon",
                                      "csrf_token": token(client, edit)})
    assert no_date.status_code == 422 and "Depot &lt;reopened&gt; by the mayor" in no_date.get_data(as_text=True)
    assert "Date: &#39;soon&#39; is not a date" in no_date.get_data(as_text=True)


def test_near_duplicates_are_added_but_flagged(app):
    client = logged_in(app)
    text = ("Workers in Kharkiv repaired the tram depot hit by shelling on Friday, the mayor said, adding that "
            "trams would run again on three routes from Monday morning and more repairs were planned soon.")
    send(client, [("first.txt", f"Depot repaired\n{text}".encode())])
    r = results(send(client, [("second.txt", f"Depot repaired again\n{text.replace('three', 'four')}".encode()),
                              ("other.txt", b"Grain ships\nShips with grain left Odesa under the corridor agreed "
                                            b"in Istanbul, and more ships are expected later this week, port "
                                            b"officials said, while insurers raised their prices again.")]))
    assert r["second.txt"][0] == "added" and "nearly the same text as" in r["second.txt"][1]
    assert r["other.txt"] == ("added", "")


def test_api_documents_json_and_multipart(app):
    client = logged_in(app)
    headers = {"X-CSRFToken": token(client)}
    r = client.post("/api/documents", json={"title": "Sumy shelled", "text": "Villages near Sumy were shelled.",
                                            "date": "2024-03-01", "source": "Suspilne"}, headers=headers)
    assert r.status_code == 201 and r.get_json()["results"][0]["status"] == "added"
    hit = found(client, "Sumy villages")["results"][0]
    assert hit["source"] == "Suspilne" and hit["date"] == "2024-03-01"
    again = client.post("/api/documents", json={"title": "Sumy shelled", "text": "Villages near Sumy were shelled."},
                        headers=headers)
    assert again.status_code == 200 and again.get_json()["results"][0]["status"] == "duplicate"
    multipart = client.post("/api/documents", data={"file": [(io.BytesIO(b""), "empty.txt")]}, headers=headers,
                            content_type="multipart/form-data")
    assert multipart.status_code == 422 and "empty" in multipart.get_json()["results"][0]["reason"]
    wrong_type = client.post("/api/documents", json={"title": 1}, headers=headers)
    assert wrong_type.status_code == 422 and "'title' must be a string" in wrong_type.get_json()["error"]
    assert client.post("/api/documents", json={"text": ""}, headers=headers).status_code == 400
    assert app.test_client().post("/api/documents", json={"title": "x", "text": "y"}).status_code in (400, 401)


def test_a_very_long_text_is_kept_whole_but_searched_and_shown_up_to_a_bound(app):
    """Processing cost is bounded: past SEARCHED_CHARS a text is stored, not analysed or searched."""
    from searchapp.model import SEARCHED_CHARS
    filler = "Inspectors counted the grain sacks in the port warehouse again today.\n" * (SEARCHED_CHARS // 70 + 50)
    text = f"Warehouse ledger\nThe harbourmaster opened the ledger.\n{filler}The appendix names a zebrafinch.\n"
    client = logged_in(app)
    status, reason = results(send(client, [("ledger.txt", text.encode())]))["ledger.txt"]
    assert status == "added" and "only its first 500,000 characters are searched" in reason
    assert found(client, "harbourmaster")["total"] == 1 and found(client, "zebrafinch")["total"] == 0
    doc_id = found(client, "harbourmaster")["results"][0]["id"]
    api = client.get(f"/api/doc/{doc_id}").get_json()
    assert api["cut_at"] == SEARCHED_CHARS and api["text"].endswith("The appendix names a zebrafinch.")
    assert sum(map(len, api["paragraphs"])) <= SEARCHED_CHARS
    assert 'id="text-cut"' in client.get(f"/doc/{doc_id}").get_data(as_text=True)
