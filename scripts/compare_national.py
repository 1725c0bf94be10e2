"""Side by side on the national-shaped file: `notice eval`, `eval --area`,
`timeline`, `screen` (with the bundled notice, and with one declaring every
metric of the file, as a national library would), the same metric checks in
DuckDB, polars (lazy `scan_csv`) and pandas, and parsing the CSV alone with
the csv crate (the floor any CSV tool stands on); then a 200,000-row
workbook evaluated beside `polars.read_excel` of the same sheet.

    pip install duckdb polars pandas fastexcel openpyxl
    cargo run --release --example national -- target/national
    python3 scripts/compare_national.py target/national/observations.csv [MORE.csv ...]

`NOTICE_BIN=path` runs another build of notice in place of target/release/notice.

The script builds what it runs (`cargo build --release --bins --example
csv_parse`). Runs are interleaved (round after round of every runner, five
rounds) and each runner's median wall time and peak memory (max RSS of its
process) are printed, then the ratios the targets are stated in. A runner
that fails (a missing module, a crash, a wrong count) stops the script
with its error: no figure is printed for a run that did not happen.

The SQL and the data frames read what the Waltham Forest notice's metric
checks read: each declared metric's latest figure as of the date for the
council and for England, and the comparisons with England; the screen does
so for every council (`geographic_level` "Local authority") at once. They
do not replay deadlines, windows and policies: they are the data work of
the checks, which is what the comparison measures.
"""

import os
import shutil
import statistics
import subprocess
import sys
import time
import traceback

AS_OF = "2013-01-31"
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NOTICE = "notices/waltham-forest-2012.notice"
AUTHORITY = "London Borough of Waltham Forest"
QUOTED_COUNCIL = "Bristol, City of"
# The metrics the notice declares (its own and its library's).
METRICS = [
    "ofsted_safeguarding", "ofsted_lac", "annual_assessment", "icpc_within_15wd",
    "ia_within_7wd", "ca_within_35wd", "rereferral_12m", "cp_review_in_time",
    "cp_repeat_plan", "cp_ended_2yr_plus", "cp_visits_in_time", "unallocated_cases",
    "lac_3plus_placements", "lac_long_term_stability", "lac_placed_over_20_miles",
    "lac_health_assessment", "lac_dental_check", "care_leaver_19_eet", "adoption_a1",
    "adoption_a2", "sw_vacancy_rate", "sw_agency_rate", "sw_caseload",
    "icpc_average_days", "managers_auditing", "lac_adopted", "lac_ks4_5ac",
]
COMPARED = ["icpc_within_15wd", "lac_health_assessment", "cp_visits_in_time"]
ROUNDS = 5


def latest_sql(csv, areas_clause):
    metric_list = ", ".join(f"'{m}'" for m in METRICS)
    compared = ", ".join(f"'{m}'" for m in COMPARED)
    return f"""
    WITH rows AS (
      SELECT area, metric, CAST(date AS DATE) AS date, value
      FROM read_csv('{csv}', header = true, all_varchar = true, delim = ',', quote = '"', escape = '"')
      WHERE metric IN ({metric_list}) AND {areas_clause}
        AND CAST(date AS DATE) <= DATE '{AS_OF}'
    ),
    latest AS (
      SELECT area, metric, arg_max(value, date) AS value, max(date) AS date
      FROM rows GROUP BY area, metric
    ),
    figures AS (
      SELECT area, metric,
             TRY_CAST(replace(value, '%', '') AS DECIMAL(18, 4)) AS number
      FROM latest
    )
    SELECT c.area, c.metric, c.number >= e.number AS met
    FROM figures c JOIN figures e ON e.metric = c.metric AND e.area = 'England'
    WHERE c.area <> 'England' AND c.metric IN ({compared})
    ORDER BY c.area, c.metric
    """


def run_duckdb(csv, mode):
    import duckdb
    con = duckdb.connect()
    if mode == "eval":
        clause = f"area IN ('{AUTHORITY}', 'England')"
    else:
        clause = "(geographic_level IN ('Local authority', 'National'))"
    rows = con.execute(latest_sql(csv, clause)).fetchall()
    return len(rows)


