//! `notice screen`: a notice's rules read for every area of a data set.

use notice_rules::{data, eval, report};

use super::{as_of_date, fail, load_of, print_json, Input};
use crate::{ScreenFormat, ScreenLevel, ScreenSort};

/// Screens the areas of the data (`all`, or names separated by commas) and
/// prints the table, CSV or JSON. Exits 0 once written: finding areas that
/// do not meet the rules is what a screen is for.
pub fn screen_file(
    input: &Input,
    areas: &str,
    as_of: Option<&str>,
    (format, sort, level): (ScreenFormat, ScreenSort, ScreenLevel),
) -> u8 {
    match run(input, areas, as_of, (format, sort, level)) {
        Ok(()) => notice_rules::exit::OK,
        Err(code) => code,
    }
}

fn run(
    input: &Input,
    areas: &str,
    as_of: Option<&str>,
    (format, sort, level): (ScreenFormat, ScreenSort, ScreenLevel),
) -> Result<(), u8> {
    let as_of = as_of_date(as_of)?;
    // Every area is read from the same data: the given files only.
    let input = &Input {
        only_data: true,
        ..input.clone()
    };
    let (notice, mut data, options) = load_of(input, data::Areas::Every)?;
    let fixed = notice.areas_read();
    let chosen = match areas.trim() {
        "all" => data.screened_areas(
            &fixed,
            match level {
                ScreenLevel::LocalAuthority => Some(data::Level::LocalAuthority),
                ScreenLevel::Regional => Some(data::Level::Regional),
                ScreenLevel::National => Some(data::Level::National),
                ScreenLevel::Any => None,
            },
        ),
        list => {
            let named = named_areas(&data, list)?;
            for area in &named {
                eval::screenable(&notice, area).map_err(fail)?;
            }
            named
        }
    };
    let mut screen = eval::screen(&notice, &mut data, &chosen, as_of, options);
    screen.sort(sort == ScreenSort::Worst);
    match format {
        ScreenFormat::Human => {
            let mut trace = format!("notice eval {}", input.file.display());
            for path in &input.data {
                trace.push_str(&format!(" --data {}", path.display()));
            }
            if !input.data.is_empty() {
                trace.push_str(" --only-data");
            }
            trace.push_str(&format!(" --as-of {as_of} --area NAME"));
            out!("{}", report::screen_table(&notice, &screen, &fixed, &trace));
        }
        ScreenFormat::Csv => out_raw!("{}", report::screen_csv(&screen)),
        ScreenFormat::Json => print_json(&report::screen_json(&screen, &fixed))?,
    }
    Ok(())
}

/// The areas a list names, each once. Names are separated by commas; a name
/// that itself holds a comma (`Bristol, City of`) is read whole when the
/// data has it. Names are looked up in a set, and a run of parts is tried
/// only as long as the data's longest name has parts, so a long list costs
/// in proportion to its length.
fn named_areas(data: &data::DataSet, list: &str) -> Result<Vec<String>, u8> {
    let parts: Vec<&str> = list.split(',').map(str::trim).collect();
    let known: std::collections::HashSet<&str> =
        data.area_names().iter().map(String::as_str).collect();
    let longest = data
        .area_names()
        .iter()
        .map(|a| a.matches(',').count() + 1)
        .max()
        .unwrap_or(1);
    let mut out = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut i = 0;
    while i < parts.len() {
        // The longest run of parts that names an area, else the part alone.
        let (name, next) = (i + 1..=parts.len().min(i + longest))
            .rev()
            .map(|j| (parts[i..j].join(", "), j))
            .find(|(name, _)| known.contains(name.as_str()))
            .unwrap_or_else(|| (parts[i].to_string(), i + 1));
        if !name.is_empty() && seen.insert(name.clone()) {
            out.push(eval::area_of(data, &name).map_err(fail)?);
        }
        i = next;
    }
    Ok(out)
}
