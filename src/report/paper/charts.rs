//! The charts of a measure: for each metric its requirements read, the
//! council's figures, each comparator area's, the targets and the baseline
//! as reference lines, the deadlines, and the projection of a target at
//! risk; each with its figures as a table, the chart's text alternative.

use serde::Serialize;

use crate::check::model::{Cond, Measure, MetricId, Term, Window};
use crate::check::Notice;
use crate::data::DataSet;
use crate::eval::MeasureOutcome;
use crate::time::Date;
use crate::value::{Unit, Value};

use super::prose;
use crate::report::chart::{self, Chart, Level, Series};

/// A chart and its text alternative.
#[derive(Debug, Serialize)]
pub struct ChartPart {
    /// Its title in words, with the unit.
    pub title: String,
    /// The SVG (every text escaped).
    pub svg: String,
    /// The figures drawn, one row each: series, date, value as published.
    pub figures: Vec<[String; 3]>,
    /// The reference lines and deadlines, in words.
    pub references: Vec<String>,
}

/// A chart for each metric the measure's requirements read, from a year
/// before the notice to the evaluation date or, when it is later, the
/// measure's next deadline.
pub(super) fn measure_charts(
    notice: &Notice,
    data: &DataSet,
    measure: &Measure,
    outcome: &MeasureOutcome,
    as_of: Date,
    next_deadline: Option<Date>,
) -> Vec<ChartPart> {
    let from = notice.issued - chrono::Months::new(12);
    let to = next_deadline.unwrap_or(as_of).max(as_of).max(notice.issued);
    let mut charts: Vec<(MetricId, Chart, Vec<[String; 3]>)> = Vec::new();
    for (ri, r) in measure.requirements.iter().enumerate() {
        let mut reads: Vec<(MetricId, Option<String>, Option<Date>)> = Vec::new();
        let mut levels: Vec<(String, Value)> = Vec::new();
        metric_reads(&r.condition, &mut reads, &mut levels);
        for (metric, area, baseline) in reads {
            let Some(m) = notice.metric(metric) else {
                continue;
            };
            let at = match charts.iter().position(|(id, _, _)| *id == metric) {
                Some(at) => at,
                None => {
                    let label = prose::labelled(m.description.as_deref(), &m.name);
                    let scale = match &m.unit {
                        Unit::Rating(name) => notice
                            .scale_by_name(name)
                            .and_then(|id| notice.scale(id))
                            .map(|s| s.levels.iter().map(ToString::to_string).collect()),
                        _ => None,
                    };
                    let mut figures = Vec::new();
                    let own = series(
                        data,
                        metric,
                        None,
                        (&notice.authority, true),
                        (from, to),
                        &mut figures,
                    );
                    charts.push((
                        metric,
                        Chart {
                            title: format!("{label} ({})", unit_words(&m.unit)),
                            unit: m.unit.clone(),
                            from,
                            to,
                            as_of,
                            series: vec![own],
                            levels: Vec::new(),
                            deadlines: Vec::new(),
                            projection: None,
                            scale,
                        },
                        figures,
                    ));
                    charts.len() - 1
                }
            };
            let Some((_, chart, figures)) = charts.get_mut(at) else {
                continue;
            };
            if let Some(a) = area {
                if !chart.series.iter().any(|s| s.name == a) {
                    chart.series.push(series(
                        data,
                        metric,
                        Some(&a),
                        (&a, false),
                        (from, to),
                        figures,
                    ));
                }
            }
            if let Some(at) = baseline {
                let base = data
                    .series(metric, None)
                    .iter()
                    .rev()
                    .find(|o| o.date <= at)
                    .and_then(|o| number(&o.value).map(|v| (o.value.to_string(), o.date, v)));
                if let Some((text, on, v)) = base {
                    let name = format!("baseline {text} ({})", prose::date(on));
                    if !chart.levels.iter().any(|l| l.name == name) {
                        chart.levels.push(Level { name, value: v });
                    }
                }
            }
            for (name, value) in &levels {
                if let Some(v) = number(value) {
                    if !chart.levels.iter().any(|l| l.name == *name) {
                        chart.levels.push(Level {
                            name: name.clone(),
                            value: v,
                        });
                    }
                }
            }
            if let Some(d) = &r.deadline {
                let label = prose::written_words(notice, &d.written)
                    .unwrap_or_else(|| "deadline".to_string());
                if !chart.deadlines.iter().any(|(x, _)| *x == d.date) {
                    chart.deadlines.push((d.date, label));
                }
            }
            let risk = outcome
                .requirements
                .iter()
                .find(|v| v.index == ri)
                .and_then(|v| v.at_risk.as_ref())
                .filter(|p| p.metric == metric);
            if let Some(p) = risk {
                let last = chart
                    .series
                    .first()
                    .and_then(|s| s.points.iter().rfind(|(d, _)| *d <= as_of).copied());
                if let (Some(start), Some(end)) = (last, number(&p.projected)) {
                    chart.projection = Some((start, (p.deadline, end)));
                }
            }
        }
    }
    charts
        .into_iter()
        .map(|(_, c, figures)| ChartPart {
            title: c.title.clone(),
            svg: chart::svg(&c),
            references: c
                .levels
                .iter()
                .map(|l| l.name.clone())
                .chain(
                    c.deadlines
                        .iter()
                        .map(|(d, l)| format!("{l}: {}", prose::date(*d))),
                )
                .chain(c.projection.map(|(_, (d, v))| {
                    format!(
                        "projected {} by {}",
                        chart::format_number(v),
                        prose::date(d)
                    )
                }))
                .collect(),
            figures,
        })
        .collect()
}

