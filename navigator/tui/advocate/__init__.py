"""Advocate mode: the drop-in session tool (`navigator advocate --site SITE`).

The same engine, records and widgets as the resident app, laid out for an
advocate sitting beside a resident: the conversation, a side panel with the
facts so far and why each service fits or was ruled out, jumps to any topic
or earlier answer, a direct service search, a quick unmet-need record and a
summary the resident takes away.
"""