def run_polars(csv, mode):
    import polars as pl
    frame = pl.scan_csv(csv, infer_schema=False)
    keep = pl.col("metric").is_in(METRICS) & (pl.col("date") <= AS_OF)
    if mode == "eval":
        keep = keep & pl.col("area").is_in([AUTHORITY, "England"])
    else:
        keep = keep & pl.col("geographic_level").is_in(["Local authority", "National"])
    latest = (
        frame.filter(keep)
        .group_by(["area", "metric"])
        .agg(pl.col("value").sort_by("date").last())
        .with_columns(
            pl.col("value").str.replace("%", "").cast(pl.Float64, strict=False).alias("number")
        )
    )
    council = latest.filter((pl.col("area") != "England") & pl.col("metric").is_in(COMPARED))
    england = latest.filter(pl.col("area") == "England").select(
        "metric", pl.col("number").alias("england")
    )
    checks = council.join(england, on="metric").with_columns(
        (pl.col("number") >= pl.col("england")).alias("met")
    )
    return checks.collect().height


def run_polars_excel(book):
    import polars as pl
    return pl.read_excel(book, sheet_name="observations").height


def run_pandas(csv):
    import pandas as pd
    frame = pd.read_csv(csv, dtype=str)
    frame = frame[frame["metric"].isin(METRICS)]
    frame = frame[frame["area"].isin([AUTHORITY, "England"])]
    frame = frame[frame["date"] <= AS_OF]
    latest = frame.sort_values("date").groupby(["area", "metric"]).tail(1)
    return len(latest)


def child(mode, csv):
    """Runs one comparison in this process; any failure exits 3, loudly."""
    try:
        if mode == "polars-excel":
            n = run_polars_excel(csv)
        elif mode.startswith("duckdb-"):
            n = run_duckdb(csv, mode.removeprefix("duckdb-"))
        elif mode.startswith("polars-"):
            n = run_polars(csv, mode.removeprefix("polars-"))
        elif mode == "pandas":
            n = run_pandas(csv)
        else:
            raise SystemExit(f"unknown comparison {mode}")
        if n == 0:
            raise RuntimeError(f"{mode} found no rows")
        print(n, file=sys.stderr)
    except Exception:
        traceback.print_exc()
        sys.exit(3)


