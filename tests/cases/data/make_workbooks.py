"""Writes the workbook fixtures beside this script (openpyxl and odfpy):
    python3 tests/cases/data/make_workbooks.py
Figures illustrative. The files are kept in the repository; this script says
how they were made."""

import datetime
import pathlib

import openpyxl
from odf.opendocument import OpenDocumentSpreadsheet
from odf.table import Table, TableRow, TableCell
from odf.text import P

HERE = pathlib.Path(__file__).parent


def board_xlsx():
    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "Notes"
    notes.append(["Figures for the board: illustrative"])
    figures = book.create_sheet("Figures")
    figures.append(["area", "metric", "date", "value", "source"])
    rows = [
        ("Somewhere", "visits", datetime.date(2012, 5, 31), 0.61, "illustrative"),
        ("Somewhere", "visits", datetime.date(2012, 6, 30), 0.885, "illustrative"),
        ("England", "visits", datetime.date(2012, 6, 30), 0.88, "illustrative"),
        ("Somewhere", "caseload", datetime.date(2012, 6, 30), 14.5, "illustrative"),
    ]
    for area, metric, date, value, source in rows:
        figures.append([area, metric, date, value, source])
        row = figures.max_row
        figures.cell(row, 3).number_format = "dd/mm/yyyy"
        if metric == "visits":
            figures.cell(row, 4).number_format = "0.0%"
    evidence = book.create_sheet("Evidence")
    evidence.append(["kind", "date", "reference"])
    evidence.append(["action_plan", "2012-02-20", "illustrative: minutes, item 4"])
    book.save(HERE / "board.xlsx")


def errors_xlsx():
    book = openpyxl.Workbook()
    figures = book.active
    figures.title = "Figures"
    figures.append(["area", "metric", "date", "value"])
    figures.append(["Somewhere", "visits", datetime.datetime(2012, 5, 31, 9, 30), 0.61])
    figures.cell(2, 3).number_format = "dd/mm/yyyy hh:mm"
    figures.cell(2, 4).number_format = "0%"
    figures.append(["Somewhere", "visits", datetime.date(2012, 6, 30), "ninety"])
    figures.cell(3, 3).number_format = "dd/mm/yyyy"
    book.save(HERE / "board_errors.xlsx")


def board_ods():
    doc = OpenDocumentSpreadsheet()
    table = Table(name="Figures")

    def row(*cells):
        tr = TableRow()
        for kind, value, shown in cells:
            if kind == "string":
                tc = TableCell(valuetype="string")
            elif kind == "date":
                tc = TableCell(valuetype="date", datevalue=value)
            else:
                tc = TableCell(valuetype=kind, value=value)
            tc.addElement(P(text=shown))
            tr.addElement(tc)
        table.addElement(tr)

    row(("string", "", "area"), ("string", "", "metric"), ("string", "", "date"), ("string", "", "value"))
    row(("string", "", "Somewhere"), ("string", "", "visits"), ("date", "2012-06-30", "30/06/2012"), ("percentage", "0.885", "88.5%"))
    row(("string", "", "England"), ("string", "", "visits"), ("date", "2012-06-30", "30/06/2012"), ("percentage", "0.88", "88%"))
    doc.spreadsheet.addElement(table)
    doc.save(str(HERE / "board.ods"))


board_xlsx()
errors_xlsx()
board_ods()
