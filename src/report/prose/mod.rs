//! The one place English is written: findings, verdicts, notes and
//! projections become the sentences of the table, the diagnostics,
//! `notice explain` and the JSON `reason`.

use chrono::Datelike;

use crate::ast::{Aggregate, Duration, DurationUnit, Period};
use crate::check::model::{Deadline, Requirement};
use crate::check::Notice;
use crate::eval::trace::{Cadence, Detail, Finding, Note, Projection, TermRead, Timing};
use crate::eval::{Status, Truth, Verdict};
use crate::time::{self, Date};

pub mod board;
mod words;

use words::Words;

/// Why a verdict is what it is, in a sentence or two.
pub fn reason(notice: &Notice, r: &Requirement, v: &Verdict) -> String {
    if let (Timing::TooSoon { first }, Some((n, period))) = (v.timing, r.sustained) {
        let needed = format!(
            "{n} consecutive whole {} of the notice's life (from {})",
            period_name(period, n as usize),
            date(notice.issued)
        );
        let missed = match (v.status, &v.deadline) {
            (Status::NotMet, Some(deadline)) => format!("not met by {}: ", date(*deadline)),
            _ => "not yet shown: ".to_string(),
        };
        return match first {
            Some(first) => {
                format!(
                    "{missed}it needs {needed}, the first of which end on {}",
                    date(first)
                )
            }
            None => format!("it can never be shown: {needed} end past the calendar's last date"),
        };
    }
    let mut out = finding(notice, &v.finding);
    let Some(d) = &r.deadline else {
        return out;
    };
    let due = format!("due by {}", deadline(notice, d));
    match v.timing {
        Timing::Open
        | Timing::Recurring
        | Timing::TooSoon { .. }
        | Timing::AssessedFrom { started: true } => {}
        Timing::AssessedFrom { started: false } => {
            out.push_str(&format!(
                "; assessed once {} has ended",
                deadline(notice, d)
            ));
        }
        Timing::DueBy { at_deadline: None } => {
            let progress = match (v.status, v.finding.decisive()) {
                (Status::NotYetDue, Truth::True) => "on track, ",
                (Status::NotYetDue, Truth::Unknown) => "no data yet, ",
                _ => "",
            };
            out.push_str(&format!("; {progress}{due}"));
        }
        Timing::DueBy {
            at_deadline: Some(then),
        } => match (then, v.finding.decisive()) {
            (Truth::True, Truth::False) => out.push_str(&format!(
                "; it held by the deadline ({due}) but no longer holds"
            )),
            (Truth::False | Truth::Unknown, Truth::True) => {
                let why = if then == Truth::Unknown {
                    "no data showed it by then"
                } else {
                    "it did not hold then"
                };
                out.push_str(&format!("; {due}, but {why}"));
            }
            _ => out.push_str(&format!("; {due}")),
        },
    }
    out
}

/// Why the verdict on a requirement of the measure at `measure` is what it is.
pub fn verdict_reason(notice: &Notice, measure: usize, v: &Verdict) -> String {
    match notice
        .measures
        .get(measure)
        .and_then(|m| m.requirements.get(v.index))
    {
        Some(r) => reason(notice, r, v),
        None => finding(notice, &v.finding),
    }
}

/// A deadline as a reader knows it: `23 July 2012 (Formal review of
/// progress)`, or the date alone when it was written as one.
pub(crate) fn deadline(notice: &Notice, d: &Deadline) -> String {
    match written_words(notice, &d.written) {
        Some(words) => format!("{} ({words})", date(d.date)),
        None => date(d.date),
    }
}

