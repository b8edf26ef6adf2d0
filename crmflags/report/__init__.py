"""The visual risk report: one self-contained HTML page (``crmflags report``).

:mod:`~crmflags.report.data` gathers what the page shows, :mod:`~crmflags.report.charts`
lays out its SVG charts, :mod:`~crmflags.report.labels` holds its words in each
language and :mod:`~crmflags.report.render` turns it into HTML.
"""
