//! What an output writes of each line, made as the lines are computed for the totals and kept
//! in an unnamed temporary file until the totals are written: a million lines listed after
//! their totals are neither held nor read from the inventory a second time.

use crate::compute::SeeResults;
use crate::inventory::{Inventory, Line};
use crate::report::LineResult;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, Write};

/// What renders the results of a few lines as texts (one or more for them all), in order.
pub(crate) type Render<'a> = dyn Fn(&[&LineResult]) -> Result<Vec<String>, String> + Sync + 'a;

/// The texts of the lines seen, in order, in a temporary file (deleted when it is dropped, or
/// by the system if the process dies).
pub(crate) struct Spill<'a> {
    render: &'a Render<'a>,
    file: Option<Writer>,
    /// Texts written so far.
    texts: u64,
    /// Their bytes.
    bytes: u64,
    /// Why the texts are not all there (the file could not be made or written, a line could
    /// not be rendered): the output then makes them another way.
    failed: Option<String>,
}

/// Batches of texts waiting for the writing thread at most: the next lines are computed
/// while the texts of the last are written, and a few megabytes wait at most.
const WAITING: usize = 2;

/// What writes the temporary file: a thread of its own, so that the next lines are computed
/// meanwhile; or this thread, when no other can be made.
enum Writer {
    Thread {
        texts: std::sync::mpsc::SyncSender<Vec<String>>,
        done: std::thread::JoinHandle<io::Result<File>>,
    },
    Here(BufWriter<File>),
}

impl Writer {
    /// A writer of a new temporary file.
    fn new() -> io::Result<Writer> {
        let mut file = BufWriter::with_capacity(1 << 20, tempfile::tempfile()?);
        let (texts, given) = std::sync::mpsc::sync_channel::<Vec<String>>(WAITING);
        let writing = std::thread::Builder::new().spawn(move || {
            for batch in given {
                write_texts(&mut file, &batch)?;
            }
            file.into_inner().map_err(io::IntoInnerError::into_error)
        });
        Ok(match writing {
            Ok(done) => Writer::Thread { texts, done },
            // The file moved into the closure that could not run: make another.
            Err(_) => Writer::Here(BufWriter::with_capacity(1 << 20, tempfile::tempfile()?)),
        })
    }

    /// Writes `texts` after the others (on the writing thread: when it takes them).
    fn write(&mut self, texts: Vec<String>) -> io::Result<()> {
        match self {
            Writer::Here(file) => write_texts(file, &texts),
            Writer::Thread { texts: send, .. } => send
                .send(texts)
                .map_err(|_| io::Error::other("the writing thread stopped")),
        }
    }

    /// The file written, every text in it; or the first error.
    fn finish(self) -> io::Result<File> {
        match self {
            Writer::Here(file) => file.into_inner().map_err(io::IntoInnerError::into_error),
            Writer::Thread { texts, done } => {
                drop(texts);
                done.join()
                    .map_err(|_| io::Error::other("the writing thread panicked"))?
            }
        }
    }
}

/// Writes a batch of texts: their count, each one's length (8 bytes each, little-endian),
/// then their bytes one after the other (read back at once).
fn write_texts(file: &mut BufWriter<File>, texts: &[String]) -> io::Result<()> {
    file.write_all(&(texts.len() as u64).to_le_bytes())?;
    for text in texts {
        file.write_all(&(text.len() as u64).to_le_bytes())?;
    }
    for text in texts {
        file.write_all(text.as_bytes())?;
    }
    Ok(())
}

impl<'a> Spill<'a> {
    /// No line seen yet.
    pub(crate) fn new(render: &'a Render<'a>) -> Spill<'a> {
        Spill {
            render,
            file: None,
            texts: 0,
            bytes: 0,
            failed: None,
        }
    }

    /// The texts kept, every one written; `Err` with why when they are not all there (a
    /// line could not be rendered, the temporary file could not be made or written).
    pub(crate) fn written(self) -> Result<Written, String> {
        if let Some(why) = self.failed {
            return Err(why);
        }
        let Some(file) = self.file else {
            return match self.texts {
                0 => Ok(Written {
                    file: None,
                    texts: 0,
                    bytes: 0,
                }),
                _ => Err("the lines' texts were lost".to_string()),
            };
        };
        let mut file = file
            .finish()
            .map_err(|e| format!("a temporary file could not be written: {e}"))?;
        file.rewind().map_err(|e| e.to_string())?;
        Ok(Written {
            file: Some(file),
            texts: self.texts,
            bytes: self.bytes,
        })
    }

    fn write(&mut self, texts: Vec<String>) -> io::Result<()> {
        let count = texts.len() as u64;
        let bytes: u64 = texts.iter().map(|t| t.len() as u64).sum();
        let file = match &mut self.file {
            Some(file) => file,
            None => self.file.insert(Writer::new()?),
        };
        file.write(texts)?;
        self.texts += count;
        self.bytes += bytes;
        Ok(())
    }
}

