"""The quarterly report as a PDF and as a spreadsheet (QA-3), from quarterly.QuarterlyData.

The PDF is HTML rendered by WeasyPrint through the audit documents' fetcher (local static files
only, BEY-2), its charts drawn by matplotlib as SVG inside the page (no font is fetched: their
text is the PDF's own, in Arial). The spreadsheet has a sheet per table, numbers as numbers, and
Excel's own bar charts of the tables that have a chart in the PDF."""

import io
import logging
import re
from typing import Any

from django.template.loader import render_to_string

from caseaudit.audits.documents import audit_pdf_bytes
from caseaudit.core.calendar import long_date
from caseaudit.reports.quarterly import QuarterlyData, Sheet

SVG_PROPERTIES = re.compile(
    r"^Ignored `(fill|stroke|stroke-[a-z]+|text-anchor|font-[a-z]+|clip-path|opacity)\b"
)


class _SvgStyleNoise(logging.Filter):
    """WeasyPrint's CSS parser warns of the SVG properties in the charts' style attributes (which
    its SVG renderer then uses); those warnings are not news for the council's logs."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not SVG_PROPERTIES.match(record.getMessage())


logging.getLogger("weasyprint").addFilter(_SvgStyleNoise())

COLOURS = ("#1d70b8", "#00703c", "#f47738", "#d4351c", "#4c2c92", "#505a5f")
TEMPLATE = "reports/pdf/quarterly.html"


def _ids_prefixed(svg: str, prefix: str) -> str:
    """matplotlib numbers its SVG's ids afresh in every chart; in one page they must differ."""
    svg = re.sub(r'id="([^"]+)"', lambda m: f'id="{prefix}-{m.group(1)}"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", lambda m: f"url(#{prefix}-{m.group(1)})", svg)
    return re.sub(r'href="#([^"]+)"', lambda m: f'href="#{prefix}-{m.group(1)}"', svg)


def chart_svg(sheet: Sheet, prefix: str = "chart") -> str:
    """A grouped bar chart of the sheet's chart columns, one group per row, as an SVG element."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    with pyplot.rc_context(
        {
            "font.family": "sans-serif",
            "font.sans-serif": ["Arial", "Liberation Sans", "DejaVu Sans"],
            "font.size": 8,
            "svg.fonttype": "none",
        }
    ):
        figure = Figure(figsize=(6.5, 2.6), dpi=100)
        axes = figure.subplots()
        labels = [str(row[0]) for row in sheet.rows]
        count = len(sheet.chart_columns)
        width = 0.8 / max(count, 1)
        for number, column in enumerate(sheet.chart_columns):
            values = [float(row[column] or 0) for row in sheet.rows]
            positions = [index + (number - (count - 1) / 2) * width for index in range(len(labels))]
            axes.bar(
                positions,
                values,
                width=width,
                label=sheet.headers[column],
                color=COLOURS[number % len(COLOURS)],
            )
        axes.set_xticks(range(len(labels)), labels)
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.spines[["top", "right"]].set_visible(False)
        axes.set_ylabel("Audits")
        if count > 1:
            axes.legend(frameon=False, ncols=min(count, 4), loc="upper left", bbox_to_anchor=(0, 1.18))
        figure.tight_layout()
        out = io.StringIO()
        figure.savefig(out, format="svg", metadata={"Date": None})
    svg = out.getvalue()
    return _ids_prefixed(svg[svg.index("<svg") :], prefix)


def quarterly_html(data: QuarterlyData) -> str:
    return render_to_string(
        TEMPLATE,
        {
            "data": data,
            "made_on": long_date(data.made_on),
            "sheets": [
                {
                    "sheet": sheet,
                    "chart": chart_svg(sheet, f"chart{number}") if sheet.chart_columns and sheet.rows else "",
                }
                for number, sheet in enumerate(data.sheets)
                if sheet.name not in ("Summary", "Themes", "Story boards")
            ],
        },
    )


def quarterly_pdf(data: QuarterlyData) -> bytes:
    return audit_pdf_bytes(quarterly_html(data))


def quarterly_xlsx(data: QuarterlyData) -> bytes:
    from openpyxl import Workbook
    from openpyxl.chart import BarChart, Reference
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    cover = workbook.create_sheet("Report")
    cover.append([f"{data.authority}: quality assurance quarterly report"])
    cover.append([data.quarter.label])
    cover.append(
        [f"Made on {long_date(data.made_on)} by caseaudit, for the Policy and Practice Steering Group"]
    )
    cover.append([])
    cover.append(["What we will do next"])
    cover.append([data.next_steps or "Not yet written."])
    cover["A1"].font = Font(bold=True, size=14)
    cover["A5"].font = Font(bold=True)
    cover["A6"].alignment = Alignment(wrap_text=True, vertical="top")
    cover.column_dimensions["A"].width = 100
    for sheet in data.sheets:
        page = workbook.create_sheet(sheet.name[:31])
        page.append([sheet.title])
        page["A1"].font = Font(bold=True, size=12)
        page.append(sheet.headers)
        for cell in page[2]:
            cell.font = Font(bold=True)
        for row in sheet.rows:
            page.append([_cell(value) for value in row])
        if sheet.note:
            page.append([])
            page.append([sheet.note])
        for index, header in enumerate(sheet.headers, start=1):
            longest = max([len(str(header)), *[len(str(row[index - 1] or "")) for row in sheet.rows]])
            page.column_dimensions[page.cell(row=2, column=index).column_letter].width = min(
                max(10, longest + 2), 80
            )
        if sheet.chart_columns and sheet.rows:
            chart = BarChart()
            chart.title = sheet.title
            chart.y_axis.title = "Audits"
            last = 2 + len(sheet.rows)
            for column in sheet.chart_columns:
                values = Reference(page, min_col=column + 1, min_row=2, max_row=last)
                chart.add_data(values, titles_from_data=True)
            chart.set_categories(Reference(page, min_col=1, min_row=3, max_row=last))
            chart.width, chart.height = 18, 8
            page.add_chart(chart, f"{page.cell(row=1, column=len(sheet.headers) + 2).column_letter}2")
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _cell(value: Any) -> Any:
    """Numbers stay numbers; text that a spreadsheet would run as a formula is kept as text."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value
