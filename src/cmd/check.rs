//! `bilan check`: silent and exit 0 when fine; errors and warnings on stderr, exit 1 on errors
//! (and on warnings with `--strict`).

use super::{Bases, compute_one, print_warnings};
use crate::load::files;
use crate::report::{PostStatus, Warning};
use anyhow::Result;
use std::path::PathBuf;

pub(crate) fn run(inventories: &[PathBuf], factors: &[PathBuf], strict: bool) -> Result<u8> {
    let bases = Bases::load(factors)?;
    let mut failed = false;
    let mut warned = false;
    let defects = bases.defects();
    warned |= !defects.is_empty();
    print_warnings(&defects);
    for path in inventories {
        match compute_one(path, &bases) {
            Ok(report) => {
                let mut warnings = report.warnings.clone();
                if strict {
                    warnings.extend(report.posts.iter().filter(|p| p.status == PostStatus::NotCollected).map(|p| Warning {
                        at: None,
                        message: format!(
                            "{}: post {} is not collected: add its lines, or declare it not-applicable (with a reason) or in-progress",
                            files::display(path),
                            p.post.code()
                        ),
                    }));
                    warnings.extend(report.overrides.iter().map(|o| Warning {
                        at: None,
                        message: format!(
                            "factor {} of {} is overridden by {}",
                            o.id, o.replaced, o.by
                        ),
                    }));
                }
                warned |= !warnings.is_empty();
                print_warnings(&warnings);
            }
            Err(errors) => {
                failed = true;
                for error in &errors.0 {
                    crate::diagnostic!("error: {error}");
                }
            }
        }
    }
    if failed {
        return Ok(1);
    }
    if strict && warned {
        crate::diagnostic!("check --strict: warnings count as errors");
        return Ok(1);
    }
    Ok(0)
}
