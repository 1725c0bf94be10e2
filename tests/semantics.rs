//! Properties of the evaluation rules that hold for any condition and data:
//! logically equivalent conditions get the same verdict under every
//! missing-data policy, and `count` is the number of rows in its window.

use std::path::Path;

use chrono::Datelike;
use notice_rules::{eval, load_notice_text, time, SourceFile};
use proptest::prelude::*;

/// A condition over three metrics, one per missing-data policy.
#[derive(Debug, Clone)]
enum C {
    /// `METRIC OP VALUE`.
    Cmp(usize, usize, u8),
    All(Vec<C>),
    Any(Vec<C>),
    Not(Box<C>),
}

const METRICS: [&str; 3] = ["plain", "strict", "carried"];
const OPS: [&str; 6] = ["<", "<=", ">", ">=", "==", "!="];
/// The converse of each operator of [`OPS`]: `not (a < b)` is `a >= b`.
const CONVERSE: [usize; 6] = [3, 2, 1, 0, 5, 4];

fn text(c: &C) -> String {
    match c {
        C::Cmp(m, op, v) => format!("{} {} {v}%", METRICS[*m], OPS[*op]),
        C::All(items) => format!("all {{ {} }}", join(items)),
        C::Any(items) => format!("any {{ {} }}", join(items)),
        C::Not(inner) => format!("not ({})", text(inner)),
    }
}

fn join(items: &[C]) -> String {
    items
        .iter()
        .map(|c| format!("({})", text(c)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The same condition with every `not` pushed onto a comparison and turned
/// into its converse (De Morgan's laws and double negation).
fn without_not(c: &C, negated: bool) -> C {
    match (c, negated) {
        (C::Cmp(m, op, v), false) => C::Cmp(*m, *op, *v),
        (C::Cmp(m, op, v), true) => C::Cmp(*m, CONVERSE[*op], *v),
        (C::All(items), false) => C::All(items.iter().map(|i| without_not(i, false)).collect()),
        (C::Any(items), false) => C::Any(items.iter().map(|i| without_not(i, false)).collect()),
        (C::All(items), true) => C::Any(items.iter().map(|i| without_not(i, true)).collect()),
        (C::Any(items), true) => C::All(items.iter().map(|i| without_not(i, true)).collect()),
        (C::Not(inner), n) => without_not(inner, !n),
    }
}

fn condition() -> impl Strategy<Value = C> {
    let leaf = (
        0..3usize,
        0..6usize,
        prop::sample::select(vec![40u8, 50, 60]),
    )
        .prop_map(|(m, op, v)| C::Cmp(m, op, v));
    leaf.prop_recursive(3, 12, 3, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 1..3).prop_map(C::All),
            prop::collection::vec(inner.clone(), 1..3).prop_map(C::Any),
            inner.prop_map(|c| C::Not(Box::new(c))),
        ]
    })
}

/// The status of each of the given conditions, each a measure of one
/// notice, on data where each metric has a value or none.
fn statuses(conditions: &[String], values: [Option<u8>; 3]) -> Vec<eval::Status> {
    let mut notice = String::from(
        "notice p {\n  title \"P\" authority \"A\" issued 2012-01-23\n  \
         metric plain : percent, higher is better\n  \
         metric strict : percent, higher is better, missing means not met\n  \
         metric carried : percent, higher is better, missing carries forward 1 month\n",
    );
    for (i, c) in conditions.iter().enumerate() {
        notice.push_str(&format!("  measure \"m{i}\" \"M\" {{ require {c} }}\n"));
    }
    notice.push_str("}\n");
    let (checked, _) = load_notice_text("p.notice", &notice, Path::new("."))
        .unwrap_or_else(|e| panic!("{notice}: {} errors", e.len()));
    let mut csv = String::from("area,metric,date,value,source\n");
    for (m, v) in METRICS.iter().zip(values) {
        if let Some(v) = v {
            csv.push_str(&format!("A,{m},2012-04-30,{v}%,generated\n"));
        }
    }
    let data = notice_rules::Project::new(&notice_rules::Disk)
        .load_data_texts(&checked, vec![SourceFile::new("p.csv", csv)])
        .map(|(d, _)| d)
        .unwrap();
    let outcome = eval::evaluate(&checked, &data, time::parse_date("2012-05-15").unwrap());
    outcome.measures.iter().map(|m| m.status).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() })]

    /// `C`, `not not C` and `C` with its negations pushed inward (De Morgan,
    /// and `not (a < b)` as `a >= b`) get one verdict, whatever data is missing.
    #[test]
    fn equivalent_conditions_get_the_same_verdict(
        c in condition(),
        values in prop::array::uniform3(prop::option::of(prop::sample::select(vec![40u8, 50, 60]))),
    ) {
        let forms = [text(&c), format!("not not ({})", text(&c)), text(&without_not(&c, false))];
        let got = statuses(&forms, values);
        prop_assert_eq!(got[0], got[1], "{} vs {}", forms[0], forms[1]);
        prop_assert_eq!(got[0], got[2], "{} vs {}", forms[0], forms[2]);
        // And the negation of C is the negation pushed inward.
        let negated = [format!("not ({})", text(&c)), text(&without_not(&c, true))];
        let got = statuses(&negated, values);
        prop_assert_eq!(got[0], got[1], "{} vs {}", negated[0], negated[1]);
    }
}

