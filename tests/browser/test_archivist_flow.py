"""An archivist in a real browser: log in, upload a file, find it, correct it, delete it after confirming,
restore it from the trash."""

import re
import subprocess
import sys

from playwright.sync_api import Page, expect

PASSWORD = "correct horse battery"


def test_login_upload_search_correct_delete(page: Page, live_server, demo_paths, tmp_path):
    env = {"SEARCHAPP_DB": demo_paths["DB"], "SEARCHAPP_PASSWORD": PASSWORD, "PATH": ""}
    subprocess.run([sys.executable, "-m", "searchapp.cli", "user", "add", "browser-archivist"], env=env,
                   capture_output=True)  # exists already on a second run: fine
    page.goto(live_server + "/upload")
    expect(page).to_have_url(re.compile(r"/login\?next="))
    page.get_by_label("User name").fill("browser-archivist")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/upload$"))

    note = tmp_path / "ferry.txt"
    note.write_text("Ferry to Kherson resumes\nJune 2, 2024\nA ferry across the Dnipro to Kherson resumed "
                    "service, the regional governor Oleksandr Prokudin said.", encoding="utf-8")
    page.set_input_files('input[type="file"]', str(note))
    page.get_by_role("button", name="Upload").click()
    row = page.locator("#upload-results tr.added")
    expect(row).to_contain_text("ferry.txt")

    page.goto(live_server + "/search?q=ferry%20Kherson")
    expect(page.locator("#total")).to_have_text("1")
    expect(page.locator('[data-facet="person"]')).to_contain_text("Oleksandr Prokudin")
    page.locator(".hit h2 a").first.click()
    page.get_by_role("link", name="Correct").click()
    expect(page.get_by_label("People")).to_have_value(re.compile(r"^Oleksandr Prokudin$", re.M))  # names, not ids
    page.get_by_label("Title").fill("Kherson ferry back in service")
    page.get_by_label("Places").fill("Херсон\nDnipro River")
    page.get_by_role("button", name="Save corrections").click()
    expect(page.locator("#correct-errors")).to_contain_text("line 2")  # refused, and what was typed is kept
    expect(page.get_by_label("Title")).to_have_value("Kherson ferry back in service")
    page.get_by_label("Places").fill("")
    add_place = page.get_by_label("Add a place")  # the search box's suggestions, places only
    add_place.type("Kherso", delay=50)
    expect(page.locator("#places-suggestions option").first).to_have_attribute("value", "Kherson")
    add_place.fill("Kherson")
    add_place.press("Tab")
    expect(page.get_by_label("Places")).to_have_value("Kherson")
    page.get_by_role("button", name="Save corrections").click()
    expect(page.locator("article.document h1")).to_have_text("Kherson ferry back in service")
    expect(page.locator("article.document .meta")).to_contain_text("Kherson")
    document_url = page.url

    page.get_by_role("button", name="Delete this document").click()  # asks first, on a page of its own
    expect(page).to_have_url(re.compile(r"/delete\??$"))  # a GET form: no script needed
    expect(page.locator("h1")).to_contain_text("Kherson ferry back in service")
    page.get_by_role("link", name="Cancel").click()
    expect(page).to_have_url(document_url)
    page.get_by_role("button", name="Delete this document").click()
    page.get_by_role("button", name="Delete", exact=True).click()
    expect(page.locator(".notice")).to_contain_text("Deleted")
    page.goto(live_server + "/search?q=ferry%20Kherson")
    expect(page.locator("#total")).to_have_text("0")

    page.locator("footer").get_by_role("link", name="Trash").click()
    row = page.locator("#trash tbody tr", has_text="Kherson ferry back in service")
    expect(row).to_contain_text("browser-archivist")
    row.get_by_role("button", name="Restore").click()
    expect(page.locator(".notice")).to_contain_text("Restored “Kherson ferry back in service”")
    expect(page.locator("#trash tbody tr", has_text="Kherson ferry back in service")).to_have_count(0)
    page.goto(live_server + "/search?q=ferry%20Kherson")
    expect(page.locator("#total")).to_have_text("1")

    page.goto(document_url)  # leave the shared demo archive as it was: deleted again
    page.get_by_role("button", name="Delete this document").click()
    page.get_by_role("button", name="Delete", exact=True).click()
    expect(page.locator(".notice")).to_contain_text("Deleted")
