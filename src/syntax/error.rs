//! Syntax errors, and the translation of pest's errors into them.
//!
//! pest's own miette support reports only the offending line and uses
//! character columns as byte offsets, which is wrong after a `£`; this
//! adapter keeps pest's byte positions and names the expected tokens the way
//! an author would.

use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

use super::Rule;
use crate::source::{SourceFile, Span};

/// Something in the text that does not fit the grammar.
#[derive(Debug, Error, Diagnostic)]
#[non_exhaustive]
pub(crate) enum ParseError {
    /// The text does not fit the grammar at this point.
    #[error("{message}")]
    Syntax {
        #[source_code]
        src: crate::source::Named,
        #[label("{label}")]
        span: SourceSpan,
        message: String,
        label: String,
        #[help]
        help: Option<String>,
    },
    /// Brackets or `not` nested deeper than the parser allows.
    #[error("nesting deeper than {limit} levels")]
    #[diagnostic(
        help("split the condition into several requirements, or into named parts of an `all {{ }}` block")
    )]
    TooDeep {
        #[source_code]
        src: crate::source::Named,
        #[label("too deep here")]
        span: SourceSpan,
        limit: usize,
    },
    /// A whole number too large to use.
    #[error("number too large")]
    #[diagnostic(help("use a number below 4,294,967,296"))]
    NumberTooLarge {
        #[source_code]
        src: crate::source::Named,
        #[label("this number")]
        span: SourceSpan,
    },
    /// A library was given where a notice is needed.
    #[error("this file is a library, not a notice")]
    #[diagnostic(
        help("a library is used from a notice: write `use \"this-file.notice\"` at the top of a notice file")
    )]
    NotANotice {
        #[source_code]
        src: crate::source::Named,
        #[label("a library")]
        span: SourceSpan,
    },
    /// The parser met a shape the grammar should have ruled out: a bug.
    #[error("internal parser error")]
    #[diagnostic(help("this is a bug in notice: please report it with this file"))]
    Internal {
        #[source_code]
        src: crate::source::Named,
        #[label("while reading this")]
        span: SourceSpan,
    },
}