/// A notice with one measure per window, each requiring `count` over it to
/// equal `expected`; the statuses of its measures as of the end of 2013.
fn count_statuses(dates: &[u32], windows: &[(u32, u32, usize)]) -> Vec<eval::Status> {
    let day = |n: u32| time::parse_date("2012-01-01").unwrap() + chrono::Days::new(u64::from(n));
    let mut notice = String::from(
        "notice c {\n  title \"C\" authority \"A\" issued 2012-01-01\n  metric m : count, higher is better\n",
    );
    for (i, (a, b, n)) in windows.iter().enumerate() {
        notice.push_str(&format!(
            "  measure \"m{i}\" \"M\" {{ require count m from {} until {} == {n} }}\n",
            day(*a),
            day(*b)
        ));
    }
    notice.push_str("}\n");
    let (checked, _) = load_notice_text("c.notice", &notice, Path::new(".")).unwrap();
    let mut csv = String::from("area,metric,date,value,source\n");
    for d in dates {
        csv.push_str(&format!("A,m,{},1,generated\n", day(*d)));
    }
    let data = notice_rules::Project::new(&notice_rules::Disk)
        .load_data_texts(&checked, vec![SourceFile::new("c.csv", csv)])
        .map(|(d, _)| d)
        .unwrap();
    let outcome = eval::evaluate(&checked, &data, time::parse_date("2013-12-31").unwrap());
    outcome.measures.iter().map(|m| m.status).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 100, failure_persistence: None, ..ProptestConfig::default() })]

    /// `count` over a window is the number of rows dated inside it, both ends
    /// included, and 0 for a window with none.
    #[test]
    fn count_is_the_number_of_rows_in_the_window(
        dates in prop::collection::btree_set(0u32..700, 0..30),
        windows in prop::collection::vec((0u32..700, 0u32..120), 1..6),
    ) {
        let dates: Vec<u32> = dates.into_iter().collect();
        let windows: Vec<(u32, u32, usize)> = windows
            .into_iter()
            .map(|(a, len)| {
                let b = a + len;
                (a, b, dates.iter().filter(|&&d| a <= d && d <= b).count())
            })
            .collect();
        for (i, s) in count_statuses(&dates, &windows).into_iter().enumerate() {
            prop_assert_eq!(s, eval::Status::Met, "window {:?} of {:?}", windows[i], dates);
        }
    }
}

/// A figure from after the evaluation date is never read, nor named, even
/// when the evaluation is before the notice and the figure before it too.
#[test]
fn no_figure_after_the_evaluation_date_is_named() {
    let text = "notice early {\n  title \"Early\" authority \"A\" issued 2012-01-23\n  metric visits : percent, higher is better\n  measure \"i\" \"Visits\" { text \"Visits.\" require visits >= 50% }\n}\n";
    let (notice, _) = load_notice_text("early.notice", text, Path::new(".")).unwrap();
    let csv = "area,metric,date,value,source\nA,visits,2012-01-10,60%,generated\n";
    let data = notice_rules::Project::new(&notice_rules::Disk)
        .load_data_texts(&notice, vec![SourceFile::new("e.csv", csv)])
        .map(|(d, _)| d)
        .unwrap();
    let outcome = eval::evaluate(&notice, &data, time::parse_date("2011-12-31").unwrap());
    let v = &outcome.measures[0].requirements[0];
    let reason = notice_rules::report::prose::verdict_reason(&notice, 0, v);
    assert!(!reason.contains("2012-01-10"), "{reason}");
}

