"""Side by side on the national-shaped file: `notice eval`, `notice screen`,
the same metric checks in DuckDB and pandas, and parsing the CSV alone.

    cargo build --release
    cargo bench --bench national --no-run   # or: cargo run --release --example national -- target/national
    pip install duckdb pandas
    python3 scripts/compare_national.py target/national/observations.csv

Each tool runs in its own process, five times; the best wall time and the
peak memory (max RSS) of its process are printed. The SQL reads what the
Waltham Forest notice's metric checks read: each declared metric's latest
figure as of the date for the council and for England, and the comparisons
with England; the screen query does so for every council at once.
"""

import os
import subprocess
import sys
import time

AS_OF = "2013-01-31"
NOTICE = "notices/waltham-forest-2012.notice"
AUTHORITY = "London Borough of Waltham Forest"
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


def latest_sql(csv, areas_clause):
    metric_list = ", ".join(f"'{m}'" for m in METRICS)
    compared = ", ".join(f"'{m}'" for m in COMPARED)
    return f"""
    WITH rows AS (
      SELECT area, metric, CAST(date AS DATE) AS date, value
      FROM read_csv('{csv}', header = true, all_varchar = true)
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
        clause = "TRUE"
    rows = con.execute(latest_sql(csv, clause)).fetchall()
    print(len(rows), file=sys.stderr)


def run_pandas(csv):
    import pandas as pd
    frame = pd.read_csv(csv, dtype=str)
    frame = frame[frame["metric"].isin(METRICS)]
    frame = frame[frame["area"].isin([AUTHORITY, "England"])]
    frame = frame[frame["date"] <= AS_OF]
    latest = frame.sort_values("date").groupby(["area", "metric"]).tail(1)
    print(len(latest), file=sys.stderr)


def run_csv_alone(csv):
    import csv as pycsv
    with open(csv, newline="") as f:
        print(sum(1 for _ in pycsv.reader(f)), file=sys.stderr)


def measure(argv):
    """Best wall time (s) and peak RSS (MB) of a command over five runs."""
    best, peak = None, 0
    for _ in range(5):
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) not in (0, 1):
            raise SystemExit(f"{argv} failed")
        best = elapsed if best is None else min(best, elapsed)
        peak = max(peak, usage.ru_maxrss / 1024)
    return best, peak


def main():
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        mode, csv = sys.argv[2], sys.argv[3]
        if mode.startswith("duckdb-"):
            run_duckdb(csv, mode.removeprefix("duckdb-"))
        elif mode == "pandas":
            run_pandas(csv)
        return
    csv = sys.argv[1] if len(sys.argv) > 1 else "target/national/observations.csv"
    notice = ["target/release/notice"]
    me = [sys.executable, __file__, "--child"]
    rows = [
        ("notice eval (Waltham Forest)", notice + ["eval", NOTICE, "--data", csv, "--only-data", "--as-of", AS_OF]),
        ("DuckDB, the same metric checks", me + ["duckdb-eval", csv]),
        ("pandas, the latest figures", me + ["pandas", csv]),
        ("notice screen (152 councils)", notice + ["screen", NOTICE, "--data", csv, "--as-of", AS_OF]),
        ("DuckDB, the checks for every council", me + ["duckdb-screen", csv]),
        ("csv crate, parsing alone", ["target/release/examples/csv_parse", csv]),
    ]
    size = os.path.getsize(csv) / 1e6
    print(f"{csv}: {size:.0f} MB")
    print(f"| run | best of 5 (s) | peak memory (MB) |\n| --- | --- | --- |")
    for name, argv in rows:
        if not os.path.exists(argv[0]):
            print(f"| {name} | not built: {argv[0]} | |")
            continue
        seconds, peak = measure(argv)
        print(f"| {name} | {seconds:.2f} | {peak:.0f} |")


if __name__ == "__main__":
    main()