/// The name an author knows a grammar rule by.
pub(crate) fn rule_name(rule: Rule) -> &'static str {
    match rule {
        Rule::EOI => "the end of the file",
        Rule::file | Rule::notice => "`notice NAME { ... }`",
        Rule::library => "`library NAME { ... }`",
        Rule::library_item => "`metric`, `scale` or `evidence`",
        Rule::use_decl => "`use \"FILE\"`",
        Rule::ident => "a name",
        Rule::string | Rule::string_inner => "a quoted string",
        Rule::date => "a date (YYYY-MM-DD)",
        Rule::date_expr | Rule::date_only => "a date expression",
        Rule::issued_kw => "`issued`",
        Rule::duration => "a duration (`3 months`, `15 working days`)",
        Rule::duration_unit => "`days`, `working days`, `weeks`, `months` or `years`",
        Rule::int => "a whole number",
        Rule::unit | Rule::unit_name | Rule::rating_unit => {
            "a unit (`percent`, `pp`, `count`, `days`, `money`, `ratio`, `rating SCALE`)"
        }
        Rule::direction | Rule::higher_better | Rule::lower_better => {
            "`higher is better` or `lower is better`"
        }
        Rule::title_field => "`title`",
        Rule::authority_field => "`authority`",
        Rule::code_field => "`code`",
        Rule::notice_kw => "`notice`",
        Rule::library_kw => "`library`",
        Rule::milestone_kw => "`milestone`",
        Rule::metric_kw => "`metric`",
        Rule::scale_kw => "`scale`",
        Rule::evidence_kw => "`evidence`",
        Rule::column_name => "`column \"NAME\"`",
        Rule::service_field => "`service`",
        Rule::issued_field => "`issued`",
        Rule::basis_field => "`basis`",
        Rule::data_field => "`data`",
        Rule::data_source => "a data file's path",
        Rule::published_kw => "`published`",
        Rule::standing => "`stands until replaced`",
        Rule::milestone_decl => "`milestone`",
        Rule::metric_decl => "`metric`",
        Rule::metric_policy => "`metric NAME with ...`",
        Rule::policy_option => "`missing means ...` or `fresh within ...`",
        Rule::scale_decl => "`scale`",
        Rule::evidence_decl => "`evidence`",
        Rule::group => "`group`",
        Rule::measure => "`measure`",
        Rule::owner_field => "`owner \"...\"`",
        Rule::text_field => "`text`",
        Rule::requirement | Rule::req_kind | Rule::require_kw | Rule::expect_kw => {
            "`require` or `expect`"
        }
        Rule::deadline => "a deadline (`by`, `within`, `before`, `after`, `every`)",
        Rule::by_deadline => "`by`",
        Rule::within_deadline => "`within`",
        Rule::before_deadline => "`before`",
        Rule::after_deadline => "`after`",
        Rule::condition | Rule::prefixed => "a condition",
        Rule::not_op => "`not`",
        Rule::and_op => "`and`",
        Rule::or_op => "`or`",
        Rule::all_block => "`all {`",
        Rule::any_block => "`any {`",
        Rule::paren => "`(`",
        Rule::evidence_cond => "`evidence KIND`",
        Rule::comparison => "a comparison",
        Rule::cmp_op => "a comparison (`<`, `<=`, `>`, `>=`, `==`, `!=`)",
        Rule::value | Rule::metric_ref => "a value",
        Rule::add_op => "`+` or `-`",
        Rule::aggregate => "`latest`, `mean`, `min`, `max` or `count`",
        Rule::over_window => "`over DURATION`",
        Rule::range_window => "`from DATE until DATE`",
        Rule::since_window => "`since DATE`",
        Rule::month_date => "a month (`2017-05`)",
        Rule::sustained => "`for N consecutive months`",
        Rule::period => "`week`, `month` or `quarter`",
        Rule::every_deadline => "`every`",
        Rule::rolling_deadline => "`at least every DURATION from DATE until DATE`",
        Rule::trend_by => "`by at least AMOUNT`",
        Rule::trend => "a trend (`M improving over 6 months`)",
        Rule::evidence_count => "a count of records (`count evidence K over 12 months`)",
        Rule::trend_dir => "`improving` or `worsening`",
        Rule::metric_option => {
            "`higher is better`, `lower is better`, `missing ...` or `fresh within ...`"
        }
        Rule::missing_policy => {
            "`missing means unknown`, `missing means not met` or `missing carries forward DURATION`"
        }
        Rule::missing_unknown | Rule::missing_not_met => "`means unknown` or `means not met`",
        Rule::missing_carry => "`carries forward DURATION`",
        Rule::freshness => "`fresh within DURATION`",
        Rule::area => "an area (`[England]`)",
        Rule::at_date => "`at DATE`",
        Rule::money => "an amount of money (`£500,000`)",
        Rule::percent => "a percentage (`69%`)",
        Rule::pp => "percentage points (`5pp`)",
        Rule::days_lit => "a number of days (`45 days`)",
        Rule::number | Rule::number_text | Rule::unsigned_number => "a number",
        Rule::literal | Rule::term => "a value",
        Rule::primary => "a condition",
        Rule::bin_op => "`and` or `or`",
        Rule::date_atom => "a date, `issued` or a milestone",
        Rule::item => "a header field, declaration, `group` or `measure`",
        Rule::keyword => "a keyword",
        Rule::ident_char => "a letter, digit or `_`",
        Rule::WHITESPACE | Rule::COMMENT | Rule::blank => "a space or comment",
    }
}

