"""The WSGI entry point for gunicorn: `gunicorn wsgi:app`."""

from searchapp import create_app

app = create_app()
