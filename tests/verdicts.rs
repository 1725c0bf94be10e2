//! The judgement pinned as a table: for each kind of deadline, what the
//! condition came to at the deadline and as of the evaluation date, and
//! whether that date is before, on or after the deadline day, the status a
//! requirement gets (docs/language.md, "Evaluation"). Each row is a notice
//! and data written in memory, evaluated through the library's facade, so a
//! change to any boundary of the judgement (a `<` become `<=`) fails a row.

use notice_rules::check::Notice;
use notice_rules::data::{Areas, DataSet};
use notice_rules::{eval, time, DataFiles, Memory, Project};

/// The notice is issued on 23 January 2012; every deadline is 30 June 2012.
const DEADLINE: &str = "2012-06-30";

/// The evaluation dates: the day before the deadline, the day, and after.
const BEFORE: &str = "2012-06-29";
const ON: &str = DEADLINE;
const AFTER: &str = "2012-09-30";

/// What a figure says of the target `visits >= 50%`: holds (60%) or fails (40%).
#[derive(Clone, Copy, Debug)]
enum Figure {
    Holds,
    Fails,
}

impl Figure {
    fn value(self) -> &'static str {
        match self {
            Figure::Holds => "60%",
            Figure::Fails => "40%",
        }
    }
}

/// A notice and its data set from texts in memory: the notice, and each
/// data file it names (its name and CSV), reading the rows of `areas`.
fn load(notice: &str, files: &[(&str, &str)], areas: Areas) -> (Notice, DataSet) {
    let mut memory = Memory::new().with("n/t.notice", notice);
    for (name, text) in files {
        memory = memory.with(format!("n/{name}"), *text);
    }
    let project = Project::new(&memory);
    let (notice, _) = project
        .load_notice("n/t.notice".as_ref())
        .unwrap_or_else(|e| panic!("{}", notice_rules::render_plain(&e[0], 100)));
    let (data, _) = project
        .load_data_of(&notice, DataFiles::Notice, Vec::new(), areas)
        .unwrap();
    (notice, data)
}

/// Evaluates one requirement of a one-measure notice on the given rows,
/// returning the status of the requirement and whether it is said to be at risk.
fn judge(
    requirement: &str,
    observations: &[(&str, &str)],
    records: &[&str],
    as_of: &str,
) -> (String, bool) {
    let notice = format!(
        "notice t {{\n  title \"T\" authority \"Somewhere\" issued 2012-01-23\n  data \"obs.csv\", \"evidence.csv\"\n  metric visits : percent, higher is better\n  evidence plan \"A plan\"\n  measure \"m\" \"M\" {{\n    {requirement}\n  }}\n}}\n"
    );
    let mut obs = String::from("area,metric,date,value\n");
    for (date, value) in observations {
        obs.push_str(&format!("Somewhere,visits,{date},{value}\n"));
    }
    let mut evidence = String::from("kind,date,reference\n");
    for date in records {
        evidence.push_str(&format!("plan,{date},a record\n"));
    }
    let files = [
        ("obs.csv", obs.as_str()),
        ("evidence.csv", evidence.as_str()),
    ];
    let (notice, data) = load(&notice, &files, Areas::Notice);
    let outcome = eval::evaluate(&notice, &data, time::parse_date(as_of).unwrap());
    let v = &outcome.measures[0].requirements[0];
    (v.status.to_string(), v.at_risk.is_some())
}

fn status(
    requirement: &str,
    observations: &[(&str, &str)],
    records: &[&str],
    as_of: &str,
) -> String {
    judge(requirement, observations, records, as_of).0
}

