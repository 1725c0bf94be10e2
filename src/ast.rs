//! The notice as written: every node keeps the span it came from.

use crate::source::{Span, Spanned};

/// A name as written, with its span.
pub(crate) type Name = Spanned<String>;

/// A whole notice file.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Notice {
    /// `use "FILE"` lines: library files, relative to this one.
    pub uses: Vec<Spanned<String>>,
    /// The notice's identifier.
    pub id: Name,
    /// Header fields in the order written.
    pub fields: Vec<Spanned<Field>>,
    /// Declarations in the order written.
    pub decls: Vec<Decl>,
    /// Measures, each with the group it stands in (if any).
    pub measures: Vec<Measure>,
    /// The span of the whole notice block.
    pub span: Span,
}

/// A library file: declarations that notices `use`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Library {
    /// `use "FILE"` lines of the library itself.
    pub uses: Vec<Spanned<String>>,
    /// The library's name.
    pub id: Name,
    /// Metrics, scales and evidence kinds.
    pub decls: Vec<Decl>,
}

/// A parsed file: a notice or a library.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum File {
    /// `notice NAME { ... }`.
    Notice(Notice),
    /// `library NAME { ... }`.
    Library(Library),
}

/// A header field.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Field {
    /// `title "..."`.
    Title(String),
    /// `authority "..."`.
    Authority(String),
    /// `code "..."`: the authority's ONS code.
    Code(String),
    /// `service "..."`.
    Service(String),
    /// `issued DATE` (the text of the date, checked later).
    Issued(Spanned<String>),
    /// `basis "..."`.
    Basis(String),
    /// `data "path", ...`: each path, with the date the file was published
    /// when the notice gives one (`"ees.csv" published 2013-10-31`).
    Data(Vec<(Spanned<String>, Option<Spanned<String>>)>),
}

impl Field {
    /// The keyword that introduces the field.
    pub(crate) fn keyword(&self) -> &'static str {
        match self {
            Field::Title(_) => "title",
            Field::Authority(_) => "authority",
            Field::Code(_) => "code",
            Field::Service(_) => "service",
            Field::Issued(_) => "issued",
            Field::Basis(_) => "basis",
            Field::Data(_) => "data",
        }
    }
}

/// A declaration of a name.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Decl {
    /// `milestone NAME = DATE "label"`.
    Milestone {
        name: Name,
        date: DateExpr,
        label: Option<String>,
    },
    /// `metric NAME : UNIT, DIRECTION "description"`.
    Metric {
        name: Name,
        unit: Spanned<UnitSpec>,
        direction: Option<Spanned<Direction>>,
        missing: Option<Spanned<MissingPolicy>>,
        fresh_within: Option<Spanned<Duration>>,
        /// The name the data gives it, if not its own.
        column: Option<Spanned<String>>,
        /// `stands until replaced`, where written.
        stands: Option<Span>,
        description: Option<String>,
    },
    /// `metric NAME with missing means ..., fresh within ...`: policies for
    /// a metric declared in a library.
    MetricPolicy {
        name: Name,
        missing: Option<Spanned<MissingPolicy>>,
        fresh_within: Option<Spanned<Duration>>,
        column: Option<Spanned<String>>,
        /// `stands until replaced`, where written.
        stands: Option<Span>,
    },
    /// `scale NAME { a < b < c }`.
    Scale { name: Name, levels: Vec<Name> },
    /// `evidence NAME "description"`.
    Evidence {
        name: Name,
        description: Option<String>,
    },
}

impl Decl {
    /// The declared name.
    pub(crate) fn name(&self) -> &Name {
        match self {
            Decl::Milestone { name, .. }
            | Decl::Metric { name, .. }
            | Decl::MetricPolicy { name, .. }
            | Decl::Scale { name, .. }
            | Decl::Evidence { name, .. } => name,
        }
    }
}

/// A metric's unit as written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum UnitSpec {
    /// `percent`, `pp`, `count`, `days`, `money`, `ratio`.
    Plain(String),
    /// `rating SCALE`.
    Rating(Name),
}

/// What a condition does when the data it needs is missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MissingPolicy {
    /// The condition is unknown (the default).
    Unknown,
    /// The condition does not hold.
    NotMet,
    /// The last value before the window stands in, if it is at most this old.
    CarryForward(Duration),
}

/// Which way is better for a metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Higher values are better.
    HigherIsBetter,
    /// Lower values are better.
    LowerIsBetter,
}

