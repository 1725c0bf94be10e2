//! Line charts as SVG, for the board report: a metric's series over the
//! notice's life, its comparators, the target, the baseline and the
//! deadlines. A small module of our own rather than a plotting crate: the
//! charts need dates on one axis, a handful of marked lines and text that is
//! always escaped, and the well-kept crates (plotters and its kin) bring
//! font rendering and image back ends a self-contained SVG does not need.

use std::fmt::Write;

use crate::time::Date;

// SVG is XML: its text is escaped as XML's.

/// One line of a chart.
#[derive(Debug, Clone)]
pub(super) struct Series {
    /// Its name in the legend (escaped when drawn).
    pub name: String,
    /// Its points, by date.
    pub points: Vec<(Date, f64)>,
    /// The council's own series is drawn solid; comparators dashed.
    pub own: bool,
}

/// A horizontal line: a target or a baseline.
#[derive(Debug, Clone)]
pub(super) struct Level {
    /// What it is, with its value (`target >= 69%`).
    pub name: String,
    /// Where.
    pub value: f64,
}

/// A chart of one metric.
#[derive(Debug, Clone)]
pub(super) struct Chart {
    /// Its title (the metric's name and area).
    pub title: String,
    /// The first and last days drawn.
    pub from: Date,
    /// The last day drawn.
    pub to: Date,
    /// The lines.
    pub series: Vec<Series>,
    /// Targets and baselines.
    pub levels: Vec<Level>,
    /// Deadlines, each a vertical line with its label.
    pub deadlines: Vec<(Date, String)>,
}

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 240.0;
const LEFT: f64 = 56.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 28.0;
const BOTTOM: f64 = 64.0;

/// The chart as an SVG element: every text escaped, no external reference.
pub(super) fn svg(chart: &Chart) -> String {
    let days = (chart.to - chart.from).num_days().max(1) as f64;
    let values = chart
        .series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.1))
        .chain(chart.levels.iter().map(|l| l.value));
    let (mut low, mut high) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    if !low.is_finite() || !high.is_finite() {
        (low, high) = (0.0, 1.0);
    }
    if (high - low).abs() < f64::EPSILON {
        (low, high) = (low - 1.0, high + 1.0);
    }
    let pad = (high - low) * 0.1;
    let (low, high) = (low - pad, high + pad);
    let x = |d: Date| LEFT + ((d - chart.from).num_days() as f64 / days) * (WIDTH - LEFT - RIGHT);
    let y = |v: f64| TOP + (high - v) / (high - low) * (HEIGHT - TOP - BOTTOM);
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}"><title>{}</title>"#,
        escape(&chart.title)
    );
    let _ = write!(
        out,
        r##"<rect x="{LEFT}" y="{TOP}" width="{}" height="{}" fill="#fff" stroke="#555"/>"##,
        WIDTH - LEFT - RIGHT,
        HEIGHT - TOP - BOTTOM
    );
    let _ = write!(
        out,
        r##"<text x="{LEFT}" y="18" font-size="13" fill="#111">{}</text>"##,
        escape(&chart.title)
    );
    // The value axis: its bounds.
    for v in [low + pad, high - pad] {
        let _ = write!(
            out,
            r##"<text x="{}" y="{:.1}" font-size="10" text-anchor="end" fill="#111">{}</text>"##,
            LEFT - 4.0,
            y(v) + 3.0,
            escape(&format_number(v))
        );
    }
    // The date axis: its ends.
    for (d, anchor) in [(chart.from, "start"), (chart.to, "end")] {
        let _ = write!(
            out,
            r##"<text x="{:.1}" y="{}" font-size="10" text-anchor="{anchor}" fill="#111">{d}</text>"##,
            x(d),
            HEIGHT - BOTTOM + 12.0
        );
    }
    for level in &chart.levels {
        let _ = write!(
            out,
            r##"<line class="level" x1="{LEFT}" x2="{}" y1="{:.1}" y2="{:.1}" stroke="#7a4a00" stroke-dasharray="2 3"/><text x="{}" y="{:.1}" font-size="10" fill="#7a4a00">{}</text>"##,
            WIDTH - RIGHT,
            y(level.value),
            y(level.value),
            LEFT + 4.0,
            y(level.value) - 3.0,
            escape(&level.name)
        );
    }
    for (d, label) in &chart.deadlines {
        if *d < chart.from || *d > chart.to {
            continue;
        }
        let _ = write!(
            out,
            r##"<line class="deadline" x1="{:.1}" x2="{:.1}" y1="{TOP}" y2="{}" stroke="#8b0000"/><text x="{:.1}" y="{}" font-size="10" fill="#8b0000">{}</text>"##,
            x(*d),
            x(*d),
            HEIGHT - BOTTOM,
            x(*d) + 2.0,
            TOP + 10.0,
            escape(label)
        );
    }
    for (i, s) in chart.series.iter().enumerate() {
        let (color, dash) = if s.own {
            ("#0b3d91", "")
        } else {
            ("#444", r#" stroke-dasharray="6 4""#)
        };
        let path: Vec<String> = s
            .points
            .iter()
            .filter(|(d, _)| *d >= chart.from && *d <= chart.to)
            .map(|(d, v)| format!("{:.1},{:.1}", x(*d), y(*v)))
            .collect();
        if !path.is_empty() {
            let _ = write!(
                out,
                r#"<polyline class="series" fill="none" stroke="{color}" stroke-width="2"{dash} points="{}"/>"#,
                path.join(" ")
            );
            for p in &path {
                let (px, py) = p.split_once(',').unwrap_or(("0", "0"));
                let _ = write!(
                    out,
                    r#"<circle cx="{px}" cy="{py}" r="2.5" fill="{color}"/>"#
                );
            }
        }
        // The legend, one line a series, below the plot.
        let ly = HEIGHT - BOTTOM + 28.0 + 14.0 * i as f64;
        let _ = write!(
            out,
            r##"<line x1="{LEFT}" x2="{}" y1="{:.1}" y2="{:.1}" stroke="{color}" stroke-width="2"{dash}/><text x="{}" y="{:.1}" font-size="10" fill="#111">{}</text>"##,
            LEFT + 20.0,
            ly - 3.0,
            ly - 3.0,
            LEFT + 26.0,
            ly,
            escape(&s.name)
        );
    }
    out.push_str("</svg>");
    out
}

