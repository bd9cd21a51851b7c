"""Reports for supervisors and cron: the daily summary and the weekly and monthly reviews.

period     which local days a report covers, in the site zone
selection  the records of the period plus those carried over open from earlier days
figures    pure functions from records and slots to numbers
build      the report as one plain, JSON-ready document (the other areas' computations:
           deadlines, attendance, roster, imported where used, never repeated)
layout     that document as titled sections (blocks: facts, tables, notes, charts)
render     text, markdown, JSON and self-contained HTML (inline CSS and SVG charts: charts)
portfolio  one review across many sites (laid out by portfolio_layout)
"""