/// Converts a pest error, keeping its byte position.
pub(crate) fn from_pest(src: &SourceFile, err: &pest::error::Error<Rule>) -> ParseError {
    let (start, end) = match err.location {
        // At the end of the text, point at its last character so the label shows.
        pest::error::InputLocation::Pos(p)
            if src.text.get(p..).is_none_or(|rest| rest.trim().is_empty()) =>
        {
            let trimmed = src.text.trim_end();
            let last = trimmed.chars().next_back().map_or(0, char::len_utf8);
            (trimmed.len() - last, trimmed.len())
        }
        pest::error::InputLocation::Pos(p) => {
            let width = src
                .text
                .get(p..)
                .and_then(|s| s.chars().next())
                .map_or(0, char::len_utf8);
            (p, p + width)
        }
        pest::error::InputLocation::Span((s, e)) => (s, e),
    };
    // A string never closed swallows the rest of the file: point at where it opened.
    if let Some(open) = unclosed_string(&src.text) {
        if err_pos(err) >= open {
            return ParseError::Syntax {
                src: src.named(),
                span: Span::new(open, open + 1).into(),
                message: "this string is not closed".to_string(),
                label: "opened here".to_string(),
                help: Some(
                    "close it with `\"`; everything after it was read as its text".to_string(),
                ),
            };
        }
    }
    // `"Hint authority "Somewhere"`: a string closed by the next one's
    // opening quote. The word found runs into a quote; point at the string
    // that lost its closing quote.
    if let Some(open) = misclosed_string(&src.text, err_pos(err)) {
        return ParseError::Syntax {
            src: src.named(),
            span: Span::new(open, open + 1).into(),
            message: "this string is not closed where it should be".to_string(),
            label: "opened here".to_string(),
            help: Some(
                "its closing `\"` is missing, so the next string's opening quote closed it"
                    .to_string(),
            ),
        };
    }
    let found = found_text(src, err_pos(err));
    let (message, label, help) = match &err.variant {
        pest::error::ErrorVariant::ParsingError {
            positives,
            negatives,
        } => {
            // A stray operator: say what operators fit rather than every continuation.
            let operator = src
                .text
                .get(err_pos(err)..)
                .is_some_and(|t| t.starts_with(['=', '<', '>', '!']));
            let narrowed: Vec<Rule> = if operator && positives.contains(&Rule::cmp_op) {
                vec![Rule::cmp_op]
            } else {
                positives.clone()
            };
            let mut names: Vec<&str> = narrowed.iter().map(|r| rule_name(*r)).collect();
            names.sort_unstable();
            names.dedup();
            // After a complete date, `+` or `-` is a possible continuation,
            // never what was missing: leave it out of the list.
            if ends_with_date(src.text.get(..err_pos(err)).unwrap_or("")) {
                names.retain(|n| *n != rule_name(Rule::add_op));
            }
            let expected = join_or(&names);
            let message = if names.is_empty() {
                format!("unexpected {found}")
            } else {
                format!("expected {expected}, found {found}")
            };
            let label = if names.is_empty() {
                let mut bad: Vec<&str> = negatives.iter().map(|r| rule_name(*r)).collect();
                bad.dedup();
                format!("{} is not allowed here", join_or(&bad))
            } else {
                format!("expected {expected}")
            };
            (message, label, hint(src, err_pos(err), &names))
        }
        pest::error::ErrorVariant::CustomError { message } => {
            (message.clone(), "here".to_string(), None)
        }
    };
    ParseError::Syntax {
        src: src.named(),
        span: Span::new(start, end).into(),
        message,
        label,
        help,
    }
}

fn err_pos(err: &pest::error::Error<Rule>) -> usize {
    match err.location {
        pest::error::InputLocation::Pos(p) => p,
        pest::error::InputLocation::Span((s, _)) => s,
    }
}

/// What the reader sees at the error position.
fn found_text(src: &SourceFile, at: usize) -> String {
    let rest = src.text.get(at..).unwrap_or("");
    if rest.trim().is_empty() {
        return "the end of the file".to_string();
    }
    // A word is shown without the punctuation after it (`percnt`, not `percnt,`).
    let word: String = if rest.starts_with(|c: char| c.is_alphanumeric()) {
        rest.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .take(20)
            .collect()
    } else {
        rest.chars()
            .take_while(|c| !c.is_whitespace())
            .take(20)
            .collect()
    };
    format!("`{word}`")
}

fn join_or(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// Where the string that is still open at the end of the text opened, if one is.
pub(crate) fn unclosed_string(text: &str) -> Option<usize> {
    let mut open: Option<usize> = None;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match (c, open) {
            ('"', None) => open = Some(i),
            ('"', Some(_)) => open = None,
            ('\\', Some(_)) => {
                chars.next();
            }
            ('/', None) if chars.peek().is_some_and(|&(_, n)| n == '/') => {
                while chars.peek().is_some_and(|&(_, n)| n != '\n') {
                    chars.next();
                }
            }
            _ => {}
        }
    }
    open
}

/// The opening quote of the string before `at`, when the word at `at`
/// runs into a quote (`Somewhere"`): that string took the next one's quote.
fn misclosed_string(text: &str, at: usize) -> Option<usize> {
    let rest = text.get(at..)?;
    let word_len = rest.find(|c: char| !(c.is_alphanumeric() || c == '_'))?;
    if word_len == 0 || !rest.get(word_len..)?.starts_with('"') {
        return None;
    }
    let before = text.get(..at)?;
    let close = before.trim_end().strip_suffix('"').map(str::len)?;
    let open = text.get(..close)?.rfind('"')?;
    // The string must start on the same line as the word.
    (!text.get(open..at)?.contains('\n')).then_some(open)
}