def measure_all(rows):
    """Median wall time and peak RSS of each runner over interleaved rounds."""
    times = {name: [] for name, _, _ in rows}
    peaks = {name: 0.0 for name, _, _ in rows}
    # A child's maximum resident size counts what it had before `exec`: a
    # fork of this Python process. GNU time, where there is one, measures
    # the command itself (it forks from a process a few MB in size).
    gnu_time = os.path.exists("/usr/bin/time")
    peak_file = os.path.join(ROOT, "target/national/.peak")
    for _ in range(ROUNDS):
        for name, argv, accepted in rows:
            run = ["/usr/bin/time", "-f", "%M", "-o", peak_file] + argv if gnu_time else argv
            start = time.perf_counter()
            proc = subprocess.Popen(run, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            err = proc.stderr.read()
            _, status, usage = os.wait4(proc.pid, 0)
            elapsed = time.perf_counter() - start
            code = os.waitstatus_to_exitcode(status)
            if code not in accepted:
                sys.exit(f"{name} failed (exit {code}):\n{err.decode(errors='replace')[-3000:]}")
            times[name].append(elapsed)
            if gnu_time:
                with open(peak_file) as f:
                    kb = int(f.read().split()[-1])
            else:
                kb = usage.ru_maxrss
            peaks[name] = max(peaks[name], kb / 1024)
    return {name: (statistics.median(times[name]), peaks[name]) for name in times}


def measured_table(title, rows):
    """Measures the rows side by side and prints them as a table."""
    print(f"\n{title}, medians of {ROUNDS} interleaved rounds\n")
    figures = measure_all(rows)
    print("| run | median (s) | peak memory (MB) |\n| --- | --- | --- |")
    for name, _, _ in rows:
        seconds, peak = figures[name]
        print(f"| {name} | {seconds:.2f} | {peak:.0f} |")
    return figures


def all_metrics_notice(csv):
    """The Waltham Forest notice with a library declaring every metric of the
    file (`indicator_000` ...), as a national library would; its path."""
    import csv as pycsv
    names = set()
    with open(csv, newline="") as f:
        reader = pycsv.reader(f)
        header = next(reader)
        col = header.index("metric")
        for i, row in enumerate(reader):
            names.add(row[col])
            if i > 200_000:
                break
    folder = os.path.join(ROOT, "target/national/all-metrics")
    os.makedirs(os.path.join(folder, "lib"), exist_ok=True)
    shutil.copy(os.path.join(ROOT, "notices/lib/indicators.notice"), os.path.join(folder, "lib"))
    declared = set(METRICS)
    with open(os.path.join(folder, "lib/national.notice"), "w") as out:
        out.write("// Every metric of the generated national file (synthetic names).\nlibrary national {\n")
        for name in sorted(names - declared):
            out.write(f'  metric {name} : percent "{name.replace("_", " ").capitalize()}"\n')
        out.write("}\n")
    with open(os.path.join(ROOT, NOTICE)) as f:
        text = f.read()
    text = text.replace('use "lib/indicators.notice"', 'use "lib/indicators.notice"\nuse "lib/national.notice"', 1)
    path = os.path.join(folder, "waltham-forest-2012.notice")
    with open(path, "w") as out:
        out.write(text)
    return path, len(names | declared)


def compare(csv):
    # NOTICE_BIN runs another build of notice (an earlier commit's) in its place.
    notice = [os.environ.get("NOTICE_BIN", os.path.join(ROOT, "target/release/notice"))]
    me = [sys.executable, os.path.abspath(__file__), "--child"]
    wide_notice, declared = all_metrics_notice(csv)
    # The council whose name holds a comma, as the file writes it.
    with open(csv, "rb") as f:
        quoted = any(b'"' + QUOTED_COUNCIL.encode() + b'"' in chunk for chunk in iter(lambda: f.read(1 << 24), b""))
    area = QUOTED_COUNCIL if quoted else QUOTED_COUNCIL.replace(",", "")
    evaluate = notice + ["eval", NOTICE, "--data", csv, "--only-data", "--as-of", AS_OF]
    rows = [
        ("notice eval", evaluate, (0, 1)),
        (f"notice eval --area \"{area}\"", evaluate + ["--area", area], (0, 1)),
        ("notice timeline, 120 months", notice + ["timeline", NOTICE, "--data", csv, "--only-data",
                                                  "--from", "2007-01-01", "--to", "2016-12-01"], (0, 1)),
        ("notice screen, 152 councils", notice + ["screen", NOTICE, "--data", csv, "--as-of", AS_OF], (0, 1)),
        (f"notice screen, {declared} metrics declared", notice + ["screen", wide_notice, "--data", csv,
                                                                  "--as-of", AS_OF], (0, 1)),
        ("DuckDB, the metric checks", me + ["duckdb-eval", csv], (0,)),
        ("DuckDB, the checks for every council", me + ["duckdb-screen", csv], (0,)),
        ("polars (lazy), the metric checks", me + ["polars-eval", csv], (0,)),
        ("polars (lazy), the checks for every council", me + ["polars-screen", csv], (0,)),
        ("pandas, the latest figures", me + ["pandas", csv], (0,)),
        ("csv crate, parsing alone", [os.path.join(ROOT, "target/release/examples/csv_parse"), csv], (0,)),
    ]
    figures = measured_table(f"{csv}: {os.path.getsize(csv) / 1e6:.0f} MB", rows)
    t = {name: s for name, (s, _) in figures.items()}
    names = [name for name, _, _ in rows]
    ratio = lambda a, b: t[names[a]] / t[names[b]]
    print()
    print(f"eval / DuckDB {ratio(0, 5):.2f}×, eval / polars {ratio(0, 7):.2f}×, "
          f"eval / csv crate {ratio(0, 10):.2f}×")
    print(f"screen / DuckDB's checks for every council {ratio(3, 6):.2f}×, "
          f"screen with every metric declared / DuckDB {ratio(4, 6):.2f}×")
    print(f"eval --area / eval {ratio(1, 0):.2f}×, 120-month timeline / eval {ratio(2, 0):.2f}×")


WORKBOOK_NOTICE = """notice board {
  title "A board's workbook" authority "London Borough of Waltham Forest" issued 2012-01-23
  data "board-200k.xlsx"
  metric icpc_within_15wd : percent, higher is better "Conferences within 15 working days"
  measure "1" "Conferences" {
    text "Conferences at least as timely as England's."
    require icpc_within_15wd >= icpc_within_15wd[England]
  }
}
"""


def workbook():
    """A 200,000-row sheet of figures (synthetic), percents and dates styled
    as a spreadsheet styles them, written once with openpyxl; its notice."""
    folder = os.path.join(ROOT, "target/national")
    book = os.path.join(folder, "board-200k.xlsx")
    if not os.path.exists(book):
        import datetime
        import openpyxl
        from openpyxl.cell import WriteOnlyCell
        wb = openpyxl.Workbook(write_only=True)
        ws = wb.create_sheet("observations")
        ws.append(["area", "metric", "date", "value"])
        areas = [AUTHORITY, "England", QUOTED_COUNCIL, "Leeds", "Kent"]
        metrics = ["icpc_within_15wd", "lac_health_assessment", "cp_visits_in_time", "indicator_001", "indicator_002"]
        start = datetime.date(2000, 1, 31)
        for n in range(200_000):
            value = WriteOnlyCell(ws, value=(n * 7919 % 1000) / 1000)
            value.number_format = "0.0%"
            day = WriteOnlyCell(ws, value=start + datetime.timedelta(days=n // 25))
            day.number_format = "yyyy-mm-dd"
            ws.append([areas[n // 5 % 5], metrics[n % 5], day, value])
        wb.save(book + ".part")
        os.replace(book + ".part", book)
    notice = os.path.join(folder, "board.notice")
    with open(notice, "w") as out:
        out.write(WORKBOOK_NOTICE)
    return book, notice


def compare_workbook():
    book, notice = workbook()
    me = [sys.executable, os.path.abspath(__file__), "--child"]
    binary = os.environ.get("NOTICE_BIN", os.path.join(ROOT, "target/release/notice"))
    rows = [
        ("notice eval, a 200,000-row workbook", [binary, "eval", notice, "--as-of", "2013-01-31"], (0, 1)),
        ("polars.read_excel (calamine), the same sheet", me + ["polars-excel", book], (0,)),
    ]
    figures = measured_table(f"{book}: {os.path.getsize(book) / 1e6:.1f} MB", rows)
    print(f"\nworkbook eval / polars.read_excel {figures[rows[0][0]][0] / figures[rows[1][0]][0]:.2f}×")


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
        return
    # `--workbook` runs the workbook comparison alone.
    only_workbook = sys.argv[1:] == ["--workbook"]
    files = [] if only_workbook else (sys.argv[1:] or ["target/national/observations.csv"])
    files = [os.path.abspath(f) for f in files]
    for f in files:
        if not os.path.exists(f):
            sys.exit(f"{f} does not exist: cargo run --release --example national -- target/national")
    # Found, not imported: a child forked from a parent that had imported
    # them would start with their memory, and every peak would include it.
    import importlib.util
    for module in ("duckdb", "polars", "pandas", "fastexcel", "openpyxl"):
        if importlib.util.find_spec(module) is None:
            sys.exit(f"the comparison needs {module}: pip install duckdb polars pandas fastexcel openpyxl")
    subprocess.run(["cargo", "build", "--release", "--bins", "--example", "csv_parse"], cwd=ROOT, check=True)
    for f in files:
        compare(f)
    compare_workbook()


if __name__ == "__main__":
    main()
