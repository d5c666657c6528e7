"""The audit pages: the overview and preview (pages), a section (sections), starting an audit
(start), check your answers and submit (submit), compliance gaps (gaps), the discussion with the
worker and its calendar invite (discussion; SEL-7)."""
