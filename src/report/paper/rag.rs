//! Red, amber and green: how a board reads a measure's status. The colour
//! is a reading of the five statuses and what the verdicts already say (a
//! projection, a deadline, an expectation), never a new verdict; the
//! mapping is written out in `docs/report.md`.

use serde::Serialize;

use crate::ast::Kind;
use crate::eval::{MeasureOutcome, Status, Truth};
use crate::time::Date;

/// How close a deadline must be for a requirement not yet shown to read amber.
pub(crate) const DUE_SOON_DAYS: i64 = 31;

/// A board's reading of a measure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, PartialOrd, Ord)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Rag {
    /// Off track: a requirement is not met.
    Red,
    /// Needs attention: met late, at risk, due soon and not yet shown, or an
    /// expectation missed.
    Amber,
    /// Nothing can be said: the data does not show it either way.
    Unknown,
    /// Nothing is due yet and nothing points to a miss.
    NotYetDue,
    /// Met, on time.
    Green,
}

/// Why a measure reads amber.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Amber {
    /// Met, but after its deadline (a duty's missed periods made up late included).
    MetLate,
    /// A target not yet due whose trend projects a miss.
    AtRisk {
        /// The deadline the projection is for.
        deadline: Date,
    },
    /// A requirement due within a month that the data does not yet show.
    DueSoon {
        /// Its deadline.
        deadline: Date,
    },
    /// An `expect` (a warning, not a requirement) is not met.
    ExpectationMissed,
}

/// A measure's reading and, for amber, why.
pub(crate) fn reading(m: &MeasureOutcome, as_of: Date) -> (Rag, Option<Amber>) {
    match m.status {
        Status::NotMet => return (Rag::Red, None),
        Status::Unknown => return (Rag::Unknown, None),
        Status::MetLate => return (Rag::Amber, Some(Amber::MetLate)),
        Status::Met | Status::NotYetDue => {}
    }
    let at_risk = m
        .requirements
        .iter()
        .find_map(|v| v.at_risk.as_ref().map(|p| p.deadline));
    let due_soon = m
        .requirements
        .iter()
        .filter(|v| v.status == Status::NotYetDue && v.finding.decisive() != Truth::True)
        .filter_map(|v| v.deadline)
        .filter(|d| *d > as_of && (*d - as_of).num_days() <= DUE_SOON_DAYS)
        .min();
    let expectation_missed = m
        .requirements
        .iter()
        .any(|v| v.kind == Kind::Expect && matches!(v.status, Status::NotMet | Status::MetLate));
    let amber = if let Some(deadline) = at_risk {
        Some(Amber::AtRisk { deadline })
    } else if let Some(deadline) = due_soon {
        Some(Amber::DueSoon { deadline })
    } else if expectation_missed {
        Some(Amber::ExpectationMissed)
    } else {
        None
    };
    match (amber, m.status) {
        (Some(why), _) => (Rag::Amber, Some(why)),
        (None, Status::Met) => (Rag::Green, None),
        (None, _) => (Rag::NotYetDue, None),
    }
}

/// A reading as a word, a symbol and a class (never colour alone).
#[derive(Debug, Clone, Serialize)]
pub struct RagWords {
    /// `red`, `amber`, `green`, `not yet due`, `unknown`.
    pub word: &'static str,
    /// What it means to a board: `off track`, `needs attention`, ...
    pub meaning: &'static str,
    /// `✗`, `!`, `✓`, `·`, `?`.
    pub symbol: &'static str,
    /// `red`, `amber`, ... (for the style sheet).
    pub class: &'static str,
}

impl RagWords {
    pub(crate) fn of(rag: Rag) -> RagWords {
        let (word, meaning, symbol, class) = match rag {
            Rag::Red => ("red", "off track", "✗", "red"),
            Rag::Amber => ("amber", "needs attention", "!", "amber"),
            Rag::Unknown => ("unknown", "no data to judge", "?", "unknown"),
            Rag::NotYetDue => ("not yet due", "nothing due yet", "·", "grey"),
            Rag::Green => ("green", "met on time", "✓", "green"),
        };
        RagWords {
            word,
            meaning,
            symbol,
            class,
        }
    }
}

