//! A deterministic national-shaped data set: every council in England and
//! England itself, hundreds of metrics, ten years of months. The figures are
//! synthetic (a seeded generator, not statistics); the council names are
//! synthetic too, except the notice's own authority and England, whose rows
//! for the notice's metrics are the bundled rows, copied as they are. It is
//! the shape of the Department's data that matters here, for benchmarks and
//! for the test that a national file gives the bundled verdicts.
//!
//! Used by the benchmarks, the tests and `cargo run --release --example
//! national` (which writes the file).

#![allow(dead_code)]

use std::io::Write;

use notice_rules::check::Notice;
use notice_rules::check::Unit;

/// The shape of the data set.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    /// Councils, the notice's authority among them.
    pub councils: usize,
    /// Metrics in all: the notice's own, then synthetic ones no notice declares.
    pub metrics: usize,
    /// Months of figures, from January 2007.
    pub months: usize,
}

impl Shape {
    /// 152 councils and England × 550 metrics × 120 months: about 10 million rows.
    pub const NATIONAL: Shape = Shape {
        councils: 152,
        metrics: 550,
        months: 120,
    };
    /// The same layout, small enough for a test.
    pub const SMALL: Shape = Shape {
        councils: 6,
        metrics: 40,
        months: 120,
    };
}

/// The name of the `i`th synthetic council.
pub fn council(i: usize) -> String {
    format!("Council {i:03}")
}

/// The areas of a data set: England, the authority, then synthetic councils.
pub fn areas(notice: &Notice, shape: Shape) -> Vec<String> {
    let mut out = vec!["England".to_string(), notice.authority.clone()];
    out.extend((1..shape.councils).map(council));
    out
}

/// Writes the observations: the bundled rows first (`bundled`, a CSV of
/// `area,metric,date,value,...`), then a row for every area, metric and month,
/// except the notice's metrics for the areas the bundled rows are of.
pub fn write(
    notice: &Notice,
    bundled: &str,
    shape: Shape,
    out: &mut impl Write,
) -> std::io::Result<u64> {
    let mut rows = 0u64;
    writeln!(out, "area,metric,date,value")?;
    let mut bundled_areas: Vec<&str> = Vec::new();
    for line in bundled.lines().skip(1) {
        let fields: Vec<&str> = line.splitn(5, ',').collect();
        if let [area, metric, date, value, ..] = fields[..] {
            writeln!(out, "{area},{metric},{date},{value}")?;
            rows += 1;
            if !bundled_areas.contains(&area) {
                bundled_areas.push(area);
            }
        }
    }
    let declared: Vec<(String, Unit, Vec<String>)> = notice
        .metric_ids()
        .map(|(_, m)| {
            let levels = match &m.unit {
                Unit::Rating(scale) => notice
                    .scale_by_name(scale)
                    .and_then(|id| notice.scale(id))
                    .map(|s| s.levels.iter().map(|l| l.to_string()).collect())
                    .unwrap_or_default(),
                _ => Vec::new(),
            };
            (m.name.clone(), m.unit.clone(), levels)
        })
        .collect();
    let synthetic = shape.metrics.saturating_sub(declared.len());
    let mut rng = SplitMix(0x6e6f_7469_6365);
    let areas = areas(notice, shape);
    for month in 0..shape.months {
        let date = month_end(2007, month);
        for area in &areas {
            let own = bundled_areas.contains(&area.as_str());
            if !own {
                for (name, unit, levels) in &declared {
                    let value = value(unit, levels, rng.next());
                    writeln!(out, "{area},{name},{date},{value}")?;
                    rows += 1;
                }
            }
            for k in 0..synthetic {
                let v = rng.next();
                writeln!(
                    out,
                    "{area},indicator_{k:03},{date},{}.{}%",
                    v % 100,
                    (v >> 8) % 10
                )?;
                rows += 1;
            }
        }
    }
    Ok(rows)
}

/// A figure in a unit, from a random number.
fn value(unit: &Unit, levels: &[String], r: u64) -> String {
    match unit {
        Unit::Percent => format!("{}.{}%", r % 100, (r >> 8) % 10),
        Unit::Pp => format!("{}pp", r % 20),
        Unit::Count => (r % 60).to_string(),
        Unit::Days => (r % 900).to_string(),
        Unit::Money => format!("£{}", r % 1_000_000),
        Unit::Ratio | Unit::Number => format!("{}.{}", r % 30, (r >> 8) % 10),
        Unit::Rating(_) => levels
            .get((r as usize) % levels.len().max(1))
            .cloned()
            .unwrap_or_default(),
    }
}

/// The last day of the `month`th month after January of `year`, as ISO text.
fn month_end(year: i32, month: usize) -> String {
    let y = year + (month / 12) as i32;
    let m = (month % 12) as u32 + 1;
    notice_rules::time::Date::from_ymd_opt(y, m, 1)
        .map(notice_rules::time::month_end)
        .map_or_else(String::new, |d| d.to_string())
}

/// SplitMix64: a small seeded generator, the same numbers on every machine.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}
