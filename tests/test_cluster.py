"""Two real nodes (`gunicorn wsgi:app`, each with its own index) on one PostgreSQL store: what is
written through either node is found on both, exactly once, even after a node is killed."""

from __future__ import annotations

import os
import re
import shutil
import signal
import threading
import time
import uuid
from collections.abc import Callable

import pytest
import requests
from helpers import PASSWORD, add_accounts

from searchapp.accounts import Users
from searchapp.archive import Archive
from searchapp.database import forget_database
from searchapp.local_cluster import Nginx, Node, free_port, nginx_available
from searchapp.settings import load

FOUND_WITHIN_S = 2.0  # a write acknowledged by one node is found on every node within this
ANON_PER_MIN = 30  # anonymous searches a minute per address, on the nodes here


class Cluster:
    def __init__(self, url: str, a: Node, b: Node, token: str):
        self.url, self.a, self.b, self.token = url, a, b, token
        self.auth = {"Authorization": f"Bearer {token}"}

    def upload(self, base: str, title: str, text: str) -> str:
        response = requests.post(f"{base}/api/documents", json={"title": title, "text": text, "lang": "en"},
                                 headers=self.auth, timeout=30)
        assert response.status_code == 201, response.text
        return response.json()["results"][0]["id"]

    def total(self, base: str, q: str) -> int:  # with the token: anonymous searches have a low limit here
        return requests.get(f"{base}/api/search", params={"q": q}, headers=self.auth, timeout=30).json()["total"]

    def health(self, base: str) -> dict:
        return requests.get(f"{base}/healthz", timeout=30).json()


def within(seconds: float, condition: Callable[[], bool]) -> float:
    """How long `condition` took to hold (fails past `seconds`)."""
    start = time.monotonic()
    while not condition():
        assert time.monotonic() - start < seconds, f"not so within {seconds} s"
        time.sleep(0.02)
    return time.monotonic() - start


@pytest.fixture(scope="module")
def cluster(postgres, postgres_seeded, tmp_path_factory):
    root = tmp_path_factory.mktemp("cluster")
    url = postgres.create_database(f"cluster_{uuid.uuid4().hex[:8]}", postgres_seeded)
    add_accounts(url)
    token = Users(url).create_token("ada")[1]
    archive = Archive.from_config(load({"DATABASE_URL": url, "INDEX_DIR": str(root / "import-index")}, environ={}))
    batch = archive.upload([("ferry.txt", b"The night ferry to Odesa sailed with ninety passengers aboard.")],
                           {}, user="ada")
    assert batch.results[0].status == "added"
    archive.close()
    limits = {"SEARCHAPP_RATE_ANON_PER_MIN": str(ANON_PER_MIN)}
    nodes = [Node(url, root / name / "index", free_port(), env=limits).launch() for name in ("a", "b")]
    for node in nodes:
        node.wait_ready()
    yield Cluster(url, *nodes, token)
    for node in nodes:
        node.stop()
    forget_database(url)


def test_nodes_started_empty_build_their_index_from_the_store(cluster):
    for node in (cluster.a, cluster.b):
        within(30, lambda node=node: cluster.total(node.url, "ferry Odesa") == 1)
        health = cluster.health(node.url)
        assert health["documents"] == health["indexed"] >= 1
        assert health["index_change"] == health["store_change"] and health["lag"] == 0


def test_an_upload_through_one_node_is_found_on_the_other_within_two_seconds(cluster):
    cluster.upload(cluster.a.url, "Grain corridor", "Barges with grain left Izmail for the Danube delta at dawn.")
    assert cluster.total(cluster.a.url, "Izmail barges") == 1  # the writing node at once
    within(FOUND_WITHIN_S, lambda: cluster.total(cluster.b.url, "Izmail barges") == 1)


def test_a_correction_and_a_deletion_through_b_show_on_a(cluster):
    doc_id = cluster.upload(cluster.a.url, "Tram depot", "The tram depot in Lviv reopened after repairs to its roof.")
    within(FOUND_WITHIN_S, lambda: cluster.total(cluster.b.url, "tram depot") == 1)
    archivist = requests.Session()
    form = archivist.get(f"{cluster.b.url}/login").text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    archivist.post(f"{cluster.b.url}/login", data={"username": "ada", "password": PASSWORD, "csrf_token": csrf})
    edit = archivist.get(f"{cluster.b.url}/doc/{doc_id}/edit")
    assert edit.status_code == 200
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', edit.text).group(1)
    archivist.post(f"{cluster.b.url}/doc/{doc_id}/edit",
                   data={"csrf_token": csrf, "title": "Tram depot reopens", "date": "2024-03-02", "source": "",
                         "lang": "en", "people": "", "places": "Lviv"})

    def title_on_a() -> str:
        return requests.get(f"{cluster.a.url}/api/doc/{doc_id}", timeout=30).json().get("title", "")
    within(FOUND_WITHIN_S, lambda: title_on_a() == "Tram depot reopens")

    page = archivist.get(f"{cluster.b.url}/doc/{doc_id}/delete").text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert archivist.post(f"{cluster.b.url}/doc/{doc_id}/delete", data={"csrf_token": csrf}).ok
    within(FOUND_WITHIN_S, lambda: cluster.total(cluster.a.url, "tram depot") == 0)
    assert requests.get(f"{cluster.a.url}/api/doc/{doc_id}", timeout=30).status_code == 404


