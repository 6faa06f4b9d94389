"""The baseline for `make bench`: a bare Flask app rendering a 50-item Jinja loop."""

from flask import Flask, render_template_string

app = Flask(__name__)

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Baseline</title></head>
<body><h1>Baseline</h1><ul>{% for item in items %}<li>{{ item.title }}: {{ item.text }}</li>
{% endfor %}</ul></body></html>"""
ITEMS = [{"title": f"Item {i}", "text": f"Some text for item number {i}."} for i in range(50)]


@app.get("/")
def index():
    return render_template_string(PAGE, items=ITEMS)