/// Every reading, in the order a paper lists them (exceptions first).
pub(crate) const ORDER: [Rag; 5] = [
    Rag::Red,
    Rag::Amber,
    Rag::Unknown,
    Rag::NotYetDue,
    Rag::Green,
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::trace::{Detail, Finding};
    use crate::eval::{Timing, Verdict};

    fn d(s: &str) -> Date {
        crate::time::parse_date(s).unwrap_or_default()
    }

    fn verdict(status: Status, kind: Kind, deadline: Option<&str>, truth: Truth) -> Verdict {
        Verdict {
            status,
            kind,
            index: 0,
            deadline: deadline.map(d),
            finding: Finding {
                truth,
                span: crate::Span::default(),
                detail: Detail::Logic {
                    op: crate::eval::trace::LogicOp::All,
                    parts: Vec::new(),
                    deciding: Vec::new(),
                },
            },
            timing: Timing::Open,
            sources: Vec::new(),
            notes: Vec::new(),
            at_risk: None,
        }
    }

    fn read(verdicts: Vec<Verdict>, as_of: &str) -> (Rag, Option<Amber>) {
        reading(&MeasureOutcome::of(0, verdicts), d(as_of))
    }

    #[test]
    fn statuses_read_as_a_board_reads_them() {
        let r = |s, t| verdict(s, Kind::Require, None, t);
        assert_eq!(
            read(vec![r(Status::NotMet, Truth::False)], "2012-08-01").0,
            Rag::Red
        );
        assert_eq!(
            read(vec![r(Status::Met, Truth::True)], "2012-08-01"),
            (Rag::Green, None)
        );
        assert_eq!(
            read(vec![r(Status::MetLate, Truth::True)], "2012-08-01"),
            (Rag::Amber, Some(Amber::MetLate))
        );
        assert_eq!(
            read(vec![r(Status::Unknown, Truth::Unknown)], "2012-08-01").0,
            Rag::Unknown
        );
        assert_eq!(
            read(vec![r(Status::NotYetDue, Truth::Unknown)], "2012-08-01"),
            (Rag::NotYetDue, None)
        );
    }

    #[test]
    fn not_yet_shown_and_due_within_a_month_is_amber() {
        let due = |deadline, truth| {
            vec![verdict(
                Status::NotYetDue,
                Kind::Require,
                Some(deadline),
                truth,
            )]
        };
        // 31 days before: amber; 32 days before: not yet due.
        assert_eq!(
            read(due("2012-09-01", Truth::Unknown), "2012-08-01"),
            (
                Rag::Amber,
                Some(Amber::DueSoon {
                    deadline: d("2012-09-01")
                })
            )
        );
        assert_eq!(
            read(due("2012-09-02", Truth::Unknown), "2012-08-01").0,
            Rag::NotYetDue
        );
        assert_eq!(
            read(due("2012-08-02", Truth::False), "2012-08-01").0,
            Rag::Amber
        );
        // Already shown: on track, whatever the distance.
        assert_eq!(
            read(due("2012-08-02", Truth::True), "2012-08-01").0,
            Rag::NotYetDue
        );
    }

    #[test]
    fn a_missed_expectation_is_amber_and_a_missed_requirement_red() {
        let measure = vec![
            verdict(Status::Met, Kind::Require, None, Truth::True),
            verdict(Status::NotMet, Kind::Expect, None, Truth::False),
        ];
        assert_eq!(
            read(measure, "2012-08-01"),
            (Rag::Amber, Some(Amber::ExpectationMissed))
        );
    }

    #[test]
    fn readings_are_ordered_exceptions_first() {
        let mut sorted = ORDER.to_vec();
        sorted.sort();
        assert_eq!(sorted, ORDER);
    }
}