/// A target with a deadline (`by D`): nothing is late before the day; on the
/// day, it is what it is; after, met if it held at the deadline and holds
/// now, met late if it holds only now.
#[test]
fn a_target_by_a_deadline() {
    use Figure::{Fails, Holds};
    let rule = format!("require visits >= 50% by {DEADLINE}");
    // (at the deadline, afterwards) → (before, on, after the deadline day)
    let table: [(Option<Figure>, Option<Figure>, [&str; 3]); 9] = [
        (Some(Holds), None, ["not_yet_due", "met", "met"]),
        (Some(Fails), None, ["not_yet_due", "not_met", "not_met"]),
        (None, None, ["not_yet_due", "unknown", "unknown"]),
        (Some(Holds), Some(Holds), ["not_yet_due", "met", "met"]),
        (Some(Holds), Some(Fails), ["not_yet_due", "met", "not_met"]),
        (
            Some(Fails),
            Some(Holds),
            ["not_yet_due", "not_met", "met_late"],
        ),
        (
            Some(Fails),
            Some(Fails),
            ["not_yet_due", "not_met", "not_met"],
        ),
        (None, Some(Holds), ["not_yet_due", "unknown", "met_late"]),
        (None, Some(Fails), ["not_yet_due", "unknown", "not_met"]),
    ];
    for (then, later, expected) in table {
        // The figure at the deadline is dated on its day (a figure dated the
        // day before holds from then on); the later one in August.
        let mut rows = Vec::new();
        if let Some(f) = then {
            rows.push((DEADLINE, f.value()));
        }
        if let Some(f) = later {
            rows.push(("2012-08-31", f.value()));
        }
        for (as_of, want) in [BEFORE, ON, AFTER].into_iter().zip(expected) {
            assert_eq!(
                status(&rule, &rows, &[], as_of),
                want,
                "{then:?} at the deadline, {later:?} after, as of {as_of}"
            );
        }
    }
}

/// A delivery (a record) by a deadline: met once made, even before the day;
/// missing on the day is not met; made after the day is met late.
#[test]
fn a_delivery_by_a_deadline() {
    let rule = format!("require evidence plan by {DEADLINE}");
    let table: [(&[&str], [&str; 3]); 4] = [
        (&["2012-03-01"], ["met", "met", "met"]),
        (&[DEADLINE], ["not_yet_due", "met", "met"]),
        (&["2012-07-01"], ["not_yet_due", "not_met", "met_late"]),
        (&[], ["not_yet_due", "not_met", "not_met"]),
    ];
    for (records, expected) in table {
        for (as_of, want) in [BEFORE, ON, AFTER].into_iter().zip(expected) {
            assert_eq!(
                status(&rule, &[], records, as_of),
                want,
                "records {records:?}, as of {as_of}"
            );
        }
    }
    // `within 3 months of issued` is the same deadline written otherwise:
    // 23 April 2012, counted from the day of the notice.
    let within = "require evidence plan within 3 months of issued";
    assert_eq!(status(within, &[], &["2012-04-23"], "2012-04-23"), "met");
    assert_eq!(
        status(within, &[], &["2012-04-24"], "2012-05-01"),
        "met_late"
    );
    assert_eq!(status(within, &[], &[], "2012-04-22"), "not_yet_due");
    assert_eq!(status(within, &[], &[], "2012-04-23"), "not_met");
}

/// `after D`: assessed once the day has ended, as the condition stands.
#[test]
fn a_condition_assessed_after_a_date() {
    let rule = format!("require visits >= 50% after {DEADLINE}");
    let holds = [(DEADLINE, "60%")];
    let fails = [(DEADLINE, "40%")];
    assert_eq!(status(&rule, &holds, &[], BEFORE), "not_yet_due");
    assert_eq!(status(&rule, &fails, &[], ON), "not_yet_due");
    assert_eq!(status(&rule, &holds, &[], "2012-07-01"), "met");
    assert_eq!(status(&rule, &fails, &[], "2012-07-01"), "not_met");
    assert_eq!(status(&rule, &fails, &[], AFTER), "not_met");
    assert_eq!(status(&rule, &[], &[], AFTER), "unknown");
}

/// No deadline: the condition as it stands.
#[test]
fn a_condition_with_no_deadline() {
    let rule = "require visits >= 50%";
    assert_eq!(status(rule, &[("2012-03-31", "60%")], &[], ON), "met");
    assert_eq!(status(rule, &[("2012-03-31", "40%")], &[], ON), "not_met");
    assert_eq!(status(rule, &[], &[], ON), "unknown");
}

/// `for N consecutive PERIODS` is shown from the day the first run of N
/// whole periods of the notice's life ends: on that day it is judged, the
/// day before it is not yet due.
#[test]
fn a_sustained_condition_is_judged_from_the_day_its_first_run_ends() {
    // Issued 23 January: the first two whole months are February and March.
    let rule = "require visits >= 50% for 2 consecutive months";
    let rows = [("2012-02-29", "60%"), ("2012-03-31", "60%")];
    assert_eq!(status(rule, &rows, &[], "2012-03-30"), "not_yet_due");
    assert_eq!(status(rule, &rows, &[], "2012-03-31"), "met");
    let failing = [("2012-02-29", "60%"), ("2012-03-31", "40%")];
    assert_eq!(status(rule, &failing, &[], "2012-03-31"), "not_met");
}

