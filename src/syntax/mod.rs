//! Text to AST: the pest parser, a guard on nesting depth, and the
//! translation of pest's errors into located diagnostics.

mod error;
mod recover;

use pest::iterators::Pair;
use pest::Parser as _;

pub(crate) use error::ParseError;

use crate::ast::*;
use crate::source::{SourceFile, Span, Spanned};

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/notice.pest"]
pub(crate) struct NoticeParser;

/// The deepest nesting of brackets (and of `not`) a notice may use. Real
/// notices nest three or four deep; the limit keeps pest's recursion, and
/// every later stage's, within a 2 MiB thread even in a debug build (64
/// did not: a test runs the deepest nesting on such a thread).
pub(crate) const MAX_DEPTH: usize = 32;

/// Parses a notice file into its AST, or every syntax error found.
pub(crate) fn parse(src: &SourceFile) -> Result<Notice, Vec<ParseError>> {
    match parse_file(src)? {
        File::Notice(n) => Ok(n),
        File::Library(l) => Err(vec![ParseError::NotANotice {
            src: src.named(),
            span: l.id.span.into(),
        }]),
    }
}

/// Parses a notice or library file into its AST, or every syntax error found.
pub(crate) fn parse_file(src: &SourceFile) -> Result<File, Vec<ParseError>> {
    check_depth(src).map_err(|e| vec![e])?;
    let mut pairs = NoticeParser::parse(Rule::file, &src.text)
        .map_err(|e| recover::all_errors(src, error::from_pest(src, &e)))?;
    let builder = Builder { src };
    let file = pairs
        .next()
        .ok_or_else(|| vec![builder.internal(Span::default())])?;
    let mut uses = Vec::new();
    for pair in file.into_inner() {
        match pair.as_rule() {
            Rule::use_decl => {
                let span = builder.tight(pair.as_span());
                let path = builder
                    .next(&mut pair.into_inner(), span)
                    .map_err(|e| vec![e])?;
                uses.push(builder.string(path));
            }
            Rule::notice => {
                let mut notice = builder.notice(pair).map_err(|e| vec![e])?;
                notice.uses = uses;
                return Ok(File::Notice(notice));
            }
            Rule::library => {
                let mut library = builder.library(pair).map_err(|e| vec![e])?;
                library.uses = uses;
                return Ok(File::Library(library));
            }
            _ => {}
        }
    }
    Err(vec![builder.internal(Span::default())])
}

/// Parses a date expression on its own (for `notice date`).
pub(crate) fn parse_date_expr(src: &SourceFile) -> Result<DateExpr, ParseError> {
    let mut pairs =
        NoticeParser::parse(Rule::date_only, &src.text).map_err(|e| error::from_pest(src, &e))?;
    let builder = Builder { src };
    let outer = pairs
        .next()
        .ok_or_else(|| builder.internal(Span::default()))?;
    let span = builder.tight(outer.as_span());
    let expr = outer
        .into_inner()
        .find(|p| p.as_rule() == Rule::date_expr)
        .ok_or_else(|| builder.internal(span))?;
    builder.date_expr(expr)
}

/// Rejects brackets nested deeper than [`MAX_DEPTH`] before pest recurses into them.
fn check_depth(src: &SourceFile) -> Result<(), ParseError> {
    let text = src.text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    while let Some(&b) = text.get(i) {
        match b {
            b'"' => {
                i += 1;
                while let Some(&c) = text.get(i) {
                    if c == b'\\' {
                        i += 1;
                    } else if c == b'"' {
                        break;
                    }
                    i += 1;
                }
            }
            b'/' if text.get(i + 1) == Some(&b'/') => {
                while text.get(i).is_some_and(|&c| c != b'\n') {
                    i += 1;
                }
            }
            b'(' | b'{' | b'[' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(ParseError::TooDeep {
                        src: src.named(),
                        span: Span::new(i, i + 1).into(),
                        limit: MAX_DEPTH,
                    });
                }
            }
            b')' | b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
        i += 1;
    }
    Ok(())
}

/// The period a keyword names.
fn period(word: &str) -> Period {
    Period::of(1, word)
}

/// One operand as itself, several as an `and` chain.
fn and_chain(mut items: Vec<Cond>) -> Option<Cond> {
    if items.len() > 1 {
        let span = items.first()?.span().to(items.last()?.span());
        return Some(Cond::And(items, span));
    }
    items.pop()
}

