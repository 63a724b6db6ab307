"""The `searchapp` command: thin wrappers over the pipeline and the app factory."""

from __future__ import annotations

import gzip
import os
import shutil
import sys
from importlib import resources
from pathlib import Path

import click
from tqdm import tqdm

from searchapp import create_app, settings
from searchapp.accounts import ROLES, AccountError, Users
from searchapp.archive import Archive
from searchapp.extract.review import doubtful_entities
from searchapp.ingest.readers import expand_paths
from searchapp.names.lookup import NameIndex
from searchapp.names.registry import Registry, RegistryError

DEMO_CORPUS = resources.files("searchapp") / "demo"


def _config() -> dict:
    return settings.load()


def _count_items(paths: list[str]) -> int | None:
    """Number of items to import (lines of JSONL files, one per other file), for the ETA."""
    total = 0
    for path in expand_paths(paths):
        name = path.name.lower()
        try:
            if name.endswith(".jsonl.gz"):
                with gzip.open(path, "rb") as fh:
                    total += sum(1 for line in fh if line.strip())
            elif name.endswith(".jsonl"):
                with open(path, "rb") as fh:
                    total += sum(1 for line in fh if line.strip())
            else:
                total += 1
        except (OSError, EOFError, gzip.BadGzipFile):
            total += 1
    return total


@click.group()
@click.version_option(package_name="searchapp")
def main() -> None:
    """searchapp: search news about Russia, Ukraine and Belarus."""


@main.command("import")
@click.argument("paths", nargs=-1, required=True)
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option("--tolerate-failures", is_flag=True, help="Exit 0 even when some items could not be imported.")
def import_command(paths: tuple[str, ...], quiet: bool, tolerate_failures: bool) -> None:
    """Import .jsonl(.gz), .txt and .html files or folders of them (exit status 1 if any item failed)."""
    archive = Archive.from_config(_config())
    bar = tqdm(total=_count_items(list(paths)), unit="doc", disable=quiet, file=sys.stderr, smoothing=0.1)
    try:
        summary = archive.import_paths(list(paths), progress=bar.update)
    finally:
        bar.close()
        archive.close()
    for error in summary.failed:
        click.echo(f"failed: {error.where}: {error.reason}", err=True)
    click.echo(f"added {summary.added}, updated {summary.updated}, skipped {summary.skipped}, "
               f"failed {len(summary.failed)}")
    if summary.failed and not tolerate_failures:
        sys.exit(1)


@main.command("reindex")
@click.option("--quiet", is_flag=True, help="No progress bar.")
def reindex_command(quiet: bool) -> None:
    """Rebuild the index from the stored documents."""
    archive = Archive.from_config(_config())
    bar = tqdm(total=archive.store.count(), unit="doc", disable=quiet, file=sys.stderr)
    count = archive.reindex(progress=bar.update)
    bar.close()
    archive.close()
    click.echo(f"reindexed {count} documents")


@main.command("serve")
@click.option("--host", default="127.0.0.1")
@click.option("--port", default=8000, type=int)
def serve_command(host: str, port: int) -> None:
    """Run the development server (use gunicorn wsgi:app in production)."""
    create_app().run(host=host, port=port, threaded=False)


@main.command("demo")
@click.option("--bind", default="127.0.0.1:8000", help="Address for gunicorn.")
@click.option("--workers", default=2, type=int)
@click.option("--fresh", is_flag=True, help="Start from an empty store and index.")
def demo_command(bind: str, workers: int, fresh: bool) -> None:
    """Import the bundled demo corpus and serve it with gunicorn."""
    config = _config()
    if fresh:
        shutil.rmtree(config["INDEX_DIR"], ignore_errors=True)
        Path(config["DB"]).unlink(missing_ok=True)
    archive = Archive.from_config(config)
    with resources.as_file(DEMO_CORPUS) as folder:
        summary = archive.import_paths([str(folder)])
    archive.close()
    click.echo(f"demo corpus: added {summary.added}, updated {summary.updated}, skipped {summary.skipped}, "
               f"failed {len(summary.failed)}")
    os.environ["SEARCHAPP_INDEX_DIR"] = os.path.abspath(config["INDEX_DIR"])
    os.environ["SEARCHAPP_DB"] = os.path.abspath(config["DB"])
    click.echo(f"serving on http://{bind}")
    os.execvp(sys.executable, [sys.executable, "-m", "gunicorn", "-c", "python:searchapp.gunicorn_conf",
                               "--bind", bind, "--workers", str(workers), "searchapp:create_app()"])
@main.group("user")
def user_group() -> None:
    """Accounts: archivists add documents and teach names; readers need none."""


@user_group.command("add")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), default="archivist", show_default=True)
def user_add(name: str, role: str) -> None:
    """Create a user; the password comes from SEARCHAPP_PASSWORD or a prompt."""
    password = os.environ.get("SEARCHAPP_PASSWORD") or click.prompt(
        "Password", hide_input=True, confirmation_prompt=True)
    users = Users(settings.store(_config()))
    try:
        users.add(name, password, role)
    except AccountError as exc:
        _fail(exc)
    finally:
        users.close()
    click.echo(f"created {role} '{name}'")