def test_a_saved_query_made_on_one_node_hands_each_new_match_once_across_both(cluster):
    saved = requests.post(f"{cluster.a.url}/api/saved-queries", json={"name": "Ports", "query": "q=harbour"},
                          headers=cluster.auth, timeout=30)
    assert saved.status_code == 201
    results = f"/api/saved-queries/{saved.json()['id']}/results"
    seen: list[str] = []
    lock = threading.Lock()

    def poll(node: Node) -> None:
        got = requests.get(f"{node.url}{results}", params={"since": "last"}, headers=cluster.auth, timeout=30)
        assert got.status_code == 200, got.text
        with lock:
            seen.extend(r["id"] for r in got.json()["results"])

    poll(cluster.b)  # the token made through node A works on node B
    seen.clear()
    new = cluster.upload(cluster.b.url, "Harbour cranes", "New cranes arrived at the harbour of Chornomorsk.")
    for _ in range(10):  # both nodes asked at the same moment, again and again
        threads = [threading.Thread(target=poll, args=(node,)) for node in (cluster.a, cluster.b)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        time.sleep(0.05)
    assert seen == [new]


def test_a_login_form_from_one_node_is_taken_by_the_other_and_the_session_works_on_both(cluster):
    browser = requests.Session()
    form = browser.get(f"{cluster.a.url}/login").text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    logged_in = browser.post(f"{cluster.b.url}/login", data={"username": "ada", "password": PASSWORD,
                                                             "csrf_token": csrf})
    assert logged_in.ok and "/login" not in logged_in.url
    for node in (cluster.a, cluster.b):
        assert browser.get(f"{node.url}/upload", allow_redirects=False).status_code == 200


def login(session: requests.Session, node: Node, name: str, password: str) -> int:
    form = session.get(f"{node.url}/login").text
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', form).group(1)
    return session.post(f"{node.url}/login", data={"username": name, "password": password, "csrf_token": csrf},
                        allow_redirects=False).status_code


def test_rate_limits_and_login_throttles_count_across_nodes(cluster):
    asked = [cluster.a, cluster.b] * ANON_PER_MIN
    statuses = [requests.get(f"{node.url}/api/search", params={"q": "ferry"}, timeout=30).status_code
                for node in asked]
    assert ANON_PER_MIN - 2 <= statuses.count(200) <= ANON_PER_MIN  # the two nodes' requests add up
    assert set(statuses[-ANON_PER_MIN // 2:]) == {429}
    browser = requests.Session()
    failed = [login(browser, node, "rita", "not her password") for node in [cluster.a, cluster.b] * 3]
    assert failed[:5] == [401] * 5 and failed[5] == 429  # the sixth try, whichever node takes it
    assert login(browser, cluster.a, "rita", PASSWORD) == 429 and login(browser, cluster.b, "rita", PASSWORD) == 429


def test_nginx_in_front_of_both_nodes_serves_searches_and_uploads(cluster):
    if not nginx_available() and not os.environ.get("SEARCHAPP_REQUIRE_POSTGRES"):
        pytest.skip("nginx is not installed")
    nginx = Nginx([cluster.a.port, cluster.b.port], free_port()).start()
    try:
        front = f"http://127.0.0.1:{nginx.port}"
        cluster.upload(front, "Ferry timetable", "The winter timetable of the Kherson ferry was published.")
        within(FOUND_WITHIN_S, lambda: all(cluster.total(n.url, "Kherson timetable") == 1
                                           for n in (cluster.a, cluster.b)))
        assert {cluster.total(front, "Kherson timetable") for _ in range(6)} == {1}
    finally:
        nginx.stop()


def test_a_node_killed_while_documents_arrive_catches_up_with_nothing_lost_or_doubled(cluster):
    word = "zvenyhorodka"
    uploaded: list[str] = []

    def arrive() -> None:
        for n in range(16):
            text = f"Bulletin {n} from {word} market, item {n}."
            uploaded.append(cluster.upload(cluster.a.url, f"Bulletin {n}", text))
            time.sleep(0.1)

    sender = threading.Thread(target=arrive)
    sender.start()
    time.sleep(0.5)
    cluster.b.kill(signal.SIGKILL)
    sender.join()
    assert cluster.total(cluster.a.url, word) == 16
    cluster.b.launch().wait_ready()
    within(30, lambda: cluster.total(cluster.b.url, word) == 16)
    a, b = cluster.health(cluster.a.url), cluster.health(cluster.b.url)
    assert a["documents"] == b["documents"] == a["indexed"] == b["indexed"]
    assert b["lag"] == 0 and len(set(uploaded)) == 16


def test_a_node_whose_index_is_lost_rebuilds_it_from_the_store(cluster):
    cluster.b.stop()
    shutil.rmtree(cluster.b.env["SEARCHAPP_INDEX_DIR"])
    cluster.b.launch().wait_ready()
    within(30, lambda: cluster.health(cluster.b.url)["indexed"] == cluster.health(cluster.a.url)["indexed"])
    assert cluster.total(cluster.b.url, "ferry Odesa") == 1
