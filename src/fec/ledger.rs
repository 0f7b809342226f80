//! What a FEC holds for the period: net debits per account (and supplier) of interest.

use crate::fec::*;
use crate::inventory::Period;
use rust_decimal::Decimal;

/// What to read from a FEC.
#[derive(Clone, Copy, Debug)]
pub struct ReadOptions<'m> {
    /// Entries dated in this period count (first and last day included).
    pub period: Period,
    /// Attribute amounts to suppliers (for `--by-supplier` or supplier rules).
    pub suppliers: bool,
    /// Decides which accounts are looked at.
    pub mapping: &'m Mapping,
}

/// A supplier: auxiliary account number and label.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Supplier {
    /// CompAuxNum.
    pub num: String,
    /// CompAuxLib.
    pub label: String,
}

/// Net debit of one account (and one supplier) over the period.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Group {
    /// CompteNum.
    pub account: String,
    /// CompteLib (its first spelling in the file).
    pub account_label: String,
    /// The supplier, when attributed.
    pub supplier: Option<Supplier>,
    /// Σ Debit − Σ Credit, in euros.
    pub net: Decimal,
    /// FEC lines summed.
    pub lines: usize,
}

/// A journal whose lines were skipped as opening balances (*à-nouveaux*).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpeningJournal {
    /// JournalCode.
    pub code: String,
    /// JournalLib.
    pub label: String,
    /// Lines skipped.
    pub lines: usize,
}

/// What a FEC holds for the period, per account of interest.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ledger {
    /// The file, as named.
    pub file: String,
    /// `\t` or `|`.
    pub separator: char,
    /// Data lines read (the header and blank lines excepted).
    pub rows: usize,
    /// Lines dated in the period (opening journals included).
    pub in_period: usize,
    /// The period.
    pub period: Period,
    /// Journals skipped as opening balances.
    pub opening: Vec<OpeningJournal>,
    /// Accounts of interest (see [`Mapping::considered`]), sorted by account then supplier.
    pub groups: Vec<Group>,
}
