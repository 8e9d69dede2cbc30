"""The MovieLens data sets' vocabularies and formats, in plain Python (no Django, no app).

Shared by the catalog (import, display, search) and the model (genres, title words), so the
site and the model read the data the same way.
"""