/// `for N consecutive PERIODS by D` where no run of the notice's life can
/// end by D: not yet due before D; after it, not met until a run shows it,
/// then met late, never met on periods from before the notice.
#[test]
fn a_sustained_condition_whose_first_run_ends_after_its_deadline() {
    // Issued 23 January: the first whole quarter ends on 30 June.
    let rule = "require evidence plan for 1 consecutive quarter by 2012-02-29";
    let records = ["2011-11-01", "2012-08-06"];
    assert_eq!(status(rule, &[], &records, "2012-02-28"), "not_yet_due");
    assert_eq!(status(rule, &[], &records, "2012-02-29"), "not_met");
    assert_eq!(status(rule, &[], &records, "2012-06-29"), "not_met");
    assert_eq!(status(rule, &[], &records, "2012-09-30"), "met_late");
    // With only the record from before the notice, it is never met.
    assert_eq!(status(rule, &[], &["2011-11-01"], "2012-09-30"), "not_met");
    // A run of the notice's life that held by the deadline (April to June),
    // and holds still (July to September), is met on time.
    let by_july = "require evidence plan for 1 consecutive quarter by 2012-07-31";
    let both = ["2012-05-02", "2012-08-01"];
    assert_eq!(status(by_july, &[], &both, "2012-09-30"), "met");
}

/// At risk is said of a target not yet due that does not hold now and whose
/// trend projects a miss; a target on track now is not at risk, whatever its trend.
#[test]
fn at_risk_is_said_only_of_a_target_that_does_not_hold_now() {
    let rule = "require visits >= 50% by 2012-12-31";
    let falling_but_holding = [
        ("2012-02-29", "90%"),
        ("2012-03-31", "80%"),
        ("2012-04-30", "70%"),
    ];
    assert_eq!(
        judge(rule, &falling_but_holding, &[], "2012-05-01"),
        ("not_yet_due".to_string(), false)
    );
    let falling_and_failing = [
        ("2012-02-29", "48%"),
        ("2012-03-31", "46%"),
        ("2012-04-30", "44%"),
    ];
    assert_eq!(
        judge(rule, &falling_and_failing, &[], "2012-05-01"),
        ("not_yet_due".to_string(), true)
    );
    let rising = [
        ("2012-02-29", "30%"),
        ("2012-03-31", "38%"),
        ("2012-04-30", "46%"),
    ];
    assert_eq!(
        judge(rule, &rising, &[], "2012-05-01"),
        ("not_yet_due".to_string(), false)
    );
}

/// A calendar duty (`every month from A until B`): a period counts once it
/// has ended, on its last day; the last period is the one ending on `until`.
#[test]
fn a_calendar_duty_mid_period_on_its_last_day_and_on_until() {
    let rule = "require evidence plan every month from 2012-02-01 until 2012-04-30";
    let feb_and_march = ["2012-02-10", "2012-03-10"];
    // Mid-March: February is due and held, March is still running.
    assert_eq!(status(rule, &[], &["2012-02-10"], "2012-03-15"), "met");
    // Mid-February: nothing has ended yet.
    assert_eq!(status(rule, &[], &[], "2012-02-15"), "not_yet_due");
    // The last day of March, with no March record: March has ended, missed.
    assert_eq!(status(rule, &[], &["2012-02-10"], "2012-03-31"), "not_met");
    assert_eq!(status(rule, &[], &feb_and_march, "2012-03-31"), "met");
    // On `until`, April is due: missing it is not met.
    assert_eq!(status(rule, &[], &feb_and_march, "2012-04-30"), "not_met");
    assert_eq!(status(rule, &[], &feb_and_march, "2012-04-29"), "met");
}

/// A rolling duty (`at least every N from A until B`): an interval still
/// running with no record is not yet missed; on its last day with none it is
/// missed; an interval ending exactly on `until` is still due.
#[test]
fn a_rolling_duty_mid_interval_on_its_last_day_and_on_until() {
    // From 1 January 2012 every 3 months: the first interval ends on 1 April.
    let rule = "require evidence plan at least every 3 months from 2012-01-01 until 2012-12-31";
    assert_eq!(status(rule, &[], &[], "2012-02-15"), "not_yet_due");
    assert_eq!(status(rule, &[], &[], "2012-03-31"), "not_yet_due");
    assert_eq!(status(rule, &[], &[], "2012-04-01"), "not_met");
    // A record in February starts the next interval from its day: mid-way
    // through that one, it is met so far.
    assert_eq!(status(rule, &[], &["2012-02-10"], "2012-04-15"), "met");
    assert_eq!(status(rule, &[], &["2012-02-10"], "2012-05-10"), "not_met");
    // The duty ends on 1 April, the day its only interval ends: that
    // interval is due, and missed without a record.
    let until = "require evidence plan at least every 3 months from 2012-01-01 until 2012-04-01";
    assert_eq!(status(until, &[], &[], "2012-06-01"), "not_met");
    assert_eq!(status(until, &[], &["2012-03-01"], "2012-06-01"), "met");
}

