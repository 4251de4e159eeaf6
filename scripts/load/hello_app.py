"""The yardstick: the smallest Flask app, served by the same gunicorn.conf.py as the contest.

.venv/bin/gunicorn -c gunicorn.conf.py --pythonpath scripts/load --bind 127.0.0.1:8001 hello_app:app
"""

from flask import Flask, jsonify

app = Flask(__name__)


@app.get("/hello")
def hello():
    return jsonify(hello="world")
