//! A deterministic national-shaped data set, in the shape the Department
//! publishes: England, its nine regions and its 152 councils by the names
//! its files give them (three of which hold a comma, `Bristol, City of`, so
//! their rows are quoted, as in every real national file), each row with its
//! `geographic_level`; hundreds of metrics, ten years of months. The figures
//! are synthetic (a seeded generator, not statistics), except the notice's
//! own authority's and England's rows for the notice's metrics, which are
//! the bundled rows, copied as they are. The authority stands in the list
//! in place of the council its name ends with (`London Borough of Waltham
//! Forest` for `Waltham Forest`).
//!
//! Used by the benchmarks, the tests and `cargo run --release --example
//! national` (which writes the file).

#![allow(dead_code)]

use std::io::Write;

use notice_rules::check::Notice;
use notice_rules::check::Unit;

/// The shape of the data set.
#[derive(Debug, Clone, Copy)]
pub struct Shape {
    /// Councils, the notice's authority among them (at most 152).
    pub councils: usize,
    /// Metrics in all: the notice's own, then synthetic ones no notice declares.
    pub metrics: usize,
    /// Months of figures, from January 2007.
    pub months: usize,
}

impl Shape {
    /// England, 9 regions and 152 councils × 550 metrics × 120 months:
    /// about 10.7 million rows.
    pub const NATIONAL: Shape = Shape {
        councils: 152,
        metrics: 550,
        months: 120,
    };
    /// The same layout, small enough for a test: the authority and five
    /// councils, the three whose names hold a comma among them.
    pub const SMALL: Shape = Shape {
        councils: 6,
        metrics: 40,
        months: 120,
    };
}

/// England's regions and their councils (the 152 local authorities with
/// children's services in 2012), as the Department's files name them.
pub const REGIONS: [(&str, &[&str]); 9] = [
    (
        "North East",
        &[
            "County Durham",
            "Darlington",
            "Gateshead",
            "Hartlepool",
            "Middlesbrough",
            "Newcastle upon Tyne",
            "North Tyneside",
            "Northumberland",
            "Redcar and Cleveland",
            "South Tyneside",
            "Stockton-on-Tees",
            "Sunderland",
        ],
    ),
    (
        "North West",
        &[
            "Blackburn with Darwen",
            "Blackpool",
            "Bolton",
            "Bury",
            "Cheshire East",
            "Cheshire West and Chester",
            "Cumbria",
            "Halton",
            "Knowsley",
            "Lancashire",
            "Liverpool",
            "Manchester",
            "Oldham",
            "Rochdale",
            "Salford",
            "Sefton",
            "St. Helens",
            "Stockport",
            "Tameside",
            "Trafford",
            "Warrington",
            "Wigan",
            "Wirral",
        ],
    ),
    (
        "Yorkshire and The Humber",
        &[
            "Barnsley",
            "Bradford",
            "Calderdale",
            "Doncaster",
            "East Riding of Yorkshire",
            "Kingston upon Hull, City of",
            "Kirklees",
            "Leeds",
            "North East Lincolnshire",
            "North Lincolnshire",
            "North Yorkshire",
            "Rotherham",
            "Sheffield",
            "Wakefield",
            "York",
        ],
    ),
    (
        "East Midlands",
        &[
            "Derby",
            "Derbyshire",
            "Leicester",
            "Leicestershire",
            "Lincolnshire",
            "Northamptonshire",
            "Nottingham",
            "Nottinghamshire",
            "Rutland",
        ],
    ),
    (
        "West Midlands",
        &[
            "Birmingham",
            "Coventry",
            "Dudley",
            "Herefordshire, County of",
            "Sandwell",
            "Shropshire",
            "Solihull",
            "Staffordshire",
            "Stoke-on-Trent",
            "Telford and Wrekin",
            "Walsall",
            "Warwickshire",
            "Wolverhampton",
            "Worcestershire",
        ],
    ),
    (
        "East of England",
        &[
            "Bedford",
            "Cambridgeshire",
            "Central Bedfordshire",
            "Essex",
            "Hertfordshire",
            "Luton",
            "Norfolk",
            "Peterborough",
            "Southend-on-Sea",
            "Suffolk",
            "Thurrock",
        ],
    ),
    (
        "London",
        &[
            "Barking and Dagenham",
            "Barnet",
            "Bexley",
            "Brent",
            "Bromley",
            "Camden",
            "City of London",
            "Croydon",
            "Ealing",
            "Enfield",
            "Greenwich",
            "Hackney",
            "Hammersmith and Fulham",
            "Haringey",
            "Harrow",
            "Havering",
            "Hillingdon",
            "Hounslow",
            "Islington",
            "Kensington and Chelsea",
            "Kingston upon Thames",
            "Lambeth",
            "Lewisham",
            "Merton",
            "Newham",
            "Redbridge",
            "Richmond upon Thames",
            "Southwark",
            "Sutton",
            "Tower Hamlets",
            "Waltham Forest",
            "Wandsworth",
            "Westminster",
        ],
    ),
    (
        "South East",
        &[
            "Bracknell Forest",
            "Brighton and Hove",
            "Buckinghamshire",
            "East Sussex",
            "Hampshire",
            "Isle of Wight",
            "Kent",
            "Medway",
            "Milton Keynes",
            "Oxfordshire",
            "Portsmouth",
            "Reading",
            "Slough",
            "Southampton",
            "Surrey",
            "West Berkshire",
            "West Sussex",
            "Windsor and Maidenhead",
            "Wokingham",
        ],
    ),
    (
        "South West",
        &[
            "Bath and North East Somerset",
            "Bournemouth",
            "Bristol, City of",
            "Cornwall",
            "Devon",
            "Dorset",
            "Gloucestershire",
            "Isles of Scilly",
            "North Somerset",
            "Plymouth",
            "Poole",
            "Somerset",
            "South Gloucestershire",
            "Swindon",
            "Torbay",
            "Wiltshire",
        ],
    ),
];