/// A missed interval of a rolling duty made up by a late record is met late
/// (the late record starts the next interval); one not made up is not met.
/// A calendar duty has no such catching up: a record belongs to its own period.
#[test]
fn a_rolling_duty_caught_up_late_is_met_late() {
    let rule = "require evidence plan at least every 3 months from 2012-01-01 until 2012-12-31";
    // The first interval ends on 1 April with no record.
    assert_eq!(status(rule, &[], &[], "2012-04-15"), "not_met");
    assert_eq!(status(rule, &[], &["2012-04-10"], "2012-04-15"), "met_late");
    // The next interval runs from 10 April to 10 July.
    assert_eq!(status(rule, &[], &["2012-04-10"], "2012-07-09"), "met_late");
    assert_eq!(status(rule, &[], &["2012-04-10"], "2012-07-10"), "not_met");
    let twice_late = ["2012-04-10", "2012-07-20"];
    assert_eq!(status(rule, &[], &twice_late, "2012-08-01"), "met_late");
    // On time, then late: met late.
    let on_time_then_late = ["2012-03-01", "2012-06-15"];
    assert_eq!(
        status(rule, &[], &on_time_then_late, "2012-07-01"),
        "met_late"
    );
    let calendar = "require evidence plan every month from 2012-02-01 until 2012-04-30";
    assert_eq!(
        status(calendar, &[], &["2012-03-10"], "2012-03-31"),
        "not_met"
    );
}

/// A delivery in a window that slides with the evaluation date (`evidence
/// board over 1 month by D`) is judged as a target is: a record made early
/// is on track, not a green `met` that turns back to not yet due when the
/// record leaves the window; `count evidence ... >= 1` says the same. In a
/// fixed window (`since D`) a record made early is met, and stays met.
#[test]
fn a_delivery_in_a_sliding_window_is_judged_at_its_deadline() {
    let sliding = "require evidence plan over 1 month by 2012-09-30";
    let counted = "require count evidence plan over 1 month >= 1 by 2012-09-30";
    let march = ["2012-03-10"];
    for rule in [sliding, counted] {
        assert_eq!(
            status(rule, &[], &march, "2012-03-15"),
            "not_yet_due",
            "{rule}"
        );
        assert_eq!(
            status(rule, &[], &march, "2012-07-01"),
            "not_yet_due",
            "{rule}"
        );
        assert_eq!(status(rule, &[], &march, "2012-10-01"), "not_met", "{rule}");
        let september = ["2012-09-10"];
        assert_eq!(status(rule, &[], &september, "2012-10-01"), "met", "{rule}");
    }
    let fixed = "require evidence plan since 2012-02-01 by 2012-09-30";
    assert_eq!(status(fixed, &[], &march, "2012-03-15"), "met");
    assert_eq!(status(fixed, &[], &march, "2012-10-01"), "met");
}

/// The status of one requirement on observation rows given as CSV (with a
/// `published` column), as of a date, knowing what was published by then.
fn status_on(requirement: &str, csv: &str, as_of: &str) -> String {
    let notice = format!(
        "notice t {{\n  title \"T\" authority \"Somewhere\" issued 2012-01-23\n  data \"obs.csv\"\n  metric visits : percent, higher is better\n  measure \"m\" \"M\" {{\n    {requirement}\n  }}\n}}\n"
    );
    verdict_of(&notice, csv, as_of).status.to_string()
}

/// The verdict on the first requirement of a notice on one data file
/// (`obs.csv`), as of a date.
fn verdict_of(notice: &str, csv: &str, as_of: &str) -> eval::Verdict {
    let (notice, data) = load(notice, &[("obs.csv", csv)], Areas::Notice);
    let outcome = eval::evaluate(&notice, &data, time::parse_date(as_of).unwrap());
    outcome.measures[0].requirements[0].clone()
}

