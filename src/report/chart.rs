//! Line charts as SVG, for the board report: a metric's figures over the
//! notice's life against its target, its comparators and its deadlines. A
//! small module of our own rather than a plotting crate: the charts need
//! dates on one axis, a handful of reference lines and text that is always
//! escaped, and the well-kept crates (plotters and its kin) bring font
//! rendering and image back ends a self-contained SVG does not need.
//!
//! The drawing is 480 units wide and scales to its box: its smallest text
//! (14 units) stays at 10 px or more down to a 358 px box, a phone's
//! screen less its margins.

use std::fmt::Write;

use chrono::Datelike;

use crate::time::Date;
use crate::value::Unit;

/// One line of a chart.
#[derive(Debug, Clone)]
pub(crate) struct Series {
    /// Its name in the legend (escaped when drawn).
    pub name: String,
    /// Its points, by date.
    pub points: Vec<(Date, f64)>,
    /// The council's own series is drawn solid with its points; a
    /// comparator as a dashed line that holds each figure until the next.
    pub own: bool,
}

/// A horizontal reference line: a target or a baseline.
#[derive(Debug, Clone)]
pub(crate) struct Level {
    /// What it is, with its value (`target >= 69%`).
    pub name: String,
    /// Where.
    pub value: f64,
}

/// A chart of one metric.
#[derive(Debug, Clone)]
pub(crate) struct Chart {
    /// Its title in words, with the unit.
    pub title: String,
    /// The metric's unit (for the value axis).
    pub unit: Unit,
    /// The first day drawn.
    pub from: Date,
    /// The last day drawn.
    pub to: Date,
    /// The evaluation date (marked when the chart runs past it).
    pub as_of: Date,
    /// The lines.
    pub series: Vec<Series>,
    /// Targets and baselines.
    pub levels: Vec<Level>,
    /// Deadlines, each a vertical line with its label.
    pub deadlines: Vec<(Date, String)>,
    /// A target at risk: the line from the last figure to the value projected at the deadline.
    pub projection: Option<((Date, f64), (Date, f64))>,
    /// For a rating, its levels' names, worst first (the value is the rank).
    pub scale: Option<Vec<String>>,
}

const WIDTH: f64 = 480.0;
const PLOT_HEIGHT: f64 = 190.0;
const TOP: f64 = 44.0;
const RIGHT: f64 = 12.0;
const FONT: f64 = 14.0;
const LINE: f64 = 18.0;

