"""Writes a tidy published-statistics file with ward rows, for measuring
`notice screen` and `eval --area` on it: per year, England, the nine regions,
152 councils and 54 wards of each (8,370 rows a year). Figures and council
names are synthetic (`Council 000` ...), except Waltham Forest's code.

    python3 scripts/published_wards.py OUT.csv YEARS   # 120 years: 1,004,401 rows
    notice screen tests/cases/data/published.notice --data OUT.csv --as-of 2013-06-30
"""

import random
import sys

REGIONS = ["North East", "North West", "Yorkshire and The Humber", "East Midlands",
           "West Midlands", "East of England", "London", "South East", "South West"]
COUNCILS = [f"Council {i:03}" for i in range(151)] + ["Waltham Forest"]


def main():
    out, years = sys.argv[1], int(sys.argv[2])
    rng = random.Random(5)
    figures = lambda: f"{rng.randint(0, 300) / 10},{rng.randint(0, 500) / 10}"
    with open(out, "w") as f:
        f.write("time_period,time_identifier,geographic_level,country_code,country_name,"
                "region_code,region_name,new_la_code,la_name,ward_name,repeat_cpp_percent,cpp_rate\n")
        for year in range(1900, 1900 + years):
            f.write(f"{year},Reporting year,National,E92000001,England,,,,,,{figures()}\n")
            for region in REGIONS:
                f.write(f"{year},Reporting year,Regional,E92000001,England,E1200000,{region},,,,{figures()}\n")
            for i, council in enumerate(COUNCILS):
                code = "E09000031" if council == "Waltham Forest" else f"E0800{i:04}"
                region = REGIONS[i % 9]
                f.write(f"{year},Reporting year,Local authority,E92000001,England,E1200000,{region},{code},{council},,{figures()}\n")
                for ward in range(54):
                    f.write(f"{year},Reporting year,Ward,E92000001,England,E1200000,{region},{code},{council},Ward {ward},{figures()}\n")


if __name__ == "__main__":
    main()