/// How a deadline was written, in words: its milestones by their labels,
/// `issued` as the notice's date, dates as people write them; `None` when it
/// was written as the date alone. (`within 3 months of formal_review` →
/// `3 months after Formal review of progress`.)
pub(crate) fn written_words(notice: &Notice, written: &str) -> Option<String> {
    if time::parse_date(written).is_some() {
        return None;
    }
    let mut words: Vec<String> = Vec::new();
    for token in written.split_whitespace() {
        let word = if let Some(ms) = notice.milestones.iter().find(|ms| ms.name == token) {
            milestone(ms)
        } else if token == "issued" {
            "the notice's date".to_string()
        } else if let Some(d) = time::parse_date(token) {
            date(d)
        } else {
            token.to_string()
        };
        words.push(word);
    }
    // `within N UNIT of X` reads as `N UNIT after X`.
    if words.first().map(String::as_str) == Some("within") {
        words.remove(0);
        if let Some(of) = words.iter().position(|w| w == "of") {
            words[of] = "after".into();
        }
    }
    Some(words.join(" "))
}

/// A milestone by its label, or its name in words where it has none.
pub(crate) fn milestone(ms: &crate::check::model::Milestone) -> String {
    labelled(ms.label.as_deref(), &ms.name)
}

/// A declared label, or (where a notice declares none, which `notice check`
/// warns of) the identifier with its underscores as spaces.
pub(crate) fn labelled(label: Option<&str>, name: &str) -> String {
    match label {
        Some(l) if !l.trim().is_empty() => l.to_string(),
        _ => name.replace('_', " "),
    }
}

/// A date as people write it: `23 July 2012`.
pub fn date(d: Date) -> String {
    d.format("%-d %B %Y").to_string()
}

/// `mean`, `smallest`, ...: an aggregate in a word.
fn aggregate_word(a: Aggregate) -> &'static str {
    match a {
        Aggregate::Latest => "latest",
        Aggregate::Mean => "mean",
        Aggregate::Min => "smallest",
        Aggregate::Max => "largest",
        Aggregate::Count => "count",
    }
}

/// What a finding came to, with its values.
pub fn finding(notice: &Notice, f: &Finding) -> String {
    Words { notice }.reason(f)
}

/// What was observed, for the verdict's one-line summary.
pub fn observed(notice: &Notice, f: &Finding) -> Option<String> {
    Words { notice }.observed(f)
}

/// What was observed, with the date of the figure when one figure decided
/// it: `61% on 2012-06-30`.
pub(crate) fn observed_on(notice: &Notice, f: &Finding) -> Option<String> {
    let observed = observed(notice, f)?;
    let date = match &f.detail {
        Detail::Compare { left, .. } if left.value.is_ok() => {
            left.terms.iter().find_map(|t| match &t.read {
                TermRead::Metric(m) if m.aggregate == Aggregate::Latest => m.latest,
                _ => None,
            })
        }
        _ => None,
    };
    Some(match date {
        Some(d) => format!("{observed} on {}", self::date(d)),
        None => observed,
    })
}

/// What was required, for the verdict's one-line summary.
pub fn required(notice: &Notice, f: &Finding) -> Option<String> {
    Words { notice }.required(f)
}

/// A note in a sentence.
pub fn note(notice: &Notice, n: &Note) -> String {
    let w = Words { notice };
    match n {
        Note::Stale {
            metric,
            area,
            date: day,
            fresh,
            to,
        } => format!(
            "stale data: the latest {} for {} is from {}, older than {} before {}",
            w.metric(*metric),
            w.area(area.as_deref()),
            date(*day),
            duration(*fresh),
            date(*to)
        ),
        Note::PublishedLate {
            date: day,
            published,
            deadline,
        } => format!(
            "reported late: the figure for {} was published on {}, after the deadline {}; the target was met in time",
            date(*day),
            date(*published),
            date(*deadline)
        ),
        Note::Withheld {
            metric,
            area,
            date: day,
            symbol,
            used,
            aggregate,
        } => {
            let (name, area) = (w.metric(*metric), w.area(area.as_deref()));
            let rests = if *aggregate {
                "the value is of the other figures of the window".to_string()
            } else {
                format!("judged on the figure for {}", date(*used))
            };
            format!(
                "the {name} figure for {area} for {} is {}; {rests}",
                date(*day),
                withheld_words(*symbol)
            )
        }
        Note::OlderThanPeriod {
            metric,
            area,
            date: day,
            period: (from, to),
        } => format!(
            "the {} figure for {} is for {}, before the period the rule names ({} to {})",
            w.metric(*metric),
            w.area(area.as_deref()),
            date(*day),
            date(*from),
            date(*to)
        ),
        Note::Standing { metric, date: day } => {
            let what = match notice.metric(*metric).map(|m| &m.unit) {
                Some(crate::value::Unit::Rating(_)) => "judgement",
                _ => "figure",
            };
            format!(
                "judged on the {} {what} of {}, from before the notice: it stands until a new one replaces it, so it can show this not met, never met",
                w.metric(*metric),
                date(*day)
            )
        }
        Note::CarriedForward {
            metric,
            area,
            from,
            to,
            date: day,
            limit,
        } => format!(
            "{} for {}: no observation {}; carried forward the value of {} (missing data carries forward {})",
            w.metric(*metric),
            w.area(area.as_deref()),
            window(*from, *to),
            date(*day),
            duration(*limit)
        ),
    }
}