/// The texts of a [`Spill`], all written.
pub(crate) struct Written {
    file: Option<File>,
    texts: u64,
    bytes: u64,
}

impl Written {
    /// Gives the texts in order to `each`, a batch at a time (as they were written), until it
    /// returns false (`Ok(false)`); `Err` when the file cannot be read back as written.
    pub(crate) fn give(self, each: &mut dyn FnMut(&[&str]) -> bool) -> Result<bool, String> {
        let Some(file) = self.file else {
            return Ok(true);
        };
        let broken = || "the temporary file does not read back as written".to_string();
        let mut reader = BufReader::with_capacity(1 << 20, file);
        let number = |reader: &mut BufReader<File>| -> Result<u64, String> {
            let mut bytes = [0u8; 8];
            reader.read_exact(&mut bytes).map_err(|e| e.to_string())?;
            Ok(u64::from_le_bytes(bytes))
        };
        let (mut texts_left, mut bytes_left) = (self.texts, self.bytes);
        // One buffer for every batch's bytes, grown to the largest batch.
        let mut block = Vec::new();
        let mut lengths = Vec::new();
        while texts_left > 0 {
            let count = number(&mut reader)?;
            texts_left = texts_left.checked_sub(count).ok_or_else(broken)?;
            lengths.clear();
            let mut total = 0u64;
            for _ in 0..count {
                let length = number(&mut reader)?;
                total = total.checked_add(length).ok_or_else(broken)?;
                lengths.push(usize::try_from(length).map_err(|_| broken())?);
            }
            bytes_left = bytes_left.checked_sub(total).ok_or_else(broken)?;
            let total = usize::try_from(total).map_err(|_| broken())?;
            if block.len() < total {
                block.resize(total, 0);
            }
            let filled = block.get_mut(..total).ok_or_else(broken)?;
            reader.read_exact(filled).map_err(|e| e.to_string())?;
            // Texts end on character boundaries: the block is valid UTF-8 when each is.
            let text = std::str::from_utf8(filled).map_err(|e| e.to_string())?;
            let mut texts = Vec::with_capacity(lengths.len());
            let mut start = 0;
            for length in &lengths {
                texts.push(text.get(start..start + length).ok_or_else(broken)?);
                start += length;
            }
            if !each(&texts) {
                return Ok(false);
            }
        }
        Ok(true)
    }
}

impl SeeResults for Spill<'_> {
    /// Starts again from no text (a new file when the lines are given again).
    fn start(&mut self, _: &Inventory) {
        // A thread still writing the texts given before finishes, and its file is dropped.
        if let Some(file) = self.file.take() {
            let _ = file.finish();
        }
        self.texts = 0;
        self.bytes = 0;
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
            self.write(texts)
                .map_err(|e| format!("a temporary file could not be written: {e}"))
        });
        if let Err(why) = written {
            // The writing thread's own error says more than that it stopped.
            let why = match self.file.take().map(Writer::finish) {
                Some(Err(e)) => format!("a temporary file could not be written: {e}"),
                _ => why,
            };
            self.failed = Some(why);
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
        let read = |spill: Spill<'_>| {
            let mut texts: Vec<String> = Vec::new();
            let given = spill.written().and_then(|w| {
                w.give(&mut |t| {
                    texts.extend(t.iter().map(|text| text.to_string()));
                    true
                })
            });
            assert_eq!(given, Ok(true));
            texts
        };
        assert_eq!(read(spill), ["a\n«A»", "b\n««B» \"x\"»"]);
        // Batches of several sizes come back in order.
        let mut spill = Spill::new(&render);
        spill.start(&inventory);
        spill.see(&report.lines[1]);
        spill.see_chunk(&inventory.lines, &results);
        spill.see(&report.lines[0]);
        let (a, b) = ("a\n«A»", "b\n««B» \"x\"»");
        assert_eq!(read(spill), [b, a, b, a]);
    }

    #[test]
    fn a_text_that_cannot_be_made_leaves_no_text() {
        let render = |_: &[&LineResult]| -> Result<Vec<String>, String> { Err("no".into()) };
        let (_, report) = computed();
        let mut spill = Spill::new(&render);
        spill.see(&report.lines[0]);
        let mut given = 0;
        assert_eq!(
            spill.written().and_then(|w| w.give(&mut |_| {
                given += 1;
                true
            })),
            Err("no".to_string())
        );
        assert_eq!(given, 0);
    }
}