/// The words of the language, for "did you mean" on a misspelt one.
const KEYWORDS: [&str; 40] = [
    "require",
    "expect",
    "evidence",
    "all",
    "any",
    "not",
    "and",
    "or",
    "latest",
    "by",
    "within",
    "before",
    "after",
    "at",
    "of",
    "issued",
    "measure",
    "group",
    "every",
    "from",
    "until",
    "over",
    "for",
    "consecutive",
    "improving",
    "worsening",
    "mean",
    "min",
    "max",
    "count",
    "since",
    "with",
    "owner",
    "text",
    "title",
    "authority",
    "milestone",
    "metric",
    "scale",
    "basis",
];

/// Whether `text` ends with a date (`2012-01-23`) or a month (`2017-05`).
fn ends_with_date(text: &str) -> bool {
    let t = text.trim_end().as_bytes();
    let digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    let month = |s: &[u8]| s.len() == 7 && digits(&s[..4]) && s[4] == b'-' && digits(&s[5..]);
    let ends =
        |n: usize| t.len() >= n && (t.len() == n || !t[t.len() - n - 1].is_ascii_alphanumeric());
    (ends(10)
        && month(&t[t.len() - 10..t.len() - 3])
        && t[t.len() - 3] == b'-'
        && digits(&t[t.len() - 2..]))
        || (ends(7) && month(&t[t.len() - 7..]))
}

/// The word just before `at`, if it is a name.
fn word_before(text: &str, at: usize) -> Option<&str> {
    let before = text.get(..at)?.trim_end();
    let start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphanumeric() || *c == '_')
        .last()?
        .0;
    before.get(start..).filter(|w| !w.is_empty())
}

/// Whether the text declares an evidence kind of this name.
fn declares_evidence(text: &str, name: &str) -> bool {
    text.lines().any(|line| {
        let mut words = line.split_whitespace();
        words.next() == Some("evidence") && words.next() == Some(name) && {
            let rest: Vec<&str> = words.collect();
            rest.first().is_none_or(|w| w.starts_with('"'))
        }
    })
}

/// A hint for the mistakes authors make most.
fn hint(src: &SourceFile, at: usize, expected: &[&str]) -> Option<String> {
    let rest = src.text.get(at..).unwrap_or("");
    if rest.trim().is_empty() {
        return Some("the file ends early: is a closing `}` or `\"` missing?".to_string());
    }
    let before = src.text.get(..at).unwrap_or("");
    if before.matches('"').count() % 2 == 1 && !before.ends_with('"') {
        return Some("a string may be missing its closing `\"`".to_string());
    }
    // A misspelt keyword: `requrie`, `milstone`, `bye`.
    let found: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    if !found.is_empty() && !KEYWORDS.contains(&found.as_str()) {
        let limit = if found.chars().count() <= 4 { 1 } else { 2 };
        let words = [
            "percent", "ratio", "money", "days", "months", "weeks", "quarter", "year",
        ];
        let near = KEYWORDS
            .iter()
            .chain(words.iter())
            .map(|k| (strsim::levenshtein(&found, k), *k))
            .filter(|&(d, _)| d <= limit)
            .min_by_key(|&(d, k)| (d, k.len()));
        if let Some((_, keyword)) = near {
            return Some(format!("did you mean `{keyword}`?"));
        }
    }
    // `require plan_agreed by ...` where `plan_agreed` is an evidence kind.
    if let Some(name) = word_before(&src.text, at) {
        let after_evidence = src
            .text
            .get(..at)
            .and_then(|b| b.trim_end().strip_suffix(name))
            .is_some_and(|b| b.trim_end().ends_with("evidence"));
        if !KEYWORDS.contains(&name) && !after_evidence && declares_evidence(&src.text, name) {
            return Some(format!(
                "`{name}` is an evidence kind: ask for a record with `evidence {name}`"
            ));
        }
    }
    if expected.contains(&"a date (YYYY-MM-DD)") {
        return Some("dates are written as YYYY-MM-DD, e.g. `2012-01-23`".to_string());
    }
    None
}

impl crate::diagnostics::Coded for ParseError {
    fn diagnostic_code(&self) -> crate::diagnostics::Code {
        use crate::diagnostics::Code;
        match self {
            ParseError::Syntax { .. } => Code::SyntaxUnexpected,
            ParseError::TooDeep { .. } => Code::SyntaxTooDeep,
            ParseError::NumberTooLarge { .. } => Code::SyntaxNumberTooLarge,
            ParseError::NotANotice { .. } => Code::SyntaxNotANotice,
            ParseError::Internal { .. } => Code::SyntaxInternal,
        }
    }
}