/// A number for an axis: at most two decimals, no trailing zeros.
fn format_number(v: f64) -> String {
    let text = format!("{v:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_string()
    } else {
        text.to_string()
    }
}

/// Text escaped for SVG attributes and content; characters XML cannot
/// hold at all (control characters) are dropped.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\t' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        crate::time::parse_date(s).unwrap()
    }

    fn chart() -> Chart {
        Chart {
            title: "visits <Somewhere> & \"others\"".into(),
            from: d("2012-01-01"),
            to: d("2012-12-31"),
            series: vec![Series {
                name: "<script>alert(1)</script>".into(),
                points: vec![(d("2012-01-01"), 50.0), (d("2012-12-31"), 70.0)],
                own: true,
            }],
            levels: vec![Level {
                name: "target >= 69%".into(),
                value: 69.0,
            }],
            deadlines: vec![(d("2012-07-23"), "formal_review".into())],
        }
    }

    #[test]
    fn every_text_is_escaped() {
        let svg = svg(&chart());
        assert!(!svg.contains("<script>"), "{svg}");
        assert!(svg.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
        assert!(svg.contains("visits &lt;Somewhere&gt; &amp; &quot;others&quot;"));
        assert!(svg.contains("target &gt;= 69%"));
    }

    #[test]
    fn points_fall_on_the_scales() {
        let svg = svg(&chart());
        // The first point is at the left edge of the plot; the last at the right.
        assert!(svg.contains(&format!("points=\"{LEFT:.1},")), "{svg}");
        assert!(svg.contains(&format!(" {:.1},", WIDTH - RIGHT)), "{svg}");
        // The deadline falls between them, about 56% of the way across.
        let at = LEFT + (204.0 / 365.0) * (WIDTH - LEFT - RIGHT);
        assert!(svg.contains(&format!("x1=\"{at:.1}\"")), "{svg}");
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
    }

    #[test]
    fn an_empty_or_flat_chart_still_draws() {
        let mut c = chart();
        c.series.clear();
        c.levels.clear();
        assert!(svg(&c).ends_with("</svg>"));
        c.series.push(Series {
            name: "flat".into(),
            points: vec![(d("2012-03-31"), 5.0), (d("2012-06-30"), 5.0)],
            own: false,
        });
        let flat = svg(&c);
        assert!(flat.contains("stroke-dasharray=\"6 4\""));
        assert!(!flat.contains("NaN") && !flat.contains("inf"));
    }
}