/// The projection that puts a requirement at risk, in a sentence.
pub fn at_risk(notice: &Notice, p: &Projection) -> String {
    format!(
        "at risk: the trend of {} over {} observations since {} projects {} on {}, short of {} {}",
        Words { notice }.metric(p.metric),
        p.points,
        date(p.since),
        p.projected,
        date(p.deadline),
        p.op.symbol(),
        p.required
    )
}

/// Why a record condition is unknown for an area screened.
const NO_RECORDS_FOR_AREA: &str =
    "the data holds evidence records for the notice's own authority only, not for this area";

/// Why a published figure is not a number, from its symbol.
pub(crate) fn withheld_words(w: crate::data::Withheld) -> &'static str {
    use crate::data::Withheld;
    match w {
        Withheld::Confidential => "suppressed (c) in the published figures",
        Withheld::NotAvailable => "not available (x) in the published figures",
        Withheld::NotApplicable => "not applicable (z) in the published figures",
        Withheld::Low => "published as \"low\": it rounds to zero, but is not zero",
        Withheld::LowReliability => "published as \"u\": of low reliability",
        Withheld::Colon => "not available (:) in the published figures",
    }
}

/// A status in words, as sentences use it.
pub fn status_words(status: Status) -> &'static str {
    match status {
        Status::Met => "met",
        Status::MetLate => "met late",
        Status::NotMet => "not met",
        Status::NotYetDue => "not yet due",
        Status::Unknown => "unknown",
    }
}

/// A status as one symbol, for grids and strips (always beside a key).
pub(crate) fn status_symbol(status: Status) -> &'static str {
    match status {
        Status::Met => "✓",
        Status::MetLate => "~",
        Status::NotMet => "✗",
        Status::NotYetDue => "·",
        Status::Unknown => "?",
    }
}

/// A deadline with where it came from: `due by 23 July 2012 (Formal review
/// of progress)`, `every quarter from 23 January 2012 until 31 December 2012`.
pub(crate) fn deadline_line(notice: &Notice, d: &Deadline) -> String {
    use crate::check::model::DeadlineKind;
    match d.kind {
        DeadlineKind::By => format!("due by {}", deadline(notice, d)),
        DeadlineKind::After => format!("assessed from {}", deadline(notice, d)),
        DeadlineKind::Every { period, from } => format!(
            "every {} from {} until {}",
            period_name(period, 1),
            date(from),
            date(d.date)
        ),
        DeadlineKind::Rolling { every, from } => format!(
            "at least every {} from {} until {}",
            duration(every),
            date(from),
            date(d.date)
        ),
    }
}

/// A condition's truth in a word: `holds`, `fails`, `unknown`.
pub(crate) fn truth_word(truth: Truth) -> &'static str {
    match truth {
        Truth::True => "holds",
        Truth::False => "fails",
        Truth::Unknown => "unknown",
    }
}

/// `2 months`, `1 working day`.
pub(crate) fn duration(d: Duration) -> String {
    use DurationUnit::*;
    let unit = match (d.unit, d.amount == 1) {
        (Days, true) => "day",
        (Days, false) => "days",
        (WorkingDays, true) => "working day",
        (WorkingDays, false) => "working days",
        (Weeks, true) => "week",
        (Weeks, false) => "weeks",
        (Months, true) => "month",
        (Months, false) => "months",
        (Years, true) => "year",
        (Years, false) => "years",
    };
    format!("{} {unit}", d.amount)
}