/// The chart as an SVG element: every text escaped, no external reference.
pub(crate) fn svg(chart: &Chart) -> String {
    let left = if chart.scale.is_some() { 110.0 } else { 58.0 };
    let days = (chart.to - chart.from).num_days().max(1) as f64;
    let values = chart
        .series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.1))
        .chain(chart.levels.iter().map(|l| l.value))
        .chain(chart.projection.iter().flat_map(|(a, b)| [a.1, b.1]));
    let (low, high) = match &chart.scale {
        Some(levels) => (0.0, levels.len().saturating_sub(1).max(1) as f64),
        None => bounds(values),
    };
    let ticks: Vec<(f64, String)> = match &chart.scale {
        Some(levels) => levels
            .iter()
            .enumerate()
            .map(|(i, name)| (i as f64, name.clone()))
            .collect(),
        None => nice_ticks(low, high)
            .into_iter()
            .map(|v| (v, tick_label(v, &chart.unit)))
            .collect(),
    };
    let (low, high) = match &chart.scale {
        Some(_) => (low - 0.3, high + 0.3),
        None => (
            ticks.first().map_or(low, |t| t.0.min(low)),
            ticks.last().map_or(high, |t| t.0.max(high)),
        ),
    };
    let plot_w = WIDTH - left - RIGHT;
    // The title wraps (at most three lines, the rest cut with `…`) and the plot moves down.
    let title_lines = wrap(&chart.title, 52, 3);
    let top = TOP + LINE * title_lines.len().saturating_sub(1) as f64;
    let bottom = top + PLOT_HEIGHT;
    let legend_lines = chart.series.len() + usize::from(chart.projection.is_some());
    let height = bottom + 26.0 + LINE * legend_lines as f64 + 6.0;
    let x = |d: Date| left + ((d - chart.from).num_days() as f64 / days).clamp(0.0, 1.0) * plot_w;
    let y = |v: f64| top + (high - v) / (high - low) * PLOT_HEIGHT;
    let mut out = String::new();
    let _ = write!(
        out,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-label="{}" viewBox="0 0 {WIDTH} {height}" font-family="sans-serif" font-size="{FONT}"><title>{}</title>"#,
        escape(&chart.title),
        escape(&chart.title)
    );
    for (i, line) in title_lines.iter().enumerate() {
        let _ = write!(
            out,
            r##"<text x="0" y="{}" font-weight="bold" fill="#111">{}</text>"##,
            FONT + LINE * i as f64,
            escape(line)
        );
    }
    let _ = write!(
        out,
        r##"<rect x="{left}" y="{top}" width="{plot_w}" height="{PLOT_HEIGHT}" fill="#fff" stroke="#555"/>"##
    );
    for (v, label) in &ticks {
        let _ = write!(
            out,
            r##"<line x1="{left}" x2="{}" y1="{:.1}" y2="{:.1}" stroke="#ddd"/><text x="{}" y="{:.1}" text-anchor="end" fill="#111">{}</text>"##,
            WIDTH - RIGHT,
            y(*v),
            y(*v),
            left - 4.0,
            y(*v) + 5.0,
            escape(label)
        );
    }
    // The date axis: the first day of each year, or of every quarter for a short span.
    for d in date_ticks(chart.from, chart.to) {
        // A label near either end of the axis is set inside it, never cut off.
        let anchor = if x(d) > WIDTH - RIGHT - 36.0 {
            "end"
        } else if x(d) < left + 36.0 {
            "start"
        } else {
            "middle"
        };
        let _ = write!(
            out,
            r##"<line x1="{:.1}" x2="{:.1}" y1="{bottom}" y2="{}" stroke="#555"/><text x="{:.1}" y="{}" text-anchor="{anchor}" fill="#111">{}</text>"##,
            x(d),
            x(d),
            bottom + 4.0,
            x(d),
            bottom + 20.0,
            escape(&d.format("%b %Y").to_string())
        );
    }
    // Past the evaluation date the chart runs on to the next deadline: mark where "now" is.
    if chart.as_of < chart.to && chart.as_of > chart.from {
        let _ = write!(
            out,
            r##"<line class="as-of" x1="{:.1}" x2="{:.1}" y1="{top}" y2="{bottom}" stroke="#777" stroke-dasharray="4 2"/><text x="{:.1}" y="{}" text-anchor="end" fill="#555">as of</text>"##,
            x(chart.as_of),
            x(chart.as_of),
            x(chart.as_of) - 3.0,
            bottom - 6.0
        );
    }
    for level in &chart.levels {
        let _ = write!(
            out,
            r##"<line class="level" x1="{left}" x2="{}" y1="{:.1}" y2="{:.1}" stroke="#7a4a00" stroke-width="1.5" stroke-dasharray="2 3"/><text x="{}" y="{:.1}" fill="#7a4a00">{}</text>"##,
            WIDTH - RIGHT,
            y(level.value),
            y(level.value),
            left + 4.0,
            y(level.value) - 4.0,
            escape(&level.name)
        );
    }
    // Deadlines: a line each, labelled inside the frame (to the left of a
    // line in the right half, so the label is never cut off).
    for (i, (d, label)) in chart.deadlines.iter().enumerate() {
        if *d < chart.from || *d > chart.to {
            continue;
        }
        let (tx, anchor) = if x(*d) > left + plot_w / 2.0 {
            (x(*d) - 3.0, "end")
        } else {
            (x(*d) + 3.0, "start")
        };
        let _ = write!(
            out,
            r##"<line class="deadline" x1="{:.1}" x2="{:.1}" y1="{top}" y2="{bottom}" stroke="#8b0000"/><text x="{tx:.1}" y="{}" text-anchor="{anchor}" fill="#8b0000">{}</text>"##,
            x(*d),
            x(*d),
            top + 16.0 + LINE * (i % 2) as f64,
            escape(&fit(label, 30))
        );
    }
    for (i, s) in chart.series.iter().enumerate() {
        let (color, dash) = if s.own {
            ("#0b3d91", "")
        } else {
            ("#444", r#" stroke-dasharray="6 4""#)
        };
        let shown: Vec<(Date, f64)> = s
            .points
            .iter()
            .filter(|(d, _)| *d <= chart.to)
            .copied()
            .collect();
        let mut path: Vec<String> = Vec::new();
        if s.own {
            for (d, v) in shown.iter().filter(|(d, _)| *d >= chart.from) {
                path.push(format!("{:.1},{:.1}", x(*d), y(*v)));
            }
        } else {
            // A comparator's figure holds until the next: a step line to the chart's end.
            for (k, (d, v)) in shown.iter().enumerate() {
                let end = shown.get(k + 1).map_or(chart.to, |n| n.0);
                if end < chart.from {
                    continue;
                }
                let start = (*d).max(chart.from);
                path.push(format!("{:.1},{:.1}", x(start), y(*v)));
                path.push(format!("{:.1},{:.1}", x(end), y(*v)));
            }
        }
        if !path.is_empty() {
            let _ = write!(
                out,
                r#"<polyline class="series" fill="none" stroke="{color}" stroke-width="2.5"{dash} points="{}"/>"#,
                path.join(" ")
            );
            if s.own {
                for p in &path {
                    let (px, py) = p.split_once(',').unwrap_or(("0", "0"));
                    let _ = write!(out, r#"<circle cx="{px}" cy="{py}" r="3" fill="{color}"/>"#);
                }
            }
        }
        legend(
            &mut out,
            left,
            bottom + 26.0 + LINE * (i as f64 + 1.0) - 4.0,
            color,
            dash,
            &s.name,
        );
    }
    if let Some(((d0, v0), (d1, v1))) = chart.projection {
        let _ = write!(
            out,
            r##"<line class="projection" x1="{:.1}" y1="{:.1}" x2="{:.1}" y2="{:.1}" stroke="#b35c00" stroke-width="2" stroke-dasharray="1 4"/>"##,
            x(d0),
            y(v0),
            x(d1),
            y(v1)
        );
        legend(
            &mut out,
            left,
            bottom + 26.0 + LINE * (chart.series.len() as f64 + 1.0) - 4.0,
            "#b35c00",
            r#" stroke-dasharray="1 4""#,
            "projected at the deadline (at risk)",
        );
    }
    out.push_str("</svg>");
    out
}

fn legend(out: &mut String, left: f64, y: f64, color: &str, dash: &str, name: &str) {
    let _ = write!(
        out,
        r##"<line x1="{left}" x2="{}" y1="{:.1}" y2="{:.1}" stroke="{color}" stroke-width="2.5"{dash}/><text x="{}" y="{y:.1}" fill="#111">{}</text>"##,
        left + 24.0,
        y - 5.0,
        y - 5.0,
        left + 30.0,
        escape(&fit(name, 48))
    );
}

/// The lowest and highest value, or 0 and 1 when there are none.
fn bounds(values: impl Iterator<Item = f64>) -> (f64, f64) {
    let (low, high) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    if !low.is_finite() || !high.is_finite() {
        return (0.0, 1.0);
    }
    if (high - low).abs() < f64::EPSILON {
        return (low - 1.0, high + 1.0);
    }
    (low, high)
}

/// Four to six round values covering `low..=high` (steps of 1, 2 or 5 times a power of ten).
fn nice_ticks(low: f64, high: f64) -> Vec<f64> {
    let span = (high - low).max(f64::EPSILON);
    let raw = span / 4.0;
    let power = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|s| span / s <= 5.0)
        .unwrap_or(10.0 * power);
    let first = (low / step).floor();
    let mut out = Vec::new();
    for k in 0..12 {
        // Multiples of the step, rounded so that 0.6 is not 0.6000000000000001.
        let v = ((first + f64::from(k)) * step * 1e9).round() / 1e9;
        out.push(v);
        if v >= high {
            break;
        }
    }
    out
}