/// A window reads one figure a date, its latest version published by the
/// knowledge date, and none published after it: a revised figure is not
/// counted twice, and a figure not yet published is not counted at all.
#[test]
fn a_window_reads_one_published_version_of_each_figure() {
    let revised = "area,metric,date,value,published\n\
        Somewhere,visits,2012-03-31,40%,2012-04-10\n\
        Somewhere,visits,2012-03-31,60%,2012-05-10\n\
        Somewhere,visits,2012-04-30,80%,2012-05-01\n";
    let count = "require count visits over 6 months == 2";
    let mean = "require mean visits over 6 months >= 70%";
    assert_eq!(status_on(count, revised, "2012-06-30"), "met");
    assert_eq!(status_on(mean, revised, "2012-06-30"), "met");
    // A version published on the knowledge date itself is known that day.
    assert_eq!(status_on(mean, revised, "2012-05-10"), "met");
    // Before the revision was published, the first version is the figure.
    let first = "require mean visits over 6 months <= 60%";
    assert_eq!(status_on(first, revised, "2012-05-09"), "met");
    let late = "area,metric,date,value,published\n\
        Somewhere,visits,2012-03-31,60%,2012-04-10\n\
        Somewhere,visits,2012-05-31,20%,2012-07-15\n";
    let one = "require count visits over 6 months == 1";
    assert_eq!(status_on(one, late, "2012-06-30"), "met");
    assert_eq!(
        status_on(
            "require mean visits over 6 months >= 60%",
            late,
            "2012-06-30"
        ),
        "met"
    );
    assert_eq!(status_on(count, late, "2012-07-15"), "met");
}

