//! Views of a notice that a reader asks for by name: one measure, what one
//! owner owes, the notice read for another area of a national data set. A
//! name that is not there is a diagnostic that says which names are.

use crate::check::{did_you_mean, Notice};
use crate::data::DataSet;
use crate::{Code, Diagnostic};

use super::Outcome;

/// The index of the measure numbered `id` (`vi`), or a diagnostic naming the
/// nearest number, or every number.
pub fn measure_index(notice: &Notice, id: &str) -> Result<usize, Diagnostic> {
    if let Some(index) = notice.measures.iter().position(|m| m.id == id) {
        return Ok(index);
    }
    let ids: Vec<&str> = notice.measures.iter().map(|m| m.id.as_str()).collect();
    let help = did_you_mean(id, ids.iter().copied()).map_or_else(
        || format!("the measures are {}", ids.join(", ")),
        |s| format!("did you mean `{s}`?"),
    );
    Err(Diagnostic::unlocated(
        Code::UsageUnknownMeasure,
        format!("no measure `{id}` in `{}`", notice.source.name),
        Some(help),
    ))
}

/// The verdicts on what `owner` owes (by measure or requirement, any case),
/// or a diagnostic naming the nearest owner, or every owner.
pub fn owned_by(notice: &Notice, outcome: &Outcome, owner: &str) -> Result<Outcome, Diagnostic> {
    if let Some(owned) = outcome.owned_by(notice, owner) {
        return Ok(owned);
    }
    let owners = notice.owners();
    let help = match did_you_mean(owner, owners.iter().map(String::as_str)) {
        Some(near) => format!("did you mean `{near}`?"),
        None => format!(
            "the owners are {}",
            owners
                .iter()
                .map(|o| format!("`{o}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    Err(Diagnostic::unlocated(
        Code::UsageUnknownOwner,
        format!("nothing in `{}` is owed by `{owner}`", notice.id),
        Some(help),
    ))
}

/// The area of the data named `name`, or a diagnostic naming the nearest
/// area, or how many there are.
pub fn area_of(data: &DataSet, name: &str) -> Result<String, Diagnostic> {
    let areas = data.area_names();
    if areas.iter().any(|a| a == name) {
        return Ok(name.to_string());
    }
    // Areas whose rows were passed over (`eval --area` reads one) are
    // offered too.
    let known = areas.iter().chain(data.unread_area_names());
    let help = match did_you_mean(name, known.map(String::as_str)) {
        Some(near) => format!("did you mean `{near}`?"),
        None => format!(
            "the data has {} areas; `notice screen` lists them",
            areas.iter().filter(|a| !a.is_empty()).count() + data.unread_area_names().len()
        ),
    };
    Err(Diagnostic::unlocated(
        Code::UsageUnknownArea,
        format!("the data has no area `{name}`"),
        Some(help),
    ))
}

/// Refuses an area the notice's rules name (`m[England]`): a comparator
/// stays fixed, and is not read as the area screened.
pub fn screenable(notice: &Notice, area: &str) -> Result<(), Diagnostic> {
    if notice.areas_read().iter().any(|a| a == area) {
        return Err(Diagnostic::unlocated(
            Code::UsageFixedArea,
            format!(
                "`{area}` is named by the notice's rules as a comparator, so it stays fixed and is not screened"
            ),
            Some(format!(
                "screen the councils; the rules compare each with `{area}`"
            )),
        ));
    }
    Ok(())
}

/// The notice read for another area of a data set loaded with every area
/// ([`crate::data::Areas::Every`]), as a screen reads it: that area stands
/// for the notice's authority, and `data` reads its rows as the council's.
pub fn for_area(notice: Notice, data: &mut DataSet, name: &str) -> Result<Notice, Diagnostic> {
    let area = area_of(data, name)?;
    screenable(&notice, &area)?;
    data.read_for(Some(&area));
    Ok(notice.standing_for(&area))
}