/// A tick's label in the metric's unit: `60%`, `£500,000`, `45`.
fn tick_label(v: f64, unit: &Unit) -> String {
    let n = format_number(v);
    match unit {
        Unit::Percent => format!("{n}%"),
        Unit::Pp => format!("{n}pp"),
        Unit::Money => format!("£{n}"),
        _ => n,
    }
}

/// The first day of each year in the span, or of each quarter when the
/// span is shorter than two years.
fn date_ticks(from: Date, to: Date) -> Vec<Date> {
    let quarterly = (to - from).num_days() < 730;
    let mut out = Vec::new();
    let mut d = from.with_day(1).unwrap_or(from);
    while d <= to && out.len() < 40 {
        let wanted = if quarterly {
            d.month0() % 3 == 0
        } else {
            d.month() == 1
        };
        if wanted && d >= from {
            out.push(d);
        }
        match d.checked_add_months(chrono::Months::new(1)) {
            Some(next) => d = next,
            None => break,
        }
    }
    out
}

/// A number for an axis: at most two decimals, no trailing zeros.
pub(crate) fn format_number(v: f64) -> String {
    let text = format!("{v:.2}");
    let text = text.trim_end_matches('0').trim_end_matches('.');
    if text == "-0" {
        "0".to_string()
    } else {
        text.to_string()
    }
}