/// A period's name as people write it: `March 2012`, `April to June
/// 2012`, `July to December 2012`, `2012`, `week of 5 March 2012`, or (any
/// other length, or a rolling interval) its first and last days.
pub(crate) fn period_label(cadence: Cadence, span: time::Span) -> String {
    let months = |last_month: chrono::NaiveDate| {
        format!(
            "{} to {}",
            span.start.format("%B"),
            last_month.format("%B %Y")
        )
    };
    let Cadence::Calendar(period) = cadence else {
        return format!("{} to {}", date(span.start), date(span.end));
    };
    match period {
        Period::Month => span.start.format("%B %Y").to_string(),
        Period::Months(12) if span.start.month() == 1 => span.start.year().to_string(),
        Period::Quarter | Period::Months(_) if span.start.year() == span.end.year() => {
            months(span.end)
        }
        Period::Week => format!("week of {}", date(span.start)),
        Period::Quarter | Period::Months(_) | Period::Weeks(_) => {
            format!("{} to {}", date(span.start), date(span.end))
        }
    }
}

/// The name of a period kind, plural when `n` is not 1.
pub(crate) fn period_name(period: Period, n: usize) -> String {
    let one = n == 1;
    let word = |singular: &str, plural: &str| if one { singular } else { plural }.to_string();
    match period {
        Period::Week => word("week", "weeks"),
        Period::Month => word("month", "months"),
        Period::Quarter => word("quarter", "quarters"),
        Period::Months(12) => word("year", "years"),
        Period::Months(6) => word("half-year", "half-years"),
        Period::Months(m) => word(&format!("{m}-month period"), &format!("{m}-month periods")),
        Period::Weeks(w) => word(&format!("{w}-week period"), &format!("{w}-week periods")),
    }
}

/// The name of a recurring duty's periods: calendar ones, or intervals.
pub(crate) fn cadence_name(cadence: Cadence, n: usize) -> String {
    match cadence {
        Cadence::Calendar(period) => period_name(period, n),
        Cadence::Rolling(_) if n == 1 => "interval".into(),
        Cadence::Rolling(_) => "intervals".into(),
    }
}

/// `from A until B`, or `on or before B`.
fn window(from: Option<Date>, to: Date) -> String {
    match from {
        // A window not yet open (`after D`, read before D).
        Some(f) if f > to => format!("on or after {}", date(f)),
        Some(f) => format!("from {} until {}", date(f), date(to)),
        None => format!("on or before {}", date(to)),
    }
}

/// `improving`, `worsening` or `flat`, from the sign of a trend against the metric's direction.
fn direction_word(better: i8) -> &'static str {
    match better {
        1 => "improving",
        -1 => "worsening",
        _ => "flat",
    }
}

/// `1 row`, `2 rows`.
fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {many}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_are_named_as_people_write_them() {
        let d = |s: &str| time::parse_date(s).unwrap_or_default();
        let span = |a: &str, b: &str| time::Span {
            start: d(a),
            end: d(b),
        };
        let calendar = |p| Cadence::Calendar(p);
        let cases = [
            (
                calendar(Period::Month),
                span("2012-03-01", "2012-03-31"),
                "March 2012",
            ),
            (
                calendar(Period::Quarter),
                span("2012-04-01", "2012-06-30"),
                "April to June 2012",
            ),
            (
                calendar(Period::Months(6)),
                span("2012-07-01", "2012-12-31"),
                "July to December 2012",
            ),
            (
                calendar(Period::Months(12)),
                span("2012-01-01", "2012-12-31"),
                "2012",
            ),
            (
                calendar(Period::Week),
                span("2012-03-05", "2012-03-11"),
                "week of 5 March 2012",
            ),
            (
                calendar(Period::Months(4)),
                span("2012-05-01", "2012-08-31"),
                "May to August 2012",
            ),
        ];
        for (cadence, span, label) in cases {
            assert_eq!(period_label(cadence, span), label);
        }
    }
}
