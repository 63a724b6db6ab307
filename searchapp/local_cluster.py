"""Several nodes on one machine, for trying, testing and benchmarking: a throwaway PostgreSQL,
nodes (`gunicorn wsgi:app`, each with its own index) and nginx balancing them.

`python -m searchapp.local_cluster` (what `make cluster` runs) starts PostgreSQL in a temporary
directory, imports the demo corpus once, starts two nodes and nginx on 127.0.0.1:8000, and
stops everything on Ctrl-C. PostgreSQL refuses to run as root: as root, its commands run as the
`postgres` user that Debian's package creates.
"""

from __future__ import annotations

import argparse
import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from importlib import resources
from pathlib import Path

import psycopg

from searchapp.gunicorn_conf import READY

PROJECT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _pg_bin(name: str) -> str:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}")) or [shutil.which(name) or ""]
    if not found[-1]:
        raise RuntimeError(f"PostgreSQL's {name} is not installed (Debian: apt-get install postgresql)")
    return found[-1]


def postgres_available() -> bool:
    try:
        _pg_bin("initdb")
        return True
    except RuntimeError:
        return False


class TempPostgres:
    """A PostgreSQL server in a temporary directory on a free loopback port, trusting local
    connections (a throwaway: fsync off)."""

    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="searchapp-pg-"))
        self.port = free_port()
        self.user = "postgres"

    def _run(self, *args: str) -> None:
        as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run(as_user + list(args), check=True, capture_output=True, cwd=self.root)

    def start(self) -> TempPostgres:
        if os.geteuid() == 0:
            shutil.chown(self.root, "postgres")
        data = self.root / "data"
        self._run(_pg_bin("initdb"), "-D", str(data), "-U", self.user, "-A", "trust", "--no-sync", "-E", "UTF8")
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200"
        self._run(_pg_bin("pg_ctl"), "-D", str(data), "-o", options, "-l", str(self.root / "log"), "-w", "start")
        return self

    def url(self, database: str = "postgres") -> str:
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str, template: str = "") -> str:
        """A new database (a copy of `template`, if given); returns its URL."""
        with psycopg.connect(self.url(), autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        return self.url(name)

    def stop(self) -> None:
        try:
            self._run(_pg_bin("pg_ctl"), "-D", str(self.root / "data"), "-m", "immediate", "stop")
        finally:
            shutil.rmtree(self.root, ignore_errors=True)


class Node:
    """One node: `gunicorn wsgi:app` from the project, with the shared database and its own index."""

    def __init__(self, database_url: str, index_dir: str | Path, port: int, workers: int = 2,
                 env: dict[str, str] | None = None):
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self.log_path = Path(index_dir).with_name(Path(index_dir).name + ".log")
        self.env = {**os.environ, "SEARCHAPP_DATABASE_URL": database_url, "SEARCHAPP_INDEX_DIR": str(index_dir),
                    **(env or {})}
        self.workers = workers
        self.process: subprocess.Popen | None = None

    def launch(self) -> Node:
        """Start gunicorn (see `wait_ready`)."""
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log_path, "ab") as log:
            self._log_start = log.tell()
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{self.port}", "--workers", str(self.workers),
                 "wsgi:app"], cwd=PROJECT, env=self.env, stdout=log, stderr=log, start_new_session=True)
        return self

    def wait_ready(self, timeout: float = 300) -> Node:
        """Wait until every worker of this launch says it is ready."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process is None or self.process.poll() is not None:
                raise RuntimeError(f"the node on port {self.port} exited; see {self.log_path}")
            with open(self.log_path, "rb") as fh:
                fh.seek(self._log_start)
                if fh.read().decode("utf-8", "replace").count(READY) >= self.workers:
                    return self
            time.sleep(0.1)
        raise RuntimeError(f"the node on port {self.port} did not get ready; see {self.log_path}")

    def start(self, timeout: float = 300) -> Node:
        return self.launch().wait_ready(timeout)

    def kill(self, sig: int = signal.SIGKILL) -> None:
        """Signal the whole node (gunicorn's master and its workers)."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, sig)
            self.process.wait(30)

    def stop(self) -> None:
        self.kill(signal.SIGTERM)


NGINX_CONF = """daemon off;
pid {root}/nginx.pid;
error_log {root}/error.log;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {root}/body; proxy_temp_path {root}/proxy;
    fastcgi_temp_path {root}/fastcgi; uwsgi_temp_path {root}/uwsgi; scgi_temp_path {root}/scgi;
    client_max_body_size 100m;
    upstream searchapp {{ {servers} keepalive 16; }}
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://searchapp;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host $http_host;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_next_upstream error timeout;
        }}
    }}
}}
"""


def _nginx_bin() -> str:
    return shutil.which("nginx") or "/usr/sbin/nginx"


def nginx_available() -> bool:
    return os.access(_nginx_bin(), os.X_OK)


class Nginx:
    """Debian's nginx, unprivileged, balancing requests over the nodes."""

    def __init__(self, ports: list[int], port: int):
        self.root = Path(tempfile.mkdtemp(prefix="searchapp-nginx-"))
        self.port = port
        servers = " ".join(f"server 127.0.0.1:{p};" for p in ports)
        (self.root / "nginx.conf").write_text(NGINX_CONF.format(root=self.root, servers=servers, port=port))
        self.process: subprocess.Popen | None = None

    def start(self) -> Nginx:
        self.process = subprocess.Popen([_nginx_bin(), "-p", str(self.root), "-c", str(self.root / "nginx.conf")],
                                        stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return self
            time.sleep(0.05)
        raise RuntimeError(f"nginx did not start; see {self.root / 'error.log'}")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
        shutil.rmtree(self.root, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8000, help="nginx's port on 127.0.0.1")
    parser.add_argument("--nodes", type=int, default=2)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="searchapp-cluster-"))
    postgres = TempPostgres().start()
    nodes: list[Node] = []
    nginx = None
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    try:
        url = postgres.create_database("searchapp")
        print(f"PostgreSQL: {url}", flush=True)
        env = {**os.environ, "SEARCHAPP_DATABASE_URL": url, "SEARCHAPP_INDEX_DIR": str(work / "import-index")}
        with resources.as_file(resources.files("searchapp") / "demo") as demo:
            subprocess.run([str(Path(sys.executable).with_name("searchapp")), "import", str(demo)], env=env,
                           check=True, cwd=PROJECT)
        nodes = [Node(url, work / f"node{n + 1}" / "index", free_port()).launch() for n in range(args.nodes)]
        for n, node in enumerate(nodes, 1):
            print(f"node {n}: {node.wait_ready().url} (log {node.log_path})", flush=True)
        nginx = Nginx([node.port for node in nodes], args.port).start()
        print(f"serving on http://127.0.0.1:{args.port} (nginx over {len(nodes)} nodes); Ctrl-C stops", flush=True)
        stopped.wait()
    except KeyboardInterrupt:
        pass
    finally:
        if nginx is not None:
            nginx.stop()
        for node in nodes:
            node.stop()
        postgres.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
