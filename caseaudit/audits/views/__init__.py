"""The audit pages: the overview and preview (pages), a section (sections), starting an audit
(start), check your answers and submit (submit), compliance gaps (gaps)."""
