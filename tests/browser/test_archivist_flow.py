"""An archivist in a real browser: log in, upload a file, find it, correct it, delete it."""

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
    page.get_by_label("Title").fill("Kherson ferry back in service")
    page.get_by_role("button", name="Save corrections").click()
    expect(page.locator("article.document h1")).to_have_text("Kherson ferry back in service")

    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Delete this document").click()
    expect(page.locator(".notice")).to_contain_text("Deleted")
    page.goto(live_server + "/search?q=ferry%20Kherson")
    expect(page.locator("#total")).to_have_text("0")