/// The councils of a data set, in the regions' order, the notice's
/// authority in place of its council (or first, when it is none of them).
/// A shape of fewer than 152 keeps the authority and the councils whose
/// names hold a comma first, so that a small file quotes too.
pub fn councils(notice: &Notice, shape: Shape) -> Vec<String> {
    let authority = notice.authority.as_str();
    let is_authority = |name: &str| {
        authority == name
            || authority.ends_with(&format!(" {name}"))
            || authority.starts_with(&format!("{name} "))
    };
    let all: Vec<&str> = REGIONS
        .iter()
        .flat_map(|(_, c)| c.iter().copied())
        .collect();
    let mut others: Vec<&str> = all.iter().copied().filter(|c| !is_authority(c)).collect();
    if shape.councils < all.len() {
        others.sort_by_key(|c| !c.contains(','));
    }
    others.truncate(shape.councils.saturating_sub(1));
    let mut out: Vec<String> = Vec::new();
    let mut placed = false;
    for c in all {
        if is_authority(c) && !placed {
            out.push(authority.to_string());
            placed = true;
        } else if others.contains(&c) {
            out.push(c.to_string());
        }
    }
    if !placed {
        out.insert(0, authority.to_string());
    }
    out
}

/// The areas of a data set with their levels: England, the regions, then
/// the councils.
pub fn areas(notice: &Notice, shape: Shape) -> Vec<(String, &'static str)> {
    let mut out = vec![("England".to_string(), "National")];
    out.extend(REGIONS.iter().map(|(r, _)| (r.to_string(), "Regional")));
    out.extend(
        councils(notice, shape)
            .into_iter()
            .map(|c| (c, "Local authority")),
    );
    out
}

/// A CSV field as written: quoted when it holds a comma or a quote.
fn field(text: &str) -> String {
    if text.contains([',', '"']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

/// Writes the observations: the bundled rows first (`bundled`, a CSV of
/// `area,metric,date,value,...`), then a row for every area, metric and month,
/// except the notice's metrics for the areas the bundled rows are of.
pub fn write(
    notice: &Notice,
    bundled: &str,
    shape: Shape,
    out: &mut impl Write,
) -> std::io::Result<u64> {
    let mut rows = 0u64;
    writeln!(out, "geographic_level,area,metric,date,value")?;
    let mut bundled_areas: Vec<&str> = Vec::new();
    for line in bundled.lines().skip(1) {
        let fields: Vec<&str> = line.splitn(5, ',').collect();
        if let [area, metric, date, value, ..] = fields[..] {
            let level = if area == "England" {
                "National"
            } else {
                "Local authority"
            };
            writeln!(out, "{level},{area},{metric},{date},{value}")?;
            rows += 1;
            if !bundled_areas.contains(&area) {
                bundled_areas.push(area);
            }
        }
    }
    let declared: Vec<(String, Unit, Vec<String>)> = notice
        .metric_ids()
        .map(|(_, m)| {
            let levels = match &m.unit {
                Unit::Rating(scale) => notice
                    .scale_by_name(scale)
                    .and_then(|id| notice.scale(id))
                    .map(|s| s.levels.iter().map(|l| l.to_string()).collect())
                    .unwrap_or_default(),
                _ => Vec::new(),
            };
            (m.name.clone(), m.unit.clone(), levels)
        })
        .collect();
    let synthetic = shape.metrics.saturating_sub(declared.len());
    let mut rng = SplitMix(0x6e6f_7469_6365);
    let areas = areas(notice, shape);
    for month in 0..shape.months {
        let date = month_end(2007, month);
        for (area, level) in &areas {
            let own = bundled_areas.contains(&area.as_str());
            let area = field(area);
            if !own {
                for (name, unit, levels) in &declared {
                    let value = value(unit, levels, rng.next());
                    writeln!(out, "{level},{area},{name},{date},{value}")?;
                    rows += 1;
                }
            }
            for k in 0..synthetic {
                let v = rng.next();
                writeln!(
                    out,
                    "{level},{area},indicator_{k:03},{date},{}.{}%",
                    v % 100,
                    (v >> 8) % 10
                )?;
                rows += 1;
            }
        }
    }
    Ok(rows)
}

/// A figure in a unit, from a random number.
fn value(unit: &Unit, levels: &[String], r: u64) -> String {
    match unit {
        Unit::Percent => format!("{}.{}%", r % 100, (r >> 8) % 10),
        Unit::Pp => format!("{}pp", r % 20),
        Unit::Count => (r % 60).to_string(),
        Unit::Days => (r % 900).to_string(),
        Unit::Money => format!("£{}", r % 1_000_000),
        Unit::Ratio | Unit::Number => format!("{}.{}", r % 30, (r >> 8) % 10),
        Unit::Rating(_) => levels
            .get((r as usize) % levels.len().max(1))
            .cloned()
            .unwrap_or_default(),
    }
}

/// The last day of the `month`th month after January of `year`, as ISO text.
fn month_end(year: i32, month: usize) -> String {
    let y = year + (month / 12) as i32;
    let m = (month % 12) as u32 + 1;
    notice_rules::time::Date::from_ymd_opt(y, m, 1)
        .map(notice_rules::time::month_end)
        .map_or_else(String::new, |d| d.to_string())
}

/// SplitMix64: a small seeded generator, the same numbers on every machine.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}