/// The date a standalone date expression stands for.
fn date_of(expr: &str) -> Option<time::Date> {
    notice_rules::date_expression(expr).ok().map(|(d, _)| d)
}

/// The deadline of the one requirement of a notice with the milestone `m = milestone`.
fn deadline_through_milestone(milestone: &str, by: &str) -> Option<time::Date> {
    let text = format!(
        "notice t {{\n  title \"T\" authority \"S\" issued 2010-01-01\n  milestone m = {milestone}\n  evidence plan \"P\"\n  measure \"i\" \"I\" {{ require evidence plan by {by} }}\n}}\n"
    );
    let (notice, _) = load_notice_text("t.notice", &text, Path::new(".")).ok()?;
    notice.measures[0].requirements[0]
        .deadline
        .as_ref()
        .map(|d| d.date)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, failure_persistence: None, ..ProptestConfig::default() })]

    /// A month moved by months and then by days is the same date computed in
    /// two steps, and the same written through a milestone (docs/language.md, "Months").
    #[test]
    fn a_month_moved_by_months_then_days_is_one_date_however_written(
        year in 2010i32..2020, month in 1u32..=12, n in 0u32..30, k in 0u32..40, back in any::<bool>()
    ) {
        let m = format!("{year}-{month:02}");
        let op = if back { "-" } else { "+" };
        let months = format!("{m} + {n} months");
        let whole = date_of(&format!("{months} {op} {k} days"));
        let first_step = date_of(&months).unwrap();
        let two_steps = date_of(&format!("{first_step} {op} {k} days"));
        prop_assert_eq!(whole, two_steps);
        prop_assert_eq!(whole, deadline_through_milestone(&months, &format!("m {op} {k} days")));
        // Moved by months alone, it is a whole month: its last day as a deadline.
        prop_assert_eq!(first_step.succ_opt().map(|d| d.day()), Some(1));
    }
}

/// The codes of the errors a notice's text is refused with (none when it checks).
fn refused_with(text: &str) -> Vec<String> {
    match load_notice_text("t.notice", text, Path::new(".")) {
        Ok(_) => Vec::new(),
        Err(errors) => errors.iter().map(|e| e.code.to_string()).collect(),
    }
}

#[test]
fn a_deadline_naming_no_milestone_is_an_unknown_name() {
    let text = "notice t {\n  title \"T\" authority \"S\" issued 2012-01-23\n  milestone formal_review = issued + 6 months\n  evidence plan \"P\"\n  measure \"i\" \"I\" { require evidence plan by formal_reveiw }\n}\n";
    assert_eq!(refused_with(text), ["notice::check::unknown_name"]);
}

#[test]
fn a_duty_of_one_day_is_not_empty() {
    // From a day until the same day: no whole period, but not a duty that
    // ends before it starts.
    let text = "notice t {\n  title \"T\" authority \"S\" issued 2012-01-23\n  evidence plan \"P\"\n  measure \"i\" \"I\" { require evidence plan every month from 2012-03-01 until 2012-03-01 }\n}\n";
    assert!(refused_with(text).is_empty(), "{:?}", refused_with(text));
    let reversed = text.replace("until 2012-03-01", "until 2012-02-29");
    assert_eq!(refused_with(&reversed), ["notice::check::empty_duty"]);
}

#[test]
fn only_working_days_warn_of_unconfirmed_holidays() {
    let warned = |expr: &str| notice_rules::date_expression(expr).map(|(_, w)| w.len());
    assert_eq!(warned("2030-01-07 + 1 day").ok(), Some(0));
    assert_eq!(warned("2030-01-07 + 2 months").ok(), Some(0));
    assert_eq!(warned("2030-01-07 + 1 working day").ok(), Some(1));
}

#[test]
fn a_duty_may_span_exactly_the_most_periods() {
    // 2,000 whole weeks from Monday 3 January 2000 end on Sunday 2 May 2038.
    let text = |until: &str| {
        format!("notice t {{\n  title \"T\" authority \"S\" issued 2000-01-03\n  evidence visit \"V\"\n  measure \"i\" \"I\" {{ require evidence visit every week from 2000-01-03 until {until} }}\n}}\n")
    };
    assert!(refused_with(&text("2038-05-02")).is_empty());
    assert_eq!(
        refused_with(&text("2038-05-09")),
        ["notice::check::too_many_periods"]
    );
}

