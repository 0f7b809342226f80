//! The default factor base compiled into the binary: a subset of ADEME Base Carbone® V23.6
//! (`factors/base_carbone_v23.6_default.csv`, see `factors/README.md`).

use crate::error::InputError;
use crate::factor_base::FactorBase;
use crate::load::factors;

/// The file's name in reports.
pub const NAME: &str = "embedded:base_carbone_v23.6_default.csv";

/// The file's bytes.
pub const BYTES: &[u8] = include_bytes!("../factors/base_carbone_v23.6_default.csv");

/// The embedded base, parsed.
pub fn base() -> Result<FactorBase, InputError> {
    let mut loaded = factors::load_bytes(NAME, BYTES)?;
    if let Some(source) = loaded.source.as_mut() {
        source.kind = crate::factor::BaseKind::Embedded;
    }
    let mut base = FactorBase::new();
    base.merge(loaded);
    Ok(base)
}