/// A unit in words, for a chart's title.
fn unit_words(unit: &Unit) -> String {
    match unit {
        Unit::Percent => "per cent".into(),
        Unit::Pp => "percentage points".into(),
        Unit::Count => "number".into(),
        Unit::Days => "days".into(),
        Unit::Money => "£".into(),
        Unit::Ratio => "ratio".into(),
        Unit::Number => "number".into(),
        // The scale's levels name the axis; its identifier is not for readers.
        Unit::Rating(_) => "rating".into(),
    }
}

/// The metrics a condition reads (with the area and any baseline date), and
/// the constant targets it compares them with, each named in words.
fn metric_reads(
    cond: &Cond,
    reads: &mut Vec<(MetricId, Option<String>, Option<Date>)>,
    levels: &mut Vec<(String, Value)>,
) {
    match cond {
        Cond::All(items, _) | Cond::Any(items, _) => {
            for c in items {
                metric_reads(c, reads, levels);
            }
        }
        Cond::Not(c, _) => metric_reads(c, reads, levels),
        Cond::Evidence(..) => {}
        Cond::Trend { metric, area, .. } => reads.push((*metric, area.clone(), None)),
        Cond::Compare { lhs, op, rhs, .. } => {
            for side in [lhs, rhs] {
                for (_, t) in &side.terms {
                    if let Term::Metric {
                        metric,
                        area,
                        window,
                        ..
                    } = t
                    {
                        let baseline = match window {
                            Window::At(d) => Some(*d),
                            _ => None,
                        };
                        reads.push((*metric, area.clone(), baseline));
                    }
                }
            }
            if let [(_, Term::Const(v))] = rhs.terms.as_slice() {
                levels.push((format!("target {} {v}", op.symbol()), v.clone()));
            }
        }
    }
}

/// A series of the chart's span (and the figure before it, which a
/// comparator's line starts from), its figures added to the table.
fn series(
    data: &DataSet,
    metric: MetricId,
    area: Option<&str>,
    (name, own): (&str, bool),
    (from, to): (Date, Date),
    figures: &mut Vec<[String; 3]>,
) -> Series {
    let all = data.series(metric, area);
    let first = all.iter().rposition(|o| o.date < from).unwrap_or(0);
    let observations: Vec<_> = all
        .get(first..)
        .unwrap_or_default()
        .iter()
        .filter(|o| o.date <= to)
        .collect();
    for o in &observations {
        figures.push([name.to_string(), prose::date(o.date), o.value.to_string()]);
    }
    Series {
        name: name.to_string(),
        points: observations
            .iter()
            .filter_map(|o| Some((o.date, number(&o.value)?)))
            .collect(),
        own,
    }
}

/// A value as a number to draw (a rating by its rank).
fn number(v: &Value) -> Option<f64> {
    use rust_decimal::prelude::ToPrimitive;
    match v {
        Value::Num(n, _) => n.to_f64(),
        Value::Rating { rank, .. } => Some(*rank as f64),
    }
}
