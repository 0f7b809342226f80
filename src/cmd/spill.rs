//! What an output writes of each line, made as the lines are computed for the totals and kept
//! in an unnamed temporary file until the totals are written: a million lines listed after
//! their totals are neither held nor read from the inventory a second time.

use crate::compute::SeeResults;
use crate::inventory::{Inventory, Line};
use crate::report::LineResult;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, Write};

/// Texts given back at once.
const TEXTS_AT_ONCE: u64 = 4096;

/// What renders the results of a few lines as texts (one or more for them all), in order.
pub(crate) type Render<'a> = dyn Fn(&[&LineResult]) -> Result<Vec<String>, String> + Sync + 'a;

/// The texts of the lines seen, in order, in a temporary file (deleted when it is dropped, or
/// by the system if the process dies).
pub(crate) struct Spill<'a> {
    render: &'a Render<'a>,
    file: Option<BufWriter<File>>,
    /// Texts written so far.
    texts: u64,
    /// Why the texts are not all there (the file could not be made or written, a line could
    /// not be rendered): the output then makes them another way.
    failed: Option<String>,
}

impl<'a> Spill<'a> {
    /// No line seen yet.
    pub(crate) fn new(render: &'a Render<'a>) -> Spill<'a> {
        Spill {
            render,
            file: None,
            texts: 0,
            failed: None,
        }
    }

    /// Whether every text seen is kept.
    pub(crate) fn is_whole(&self) -> bool {
        self.failed.is_none()
    }

    /// Gives the texts in order to `each`, a batch at a time, until it returns false; `Err`
    /// with why when the texts are not all there (nothing given then), `Ok(false)` when
    /// `each` stopped.
    pub(crate) fn texts(self, each: &mut dyn FnMut(&[String]) -> bool) -> Result<bool, String> {
        if let Some(why) = self.failed {
            return Err(why);
        }
        let Some(file) = self.file else {
            return match self.texts {
                0 => Ok(true),
                _ => Err("the lines' texts were lost".to_string()),
            };
        };
        let mut file = file.into_inner().map_err(|e| e.error().to_string())?;
        file.rewind().map_err(|e| e.to_string())?;
        let mut reader = BufReader::with_capacity(1 << 20, file);
        let mut left = self.texts;
        while left > 0 {
            let batch = left.min(TEXTS_AT_ONCE);
            let mut texts = Vec::with_capacity(batch as usize);
            for _ in 0..batch {
                let mut length = [0u8; 8];
                reader.read_exact(&mut length).map_err(|e| e.to_string())?;
                let length =
                    usize::try_from(u64::from_le_bytes(length)).map_err(|e| e.to_string())?;
                let mut text = vec![0; length];
                reader.read_exact(&mut text).map_err(|e| e.to_string())?;
                texts.push(String::from_utf8(text).map_err(|e| e.to_string())?);
            }
            if !each(&texts) {
                return Ok(false);
            }
            left -= batch;
        }
        Ok(true)
    }

    fn write(&mut self, texts: &[String]) -> io::Result<()> {
        let file = match &mut self.file {
            Some(file) => file,
            None => self
                .file
                .insert(BufWriter::with_capacity(1 << 20, tempfile::tempfile()?)),
        };
        for text in texts {
            file.write_all(&(text.len() as u64).to_le_bytes())?;
            file.write_all(text.as_bytes())?;
        }
        self.texts += texts.len() as u64;
        Ok(())
    }
}

impl SeeResults for Spill<'_> {
    /// Starts again from no text (a new file when the lines are given again).
    fn start(&mut self, _: &Inventory) {
        self.file = None;
        self.texts = 0;
        self.failed = None;
    }

    fn see(&mut self, line: &LineResult) {
        self.see_all(&[line]);
    }

    fn see_chunk(&mut self, _: &[Line], results: &[(usize, LineResult)]) {
        let results: Vec<&LineResult> = results.iter().map(|(_, result)| result).collect();
        self.see_all(&results);
    }
}

impl Spill<'_> {
    fn see_all(&mut self, results: &[&LineResult]) {
        if self.failed.is_some() {
            return;
        }
        let written = (self.render)(results).and_then(|texts| {
            self.write(&texts)
                .map_err(|e| format!("a temporary file could not be written: {e}"))
        });
        if let Err(why) = written {
            self.failed = Some(why);
            self.file = None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::Report;

    /// Two lines of inline factors (`a`, then `b` with quotes in its label), computed.
    fn computed() -> (Inventory, Report) {
        let inventory = crate::load::inventory::parse(
            "t.yaml",
            "bilan: 1\norganisation: { name: T }\nperiod: { year: 2024 }\nlines:\n  - { id: a, label: A, factor: { id: f, name: F, kgco2e: 2, unit: kgCO2e/kWh, source: test }, quantity: 3, unit: kWh, post: \"1.1\" }\n  - { id: b, label: \"«B» \\\"x\\\"\", factor: { id: f, name: F, kgco2e: 2, unit: kgCO2e/kWh, source: test }, quantity: 4, unit: kWh, post: \"1.1\" }\n",
        )
        .unwrap();
        let report =
            crate::compute::compute(&inventory, &crate::factor_base::FactorBase::default())
                .unwrap();
        (inventory, report)
    }

    #[test]
    fn texts_come_back_in_order_and_again_from_the_start() {
        let render = |results: &[&LineResult]| -> Result<Vec<String>, String> {
            Ok(results
                .iter()
                .map(|r| format!("{}\n«{}»", r.id, r.label))
                .collect())
        };
        let (inventory, report) = computed();
        let mut spill = Spill::new(&render);
        spill.start(&inventory);
        // Seen once in part, then again from the first line.
        spill.see(&report.lines[0]);
        spill.start(&inventory);
        let results: Vec<(usize, LineResult)> = report.lines.iter().cloned().enumerate().collect();
        spill.see_chunk(&inventory.lines, &results);
        let mut texts = Vec::new();
        assert_eq!(
            spill.texts(&mut |t| {
                texts.extend_from_slice(t);
                true
            }),
            Ok(true)
        );
        assert_eq!(texts, ["a\n«A»", "b\n««B» \"x\"»"]);
    }

    #[test]
    fn a_text_that_cannot_be_made_leaves_no_text() {
        let render = |_: &[&LineResult]| -> Result<Vec<String>, String> { Err("no".into()) };
        let (_, report) = computed();
        let mut spill = Spill::new(&render);
        spill.see(&report.lines[0]);
        let mut given = 0;
        assert_eq!(
            spill.texts(&mut |_| {
                given += 1;
                true
            }),
            Err("no".to_string())
        );
        assert_eq!(given, 0);
    }
}