/// Text in lines of at most `width` characters, broken between words; at
/// most `lines` of them, the last cut with `…` if the text is longer.
fn wrap(text: &str, width: usize, lines: usize) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > width {
            out.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        out.push(line);
    }
    if out.len() > lines {
        let rest = out.split_off(lines - 1).join(" ");
        out.push(fit(&rest, width));
    }
    out.into_iter().map(|l| fit(&l, width)).collect()
}

/// Text cut to at most `n` characters, with `…` where cut (the full text is
/// in the chart's title and its table).
fn fit(text: &str, n: usize) -> String {
    if text.chars().count() <= n {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(n.saturating_sub(1)).collect();
    cut.push('…');
    cut
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
        crate::time::parse_date(s).unwrap_or_default()
    }

    fn chart() -> Chart {
        Chart {
            title: "visits <Somewhere> & \"others\"".into(),
            unit: Unit::Percent,
            from: d("2012-01-01"),
            to: d("2012-12-31"),
            as_of: d("2012-12-31"),
            series: vec![Series {
                name: "<script>alert(1)</script>".into(),
                points: vec![(d("2012-01-01"), 50.0), (d("2012-12-31"), 70.0)],
                own: true,
            }],
            levels: vec![Level {
                name: "target >= 69%".into(),
                value: 69.0,
            }],
            deadlines: vec![(d("2012-07-23"), "Formal review".into())],
            projection: None,
            scale: None,
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
        let left = 58.0;
        // The first point is at the left edge of the plot; the last at the right.
        assert!(svg.contains(&format!("points=\"{left:.1},")), "{svg}");
        assert!(svg.contains(&format!(" {:.1},", WIDTH - RIGHT)), "{svg}");
        // The deadline falls between them, about 56% of the way across.
        let at = left + (204.0 / 365.0) * (WIDTH - left - RIGHT);
        assert!(svg.contains(&format!("x1=\"{at:.1}\"")), "{svg}");
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        // The value axis is in the unit, in round steps.
        assert!(svg.contains(">50%<") && svg.contains(">70%<"), "{svg}");
    }

    #[test]
    fn a_comparator_holds_its_figure_to_the_end_and_a_rating_names_its_levels() {
        let mut c = chart();
        c.series.push(Series {
            name: "England".into(),
            points: vec![(d("2011-12-31"), 69.0)],
            own: false,
        });
        c.scale = None;
        let drawn = svg(&c);
        // One figure before the span: a line across the whole plot.
        assert!(
            drawn.contains("points=\"58.0,")
                && drawn.matches("stroke-dasharray=\"6 4\"").count() == 2,
            "{drawn}"
        );
        c.scale = Some(vec!["inadequate".into(), "adequate".into(), "good".into()]);
        let rated = svg(&c);
        assert!(
            rated.contains(">inadequate<") && rated.contains(">good<"),
            "{rated}"
        );
        assert!(!rated.contains(">0<") && !rated.contains(">1<"), "{rated}");
    }

    #[test]
    fn ticks_are_round_and_cover_the_values() {
        assert_eq!(nice_ticks(12.0, 31.0), [10.0, 15.0, 20.0, 25.0, 30.0, 35.0]);
        assert_eq!(nice_ticks(0.0, 1.0), [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
        assert_eq!(tick_label(60.0, &Unit::Percent), "60%");
        assert_eq!(tick_label(500.0, &Unit::Money), "£500");
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