/// `measure "id" "title" { ... }`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Measure {
    /// The measure's number as the notice gives it.
    pub id: Spanned<String>,
    /// A short title.
    pub title: Spanned<String>,
    /// The group (heading) it stands under.
    pub group: Option<String>,
    /// The notice's own words.
    pub text: Option<Spanned<String>>,
    /// Who owes it, if not the notice's authority.
    pub owner: Option<Spanned<String>>,
    /// Its requirements.
    pub requirements: Vec<Requirement>,
    /// The whole measure block.
    pub span: Span,
}

/// Whether failing a requirement is an error or a warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    /// `require`: a failure fails the measure.
    Require,
    /// `expect`: a failure is a warning.
    Expect,
}

/// `require COND DEADLINE?`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Requirement {
    /// `require` or `expect`.
    pub kind: Kind,
    /// What must hold.
    pub condition: Cond,
    /// `, missing means ...`: overrides the metrics' policies.
    pub missing: Option<Spanned<MissingPolicy>>,
    /// `for N consecutive PERIODS`.
    pub sustained: Option<Spanned<(u32, Period)>>,
    /// When it must hold.
    pub deadline: Option<Spanned<Deadline>>,
    /// Who owes it, if not the measure's owner.
    pub owner: Option<Spanned<String>>,
    /// The whole requirement.
    pub span: Span,
}

/// When a requirement must hold.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Deadline {
    /// `by D`.
    By(DateExpr),
    /// `within N of D`.
    Within(Spanned<Duration>, DateExpr),
    /// `before D`.
    Before(DateExpr),
    /// `after D`.
    After(DateExpr),
    /// `every [N] PERIOD from A until B`.
    Every(Spanned<Period>, DateExpr, DateExpr),
    /// `at least every DURATION from A until B`.
    Rolling(Spanned<Duration>, DateExpr, DateExpr),
}

/// A calendar period of a recurring duty or a sustained condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    /// Monday to Sunday.
    Week,
    /// A calendar month.
    Month,
    /// January–March, April–June, July–September, October–December.
    Quarter,
    /// N calendar months counted from January: `Months(6)` is a half-year
    /// (January–June, July–December), `Months(12)` a calendar year. Only N
    /// that divide 12 are calendar periods (the checker refuses others).
    Months(u32),
    /// N weeks (N ≥ 2) from Monday, counted from Monday 3 January 2000 so
    /// that every notice shares them.
    Weeks(u32),
}

impl Period {
    /// The period `every N WORD` names (`every 6 months`, `every year`).
    pub fn of(n: u32, word: &str) -> Period {
        if word.starts_with("week") {
            return if n == 1 {
                Period::Week
            } else {
                Period::Weeks(n)
            };
        }
        let months = if word.starts_with("quarter") {
            n.saturating_mul(3)
        } else if word.starts_with("year") {
            n.saturating_mul(12)
        } else {
            n
        };
        match months {
            1 => Period::Month,
            3 => Period::Quarter,
            m => Period::Months(m),
        }
    }

    /// Whether the period is a calendar period: not an empty one, and months
    /// that divide a year.
    pub fn is_calendar(self) -> bool {
        match self {
            Period::Week | Period::Month | Period::Quarter => true,
            Period::Months(n) => n > 0 && 12 % n == 0,
            Period::Weeks(n) => n > 0,
        }
    }
}

/// A condition.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cond {
    /// `all { ... }`.
    All(Vec<Cond>, Span),
    /// `any { ... }`.
    Any(Vec<Cond>, Span),
    /// `not C`.
    Not(Box<Cond>, Span),
    /// `a and b and ...`: a chain is kept flat, so its length costs no depth.
    And(Vec<Cond>, Span),
    /// `a or b or ...`, likewise flat.
    Or(Vec<Cond>, Span),
    /// `evidence KIND`, with `since D` or `from A until B`.
    Evidence(Name, Option<EvidenceWindow>, Span),
    /// `METRIC improving|worsening [by at least AMOUNT] over DURATION`.
    Trend {
        metric: Name,
        area: Option<Spanned<String>>,
        improving: bool,
        by: Option<Spanned<Literal>>,
        window: Spanned<Duration>,
        span: Span,
    },
    /// `a OP b`.
    Compare {
        lhs: ValueExpr,
        op: Spanned<CmpOp>,
        rhs: ValueExpr,
        span: Span,
    },
}

impl Cond {
    /// Where the condition was written.
    pub(crate) fn span(&self) -> Span {
        match self {
            Cond::All(_, s)
            | Cond::Any(_, s)
            | Cond::Not(_, s)
            | Cond::And(_, s)
            | Cond::Or(_, s)
            | Cond::Evidence(_, _, s) => *s,
            Cond::Compare { span, .. } | Cond::Trend { span, .. } => *span,
        }
    }
}

/// Comparison operators.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `==`
    Eq,
    /// `!=`
    Ne,
}

