//! The status algebra: the five statuses of a verdict, how they combine,
//! and the three-valued truth of a condition.

use serde::Serialize;

/// The status of a requirement, a measure or a notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Status {
    /// Holds, and held by its deadline.
    Met,
    /// Holds now, but did not by its deadline.
    MetLate,
    /// Due and does not hold.
    NotMet,
    /// Its deadline is still to come and it does not hold yet.
    NotYetDue,
    /// The data needed is missing.
    Unknown,
}

impl Status {
    /// How bad a status is when statuses are combined: the worst wins.
    /// not met > unknown > not yet due > met late > met.
    pub fn severity(self) -> u8 {
        match self {
            Status::Met => 0,
            Status::MetLate => 1,
            Status::NotYetDue => 2,
            Status::Unknown => 3,
            Status::NotMet => 4,
        }
    }

    /// The worst of some statuses, or `None` if there are none.
    pub fn worst(statuses: impl IntoIterator<Item = Status>) -> Option<Status> {
        statuses.into_iter().max_by_key(|s| s.severity())
    }

    /// The status's stable identifier, as in JSON and test files.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Met => "met",
            Status::MetLate => "met_late",
            Status::NotMet => "not_met",
            Status::NotYetDue => "not_yet_due",
            Status::Unknown => "unknown",
        }
    }

    /// The status of a stable identifier.
    pub fn parse(text: &str) -> Option<Status> {
        Some(match text {
            "met" => Status::Met,
            "met_late" => Status::MetLate,
            "not_met" => Status::NotMet,
            "not_yet_due" => Status::NotYetDue,
            "unknown" => Status::Unknown,
            _ => return None,
        })
    }

    /// The status a condition's truth gives when nothing else is at stake.
    pub fn of_truth(truth: Truth) -> Status {
        match truth {
            Truth::True => Status::Met,
            Truth::False => Status::NotMet,
            Truth::Unknown => Status::Unknown,
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The truth of a condition, three-valued: missing data is unknown.
/// In JSON: `"holds"`, `"fails"`, `"unknown"` (words, so that no reader
/// takes a string for a boolean).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[non_exhaustive]
pub enum Truth {
    /// It holds.
    #[serde(rename = "holds")]
    True,
    /// It does not hold.
    #[serde(rename = "fails")]
    False,
    /// The data needed to decide is missing.
    #[serde(rename = "unknown")]
    Unknown,
}

impl Truth {
    /// `not`: true and false swap, unknown stays unknown.
    pub fn negate(self) -> Truth {
        match self {
            Truth::True => Truth::False,
            Truth::False => Truth::True,
            Truth::Unknown => Truth::Unknown,
        }
    }

    /// Whether a verdict of `status` can rest on a condition of this truth:
    /// met needs true, not met false, unknown unknown; not yet due any.
    pub fn agrees_with(self, status: Status) -> bool {
        match status {
            Status::Met | Status::MetLate => self == Truth::True,
            Status::NotMet => self == Truth::False,
            Status::Unknown => self == Truth::Unknown,
            Status::NotYetDue => true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worst_status_wins_in_the_stated_order() {
        use Status::*;
        assert_eq!(Status::worst([Met, MetLate]), Some(MetLate));
        assert_eq!(Status::worst([MetLate, NotYetDue]), Some(NotYetDue));
        assert_eq!(Status::worst([NotYetDue, Unknown]), Some(Unknown));
        assert_eq!(Status::worst([Unknown, NotMet, Met]), Some(NotMet));
        assert_eq!(Status::worst([]), None);
    }

    #[test]
    fn a_verdict_rests_only_on_a_truth_that_agrees_with_it() {
        use Status::*;
        let agreeing = |t: Truth| -> Vec<Status> {
            [Met, MetLate, NotMet, NotYetDue, Unknown]
                .into_iter()
                .filter(|s| t.agrees_with(*s))
                .collect()
        };
        assert_eq!(agreeing(Truth::True), [Met, MetLate, NotYetDue]);
        assert_eq!(agreeing(Truth::False), [NotMet, NotYetDue]);
        assert_eq!(agreeing(Truth::Unknown), [NotYetDue, Unknown]);
    }

    #[test]
    fn identifiers_round_trip() {
        for s in [
            Status::Met,
            Status::MetLate,
            Status::NotMet,
            Status::NotYetDue,
            Status::Unknown,
        ] {
            assert_eq!(Status::parse(s.as_str()), Some(s));
        }
        assert_eq!(Status::parse("done"), None);
    }
}