/// Where a `//` comment starts in a line, outside strings.
fn comment_start(line: &str) -> Option<usize> {
    let bytes = line.as_bytes();
    let mut in_string = false;
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' if in_string => i += 1,
            b'"' => in_string = !in_string,
            b'/' if !in_string && bytes.get(i + 1) == Some(&b'/') => return Some(i),
            _ => {}
        }
        i += 1;
    }
    None
}

/// Builds AST nodes from pest pairs. The grammar fixes the shape of every
/// pair; where a pair is missing anyway, the builder reports an internal
/// error at the span rather than panicking.
struct Builder<'s> {
    src: &'s SourceFile,
}

type Result<T, E = ParseError> = std::result::Result<T, E>;

impl Builder<'_> {
    fn internal(&self, span: Span) -> ParseError {
        ParseError::Internal {
            src: self.src.named(),
            span: span.into(),
        }
    }

    /// A pair's span without the blanks and comments pest lets a rule
    /// swallow at its end.
    fn tight(&self, span: pest::Span<'_>) -> Span {
        let mut text = span.as_str();
        loop {
            text = text.trim_end();
            let line_start = text.rfind('\n').map_or(0, |i| i + 1);
            let last_line = text.get(line_start..).unwrap_or("");
            match comment_start(last_line) {
                Some(at) => text = text.get(..line_start + at).unwrap_or(""),
                None => break,
            }
        }
        Span::new(span.start(), span.start() + text.len())
    }

    fn next<'i>(
        &self,
        pairs: &mut pest::iterators::Pairs<'i, Rule>,
        span: Span,
    ) -> Result<Pair<'i, Rule>> {
        // Keywords a name follows are tokens only so that they end where a
        // name could not go on (`noticex` is not `notice x`); they carry nothing.
        pairs
            .find(|p| !is_keyword_token(p.as_rule()))
            .ok_or_else(|| self.internal(span))
    }

    fn name(&self, pair: Pair<'_, Rule>) -> Name {
        Spanned::new(pair.as_str().to_string(), self.tight(pair.as_span()))
    }

    fn string(&self, pair: Pair<'_, Rule>) -> Spanned<String> {
        let span = self.tight(pair.as_span());
        let raw = pair.as_str();
        let inner = raw
            .strip_prefix('"')
            .and_then(|s| s.strip_suffix('"'))
            .unwrap_or(raw);
        let mut out = String::with_capacity(inner.len());
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.next() {
                    Some('n') => out.push('\n'),
                    Some(other) => out.push(other),
                    None => {}
                }
            } else {
                out.push(c);
            }
        }
        Spanned::new(out, span)
    }

    fn notice(&self, pair: Pair<'_, Rule>) -> Result<Notice> {
        let span: Span = self.tight(pair.as_span());
        let mut inner = pair.into_inner();
        let id = self.name(self.next(&mut inner, span)?);
        let mut notice = Notice {
            uses: Vec::new(),
            id,
            fields: Vec::new(),
            decls: Vec::new(),
            measures: Vec::new(),
            span,
        };
        for item in inner {
            let item_span: Span = self.tight(item.as_span());
            let rule = item.as_rule();
            let mut parts = item.into_inner();
            let field = match rule {
                Rule::title_field => Some(Field::Title(
                    self.string(self.next(&mut parts, item_span)?).node,
                )),
                Rule::authority_field => Some(Field::Authority(
                    self.string(self.next(&mut parts, item_span)?).node,
                )),
                Rule::code_field => Some(Field::Code(
                    self.string(self.next(&mut parts, item_span)?).node,
                )),
                Rule::service_field => Some(Field::Service(
                    self.string(self.next(&mut parts, item_span)?).node,
                )),
                Rule::basis_field => Some(Field::Basis(
                    self.string(self.next(&mut parts, item_span)?).node,
                )),
                Rule::issued_field => {
                    Some(Field::Issued(self.name(self.next(&mut parts, item_span)?)))
                }
                Rule::data_field => Some(Field::Data(
                    parts.by_ref().map(|p| self.string(p)).collect(),
                )),
                _ => None,
            };
            if let Some(field) = field {
                notice.fields.push(Spanned::new(field, item_span));
                continue;
            }
            match rule {
                Rule::milestone_decl => {
                    let name = self.name(self.next(&mut parts, item_span)?);
                    let date = self.date_expr(self.next(&mut parts, item_span)?)?;
                    notice.decls.push(Decl::Milestone { name, date });
                }
                Rule::metric_decl => notice.decls.push(self.metric(item_span, parts)?),
                Rule::metric_policy => {
                    let name = self.name(self.next(&mut parts, item_span)?);
                    let (mut missing, mut fresh_within, mut column) = (None, None, None);
                    for p in parts {
                        if p.as_rule() == Rule::missing_policy {
                            missing = Some(self.missing_policy(p)?);
                        } else if p.as_rule() == Rule::column_name {
                            let c_span = self.tight(p.as_span());
                            column = Some(self.string(self.next(&mut p.into_inner(), c_span)?));
                        } else {
                            let f_span = self.tight(p.as_span());
                            fresh_within =
                                Some(self.duration(self.next(&mut p.into_inner(), f_span)?)?);
                        }
                    }
                    notice.decls.push(Decl::MetricPolicy {
                        name,
                        missing,
                        fresh_within,
                        column,
                    });
                }
                Rule::scale_decl => {
                    let name = self.name(self.next(&mut parts, item_span)?);
                    let levels = parts.map(|p| self.name(p)).collect();
                    notice.decls.push(Decl::Scale { name, levels });
                }
                Rule::evidence_decl => {
                    let name = self.name(self.next(&mut parts, item_span)?);
                    let description = parts.next().map(|p| self.string(p).node);
                    notice.decls.push(Decl::Evidence { name, description });
                }
                Rule::group => {
                    let title = self.string(self.next(&mut parts, item_span)?).node;
                    for m in parts {
                        notice.measures.push(self.measure(m, Some(title.clone()))?);
                    }
                }
                Rule::measure => notice
                    .measures
                    .push(self.measure_pair(item_span, parts, None)?),
                Rule::EOI => {}
                _ => return Err(self.internal(item_span)),
            }
        }
        Ok(notice)
    }

    fn library(&self, pair: Pair<'_, Rule>) -> Result<Library> {
        let span: Span = self.tight(pair.as_span());
        let mut inner = pair.into_inner();
        let id = self.name(self.next(&mut inner, span)?);
        let mut decls = Vec::new();
        for item in inner {
            let item_span: Span = self.tight(item.as_span());
            let rule = item.as_rule();
            let mut parts = item.into_inner();
            match rule {
                Rule::metric_decl => decls.push(self.metric(item_span, parts)?),
                Rule::scale_decl => {
                    let name = self.name(self.next(&mut parts, item_span)?);
                    let levels = parts.map(|p| self.name(p)).collect();
                    decls.push(Decl::Scale { name, levels });
                }
                Rule::evidence_decl => {
                    let name = self.name(self.next(&mut parts, item_span)?);
                    let description = parts.next().map(|p| self.string(p).node);
                    decls.push(Decl::Evidence { name, description });
                }
                _ => return Err(self.internal(item_span)),
            }
        }
        Ok(Library {
            uses: Vec::new(),
            id,
            decls,
        })
    }

    fn metric(&self, span: Span, mut parts: pest::iterators::Pairs<'_, Rule>) -> Result<Decl> {
        let name = self.name(self.next(&mut parts, span)?);
        let unit_pair = self.next(&mut parts, span)?;
        let unit_span: Span = self.tight(unit_pair.as_span());
        let unit_inner = self.next(&mut unit_pair.into_inner(), unit_span)?;
        let unit = match unit_inner.as_rule() {
            Rule::rating_unit => {
                let scale = self.next(&mut unit_inner.into_inner(), unit_span)?;
                UnitSpec::Rating(self.name(scale))
            }
            _ => UnitSpec::Plain(unit_inner.as_str().to_string()),
        };
        let mut direction = None;
        let mut description = None;
        let mut missing = None;
        let mut fresh_within = None;
        let mut column = None;
        for p in parts {
            match p.as_rule() {
                Rule::missing_policy => missing = Some(self.missing_policy(p)?),
                Rule::column_name => {
                    let c_span = self.tight(p.as_span());
                    column = Some(self.string(self.next(&mut p.into_inner(), c_span)?));
                }
                Rule::freshness => {
                    let f_span = self.tight(p.as_span());
                    fresh_within = Some(self.duration(self.next(&mut p.into_inner(), f_span)?)?);
                }
                Rule::direction => {
                    let d_span: Span = self.tight(p.as_span());
                    let which = self.next(&mut p.into_inner(), d_span)?;
                    let d = if which.as_rule() == Rule::higher_better {
                        Direction::HigherIsBetter
                    } else {
                        Direction::LowerIsBetter
                    };
                    direction = Some(Spanned::new(d, d_span));
                }
                _ => description = Some(self.string(p).node),
            }
        }
        Ok(Decl::Metric {
            name,
            unit: Spanned::new(unit, unit_span),
            direction,
            missing,
            fresh_within,
            column,
            description,
        })
    }

    fn measure(&self, pair: Pair<'_, Rule>, group: Option<String>) -> Result<Measure> {
        let span = self.tight(pair.as_span());
        self.measure_pair(span, pair.into_inner(), group)
    }

    fn measure_pair(
        &self,
        span: Span,
        mut parts: pest::iterators::Pairs<'_, Rule>,
        group: Option<String>,
    ) -> Result<Measure> {
        let id = self.string(self.next(&mut parts, span)?);
        let title = self.string(self.next(&mut parts, span)?);
        let mut text = None;
        let mut owner = None;
        let mut requirements = Vec::new();
        for p in parts {
            match p.as_rule() {
                Rule::text_field => {
                    let t_span = self.tight(p.as_span());
                    text = Some(self.string(self.next(&mut p.into_inner(), t_span)?));
                }
                Rule::owner_field => {
                    let o_span = self.tight(p.as_span());
                    owner = Some(self.string(self.next(&mut p.into_inner(), o_span)?));
                }
                _ => requirements.push(self.requirement(p)?),
            }
        }
        Ok(Measure {
            id,
            title,
            group,
            text,
            owner,
            requirements,
            span,
        })
    }

    fn requirement(&self, pair: Pair<'_, Rule>) -> Result<Requirement> {
        let span: Span = self.tight(pair.as_span());
        let mut parts = pair.into_inner();
        let kind_pair = self.next(&mut parts, span)?;
        let kind = if kind_pair.as_str() == "expect" {
            Kind::Expect
        } else {
            Kind::Require
        };
        let condition = self.condition(self.next(&mut parts, span)?, 0)?;
        let mut sustained = None;
        let mut deadline = None;
        let mut missing = None;
        let mut owner = None;
        for p in parts {
            if p.as_rule() == Rule::missing_policy {
                missing = Some(self.missing_policy(p)?);
            } else if p.as_rule() == Rule::owner_field {
                let o_span = self.tight(p.as_span());
                owner = Some(self.string(self.next(&mut p.into_inner(), o_span)?));
            } else if p.as_rule() == Rule::sustained {
                let s_span = self.tight(p.as_span());
                let mut inner = p.into_inner();
                let n = self.int(self.next(&mut inner, s_span)?)?;
                let period = period(self.next(&mut inner, s_span)?.as_str());
                sustained = Some(Spanned::new((n, period), s_span));
            } else {
                deadline = Some(self.deadline(p)?);
            }
        }
        Ok(Requirement {
            kind,
            condition,
            missing,
            sustained,
            deadline,
            owner,
            span,
        })
    }

    fn deadline(&self, pair: Pair<'_, Rule>) -> Result<Spanned<Deadline>> {
        let span: Span = self.tight(pair.as_span());
        let which = self.next(&mut pair.into_inner(), span)?;
        let rule = which.as_rule();
        let mut parts = which.into_inner();
        let deadline = match rule {
            Rule::within_deadline => {
                let d = self.duration(self.next(&mut parts, span)?)?;
                Deadline::Within(d, self.date_expr(self.next(&mut parts, span)?)?)
            }
            Rule::by_deadline => Deadline::By(self.date_expr(self.next(&mut parts, span)?)?),
            Rule::before_deadline => {
                Deadline::Before(self.date_expr(self.next(&mut parts, span)?)?)
            }
            Rule::every_deadline => {
                let mut first = self.next(&mut parts, span)?;
                let mut p_span = self.tight(first.as_span());
                let n = if first.as_rule() == Rule::int {
                    let n = self.int(first.clone())?;
                    first = self.next(&mut parts, span)?;
                    p_span = p_span.to(self.tight(first.as_span()));
                    n
                } else {
                    1
                };
                let p = Period::of(n, first.as_str());
                let from = self.date_expr(self.next(&mut parts, span)?)?;
                let until = self.date_expr(self.next(&mut parts, span)?)?;
                Deadline::Every(Spanned::new(p, p_span), from, until)
            }
            Rule::rolling_deadline => {
                let every = self.duration(self.next(&mut parts, span)?)?;
                let from = self.date_expr(self.next(&mut parts, span)?)?;
                let until = self.date_expr(self.next(&mut parts, span)?)?;
                Deadline::Rolling(every, from, until)
            }
            _ => Deadline::After(self.date_expr(self.next(&mut parts, span)?)?),
        };
        Ok(Spanned::new(deadline, span))
    }

    /// `and` binds tighter than `or`. Chains are collected into flat lists
    /// in a loop, so their length is unbounded and costs no depth.
    fn condition(&self, pair: Pair<'_, Rule>, depth: usize) -> Result<Cond> {
        let span: Span = self.tight(pair.as_span());
        let mut ors: Vec<Vec<Cond>> = vec![Vec::new()];
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::and_op => {}
                Rule::or_op => ors.push(Vec::new()),
                _ => {
                    let operand = self.prefixed(p, depth)?;
                    if let Some(last) = ors.last_mut() {
                        last.push(operand);
                    }
                }
            }
        }
        let mut alternatives: Vec<Cond> = ors.into_iter().filter_map(and_chain).collect();
        match alternatives.len() {
            0 => Err(self.internal(span)),
            1 => alternatives.pop().ok_or_else(|| self.internal(span)),
            _ => Ok(Cond::Or(alternatives, span)),
        }
    }

    fn prefixed(&self, pair: Pair<'_, Rule>, depth: usize) -> Result<Cond> {
        let span: Span = self.tight(pair.as_span());
        let mut nots = Vec::new();
        let mut primary = None;
        for p in pair.into_inner() {
            if p.as_rule() == Rule::not_op {
                nots.push(self.tight(p.as_span()));
            } else {
                primary = Some(p);
            }
        }
        if depth + nots.len() > MAX_DEPTH {
            let at = nots
                .get(MAX_DEPTH.saturating_sub(depth))
                .copied()
                .unwrap_or(span);
            return Err(ParseError::TooDeep {
                src: self.src.named(),
                span: at.into(),
                limit: MAX_DEPTH,
            });
        }
        let primary = primary.ok_or_else(|| self.internal(span))?;
        let mut cond = self.primary(primary, depth + nots.len())?;
        for not_span in nots.into_iter().rev() {
            let s = Span::new(not_span.start, span.end);
            cond = Cond::Not(Box::new(cond), s);
        }
        Ok(cond)
    }

    fn primary(&self, pair: Pair<'_, Rule>, depth: usize) -> Result<Cond> {
        let span: Span = self.tight(pair.as_span());
        match pair.as_rule() {
            Rule::all_block | Rule::any_block => {
                let is_all = pair.as_rule() == Rule::all_block;
                let items = pair
                    .into_inner()
                    .map(|c| self.condition(c, depth + 1))
                    .collect::<Result<Vec<_>>>()?;
                Ok(if is_all {
                    Cond::All(items, span)
                } else {
                    Cond::Any(items, span)
                })
            }
            Rule::paren => self.condition(self.next(&mut pair.into_inner(), span)?, depth + 1),
            Rule::trend => {
                let mut parts = pair.into_inner();
                let metric = self.name(self.next(&mut parts, span)?);
                let mut area = None;
                let mut improving = true;
                let mut window = None;
                let mut by = None;
                for p in parts {
                    match p.as_rule() {
                        Rule::area => area = Some(self.area(p)?),
                        Rule::trend_dir => improving = p.as_str() == "improving",
                        Rule::trend_by => {
                            let b_span = self.tight(p.as_span());
                            match self.term(self.next(&mut p.into_inner(), b_span)?)? {
                                Term::Literal(lit) => by = Some(lit),
                                _ => return Err(self.internal(b_span)),
                            }
                        }
                        _ => window = Some(self.duration(p)?),
                    }
                }
                let window = window.ok_or_else(|| self.internal(span))?;
                Ok(Cond::Trend {
                    metric,
                    area,
                    improving,
                    by,
                    window,
                    span,
                })
            }
            Rule::evidence_cond => {
                let mut inner = pair.into_inner();
                let name = self.name(self.next(&mut inner, span)?);
                let window = inner.next().map(|w| self.evidence_window(w)).transpose()?;
                Ok(Cond::Evidence(name, window, span))
            }
            Rule::comparison => {
                let mut parts = pair.into_inner();
                let lhs = self.value(self.next(&mut parts, span)?)?;
                let op_pair = self.next(&mut parts, span)?;
                let op = match op_pair.as_str() {
                    "<" => CmpOp::Lt,
                    "<=" => CmpOp::Le,
                    ">" => CmpOp::Gt,
                    ">=" => CmpOp::Ge,
                    "==" => CmpOp::Eq,
                    _ => CmpOp::Ne,
                };
                let op = Spanned::new(op, self.tight(op_pair.as_span()));
                let rhs = self.value(self.next(&mut parts, span)?)?;
                Ok(Cond::Compare { lhs, op, rhs, span })
            }
            _ => Err(self.internal(span)),
        }
    }

    fn value(&self, pair: Pair<'_, Rule>) -> Result<ValueExpr> {
        let span: Span = self.tight(pair.as_span());
        let mut parts = pair.into_inner();
        let first = self.term(self.next(&mut parts, span)?)?;
        let mut rest = Vec::new();
        while let Some(op) = parts.next() {
            let op = if op.as_str() == "+" {
                AddOp::Add
            } else {
                AddOp::Sub
            };
            rest.push((op, self.term(self.next(&mut parts, span)?)?));
        }
        Ok(ValueExpr { first, rest, span })
    }

    fn term(&self, pair: Pair<'_, Rule>) -> Result<Term> {
        let span: Span = self.tight(pair.as_span());
        let text = pair.as_str();
        let lit = match pair.as_rule() {
            Rule::percent => Literal::Percent(text.trim_end_matches('%').to_string()),
            Rule::pp => Literal::Pp(text.trim_end_matches("pp").to_string()),
            Rule::money => Literal::Money(text.replacen('£', "", 1)),
            Rule::days_lit => {
                let digits = pair
                    .into_inner()
                    .next()
                    .map_or(String::new(), |p| p.as_str().to_string());
                Literal::Days(digits)
            }
            Rule::number => Literal::Number(text.to_string()),
            Rule::metric_ref => return self.metric_ref(pair).map(Term::Ref),
            Rule::evidence_count => {
                let mut inner = pair.into_inner();
                let kind = self.name(self.next(&mut inner, span)?);
                let window = inner.next().map(|w| self.evidence_window(w)).transpose()?;
                return Ok(Term::EvidenceCount { kind, window, span });
            }
            _ => return Err(self.internal(span)),
        };
        Ok(Term::Literal(Spanned::new(lit, span)))
    }

    fn metric_ref(&self, pair: Pair<'_, Rule>) -> Result<MetricRef> {
        let span: Span = self.tight(pair.as_span());
        let mut r = MetricRef {
            name: Spanned::new(String::new(), span),
            area: None,
            aggregate: None,
            window: None,
            span,
        };
        for p in pair.into_inner() {
            match p.as_rule() {
                Rule::aggregate => {
                    let a = match p.as_str() {
                        "mean" => Aggregate::Mean,
                        "min" => Aggregate::Min,
                        "max" => Aggregate::Max,
                        "count" => Aggregate::Count,
                        _ => Aggregate::Latest,
                    };
                    r.aggregate = Some(Spanned::new(a, self.tight(p.as_span())));
                }
                Rule::ident => r.name = self.name(p),
                Rule::area => r.area = Some(self.area(p)?),
                Rule::at_date => {
                    let a_span = self.tight(p.as_span());
                    r.window = Some(Window::At(
                        self.date_expr(self.next(&mut p.into_inner(), a_span)?)?,
                    ));
                }
                Rule::over_window => {
                    let a_span = self.tight(p.as_span());
                    r.window = Some(Window::Over(
                        self.duration(self.next(&mut p.into_inner(), a_span)?)?,
                    ));
                }
                Rule::range_window => {
                    let a_span = self.tight(p.as_span());
                    let mut inner = p.into_inner();
                    let from = self.date_expr(self.next(&mut inner, a_span)?)?;
                    let until = self.date_expr(self.next(&mut inner, a_span)?)?;
                    r.window = Some(Window::Range(from, until));
                }
                _ => return Err(self.internal(span)),
            }
        }
        Ok(r)
    }

    /// `since D`, `from A until B` or `over N UNITS` after `evidence KIND`.
    fn evidence_window(&self, w: Pair<'_, Rule>) -> Result<EvidenceWindow> {
        let w_span = self.tight(w.as_span());
        let rule = w.as_rule();
        let mut parts = w.into_inner();
        let first = self.next(&mut parts, w_span)?;
        Ok(match rule {
            Rule::over_window => EvidenceWindow::Over(self.duration(first)?),
            Rule::since_window => EvidenceWindow::Since(self.date_expr(first)?),
            _ => EvidenceWindow::Range(
                self.date_expr(first)?,
                self.date_expr(self.next(&mut parts, w_span)?)?,
            ),
        })
    }

    fn area(&self, p: Pair<'_, Rule>) -> Result<Spanned<String>> {
        let a_span = self.tight(p.as_span());
        let inner = self.next(&mut p.into_inner(), a_span)?;
        Ok(if inner.as_rule() == Rule::string {
            Spanned::new(self.string(inner).node, a_span)
        } else {
            Spanned::new(inner.as_str().to_string(), a_span)
        })
    }

    fn missing_policy(&self, pair: Pair<'_, Rule>) -> Result<Spanned<MissingPolicy>> {
        let span = self.tight(pair.as_span());
        let which = self.next(&mut pair.into_inner(), span)?;
        let policy = match which.as_rule() {
            Rule::missing_not_met => MissingPolicy::NotMet,
            Rule::missing_carry => {
                let w_span = self.tight(which.as_span());
                MissingPolicy::CarryForward(
                    self.duration(self.next(&mut which.into_inner(), w_span)?)?
                        .node,
                )
            }
            _ => MissingPolicy::Unknown,
        };
        Ok(Spanned::new(policy, span))
    }

    fn int(&self, pair: Pair<'_, Rule>) -> Result<u32> {
        pair.as_str()
            .parse::<u32>()
            .map_err(|_| ParseError::NumberTooLarge {
                src: self.src.named(),
                span: self.tight(pair.as_span()).into(),
            })
    }

    fn date_expr(&self, pair: Pair<'_, Rule>) -> Result<DateExpr> {
        let span: Span = self.tight(pair.as_span());
        let mut parts = pair.into_inner();
        let a = self.next(&mut parts, span)?;
        let a_span: Span = self.tight(a.as_span());
        let anchor = match a.as_rule() {
            Rule::date => Anchor::Date(a.as_str().to_string()),
            Rule::month_date => Anchor::Month(a.as_str().to_string()),
            Rule::issued_kw => Anchor::Issued,
            _ => Anchor::Milestone(a.as_str().to_string()),
        };
        let mut steps = Vec::new();
        while let Some(op) = parts.next() {
            let op = if op.as_str() == "+" {
                AddOp::Add
            } else {
                AddOp::Sub
            };
            steps.push((op, self.duration(self.next(&mut parts, span)?)?));
        }
        Ok(DateExpr {
            anchor: Spanned::new(anchor, a_span),
            steps,
            span,
        })
    }

    fn duration(&self, pair: Pair<'_, Rule>) -> Result<Spanned<Duration>> {
        let span: Span = self.tight(pair.as_span());
        let mut parts = pair.into_inner();
        let amount = self.int(self.next(&mut parts, span)?)?;
        let unit_text = self.next(&mut parts, span)?.as_str();
        let unit = if unit_text.starts_with("working") {
            DurationUnit::WorkingDays
        } else if unit_text.starts_with("day") {
            DurationUnit::Days
        } else if unit_text.starts_with("week") {
            DurationUnit::Weeks
        } else if unit_text.starts_with("month") {
            DurationUnit::Months
        } else {
            DurationUnit::Years
        };
        Ok(Spanned::new(Duration { amount, unit }, span))
    }
}

/// Whether a rule is a keyword token (`notice_kw`, ...), which says nothing
/// beyond where the keyword ends.
fn is_keyword_token(rule: Rule) -> bool {
    matches!(
        rule,
        Rule::notice_kw
            | Rule::library_kw
            | Rule::milestone_kw
            | Rule::metric_kw
            | Rule::scale_kw
            | Rule::evidence_kw
    )
}
