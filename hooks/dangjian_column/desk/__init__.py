"""写稿台: the browser editing desk of the preview server (Decap CMS on the same Markdown files).

``config`` makes Decap's configuration from the content model, ``backend`` answers Decap's local-backend
protocol on the project folder (writing only under content/ and branches/), ``server`` runs it on
127.0.0.1 beside ``mkdocs serve``, ``admin`` holds the /admin/ page and the vendored Decap bundle.
"""