impl CmpOp {
    /// Whether an ordering of left against right satisfies the operator.
    pub fn accepts(self, ord: std::cmp::Ordering) -> bool {
        match self {
            CmpOp::Lt => ord.is_lt(),
            CmpOp::Le => ord.is_le(),
            CmpOp::Gt => ord.is_gt(),
            CmpOp::Ge => ord.is_ge(),
            CmpOp::Eq => ord.is_eq(),
            CmpOp::Ne => ord.is_ne(),
        }
    }

    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            CmpOp::Lt => "<",
            CmpOp::Le => "<=",
            CmpOp::Gt => ">",
            CmpOp::Ge => ">=",
            CmpOp::Eq => "==",
            CmpOp::Ne => "!=",
        }
    }
}

/// `+` or `-`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddOp {
    /// `+`
    Add,
    /// `-`
    Sub,
}

/// A value: a first term, then terms added or taken away.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct ValueExpr {
    /// The first term.
    pub first: Term,
    /// The rest, in order.
    pub rest: Vec<(AddOp, Term)>,
    /// The whole expression.
    pub span: Span,
}

/// A literal or a reference.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Term {
    /// A literal with its unit.
    Literal(Spanned<Literal>),
    /// A metric (or, when the name is a rating level, a rating literal).
    Ref(MetricRef),
    /// `count evidence KIND ...`: how many records of a kind.
    EvidenceCount {
        kind: Name,
        window: Option<EvidenceWindow>,
        span: Span,
    },
}

impl Term {
    /// Where the term was written.
    pub(crate) fn span(&self) -> Span {
        match self {
            Term::Literal(l) => l.span,
            Term::Ref(r) => r.span,
            Term::EvidenceCount { span, .. } => *span,
        }
    }
}

/// A literal as written: the number's text is kept for exact conversion later.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Literal {
    /// `69%`
    Percent(String),
    /// `5pp`
    Pp(String),
    /// `45 days`
    Days(String),
    /// `£500,000`
    Money(String),
    /// `12`
    Number(String),
}

/// `AGGREGATE? NAME [AREA]? WINDOW?`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct MetricRef {
    /// The metric's (or rating level's) name.
    pub name: Name,
    /// Another area's series.
    pub area: Option<Spanned<String>>,
    /// How the observations in the window are combined, if written.
    pub aggregate: Option<Spanned<Aggregate>>,
    /// Which observations are read, if written.
    pub window: Option<Window>,
    /// The whole reference.
    pub span: Span,
}

/// How the observations in a window are combined.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aggregate {
    /// The most recent observation (the default).
    Latest,
    /// The arithmetic mean.
    Mean,
    /// The smallest value.
    Min,
    /// The largest value.
    Max,
    /// The number of observations (a count).
    Count,
}

impl Aggregate {
    /// The keyword.
    pub fn keyword(self) -> &'static str {
        match self {
            Aggregate::Latest => "latest",
            Aggregate::Mean => "mean",
            Aggregate::Min => "min",
            Aggregate::Max => "max",
            Aggregate::Count => "count",
        }
    }
}

/// Which observations a metric reference reads.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Window {
    /// `at DATE`: as the value stood on that date.
    At(DateExpr),
    /// `over N UNITS`: the N units ending on the evaluation date.
    Over(Spanned<Duration>),
    /// `from A until B`.
    Range(DateExpr, DateExpr),
}

/// The dates an `evidence` condition names for its record.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum EvidenceWindow {
    /// `since D`.
    Since(DateExpr),
    /// `from A until B`.
    Range(DateExpr, DateExpr),
    /// `over 12 months`: the duration ending on the evaluation date.
    Over(Spanned<Duration>),
}

/// A date expression: an anchor and durations added or taken away.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct DateExpr {
    /// Where the arithmetic starts.
    pub anchor: Spanned<Anchor>,
    /// The durations, in order.
    pub steps: Vec<(AddOp, Spanned<Duration>)>,
    /// The whole expression.
    pub span: Span,
}

/// The start of a date expression.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Anchor {
    /// An ISO date as written (checked later, so `2012-02-30` gets a located error).
    Date(String),
    /// A month as written (`2017-05`): its last day, or its first where a window starts.
    Month(String),
    /// `issued`.
    Issued,
    /// A milestone's name.
    Milestone(String),
}

/// A length of time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Duration {
    /// How many.
    pub amount: u32,
    /// Of what.
    pub unit: DurationUnit,
}

/// The units of a duration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DurationUnit {
    /// Calendar days.
    Days,
    /// Working days (England and Wales).
    WorkingDays,
    /// Weeks of seven days.
    Weeks,
    /// Calendar months, clamped to the month's end.
    Months,
    /// Years of twelve months.
    Years,
}