#[test]
fn a_deadline_on_the_day_of_issue_is_not_before_it() {
    let text = |by: &str| {
        format!("notice t {{\n  title \"T\" authority \"S\" issued 2012-01-23\n  evidence plan \"P\"\n  measure \"i\" \"I\" {{\n    text \"T\"\n    require evidence plan by {by}\n  }}\n}}\n")
    };
    let warnings = |by: &str| -> Vec<String> {
        let (_, w) = load_notice_text("t.notice", &text(by), Path::new(".")).unwrap();
        w.iter().map(|d| d.code.to_string()).collect()
    };
    assert!(!warnings("issued").contains(&"notice::check::deadline_before_issued".to_string()));
    assert!(warnings("2012-01-22").contains(&"notice::check::deadline_before_issued".to_string()));
}

/// The status, as of `as_of_days` after the deadline (31 December 2012), of
/// targets against England's figure, given the council's figures and
/// England's (days from the notice's issue on 1 January 2012, percent).
fn comparator_statuses(
    council: &[(u32, u8)],
    england: &[(u32, u8)],
    as_of_days: u32,
) -> Vec<eval::Status> {
    let day = |n: u32| time::parse_date("2012-01-01").unwrap() + chrono::Days::new(u64::from(n));
    let notice = "notice c {\n  title \"C\" authority \"A\" issued 2012-01-01\n  \
        metric rate : percent, lower is better\n  \
        measure \"plain\" \"P\" { require rate <= rate[England] by 2012-12-31 }\n  \
        measure \"margin\" \"M\" { require rate + 2pp <= rate[England] by 2012-12-31 }\n  \
        measure \"mean\" \"A\" { require rate <= mean rate[England] over 6 months by 2012-12-31 }\n}\n";
    let (checked, _) = load_notice_text("c.notice", notice, Path::new(".")).unwrap();
    let mut csv = String::from("area,metric,date,value,source\n");
    for (area, rows) in [("A", council), ("England", england)] {
        let mut seen = std::collections::BTreeSet::new();
        for (d, v) in rows {
            if seen.insert(*d) {
                csv.push_str(&format!("{area},rate,{},{v}%,generated\n", day(*d)));
            }
        }
    }
    let data = notice_rules::Project::new(&notice_rules::Disk)
        .load_data_texts(&checked, vec![SourceFile::new("c.csv", csv)])
        .map(|(d, _)| d)
        .unwrap();
    let as_of = time::parse_date("2012-12-31").unwrap() + chrono::Days::new(u64::from(as_of_days));
    let outcome = eval::evaluate(&checked, &data, as_of);
    outcome.measures.iter().map(|m| m.status).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 150, failure_persistence: None, ..ProptestConfig::default() })]

    /// A comparator stands as it stood at the deadline: England's figures
    /// dated after it change no status, so a target met by its deadline
    /// stays met whatever England's later figures say.
    #[test]
    fn comparator_figures_after_the_deadline_change_no_status(
        council in prop::collection::vec((0u32..800, 0u8..30), 0..6),
        england_then in prop::collection::vec((0u32..366, 0u8..30), 0..6),
        england_later in prop::collection::vec((366u32..800, 0u8..30), 1..6),
        as_of_days in 0u32..430,
    ) {
        let without = comparator_statuses(&council, &england_then, as_of_days);
        let mut all = england_then.clone();
        all.extend(england_later.iter().copied());
        let with = comparator_statuses(&council, &all, as_of_days);
        prop_assert_eq!(&with, &without);
    }
}

