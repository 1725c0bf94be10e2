//! Building the syntax tree from pest's pairs: the notice, its header,
//! declarations, measures and requirements. Conditions, values and dates
//! are built in `conditions`.

use pest::iterators::Pair;

use super::{lex, ParseError, Rule};
use crate::ast::*;
use crate::source::{SourceFile, Span, Spanned};

/// The period a keyword names.
pub(super) fn period(word: &str) -> Period {
    Period::of(1, word)
}

/// One operand as itself, several as an `and` chain.
pub(super) fn and_chain(mut items: Vec<Cond>) -> Option<Cond> {
    if items.len() > 1 {
        let span = items.first()?.span().to(items.last()?.span());
        return Some(Cond::And(items, span));
    }
    items.pop()
}

/// Builds AST nodes from pest pairs. The grammar fixes the shape of every
/// pair; where a pair is missing anyway, the builder reports an internal
/// error at the span rather than panicking.
pub(super) struct Builder<'s> {
    pub(super) src: &'s SourceFile,
}

pub(super) type Result<T, E = ParseError> = std::result::Result<T, E>;

impl Builder<'_> {
    pub(super) fn internal(&self, span: Span) -> ParseError {
        ParseError::Internal {
            src: self.src.named(),
            span: span.into(),
        }
    }

    /// A pair's span without the blanks and comments pest lets a rule
    /// swallow at its end.
    pub(super) fn tight(&self, span: pest::Span<'_>) -> Span {
        let mut text = span.as_str();
        loop {
            text = text.trim_end();
            let line_start = text.rfind('\n').map_or(0, |i| i + 1);
            let last_line = text.get(line_start..).unwrap_or("");
            match lex::comment_start(last_line) {
                Some(at) => text = text.get(..line_start + at).unwrap_or(""),
                None => break,
            }
        }
        Span::new(span.start(), span.start() + text.len())
    }

    pub(super) fn next<'i>(
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

    pub(super) fn name(&self, pair: Pair<'_, Rule>) -> Name {
        Spanned::new(pair.as_str().to_string(), self.tight(pair.as_span()))
    }

    pub(super) fn string(&self, pair: Pair<'_, Rule>) -> Spanned<String> {
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

    pub(super) fn notice(&self, pair: Pair<'_, Rule>) -> Result<Notice> {
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
                    parts
                        .by_ref()
                        .map(|source| {
                            let mut inner = source.into_inner();
                            let path = inner.next().map(|p| self.string(p));
                            let published = inner
                                .find(|p| p.as_rule() == Rule::date)
                                .map(|d| self.name(d));
                            (path, published)
                        })
                        .filter_map(|(path, published)| Some((path?, published)))
                        .collect(),
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
                    let label = parts.next().map(|p| self.string(p).node);
                    notice.decls.push(Decl::Milestone { name, date, label });
                }
                Rule::metric_decl => notice.decls.push(self.metric(item_span, parts)?),
                Rule::metric_policy => {
                    let name = self.name(self.next(&mut parts, item_span)?);
                    let (mut missing, mut fresh_within, mut column) = (None, None, None);
                    let mut stands = None;
                    for p in parts {
                        if p.as_rule() == Rule::missing_policy {
                            missing = Some(self.missing_policy(p)?);
                        } else if p.as_rule() == Rule::standing {
                            stands = Some(self.tight(p.as_span()));
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
                        stands,
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

    pub(super) fn library(&self, pair: Pair<'_, Rule>) -> Result<Library> {
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

    pub(super) fn metric(
        &self,
        span: Span,
        mut parts: pest::iterators::Pairs<'_, Rule>,
    ) -> Result<Decl> {
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
        let mut stands = None;
        for p in parts {
            match p.as_rule() {
                Rule::missing_policy => missing = Some(self.missing_policy(p)?),
                Rule::standing => stands = Some(self.tight(p.as_span())),
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
            stands,
            description,
        })
    }

    pub(super) fn measure(&self, pair: Pair<'_, Rule>, group: Option<String>) -> Result<Measure> {
        let span = self.tight(pair.as_span());
        self.measure_pair(span, pair.into_inner(), group)
    }

    pub(super) fn measure_pair(
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

    pub(super) fn requirement(&self, pair: Pair<'_, Rule>) -> Result<Requirement> {
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

    pub(super) fn deadline(&self, pair: Pair<'_, Rule>) -> Result<Spanned<Deadline>> {
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
