//! A screen: the notice's rules read for every area of a data set in turn,
//! the notice's authority standing for the area screened while the areas
//! the rules name (England, statistical neighbours) stay fixed.

use serde::Serialize;

use super::{evaluate_with, Options, Status};
use crate::check::Notice;
use crate::data::DataSet;
use crate::time::Date;

/// Every area's statuses, as data.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct Screen {
    /// The notice's identifier.
    pub notice: String,
    /// The evaluation date.
    pub as_of: Date,
    /// The measures' identifiers, in the notice's order.
    pub measures: Vec<String>,
    /// One row an area.
    pub areas: Vec<AreaStatus>,
    /// Other areas' figures of declared metrics no rule reads, passed over
    /// (counted, not stored) when the data was read.
    pub not_read: usize,
}

/// One area's statuses.
#[derive(Debug, Clone, Serialize)]
#[non_exhaustive]
pub struct AreaStatus {
    /// The area, as the data names it.
    pub area: String,
    /// The worst of its required measures' statuses.
    pub status: Status,
    /// Each measure's status, in the order of [`Screen::measures`].
    pub measures: Vec<Status>,
}

impl Screen {
    /// How many areas have each status, worst first; statuses no area has
    /// are left out.
    pub fn counts(&self) -> Vec<(Status, usize)> {
        let mut statuses = [
            Status::NotMet,
            Status::Unknown,
            Status::NotYetDue,
            Status::MetLate,
            Status::Met,
        ]
        .map(|s| (s, self.areas.iter().filter(|a| a.status == s).count()))
        .to_vec();
        statuses.retain(|&(_, n)| n > 0);
        statuses
    }

    /// Sorts the areas: by name, or worst first (most measures not met,
    /// then unknown), then by name.
    pub fn sort(&mut self, worst_first: bool) {
        if worst_first {
            let weight = |a: &AreaStatus| {
                let count = |s: Status| a.measures.iter().filter(|&&m| m == s).count();
                (
                    std::cmp::Reverse(a.status.severity()),
                    std::cmp::Reverse(count(Status::NotMet)),
                    std::cmp::Reverse(count(Status::Unknown)),
                )
            };
            self.areas
                .sort_by(|a, b| weight(a).cmp(&weight(b)).then_with(|| a.area.cmp(&b.area)));
        } else {
            self.areas.sort_by(|a, b| a.area.cmp(&b.area));
        }
    }
}

/// Reads the notice's rules for each of `areas` (names of the data's areas)
/// as of a date. The data set reads for the notice's authority again after.
pub fn screen(
    notice: &Notice,
    data: &mut DataSet,
    areas: &[String],
    as_of: Date,
    options: Options,
) -> Screen {
    let mut rows = Vec::with_capacity(areas.len());
    for area in areas {
        if !data.read_for(Some(area)) {
            continue;
        }
        let outcome = evaluate_with(notice, data, as_of, options);
        rows.push(AreaStatus {
            area: area.clone(),
            status: outcome.status,
            measures: outcome.measures.iter().map(|m| m.status).collect(),
        });
    }
    data.read_for(None);
    Screen {
        notice: notice.id.clone(),
        as_of,
        measures: notice.measures.iter().map(|m| m.id.clone()).collect(),
        areas: rows,
        not_read: data.unread_metric_rows(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Status::*;

    fn screen(rows: &[(&str, Status, &[Status])]) -> Screen {
        Screen {
            notice: "n".into(),
            as_of: crate::time::parse_date("2012-08-01").unwrap_or_default(),
            measures: Vec::new(),
            areas: rows
                .iter()
                .map(|(area, status, measures)| AreaStatus {
                    area: (*area).into(),
                    status: *status,
                    measures: measures.to_vec(),
                })
                .collect(),
            not_read: 0,
        }
    }

    #[test]
    fn counts_name_only_the_statuses_some_area_has_worst_first() {
        let s = screen(&[
            ("A", Met, &[Met]),
            ("B", NotMet, &[NotMet]),
            ("C", Met, &[Met]),
        ]);
        assert_eq!(s.counts(), [(NotMet, 1), (Met, 2)]);
    }

    #[test]
    fn worst_first_orders_by_status_then_measures_not_met_then_unknown_then_name() {
        let mut s = screen(&[
            ("A", Met, &[Met, Met]),
            ("B", NotMet, &[NotMet, Met]),
            ("C", NotMet, &[NotMet, NotMet]),
            ("D", NotMet, &[NotMet, Unknown]),
            ("E", Unknown, &[Unknown, Met]),
            ("F", NotMet, &[NotMet, Met]),
        ]);
        s.sort(true);
        let order: Vec<&str> = s.areas.iter().map(|a| a.area.as_str()).collect();
        assert_eq!(order, ["C", "D", "B", "F", "E", "A"]);
        s.sort(false);
        let order: Vec<&str> = s.areas.iter().map(|a| a.area.as_str()).collect();
        assert_eq!(order, ["A", "B", "C", "D", "E", "F"]);
    }
}
