"""The web pages for people (Danish): search, browse, overlaps, topics and a SPARQL editor.

Server-side Jinja2 templates over the same pure functions as the JSON API, small vanilla JS files in
static/js, and vendored front-end packages in static/vendor (see scripts/vendor-frontend.sh).
"""
