//! The project's own factor CSV: `id,name,unit,kgco2e,uncertainty,category,part,source`.
//! One row per factor total (`part` empty) and optional rows for its parts (same id).

use crate::error::{InputError, Position};
use crate::factor::{BaseKind, Factor, FactorStatus, FactorUncertainty, Part};
use crate::factor_base::{BaseSource, LoadedBase};
use crate::number::parse_decimal;
use std::collections::HashMap;
use std::sync::Arc;

/// The header, in order.
pub const HEADER: [&str; 8] = [
    "id",
    "name",
    "unit",
    "kgco2e",
    "uncertainty",
    "category",
    "part",
    "source",
];

/// True when `header_line` is this format's header.
pub fn looks_like(header_line: &str) -> bool {
    let fields: Vec<&str> = header_line.trim_end().split(',').map(str::trim).collect();
    fields.len() >= 4 && fields.iter().zip(HEADER).all(|(a, b)| *a == b)
}

/// Reads the file's text; `sha256` is its bytes' hash, for provenance.
pub fn load(file: &Arc<str>, text: &str, sha256: String) -> Result<LoadedBase, InputError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes());
    let header = reader.headers().map_err(|e| csv_error(file, &e))?.clone();
    let header_fields: Vec<&str> = header.iter().map(str::trim).collect();
    if header_fields != HEADER {
        return Err(InputError::new(
            Position::new(file, 1, 1),
            "unexpected header for a bilan factor CSV",
        )
        .help(format!("the header must be exactly: {}", HEADER.join(","))));
    }
    let mut factors: Vec<Factor> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    let mut pending_parts: Vec<(String, Part, u64)> = Vec::new();
    let mut rows = 0;
    for record in reader.records() {
        let record = record.map_err(|e| csv_error(file, &e))?;
        rows += 1;
        let line = record.position().map_or(0, csv::Position::line);
        let field = |i: usize| record.get(i).unwrap_or("").trim();
        let at = |column: usize| Position::new(file, line, column as u64 + 1);
        let id = field(0);
        if id.is_empty() {
            return Err(
                InputError::new(at(0), "empty factor id").help("every row needs the factor's id")
            );
        }
        let kgco2e = parse_decimal(field(3)).map_err(|problem| {
            InputError::new(
                at(3),
                format!("column \"kgco2e\": `{}` is {problem}", field(3)),
            )
            .help("write kgCO2e per unit with a `.` decimal separator, e.g. 0.052")
        })?;
        let part = field(6);
        if !part.is_empty() {
            pending_parts.push((
                id.to_string(),
                Part {
                    kind: part.to_string(),
                    name: field(1).to_string(),
                    kgco2e,
                    gases: Default::default(),
                },
                line,
            ));
            continue;
        }
        let percent = match field(4) {
            "" => None,
            text => {
                let text = text.strip_suffix('%').unwrap_or(text).trim();
                let value = parse_decimal(text).map_err(|problem| {
                    InputError::new(
                        at(4),
                        format!("column \"uncertainty\": `{text}` is {problem}"),
                    )
                    .help("write the uncertainty in percent, e.g. 10, or leave it empty")
                })?;
                // A negative percentage would make k ≤ 0 and every interval NaN.
                if value.is_sign_negative() && !value.is_zero() {
                    return Err(InputError::new(
                        at(4),
                        format!("column \"uncertainty\": `{text}` is negative"),
                    )
                    .help("write the uncertainty in percent, e.g. 10, or leave it empty"));
                }
                Some(value / rust_decimal::Decimal::ONE_HUNDRED)
            }
        };
        let unit = field(2);
        if !unit.contains('/') {
            return Err(InputError::new(
                at(2),
                format!("column \"unit\": `{unit}` has no denominator"),
            )
            .help("write the factor's unit like kgCO2e/kWh"));
        }
        if let Some(previous) = index.get(id).and_then(|i| factors.get(*i)) {
            return Err(InputError::new(
                at(0),
                format!(
                    "factor `{id}` is defined twice (first on line {})",
                    previous.origin.line
                ),
            )
            .help("keep one total row per id; parts go on rows with `part` set"));
        }
        index.insert(id.to_string(), factors.len());
        factors.push(Factor {
            id: id.to_string(),
            name: field(1).to_string(),
            unit: unit.to_string(),
            kgco2e,
            parts: Vec::new(),
            gases: Default::default(),
            uncertainty: FactorUncertainty {
                percent,
                quality: Default::default(),
            },
            category: field(5).to_string(),
            tags: String::new(),
            location: String::new(),
            status: FactorStatus::ValidGeneric,
            source: field(7).to_string(),
            origin: Position::new(file, line, 0),
        });
    }
    for (id, part, line) in pending_parts {
        match index.get(&id).and_then(|i| factors.get_mut(*i)) {
            Some(factor) => {
                if factor.parts.iter().any(|p| p.kind == part.kind) {
                    return Err(InputError::new(
                        Position::new(file, line, 1),
                        format!("part `{}` of factor `{id}` is given twice", part.kind),
                    )
                    .help("give each part of a factor once (its value counts once)"));
                }
                factor.parts.push(part);
                // The parts placed in other posts may not exceed the total: the rest goes to
                // 3.8 and no post may turn negative.
                let sum: Option<rust_decimal::Decimal> = factor
                    .parts
                    .iter()
                    .try_fold(rust_decimal::Decimal::ZERO, |a, p| a.checked_add(p.kgco2e));
                // Beyond the 0.5 % that rounding of published parts allows (as the export's).
                let tolerance = factor.kgco2e.abs() * rust_decimal::Decimal::new(5, 3);
                let above = match sum {
                    Some(sum) if factor.kgco2e.is_sign_negative() => {
                        sum < factor.kgco2e - tolerance
                    }
                    Some(sum) => sum > factor.kgco2e + tolerance,
                    None => true,
                };
                if above {
                    return Err(InputError::new(
                        Position::new(file, line, 1),
                        format!(
                            "the parts of factor `{id}` add up to more than its total {} (beyond 0.5 %)",
                            factor.kgco2e.normalize()
                        ),
                    )
                    .help("the parts split the total: their sum is at most the total (3.8 gets the rest)"));
                }
            }
            None => {
                return Err(InputError::new(
                    Position::new(file, line, 1),
                    format!("part `{}` of factor `{id}` has no total row", part.kind),
                )
                .help("add a row for the factor with an empty `part` column"));
            }
        }
    }
    Ok(LoadedBase {
        source: Some(BaseSource {
            name: file.to_string(),
            kind: BaseKind::Own,
            rows,
            factors: factors.len(),
            sha256,
            version: None,
        }),
        factors,
        skipped: Vec::new(),
        defects: Vec::new(),
    })
}