/// Read for another area of the data (a screen, `eval --area`), a count of
/// records is unknown: evidence tables hold the notice's own authority's
/// records only, so no count can be said of another council.
#[test]
fn a_count_of_records_for_another_area_is_unknown() {
    let notice = "notice t {\n  title \"T\" authority \"Somewhere\" issued 2012-01-23\n  data \"obs.csv\", \"evidence.csv\"\n  metric visits : percent, higher is better\n  evidence plan \"A plan\"\n  measure \"m\" \"M\" {\n    require count evidence plan >= 1\n  }\n  measure \"v\" \"V\" {\n    require visits >= 50%\n  }\n}\n";
    let files = [
        (
            "obs.csv",
            "area,metric,date,value\nSomewhere,visits,2012-03-31,60%\nElsewhere,visits,2012-03-31,60%\n",
        ),
        ("evidence.csv", "kind,date,reference\nplan,2012-03-01,a plan\n"),
    ];
    let (notice, mut data) = load(notice, &files, Areas::Every);
    let as_of = time::parse_date("2012-06-30").unwrap();
    let statuses = |notice: &Notice, data: &DataSet| {
        eval::evaluate(notice, data, as_of)
            .measures
            .iter()
            .map(|m| m.status.to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(statuses(&notice, &data), ["met", "met"]);
    let elsewhere = eval::for_area(notice, &mut data, "Elsewhere").unwrap();
    assert_eq!(statuses(&elsewhere, &data), ["unknown", "met"]);
}

/// A sustained condition against a comparator, judged after its deadline:
/// a period ending by the deadline reads the comparator within it, as
/// before the deadline; a period after it reads the comparator as it stood
/// at the deadline.
#[test]
fn a_sustained_comparison_reads_the_comparator_as_periods_end() {
    let rule = "require visits >= visits[England] for 2 consecutive months by 2012-06-30";
    // England has no June figure: June's period is unknown, and July's
    // reads England's figure that stood on 30 June (May's).
    let csv = "area,metric,date,value,published\n\
        Somewhere,visits,2012-05-31,60%,\n\
        Somewhere,visits,2012-06-30,60%,\n\
        Somewhere,visits,2012-07-31,60%,\n\
        England,visits,2012-04-30,50%,\n\
        England,visits,2012-05-31,50%,\n\
        England,visits,2012-08-31,90%,\n";
    assert_eq!(status_on(rule, csv, "2012-07-31"), "unknown");
    // By the end of August both periods (July, August) are after the
    // deadline: England as it stood then (50%), not August's 90%.
    let august = format!("{csv}Somewhere,visits,2012-08-31,60%,\n");
    assert_eq!(status_on(rule, &august, "2012-08-31"), "met_late");
}

/// A baseline `at D` after the evaluation date is never read, even when
/// every version is known (`--known-at latest`); one at the evaluation date is.
#[test]
fn a_baseline_after_the_evaluation_date_is_not_read() {
    let notice = "notice t {\n  title \"T\" authority \"Somewhere\" issued 2012-01-23\n  data \"obs.csv\"\n  metric visits : percent, higher is better\n  measure \"later\" \"L\" {\n    require visits at 2012-12-31 >= 50%\n  }\n  measure \"today\" \"T\" {\n    require visits at 2012-06-30 >= 50%\n  }\n}\n";
    let csv = "area,metric,date,value\nSomewhere,visits,2012-06-30,60%\nSomewhere,visits,2012-09-30,60%\n";
    let (notice, data) = load(notice, &[("obs.csv", csv)], Areas::Notice);
    let options = eval::Options {
        known: eval::Knowledge::Latest,
    };
    let outcome = eval::evaluate_with(
        &notice,
        &data,
        time::parse_date("2012-06-30").unwrap(),
        options,
    );
    let statuses: Vec<String> = outcome
        .measures
        .iter()
        .map(|m| m.status.to_string())
        .collect();
    assert_eq!(statuses, ["unknown", "met"]);
}

/// `missing carries forward` never carries a value from before the notice
/// into its life: a plain read with only a pre-notice figure, however
/// recent, is unknown; a figure of the notice's life is carried.
#[test]
fn a_value_is_never_carried_into_the_notice_from_before_it() {
    let notice = |csv: &str| {
        let text = "notice t {\n  title \"T\" authority \"Somewhere\" issued 2012-01-23\n  data \"obs.csv\"\n  metric visits : percent, higher is better, missing carries forward 2 months\n  measure \"m\" \"M\" {\n    require visits >= 50%\n  }\n}\n";
        verdict_of(text, csv, "2012-02-15").status.to_string()
    };
    assert_eq!(
        notice("area,metric,date,value\nSomewhere,visits,2012-01-10,60%\n"),
        "unknown"
    );
    assert_eq!(
        notice("area,metric,date,value\nSomewhere,visits,2012-01-31,60%\n"),
        "met"
    );
}

/// One requirement's verdict under a metric declared as given, on CSV rows.
fn verdict_with(metric: &str, requirement: &str, csv: &str, as_of: &str) -> eval::Verdict {
    let text = format!(
        "notice t {{\n  title \"T\" authority \"Somewhere\" issued 2014-01-06\n  data \"obs.csv\"\n  {metric}\n  measure \"m\" \"M\" {{\n    {requirement}\n  }}\n}}\n"
    );
    verdict_of(&text, csv, as_of)
}

/// The limits of carrying forward and of freshness include their last day:
/// as of 14 June 2014, a figure of 31 May is two weeks old, so it may still
/// be read (carried) and is still fresh; one of 30 May is older.
#[test]
fn a_figure_exactly_as_old_as_the_limit_is_within_it() {
    let row = |date: &str| format!("area,metric,date,value\nSomewhere,visits,{date},85%\n");
    let carried = "metric visits : percent, higher is better, missing carries forward 2 weeks";
    let rule = "require visits >= 80%";
    let status = |date: &str| verdict_with(carried, rule, &row(date), "2014-06-14").status;
    assert_eq!(status("2014-05-31"), eval::Status::Met);
    assert_eq!(status("2014-05-30"), eval::Status::Unknown);
    let fresh = "metric visits : percent, higher is better, fresh within 2 weeks";
    let stale = |date: &str| {
        verdict_with(fresh, rule, &row(date), "2014-06-14")
            .notes
            .iter()
            .any(|n| matches!(n, eval::Note::Stale { .. }))
    };
    assert!(!stale("2014-05-31"));
    assert!(stale("2014-05-30"));
}

/// A value too large to compute exactly makes a condition unknown for a
/// reason more data cannot mend, and the verdict says so through `all`,
/// `not` and a sustained condition alike.
#[test]
fn a_value_too_large_to_compute_is_told_apart_from_missing_data() {
    let big = "7922816251426433759354395033";
    let csv = format!(
        "area,metric,date,value\nSomewhere,n,2012-02-29,{big}\nSomewhere,n,2012-03-31,{big}\n"
    );
    for rule in [
        "require n + n + n + n + n + n + n + n + n + n + n >= 1",
        "require all { n + n + n + n + n + n + n + n + n + n + n >= 1 n >= 0 }",
        "require not (n + n + n + n + n + n + n + n + n + n + n < 1)",
        "require n + n + n + n + n + n + n + n + n + n + n >= 1 for 1 consecutive month",
    ] {
        let notice = format!(
            "notice t {{\n  title \"T\" authority \"Somewhere\" issued 2012-01-23\n  data \"obs.csv\"\n  metric n : count, higher is better\n  measure \"m\" \"M\" {{\n    {rule}\n  }}\n}}\n"
        );
        let v = verdict_of(&notice, &csv, "2012-04-15");
        assert_eq!(v.status, eval::Status::Unknown, "{rule}");
        assert!(v.finding.uncomputable(), "{rule}");
    }
    // Missing data is not uncomputable.
    let notice = "notice t {\n  title \"T\" authority \"Somewhere\" issued 2012-01-23\n  data \"obs.csv\"\n  metric n : count, higher is better\n  measure \"m\" \"M\" {\n    require all { n >= 1 n >= 0 }\n  }\n}\n";
    let v = verdict_of(notice, "area,metric,date,value\n", "2012-04-15");
    assert!(!v.finding.uncomputable());
}

/// A rolling duty over records combined by `any` or `all` counts each next
/// interval from the day the combination was delivered.
#[test]
fn a_rolling_duty_over_combined_records_counts_from_their_delivery() {
    let status = |condition: &str, as_of: &str| {
        let notice = format!(
            "notice t {{\n  title \"T\" authority \"Somewhere\" issued 2012-01-01\n  data \"evidence.csv\"\n  evidence plan \"A plan\"\n  evidence review \"A review\"\n  measure \"m\" \"M\" {{\n    require {condition} at least every 3 months from 2012-01-01 until 2012-12-31\n  }}\n}}\n"
        );
        let evidence = "kind,date,reference\nplan,2012-02-01,a plan\nreview,2012-03-15,a review\n";
        let (notice, data) = load(&notice, &[("evidence.csv", evidence)], Areas::Notice);
        let outcome = eval::evaluate(&notice, &data, time::parse_date(as_of).unwrap());
        outcome.measures[0].status.to_string()
    };
    // Each holds in the first interval (to 1 April); the next counts from
    // the delivery and, with no record after 15 March, ends missed on 15 June.
    for condition in [
        "any { evidence plan evidence review }",
        "all { evidence plan evidence review }",
    ] {
        assert_eq!(status(condition, "2012-04-30"), "met", "{condition}");
        assert_eq!(status(condition, "2012-06-14"), "met", "{condition}");
        assert_eq!(status(condition, "2012-06-15"), "not_met", "{condition}");
    }
}

/// A figure published on the deadline itself was reported in time; one
/// published the day after was met in time and reported late, and the
/// verdict says so.
#[test]
fn a_figure_published_on_the_deadline_is_not_reported_late() {
    let notice = "notice t {\n  title \"T\" authority \"Somewhere\" issued 2012-01-23\n  data \"obs.csv\"\n  metric visits : percent, higher is better\n  measure \"m\" \"M\" {\n    require visits >= 50% by 2012-06-30\n  }\n}\n";
    let late = |published: &str| {
        let csv = format!(
            "area,metric,date,value,published\nSomewhere,visits,2012-06-20,60%,{published}\n"
        );
        let v = verdict_of(notice, &csv, "2012-08-01");
        assert_eq!(v.status, eval::Status::Met, "{published}");
        v.notes
            .iter()
            .any(|n| matches!(n, eval::Note::PublishedLate { .. }))
    };
    assert!(!late("2012-06-30"));
    assert!(late("2012-07-01"));
}

/// Trends by direction: `worsening` is a slope against the metric's
/// direction, never a flat one; a tolerance (`by at least`) is measured in
/// the asked direction for a lower-is-better metric too.
#[test]
fn trends_worsen_against_the_direction_and_tolerances_follow_it() {
    let status = |metric: &str, rule: &str, values: [&str; 4]| {
        let notice = format!(
            "notice t {{\n  title \"T\" authority \"Somewhere\" issued 2012-01-23\n  data \"obs.csv\"\n  {metric}\n  measure \"m\" \"M\" {{\n    {rule}\n  }}\n}}\n"
        );
        let mut csv = String::from("area,metric,date,value\n");
        for (date, v) in ["2012-03-31", "2012-04-30", "2012-05-31", "2012-06-30"]
            .iter()
            .zip(values)
        {
            csv.push_str(&format!("Somewhere,rate,{date},{v}\n"));
        }
        verdict_of(&notice, &csv, "2012-07-15").status.to_string()
    };
    let higher = "metric rate : percent, higher is better";
    let lower = "metric rate : percent, lower is better";
    let falling = ["30%", "27%", "24%", "21%"];
    let flat = ["25%", "25%", "25%", "25%"];
    assert_eq!(
        status(higher, "require rate worsening over 6 months", falling),
        "met"
    );
    assert_eq!(
        status(lower, "require rate worsening over 6 months", falling),
        "not_met"
    );
    assert_eq!(
        status(higher, "require rate worsening over 6 months", flat),
        "not_met"
    );
    assert_eq!(
        status(higher, "require rate improving over 6 months", flat),
        "not_met"
    );
    // Falling 3pp a month is improving by far more than 2pp where lower is better.
    let by = "require rate improving by at least 2pp over 6 months";
    assert_eq!(status(lower, by, falling), "met");
    assert_eq!(status(higher, by, falling), "not_met");
    let worse_by = "require rate worsening by at least 2pp over 6 months";
    assert_eq!(status(higher, worse_by, falling), "met");
    assert_eq!(status(lower, worse_by, falling), "not_met");
}

/// At risk needs a trend of at least three figures over the last year: two
/// falling figures say nothing; four falling ones project the miss.
#[test]
fn at_risk_needs_three_figures_and_any_more_count() {
    let rule = "require visits >= 50% by 2012-12-31";
    let two = [("2012-03-31", "46%"), ("2012-04-30", "44%")];
    assert_eq!(
        judge(rule, &two, &[], "2012-05-01"),
        ("not_yet_due".to_string(), false)
    );
    let four = [
        ("2012-01-31", "49%"),
        ("2012-02-29", "48%"),
        ("2012-03-31", "46%"),
        ("2012-04-30", "44%"),
    ];
    assert_eq!(
        judge(rule, &four, &[], "2012-05-01"),
        ("not_yet_due".to_string(), true)
    );
}

/// A comparator dated on the first day of the period the other side names
/// is within it; the day before is older, and the verdict says so.
#[test]
fn a_comparator_on_the_periods_first_day_is_not_older_than_it() {
    let notice = "notice t {\n  title \"T\" authority \"Somewhere\" issued 2012-01-23\n  data \"obs.csv\"\n  metric visits : percent, higher is better\n  measure \"m\" \"M\" {\n    require mean visits from 2012-04-01 until 2012-06-30 >= visits[England]\n  }\n}\n";
    let older = |england: &str| {
        let csv = format!("area,metric,date,value\nSomewhere,visits,2012-05-31,60%\nEngland,visits,{england},50%\n");
        verdict_of(notice, &csv, "2012-07-15")
            .notes
            .iter()
            .any(|n| matches!(n, eval::Note::OlderThanPeriod { .. }))
    };
    assert!(!older("2012-04-01"));
    assert!(older("2012-03-31"));
}

/// A figure published as a symbol (`c`) is noted where the verdict rests on
/// others because of it: older than the latest figure read, it is not; inside
/// the window a mean is taken over, it is.
#[test]
fn a_withheld_figure_is_noted_only_where_it_would_have_counted() {
    let notice = "notice t {\n  title \"T\" authority \"London Borough of Waltham Forest\" code \"E09000031\"\n  issued 2011-06-01\n  data \"pub.csv\"\n  metric repeat : percent, lower is better, column \"repeat_cpp_percent\"\n  measure \"latest\" \"L\" { require repeat <= 20% }\n  measure \"mean\" \"M\" { require mean repeat over 3 years <= 20% }\n}\n";
    let csv = "time_period,time_identifier,geographic_level,country_code,country_name,region_code,region_name,new_la_code,la_name,repeat_cpp_percent\n\
               2011,Reporting year,Local authority,E92000001,England,E13000001,Inner London,E09000031,Waltham Forest,c\n\
               2012,Reporting year,Local authority,E92000001,England,E13000001,Inner London,E09000031,Waltham Forest,11.2\n";
    let (notice, data) = load(notice, &[("pub.csv", csv)], Areas::Notice);
    let outcome = eval::evaluate(&notice, &data, time::parse_date("2013-06-30").unwrap());
    let withheld = |m: usize| {
        outcome.measures[m].requirements[0]
            .notes
            .iter()
            .any(|n| matches!(n, eval::Note::Withheld { .. }))
    };
    assert!(
        !withheld(0),
        "the latest figure is newer than the one withheld"
    );
    assert!(withheld(1), "the mean's window holds the figure withheld");
}