/// Statuses of calendar duties at weekly steps, from the full timeline and
/// from the timeline of statuses (which judges a settled period once).
fn duty_statuses(
    records: &[(u32, u32)],
    figures: &[(u32, u32, u8)],
    known: eval::Knowledge,
) -> (Vec<Vec<eval::Status>>, Vec<Vec<eval::Status>>) {
    let start = time::parse_date("2012-01-02").unwrap();
    let day = |n: u32| start + chrono::Days::new(u64::from(n));
    let notice = "notice d {\n  title \"D\" authority \"A\" issued 2012-01-02\n  metric m : percent\n  evidence visit \"Visit\"\n  measure \"1\" \"Weekly\" { require evidence visit every week from issued until 2012-12-31 }\n  measure \"2\" \"Monthly\" { require m >= 50% every month from issued until 2012-12-31 }\n  measure \"3\" \"Either\" { require any { evidence visit  m >= 70% } every 2 weeks from issued until 2012-09-30 }\n}\n";
    let (checked, _) = load_notice_text("d.notice", notice, Path::new(".")).unwrap();
    let mut evidence = String::from("kind,date,published,reference\n");
    for (d, lag) in records {
        evidence.push_str(&format!("visit,{},{},r\n", day(*d), day(d + lag)));
    }
    let mut obs = String::from("area,metric,date,value,published\n");
    for (d, lag, v) in figures {
        obs.push_str(&format!("A,m,{},{v}%,{}\n", day(*d), day(d + lag)));
    }
    let data = notice_rules::Project::new(&notice_rules::Disk)
        .load_data_texts(
            &checked,
            vec![
                SourceFile::new("e.csv", evidence),
                SourceFile::new("o.csv", obs),
            ],
        )
        .map(|(d, _)| d)
        .unwrap();
    let steps = eval::steps(day(0), day(400), notice_rules::check::Period::Week);
    let options = eval::Options { known };
    let full = eval::timeline(&checked, &data, &steps, options);
    let light = eval::timeline_of_statuses(&checked, &data, &steps, options);
    let statuses = |t: &eval::Timeline| -> Vec<Vec<eval::Status>> {
        (0..3).map(|m| t.requirement_statuses(m, 0)).collect()
    };
    (statuses(&full), statuses(&light))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 60, failure_persistence: None, ..ProptestConfig::default() })]

    /// A timeline of statuses says at every step what the full timeline
    /// says, whatever was published late and whatever the knowledge date.
    #[test]
    fn a_timeline_of_statuses_agrees_with_the_full_one_on_duties(
        records in prop::collection::btree_map(0u32..380, 0u32..60, 0..80),
        figures in prop::collection::btree_map(0u32..380, (0u32..90, 0u8..100), 0..40),
        known in prop_oneof![
            Just(eval::Knowledge::AsOf),
            Just(eval::Knowledge::Latest),
            (0u32..420).prop_map(|n| eval::Knowledge::At(
                time::parse_date("2012-01-02").unwrap() + chrono::Days::new(u64::from(n))
            )),
        ],
    ) {
        let records: Vec<(u32, u32)> = records.into_iter().collect();
        let figures: Vec<(u32, u32, u8)> = figures.into_iter().map(|(d, (l, v))| (d, l, v)).collect();
        let (full, light) = duty_statuses(&records, &figures, known);
        prop_assert_eq!(full, light);
    }
}

/// An evaluator of statuses alone keeps no duty's periods: what a timeline
/// of many duties over many steps holds is its statuses, not every
/// period's finding; a full evaluation keeps them all.
#[test]
fn an_evaluator_of_statuses_keeps_no_periods() {
    let notice = "notice d {\n  title \"D\" authority \"A\" issued 2012-01-02\n  evidence visit \"Visit\"\n  measure \"1\" \"Weekly\" { require evidence visit every week from issued until 2012-12-31 }\n}\n";
    let (checked, _) = load_notice_text("d.notice", notice, Path::new(".")).unwrap();
    let data = notice_rules::Project::new(&notice_rules::Disk)
        .load_data_texts(
            &checked,
            vec![SourceFile::new(
                "e.csv",
                "kind,date,reference\nvisit,2012-01-03,r\n",
            )],
        )
        .map(|(d, _)| d)
        .unwrap();
    let as_of = time::parse_date("2012-03-01").unwrap();
    let periods =
        |e: &eval::Evaluator| match &e.evaluate(as_of).measures[0].requirements[0].finding.detail {
            eval::trace::Detail::Recurring { due, .. } => due.len(),
            _ => 0,
        };
    let options = eval::Options::default();
    let full = eval::Evaluator::new(&checked, &data, options);
    let light = eval::Evaluator::statuses_only(&checked, &data, options);
    assert_eq!(periods(&full), 8);
    assert_eq!(periods(&light), 0);
    assert_eq!(full.evaluate(as_of).status, light.evaluate(as_of).status);
}