fn csv_error(file: &Arc<str>, error: &csv::Error) -> InputError {
    let line = error.position().map_or(0, csv::Position::line);
    let message = match error.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            format!("this row has {len} fields, the header has {expected_len}")
        }
        _ => error.to_string(),
    };
    InputError::new(Position::new(file, line, 0), message)
        .help("quote fields that contain a comma; the header is id,name,unit,kgco2e,uncertainty,category,part,source")
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;
    use std::str::FromStr;

    fn load_text(text: &str) -> Result<LoadedBase, InputError> {
        load(&Arc::from("f.csv"), text, String::new())
    }

    #[test]
    fn totals_and_parts() {
        let base = load_text(
            "id,name,unit,kgco2e,uncertainty,category,part,source\n\
             E1,Elec,kgCO2e/kWh,0.052,10,Electricité > Mix,,ADEME id 42513\n\
             E1,,kgCO2e/kWh,0.0338,,,Combustion à la centrale,\n\
             E1,,kgCO2e/kWh,0.0135,,,Amont,\n",
        )
        .unwrap();
        assert_eq!(base.factors.len(), 1);
        let f = &base.factors[0];
        assert_eq!(f.kgco2e, Decimal::from_str("0.052").unwrap());
        assert_eq!(
            f.uncertainty.percent,
            Some(Decimal::from_str("0.1").unwrap())
        );
        assert_eq!(f.parts.len(), 2);
        assert_eq!(f.parts[0].kind, "Combustion à la centrale");
        assert_eq!(f.origin.line, 2);
        assert_eq!(base.source.unwrap().rows, 3);
    }

    #[test]
    fn errors_name_the_row_and_column() {
        let e = load_text(
            "id,name,unit,kgco2e,uncertainty,category,part,source\nA,a,kgCO2e/kg,abc,,,,s\n",
        )
        .unwrap_err();
        assert_eq!((e.position.line, e.position.column), (2, 4));
        assert!(e.message.contains("\"kgco2e\""), "{}", e.message);
        let e = load_text("id,name,unit,kgco2e,uncertainty,category,part,source\nA,a,kgCO2e/kg,1,,,,s\nA,b,kgCO2e/kg,2,,,,s\n")
            .unwrap_err();
        assert!(e.message.contains("defined twice"), "{}", e.message);
        let e =
            load_text("id,name,unit,kgco2e,uncertainty,category,part,source\nA,a,kgCO2e/kg,1\n")
                .unwrap_err();
        assert!(e.message.contains("4 fields"), "{}", e.message);
    }
}
