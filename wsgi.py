"""The WSGI entry point: gunicorn wsgi:app, flask --app wsgi COMMAND."""

from contest import create_app

app = create_app()
