//! Which area a row is for: the notice's authority (by its name, its code,
//! or nothing), an area a rule names, or one no rule reads (counted and
//! passed over); and the council's own rows written under another name.

use super::Loader;
use crate::data::row::Row;
use crate::data::{DataError, Provenance};
use crate::diagnostics::Code;

/// An area other than the authority, as the data names it.
pub(super) struct OtherArea {
    /// Its first row: file index and line.
    pub(super) first: (u32, u64),
    /// Whether a rule reads it.
    pub(super) read: bool,
}

impl Loader<'_> {
    /// The area a row is for, if its rows are read: the authority (written
    /// as its name, its code, or nothing), or an area a rule names (all
    /// areas in a screen). Rows of other areas are counted and passed over.
    pub(super) fn area_read<'a>(
        &mut self,
        area: &'a str,
        row: &Row<'_>,
        prov: Provenance,
        area_col: usize,
    ) -> Option<&'a str> {
        let own_area = area.is_empty()
            || area == self.notice.authority
            || self.notice.code.as_deref() == Some(area);
        if own_area {
            self.data.own_rows = true;
            return Some("");
        }
        // National files are sorted by area: most rows are of the area of
        // the row before, and need no lookup.
        let known = if self.last_other.0 == area {
            Some(self.last_other.1)
        } else {
            self.other_areas.get(area).map(|known| known.read)
        };
        let read = match known {
            Some(read) => read,
            None => {
                let read = self.every_area
                    || self.areas_read.contains(area)
                    || self.also.as_deref() == Some(area);
                self.kept.keep(row.record);
                let first = (prov.file, row.line());
                self.other_areas
                    .insert(area.to_string(), OtherArea { first, read });
                read
            }
        };
        if self.last_other.0 != area {
            self.last_other = (area.to_string(), read);
        }
        if !read {
            // An area no rule reads (another council of a national file):
            // passed over unchecked, and counted (unless the `data` line
            // that brought the file in allows it).
            if !self.silenced(prov.file, Code::DataAreasNotRead) && self.unread_areas.count(area) {
                let at = self.kept.keep(row.record);
                let span = self.kept.field(at, area_col);
                self.unread_areas.first = Some((prov.file, row.line(), span));
            }
            return None;
        }
        Some(area)
    }

    /// A row of a geographic level no rule reads (a ward): passed over, and
    /// counted by its level.
    pub(super) fn level_not_read(
        &mut self,
        level: &str,
        row: &Row<'_>,
        prov: Provenance,
        level_col: usize,
    ) {
        if !self.silenced(prov.file, Code::DataAreasNotRead) && self.unread_levels.count(level) {
            let at = self.kept.keep(row.record);
            let span = self.kept.field(at, level_col);
            self.unread_levels.first = Some((prov.file, row.line(), span));
        }
    }

    /// The index of an area of the data set, added when new.
    pub(super) fn area_id(&mut self, area: &str) -> u32 {
        // Rows come in runs of one area: the last one's id needs no lookup.
        if self.last_id.0 == area {
            return self.last_id.1;
        }
        let id = match self.data.area_index.get(area) {
            Some(&a) => a,
            None => {
                let id = u32::try_from(self.data.areas.len()).unwrap_or(u32::MAX);
                self.data.areas.push(area.to_string());
                self.data.area_index.insert(area.to_string(), id);
                id
            }
        };
        // The level published statistics give the area, the first time one does.
        if let Some(level) = self.row_level {
            let levels = &mut self.data.area_levels;
            if levels.len() <= id as usize {
                levels.resize(id as usize + 1, None);
            }
            if let Some(slot @ None) = levels.get_mut(id as usize) {
                *slot = Some(level);
            }
        }
        self.last_id = (area.to_string(), id);
        id
    }

    /// When no observation is the council's own but an area's name nearly
    /// matches the notice's authority (`Lancashire` and `Lancashire County
    /// Council`), the data is the council's under another name: stop, rather
    /// than read it as another area and leave every measure unknown.
    pub(super) fn authority_near_miss(&self) -> Option<DataError> {
        if self.data.own_rows {
            return None;
        }
        let authority = &self.notice.authority;
        let mut near: Vec<(&String, (u32, u64))> = self
            .other_areas
            .iter()
            .filter(|(area, _)| same_council(authority, area))
            .map(|(area, known)| (area, known.first))
            .collect();
        near.sort_by_key(|&(_, first)| first);
        let (area, (file, line)) = near.first().copied()?;
        let src = self.data.files.get(file as usize)?;
        let span = src.line_span(line as usize);
        Some(DataError::Field(crate::diagnostics::Located {
            code: Code::DataAuthorityNearMiss,
            message: format!(
                "no row is for the notice's authority `{authority}`, but `{area}` nearly matches it"
            ),
            src: src.named(),
            span: span.into(),
            label: "the council under another name?".into(),
            help: Some(format!(
                "did you mean `{area}`? Write the notice's `authority` as the data names the council, or the data's `area` as the notice does"
            )),
        }))
    }
}

/// Whether two council names are nearly the same: equal once case,
/// spacing, punctuation and the words of a council's style ("London Borough
/// of", "County Council") are set aside, or within a small edit distance.
fn same_council(a: &str, b: &str) -> bool {
    let (a, b) = (council_core(a), council_core(b));
    if a.is_empty() || b.is_empty() {
        return false;
    }
    let limit = (a.chars().count().min(b.chars().count()) / 6).max(1);
    a == b || strsim::levenshtein(&a, &b) <= limit
}

/// A council's name without its style: `London Borough of Waltham Forest`
/// and `Waltham Forest Council` are both `waltham forest`.
fn council_core(name: &str) -> String {
    const STYLE: [&str; 14] = [
        "london",
        "royal",
        "metropolitan",
        "borough",
        "county",
        "city",
        "district",
        "council",
        "of",
        "the",
        "and",
        "unitary",
        "authority",
        "mbc",
    ];
    let cleaned: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                ' '
            }
        })
        .collect();
    cleaned
        .split_whitespace()
        .filter(|w| !STYLE.contains(w))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::same_council;

    #[test]
    pub(super) fn council_names_match_in_any_style() {
        assert!(same_council("Lancashire", "Lancashire County Council"));
        assert!(same_council(
            "Waltham Forest",
            "London Borough of Waltham Forest"
        ));
        assert!(same_council("Wiltshire Council", "wiltshire"));
        assert!(same_council("Wiltshire", "Wiltshre"));
        assert!(same_council(
            "Kingston upon Thames",
            "Royal Borough of Kingston-upon-Thames"
        ));
        assert!(!same_council("Wiltshire", "England"));
        assert!(!same_council("Lancashire", "Lincolnshire County Council"));
        assert!(!same_council("Waltham Forest", "Statistical neighbours"));
    }
}
