//! Dates: `issued`, milestones (resolved in any order, cycles refused),
//! date expressions and deadlines.

use std::collections::HashMap;

use super::model::*;
use super::{CheckError, Checker};
use crate::ast::{self, AddOp, Anchor, DateExpr, Decl};
use crate::diagnostics::Code;
use crate::source::{SourceFile, Span};
use chrono::Datelike;

use crate::time::{self, Date};

impl Checker<'_> {
    /// Each milestone names at most one other, so a chain is walked in a loop
    /// and a cycle is seen when the walk meets a milestone already on it.
    pub(super) fn resolve_milestones(&mut self, notice: &ast::Notice) {
        let defs: HashMap<&str, &DateExpr> = notice
            .decls
            .iter()
            .filter_map(|d| match d {
                Decl::Milestone { name, date, .. } => Some((name.node.as_str(), date)),
                _ => None,
            })
            .collect();
        for decl in &notice.decls {
            let Decl::Milestone { name, .. } = decl else {
                continue;
            };
            if self.milestones.contains_key(&name.node)
                || self.failed_milestones.contains(&name.node)
            {
                continue;
            }
            let mut chain: Vec<&str> = vec![name.node.as_str()];
            // Membership by lookup: a chain of thousands is walked once.
            let mut on_chain: std::collections::HashSet<&str> =
                std::iter::once(name.node.as_str()).collect();
            while let Some(current) = chain.last().and_then(|n| defs.get(n)) {
                let Anchor::Milestone(next) = &current.anchor.node else {
                    break;
                };
                if self.milestones.contains_key(next)
                    || !defs.contains_key(next.as_str())
                    || self.failed_milestones.contains(next)
                {
                    break;
                }
                if let Some(pos) = on_chain
                    .contains(next.as_str())
                    .then(|| chain.iter().position(|n| n == next))
                    .flatten()
                {
                    let cycle: Vec<&str> = chain.get(pos..).unwrap_or_default().to_vec();
                    let cycle_text = format!("{} -> {}", cycle.join(" -> "), next);
                    let span = defs.get(next.as_str()).map_or(name.span, |d| d.span);
                    self.errors.push(CheckError::MilestoneCycle {
                        src: self.src.named(),
                        span: span.into(),
                        name: next.clone(),
                        cycle: cycle_text,
                    });
                    self.failed_milestones
                        .extend(chain.iter().map(|s| s.to_string()));
                    chain.clear();
                    break;
                }
                chain.push(next.as_str());
                on_chain.insert(next.as_str());
            }
            for n in chain.into_iter().rev() {
                let Some(def) = defs.get(n) else { continue };
                match self.date(def) {
                    Some(date) => {
                        self.milestones.insert(n.to_string(), date);
                    }
                    None => {
                        self.failed_milestones.insert(n.to_string());
                    }
                }
            }
        }
    }

    /// Computes a date expression; reports errors and returns `None` on failure.
    pub(super) fn date(&mut self, expr: &DateExpr) -> Option<Date> {
        self.date_of(expr, MonthMeans::LastDay)
    }

    /// A date expression where a window starts (`from A`, `since D`): a
    /// month written alone (`from 2017-05`) means its first day.
    pub(super) fn start_date(&mut self, expr: &DateExpr) -> Option<Date> {
        self.date_of(expr, MonthMeans::FirstDay)
    }

    fn date_of(&mut self, expr: &DateExpr, month_means: MonthMeans) -> Option<Date> {
        // A month written alone (`2017-02`) is a whole month. Moved by months
        // or years it stays one (`2017-02 + 1 month` is March); moved by
        // days, weeks or working days it moves from its last day (`2017-02 +
        // 1 month + 5 days` is 5 April, `since 2016-09 + 1 day` 1 October).
        // Still a whole month at the end, it is its first day where a window
        // starts and its last day anywhere else. The rule is one for
        // deadlines, milestones and window starts alike.
        let mut whole_month: Option<Date> = None;
        let mut date = match &expr.anchor.node {
            Anchor::Month(text) => match time::parse_month(text) {
                Some(first) => {
                    whole_month = Some(first);
                    first
                }
                None => {
                    self.not_a_date(text, &format!("{text}-01"), expr.anchor.span);
                    return None;
                }
            },
            Anchor::Date(text) => match time::parse_date(text) {
                Some(d) => d,
                None => {
                    self.not_a_date(text, text, expr.anchor.span);
                    return None;
                }
            },
            Anchor::Issued => self.issued?,
            Anchor::Milestone(name) => {
                match self.milestones.get(name) {
                    Some(d) => *d,
                    None => {
                        // A milestone that failed to resolve (a cycle, a bad
                        // date) has reported its own error; what depends on
                        // it fails quietly.
                        if !self.failed_milestones.contains(name) {
                            let names: Vec<String> = self.milestones.keys().cloned().collect();
                            self.unknown(
                                name,
                                expr.anchor.span,
                                "milestone",
                                names.iter().map(String::as_str),
                            );
                        }
                        return None;
                    }
                }
            }
        };
        for (op, duration) in &expr.steps {
            let by_months = matches!(
                duration.node.unit,
                ast::DurationUnit::Months | ast::DurationUnit::Years
            );
            // A whole month moved by months moves from its first day and
            // stays whole; moved otherwise, from its last day, as a day.
            let from = match whole_month {
                Some(first) if by_months => first,
                Some(first) => time::month_end(first),
                None => date,
            };
            let moved = match time::shift(from, *op, duration.node) {
                Ok(d) => d,
                Err(e) => {
                    self.date_error(e, duration.span);
                    return None;
                }
            };
            if duration.node.unit == ast::DurationUnit::WorkingDays {
                let year = from.year().max(moved.year());
                if !time::is_confirmed(year) {
                    self.unconfirmed_holidays(year, duration.span);
                }
            }
            if whole_month.is_some() && by_months {
                whole_month = Some(moved);
            } else {
                whole_month = None;
                date = moved;
            }
        }
        Some(match (whole_month, month_means) {
            (Some(first), MonthMeans::FirstDay) => first,
            (Some(first), MonthMeans::LastDay) => time::month_end(first),
            (None, _) => date,
        })
    }

    /// Date arithmetic that cannot be done, at the step that failed.
    fn date_error(&mut self, e: time::TimeError, span: Span) {
        let help = match e {
            time::TimeError::UnknownYear { .. } => {
                Some("use calendar days, or a date within the calendar's years".to_string())
            }
            time::TimeError::OutOfRange => Some(format!(
                "dates are in the years {} to {}",
                time::FIRST_YEAR,
                time::LAST_YEAR
            )),
        };
        self.errors.push(CheckError::DateError {
            src: self.src.named(),
            span: span.into(),
            reason: e.to_string(),
            help,
        });
    }

    /// The first and last days of a recurring duty (`from A until B`); a
    /// duty that ends before it starts is an error.
    fn duty_dates(
        &mut self,
        from: &DateExpr,
        until: &DateExpr,
        span: crate::source::Span,
    ) -> Option<(Date, Date)> {
        let (start, end) = (self.start_date(from), self.date(until));
        let (start, end) = (start?, end?);
        if end < start {
            self.errors.push(CheckError::invalid(
                Code::CheckEmptyDuty,
                self.src,
                span,
                format!("the duty ends ({end}) before it starts ({start})"),
                "empty duty",
                Some("swap the dates, or correct one of them".into()),
            ));
            return None;
        }
        Some((start, end))
    }

    /// Warns that working days were counted by the rule in a year whose
    /// bank holidays are not yet published.
    fn unconfirmed_holidays(&mut self, year: i32, span: crate::source::Span) {
        self.errors
            .push(CheckError::UnconfirmedHolidays(crate::diagnostics::Located {
                code: Code::CheckUnconfirmedHolidays,
                message: format!(
                    "working days in {year} are counted by the rule: its bank holidays are not yet confirmed"
                ),
                src: self.src.named(),
                span: span.into(),
                label: "computed by the rule".into(),
                help: Some(format!(
                    "bank holidays are published through {}; a proclamation can still move or add a day in {year}",
                    time::CALENDAR_LAST_YEAR
                )),
            }));
    }

    /// A date written that is refused: outside the supported years when
    /// `as_date` is a date at all, else not a date.
    fn not_a_date(&mut self, text: &str, as_date: &str, span: crate::Span) {
        if time::parse_any_date(as_date).is_some() {
            self.out_of_range(span);
        } else {
            self.errors.push(CheckError::InvalidDate {
                src: self.src.named(),
                span: span.into(),
                text: text.to_string(),
            });
        }
    }

    /// A count of periods longer than the supported years.
    pub(super) fn too_many_periods(&mut self, span: crate::Span, n: u32) {
        self.errors.push(CheckError::invalid(
            Code::CheckTooManyPeriods,
            self.src,
            span,
            format!(
                "{} periods: a duty or a sustained condition spans at most {}",
                crate::value::count(n as usize),
                crate::value::count(time::MAX_PERIODS as usize)
            ),
            "too many periods",
            Some(format!(
                "a count of periods must be at most {} and fit in the years {} to {}; a longer duty is several",
                crate::value::count(time::MAX_PERIODS as usize),
                time::FIRST_YEAR,
                time::LAST_YEAR
            )),
        ));
    }

    /// A date outside the supported years, written or computed.
    fn out_of_range(&mut self, span: crate::Span) {
        self.errors.push(CheckError::DateError {
            src: self.src.named(),
            span: span.into(),
            reason: time::TimeError::OutOfRange.to_string(),
            help: Some(format!(
                "dates are in the years {} to {}",
                time::FIRST_YEAR,
                time::LAST_YEAR
            )),
        });
    }

    pub(super) fn deadline(
        &mut self,
        d: &crate::source::Spanned<ast::Deadline>,
    ) -> Option<Deadline> {
        let written = |expr: &DateExpr| self.src.slice(expr.span).to_string();
        let (kind, date, text) = match &d.node {
            ast::Deadline::By(e) => (DeadlineKind::By, self.date(e)?, written(e)),
            ast::Deadline::Before(e) => {
                let date = self.date(e)?.pred_opt()?;
                (DeadlineKind::By, date, format!("before {}", written(e)))
            }
            ast::Deadline::After(e) => (DeadlineKind::After, self.date(e)?, written(e)),
            ast::Deadline::Every(period, from, until) => {
                if !period.node.is_calendar() {
                    self.errors.push(CheckError::invalid(
                        Code::CheckNotACalendarPeriod,
                        self.src,
                        period.span,
                        format!("`every {}` is not a calendar period", self.src.slice(period.span)),
                        "not a calendar period",
                        Some("calendar periods are weeks, months, quarters, half-years and years (months that divide a year); for each record within N months of the last, write `at least every N months`".into()),
                    ));
                    return None;
                }
                if let ast::Period::Weeks(n) = period.node {
                    if !time::periods_fit(period.node, 1) {
                        self.too_many_periods(period.span, n);
                        return None;
                    }
                }
                let (start, end) = self.duty_dates(from, until, d.span)?;
                let periods = time::whole_periods(period.node, start, end).len();
                if periods > time::MAX_PERIODS as usize {
                    self.too_many_periods(d.span, u32::try_from(periods).unwrap_or(u32::MAX));
                    return None;
                }
                let text = self.src.slice(d.span).to_string();
                (
                    DeadlineKind::Every {
                        period: period.node,
                        from: start,
                    },
                    end,
                    text,
                )
            }
            ast::Deadline::Rolling(every, from, until) => {
                let (start, end) = self.duty_dates(from, until, d.span)?;
                if every.node.amount == 0 {
                    self.errors.push(CheckError::invalid(
                        Code::CheckEmptyDuty,
                        self.src,
                        every.span,
                        "an interval of no time can never be kept".into(),
                        "empty interval",
                        Some(
                            "give an interval of at least one day, e.g. `at least every 6 months`"
                                .into(),
                        ),
                    ));
                    return None;
                }
                let text = self.src.slice(d.span).to_string();
                (
                    DeadlineKind::Rolling {
                        every: every.node,
                        from: start,
                    },
                    end,
                    text,
                )
            }
            ast::Deadline::Within(dur, e) => {
                let base = self.date(e)?;
                let text = format!("within {} of {}", self.src.slice(dur.span), written(e));
                match time::shift(base, AddOp::Add, dur.node) {
                    Ok(date) => (DeadlineKind::By, date, text),
                    Err(err) => {
                        self.errors.push(CheckError::DateError {
                            src: self.src.named(),
                            span: dur.span.into(),
                            reason: err.to_string(),
                            help: None,
                        });
                        return None;
                    }
                }
            }
        };
        if let Some(issued) = self.issued {
            if kind == DeadlineKind::By && date < issued {
                self.errors
                    .push(CheckError::DeadlineBeforeIssued(crate::diagnostics::Located {
                        code: Code::CheckDeadlineBeforeIssued,
                        message: format!(
                            "deadline {date} is before the notice was issued ({issued})"
                        ),
                        src: self.src.named(),
                        span: d.span.into(),
                        label: format!("due {date}"),
                        help: Some(
                            "a notice cannot require something before it exists: check the date or the anchor"
                                .into(),
                        ),
                    }));
            }
        }
        Some(Deadline {
            kind,
            date,
            written: text,
            span: d.span,
        })
    }
}