@main.group("token")
def token_group() -> None:
    """API tokens: they carry the role of their user."""


@token_group.command("create")
@click.argument("user")
def token_create(user: str) -> None:
    """Print a new API token for USER (alone on stdout; it is not shown again)."""
    users = Users(settings.store(_config()))
    try:
        _, token = users.create_token(user)
    except AccountError as exc:
        _fail(exc)
    finally:
        users.close()
    click.echo(token)


@token_group.command("revoke")
@click.argument("token_or_id")
def token_revoke(token_or_id: str) -> None:
    """Revoke a token (given itself or its id)."""
    users = Users(settings.store(_config()))
    revoked = users.revoke_token(token_or_id)
    users.close()
    if not revoked:
        raise click.ClickException("No such live token")
    click.echo("revoked", err=True)


@main.group("trash")
def trash_group() -> None:
    """Deleted documents: restore one, or purge those older than SEARCHAPP_TRASH_DAYS."""


@trash_group.command("restore")
@click.argument("doc_id")
def trash_restore(doc_id: str) -> None:
    """Bring DOC_ID back from the trash into the archive and the index, with its corrections."""
    archive = Archive.from_config(_config())
    restored = archive.restore(doc_id)
    archive.close()
    if restored is None:
        raise click.ClickException(f"'{doc_id}' is not in the trash")
    click.echo(f"restored {doc_id}")


@trash_group.command("purge")
def trash_purge() -> None:
    """Forget deleted documents older than SEARCHAPP_TRASH_DAYS days for good."""
    config = _config()
    archive = Archive.from_config(config)
    click.echo(f"purged {archive.purge_trash(config['TRASH_DAYS'])} documents")
    archive.close()


@main.group("alias")
def alias_group() -> None:
    """Teach the name registry: show, add a spelling, merge two entities, split a spelling off."""


def _registry() -> Registry:
    registry = Registry(settings.store(_config()))
    registry.ensure_seeded()
    return registry


def _fail(exc: Exception) -> None:
    raise click.ClickException(str(exc))


@alias_group.command("show")
@click.argument("name")
def alias_show(name: str) -> None:
    """What NAME means and which spellings are searched for it."""
    found = NameIndex.from_registry(_registry()).describe(name)
    if found is None:
        raise click.ClickException(f"No person or place is known by the name '{name}'")
    for entity in found["entities"]:
        click.echo(f"{entity['id']}  {entity['labels']['en']}  ({found['how']})")
    click.echo("searched: " + ", ".join(found["variants"]))


@alias_group.command("add")
@click.argument("entity_id")
@click.argument("spelling")
def alias_add(entity_id: str, spelling: str) -> None:
    """Add SPELLING to ENTITY_ID (effective in search at once)."""
    _archive_edit(lambda a: a.add_spelling(entity_id, spelling))
    click.echo(f"added '{spelling}' to {entity_id}")


@alias_group.command("merge")
@click.argument("source_id")
@click.argument("target_id")
def alias_merge(source_id: str, target_id: str) -> None:
    """Merge SOURCE_ID into TARGET_ID and reindex the documents that named it."""
    moved = _archive_edit(lambda a: a.merge_entities(source_id, target_id))
    click.echo(f"merged {source_id} into {target_id}; {moved} documents reindexed")


def _archive_edit(edit):
    """Run an edit of the registry through the archive; a refused one is a clean error."""
    archive = Archive.from_config(_config())
    try:
        return edit(archive)
    except RegistryError as exc:
        _fail(exc)
    finally:
        archive.close()


@alias_group.command("review")
def alias_review() -> None:
    """List doubtful automatic entities (not a name, or a duplicate), with what to do about each."""
    doubts = doubtful_entities(NameIndex.from_registry(_registry()))
    for doubt in doubts:
        action = f"searchapp alias merge {doubt.entity_id} {doubt.merge_into}" if doubt.merge_into else \
            f"searchapp alias delete {doubt.entity_id}"
        click.echo(f"{doubt.entity_id}\t{doubt.label}\t{doubt.reason}\t{action}")
    click.echo(f"{len(doubts)} doubtful entities", err=True)


@alias_group.command("delete")
@click.argument("entity_id")
def alias_delete(entity_id: str) -> None:
    """Delete ENTITY_ID (a wrong automatic entity) and take it off the documents naming it."""
    moved = _archive_edit(lambda a: a.delete_entity(entity_id))
    click.echo(f"deleted {entity_id}; {moved} documents reindexed")


@alias_group.command("split")
@click.argument("entity_id")
@click.argument("spelling")
@click.option("--new-id", default="", help="Make the spelling an entity of its own (person:... or place:...).")
def alias_split(entity_id: str, spelling: str, new_id: str) -> None:
    """Take a wrong SPELLING off ENTITY_ID."""
    _archive_edit(lambda a: a.split(entity_id, spelling, new_id))
    click.echo(f"removed '{spelling}' from {entity_id}" + (f"; created {new_id}" if new_id else ""))


if __name__ == "__main__":
    main()