/// Which day of a month written alone (`2017-05`) a date expression means.
#[derive(Debug, Clone, Copy)]
enum MonthMeans {
    /// Its first day: where a window starts.
    FirstDay,
    /// Its last day: a deadline, the end of a window, anywhere else.
    LastDay,
}

/// Computes a date expression standing alone (no `issued`, no milestones),
/// with its warnings (working days counted in years not yet confirmed).
pub(crate) fn eval_date(
    src: &SourceFile,
    expr: &DateExpr,
) -> Result<(Date, Vec<CheckError>), CheckError> {
    if !matches!(expr.anchor.node, Anchor::Date(_) | Anchor::Month(_)) {
        return Err(CheckError::invalid(
            Code::CheckAnchorOutsideNotice,
            src,
            expr.anchor.span,
            format!(
                "`{}` is only known inside a notice",
                src.slice(expr.anchor.span)
            ),
            "not a date",
            Some("start from an ISO date, e.g. `2012-01-23 + 6 months`".into()),
        ));
    }
    let mut c = Checker::new(src, &[]);
    match c.date(expr) {
        Some(d) => Ok((d, c.errors)),
        None => Err(c.errors.pop().unwrap_or(CheckError::DateError {
            src: src.named(),
            span: expr.span.into(),
            reason: "the date is out of range".into(),
            help: None,
        })),
    }
}
