//! Purchases from the accounting ledger: a FEC (*fichier des écritures comptables*, the
//! standard 18-column export every French accounting package writes) → net debits per account
//! (and supplier) over a period → inventory lines with monetary factors, through a mapping from
//! the chart of accounts (PCG) to factor ids.
//!
//! Pure: text in, values out. Reading files is [`crate::load::fec`]; the command is
//! `bilan import fec` ([`crate::cmd`]).

use crate::error::{InputError, InputErrors, Position};
use crate::factor_base::FactorBase;
use crate::inventory::{Date, Line, Period, Purpose};
use crate::post::{Post, codes};
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::sync::Arc;

// ---------------------------------------------------------------------------------------------
// The mapping
// ---------------------------------------------------------------------------------------------

/// What an inventory may already count physically; a rule's exclusion can depend on it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Condition {
    /// Lines with `purpose: business` (3.13).
    BusinessTravel,
    /// Lines with `purpose: commute` (3.22).
    Commute,
    /// Lines with `direction: upstream` (3.12).
    FreightUpstream,
    /// Lines with `direction: downstream` (3.17).
    FreightDownstream,
}

impl Condition {
    /// All conditions, as written in a mapping file.
    pub const ALL: [(Condition, &'static str); 4] = [
        (Condition::BusinessTravel, "business-travel"),
        (Condition::Commute, "commute"),
        (Condition::FreightUpstream, "freight-upstream"),
        (Condition::FreightDownstream, "freight-downstream"),
    ];

    /// Reads `business-travel`, ….
    pub fn parse(text: &str) -> Option<Condition> {
        Self::ALL
            .iter()
            .find(|(_, name)| *name == text.trim())
            .map(|(c, _)| *c)
    }

    /// Its name in a mapping file.
    pub fn name(self) -> &'static str {
        Self::ALL
            .iter()
            .find(|(c, _)| *c == self)
            .map_or("", |(_, name)| name)
    }
}

/// One rule of a mapping: an account prefix or a supplier → a factor, or an exclusion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    /// The factor id.
    pub factor: Option<String>,
    /// What the rule covers.
    pub label: Option<String>,
    /// The post of the lines (default 3.9, or 3.10 with `years`).
    pub post: Option<Post>,
    /// Capital goods: amortisation years (the line gets `amortization:`).
    pub years: Option<u32>,
    /// Why the amounts are left out.
    pub exclude: Option<String>,
    /// The exclusion holds only when the inventory counts this physically.
    pub when: Option<Condition>,
    /// Where the rule is written.
    pub at: Position,
    /// Where its factor is written.
    pub factor_at: Position,
}

/// Account-prefix and supplier rules, from the default mapping and the user's.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Mapping {
    /// Account prefix → rule.
    pub accounts: BTreeMap<String, Rule>,
    /// Auxiliary account (CompAuxNum) → rule.
    pub suppliers: BTreeMap<String, Rule>,
    /// The files the rules come from, in order.
    pub files: Vec<String>,
}

impl Mapping {
    /// Adds `other`'s rules; a rule of `other` replaces one with the same key.
    pub fn extend(&mut self, other: Mapping) {
        self.accounts.extend(other.accounts);
        self.suppliers.extend(other.suppliers);
        self.files.extend(other.files);
    }

    /// The rule of the longest prefix of `account`, with that prefix.
    pub fn account_rule(&self, account: &str) -> Option<(&str, &Rule)> {
        (1..=account.len()).rev().find_map(|end| {
            let prefix = account.get(..end)?;
            self.accounts
                .get_key_value(prefix)
                .map(|(k, r)| (k.as_str(), r))
        })
    }

    /// Whether an account's amounts are looked at: classes 60–62, tangible fixed assets (21)
    /// and any account a rule names.
    pub fn considered(&self, account: &str) -> bool {
        is_purchase_class(account) || is_capital(account) || self.account_rule(account).is_some()
    }
}

/// Classes 60, 61, 62: purchases and external services.
pub fn is_purchase_class(account: &str) -> bool {
    ["60", "61", "62"].iter().any(|p| account.starts_with(p))
}

/// Class 21: tangible fixed assets (capital goods).
pub fn is_capital(account: &str) -> bool {
    account.starts_with("21")
}

/// What the inventory already counts physically (from its lines), if an inventory was given.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Counted {
    /// An inventory was read.
    pub known: bool,
    /// It has `purpose: business` lines.
    pub business_travel: bool,
    /// It has `purpose: commute` lines.
    pub commute: bool,
    /// It has `direction: upstream` lines.
    pub freight_upstream: bool,
    /// It has `direction: downstream` lines.
    pub freight_downstream: bool,
}

impl Counted {
    /// What `lines` count.
    pub fn from_lines(lines: &[Line]) -> Counted {
        use crate::inventory::Direction;
        Counted {
            known: true,
            business_travel: lines.iter().any(|l| l.purpose == Some(Purpose::Business)),
            commute: lines.iter().any(|l| l.purpose == Some(Purpose::Commute)),
            freight_upstream: lines
                .iter()
                .any(|l| l.direction == Some(Direction::Upstream)),
            freight_downstream: lines
                .iter()
                .any(|l| l.direction == Some(Direction::Downstream)),
        }
    }

    /// Whether the inventory counts what `condition` names.
    pub fn holds(&self, condition: Condition) -> bool {
        match condition {
            Condition::BusinessTravel => self.business_travel,
            Condition::Commute => self.commute,
            Condition::FreightUpstream => self.freight_upstream,
            Condition::FreightDownstream => self.freight_downstream,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Reading a FEC
// ---------------------------------------------------------------------------------------------

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

/// FxHash (rustc's hasher): the keys are short account numbers and entry numbers from a file
/// the user chose, so speed matters and resistance to crafted collisions does not.
type HashMap<K, V> = rustc_hash::FxHashMap<K, V>;

/// At most this many malformed lines are reported.
const MAX_ERRORS: usize = 50;

/// The columns used, by position in the header.
struct Columns {
    count: usize,
    journal: usize,
    journal_label: usize,
    number: usize,
    date: usize,
    account: usize,
    account_label: usize,
    aux: usize,
    aux_label: usize,
    amounts: Amounts,
}

enum Amounts {
    DebitCredit { debit: usize, credit: usize },
    AmountSign { amount: usize, sign: usize },
}

/// Reads the header: separator and columns.
fn header(file: &Arc<str>, line: &str) -> Result<(char, Columns), InputError> {
    let separator = if line.contains('\t') {
        '\t'
    } else if line.contains('|') {
        '|'
    } else {
        return Err(InputError::new(
            Position::new(file, 1, 0),
            "not a FEC: the first line should be the header, tab- or pipe-separated",
        )
        .help("a FEC starts with JournalCode, JournalLib, EcritureNum, EcritureDate, CompteNum, … separated by tabs or `|`")
        .with_source(line));
    };
    let names: Vec<String> = line
        .split(separator)
        .map(|n| n.trim().trim_matches('"').to_ascii_lowercase())
        .collect();
    let find = |name: &str| names.iter().position(|n| n == &name.to_ascii_lowercase());
    let mut missing = Vec::new();
    let mut need = |name: &'static str| {
        let found = find(name);
        if found.is_none() {
            missing.push(name);
        }
        found.unwrap_or(0)
    };
    let journal = need("JournalCode");
    let journal_label = need("JournalLib");
    let number = need("EcritureNum");
    let date = need("EcritureDate");
    let account = need("CompteNum");
    let account_label = need("CompteLib");
    let aux = need("CompAuxNum");
    let aux_label = need("CompAuxLib");
    let amounts = match (find("Debit"), find("Credit"), find("Montant"), find("Sens")) {
        (Some(debit), Some(credit), _, _) => Amounts::DebitCredit { debit, credit },
        (_, _, Some(amount), Some(sign)) => Amounts::AmountSign { amount, sign },
        _ => {
            missing.push("Debit");
            missing.push("Credit");
            Amounts::DebitCredit {
                debit: 0,
                credit: 0,
            }
        }
    };
    if !missing.is_empty() {
        return Err(InputError::new(
            Position::new(file, 1, 0),
            format!("the FEC header has no column {}", missing.join(", ")),
        )
        .help("the 18 columns of a FEC: JournalCode JournalLib EcritureNum EcritureDate CompteNum CompteLib CompAuxNum CompAuxLib PieceRef PieceDate EcritureLib Debit Credit EcritureLet DateLet ValidDate Montantdevise Idevise (or Montant and Sens instead of Debit and Credit)")
        .with_source(line));
    }
    Ok((
        separator,
        Columns {
            count: names.len(),
            journal,
            journal_label,
            number,
            date,
            account,
            account_label,
            aux,
            aux_label,
            amounts,
        },
    ))
}

/// Reads `YYYYMMDD`.
fn parse_date(text: &str) -> Option<Date> {
    let text = text.trim();
    if text.len() != 8 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year = text.get(0..4)?.parse().ok()?;
    let month = text.get(4..6)?.parse().ok()?;
    let day = text.get(6..8)?.parse().ok()?;
    Date::new(year, month, day)
}

/// Reads an amount: `1234,56` (or `1234.56`), optional sign, no thousands separator; empty
/// is zero. Exact.
pub fn parse_amount(text: &str) -> Option<Decimal> {
    let text = text.trim();
    if text.is_empty() {
        return Some(Decimal::ZERO);
    }
    let (negative, body) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let mut mantissa: i128 = 0;
    let mut scale: u32 = 0;
    let mut separator = false;
    let mut digits = 0usize;
    for byte in body.bytes() {
        match byte {
            b'0'..=b'9' => {
                mantissa = mantissa
                    .checked_mul(10)?
                    .checked_add(i128::from(byte - b'0'))?;
                digits += 1;
                if separator {
                    scale += 1;
                }
            }
            b',' | b'.' if !separator => separator = true,
            _ => return None,
        }
    }
    if digits == 0 || scale > 28 {
        return None;
    }
    Decimal::try_from_i128_with_scale(if negative { -mantissa } else { mantissa }, scale).ok()
}

/// Whether a journal holds opening balances (*à-nouveaux*): its code or label says so.
fn is_opening(code: &str, label: &str) -> bool {
    const CODES: [&str; 6] = ["AN", "ANO", "ANX", "RAN", "RANO", "OUV"];
    let code = code.trim().to_ascii_uppercase();
    // Whole words only: "Achats couverture" is a purchases journal, not "ouverture".
    let label = crate::text::fold(label);
    let words: Vec<&str> = label
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let has = |word: &str| words.contains(&word);
    let pair = |a: &str, b: &str| words.windows(2).any(|w| w == [a, b]);
    CODES.contains(&code.as_str())
        || pair("a", "nouveau")
        || pair("a", "nouveaux")
        || has("anouveau")
        || has("anouveaux")
        || has("ouverture")
}

/// Which supplier an entry (one JournalCode + EcritureNum) is with: the auxiliary account of
/// its supplier lines (accounts 40…), when there is exactly one.
#[derive(Clone, Copy)]
enum EntrySupplier {
    None,
    One(u32),
    Several,
}

/// A line of an account of interest, kept until suppliers are known.
struct Posting {
    account: u32,
    entry: u32,
    supplier: Option<u32>,
    net: Decimal,
}

struct AccountInfo<'a> {
    num: &'a str,
    label: &'a str,
    considered: bool,
    net: Decimal,
    lines: usize,
}

/// Reads a FEC's text (decoded). `file` names it in errors.
pub fn read(file: &str, text: &str, options: &ReadOptions<'_>) -> Result<Ledger, InputErrors> {
    let file: Arc<str> = Arc::from(file);
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l));
    let first = lines.next().unwrap_or_default();
    if text.trim().is_empty() {
        return Err(InputError::new(Position::file(&file), "the FEC is empty").into());
    }
    let (separator, columns) = header(&file, first)?;
    let mut reader = Reader {
        file: &file,
        separator,
        columns: &columns,
        options,
        accounts: HashMap::default(),
        account_info: Vec::new(),
        journals: HashMap::default(),
        opening: Vec::new(),
        entries: HashMap::default(),
        entry_suppliers: Vec::new(),
        suppliers: HashMap::default(),
        supplier_info: Vec::new(),
        postings: Vec::new(),
        errors: Vec::new(),
        more_errors: 0,
        rows: 0,
        in_period: 0,
    };
    let mut fields: Vec<&str> = Vec::with_capacity(columns.count + 1);
    for (index, line) in lines.enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        fields.clear();
        fields.extend(line.split(separator));
        reader.row(index as u64 + 2, line, &fields);
    }
    reader.finish()
}

struct Reader<'a, 'o> {
    file: &'o Arc<str>,
    separator: char,
    columns: &'o Columns,
    options: &'o ReadOptions<'o>,
    accounts: HashMap<&'a str, u32>,
    account_info: Vec<AccountInfo<'a>>,
    /// Journal code → index in `opening` when it is an opening journal.
    journals: HashMap<&'a str, Option<usize>>,
    opening: Vec<OpeningJournal>,
    entries: HashMap<(&'a str, &'a str), u32>,
    entry_suppliers: Vec<EntrySupplier>,
    suppliers: HashMap<&'a str, u32>,
    supplier_info: Vec<(&'a str, &'a str)>,
    postings: Vec<Posting>,
    errors: Vec<InputError>,
    more_errors: usize,
    rows: usize,
    in_period: usize,
}

impl<'a> Reader<'a, '_> {
    fn error(&mut self, line_no: u64, line: &str, column: u64, message: String, help: &str) {
        if self.errors.len() >= MAX_ERRORS {
            self.more_errors += 1;
            return;
        }
        let mut error =
            InputError::new(Position::new(self.file, line_no, column), message).help(help);
        error.snippet = Some(line.trim_end().to_string());
        self.errors.push(error);
    }

    /// The 1-based column (in characters) where field `index` starts.
    fn column(&self, fields: &[&str], index: usize) -> u64 {
        let before: usize = fields
            .iter()
            .take(index)
            .map(|f| f.chars().count() + 1)
            .sum();
        before as u64 + 1
    }

    fn field(&self, fields: &[&'a str], index: usize) -> &'a str {
        fields.get(index).copied().unwrap_or_default().trim()
    }

    fn amount(
        &mut self,
        line_no: u64,
        line: &str,
        fields: &[&'a str],
        index: usize,
        name: &str,
    ) -> Option<Decimal> {
        let text = self.field(fields, index);
        let value = parse_amount(text);
        if value.is_none() {
            let column = self.column(fields, index);
            self.error(
                line_no,
                line,
                column,
                format!("{name} is not an amount: `{text}`"),
                "write amounts like 1234,56 (decimal comma or point, no thousands separator)",
            );
        }
        value
    }

    fn row(&mut self, line_no: u64, line: &'a str, fields: &[&'a str]) {
        self.rows += 1;
        let columns = self.columns;
        let count = fields.len();
        let trailing = count == columns.count + 1 && fields.last().is_some_and(|f| f.is_empty());
        if count != columns.count && !trailing {
            let separator = if self.separator == '\t' { "tab" } else { "|" };
            self.error(
                line_no,
                line,
                0,
                format!(
                    "{count} fields where the header has {}",
                    columns.count
                ),
                &format!("fields are separated by {separator} as in the header; a label cannot contain the separator"),
            );
            return;
        }
        let date_text = self.field(fields, columns.date);
        let date = parse_date(date_text);
        if date.is_none() {
            let column = self.column(fields, columns.date);
            self.error(
                line_no,
                line,
                column,
                format!("EcritureDate is not a date: `{date_text}`"),
                "dates are written YYYYMMDD, e.g. 20250131",
            );
        }
        let net = match columns.amounts {
            Amounts::DebitCredit { debit, credit } => {
                let debit_at = debit;
                let debit = self.amount(line_no, line, fields, debit, "Debit");
                let credit = self.amount(line_no, line, fields, credit, "Credit");
                match debit.zip(credit) {
                    Some((d, c)) => {
                        let net = d.checked_sub(c);
                        if net.is_none() {
                            // Never dropped as if it were outside the period: an error.
                            let column = self.column(fields, debit_at);
                            self.error(
                                line_no,
                                line,
                                column,
                                "Debit − Credit is beyond the range of exact decimals".to_string(),
                                "check the amounts: a value this large is almost certainly a typo",
                            );
                        }
                        net
                    }
                    None => None,
                }
            }
            Amounts::AmountSign { amount, sign } => {
                let amount = self.amount(line_no, line, fields, amount, "Montant");
                let sign_text = self.field(fields, sign);
                let factor = match sign_text.to_ascii_uppercase().as_str() {
                    "D" | "+1" | "1" => Some(Decimal::ONE),
                    "C" | "-1" => Some(Decimal::NEGATIVE_ONE),
                    _ => {
                        let column = self.column(fields, sign);
                        self.error(
                            line_no,
                            line,
                            column,
                            format!("Sens is neither D nor C: `{sign_text}`"),
                            "Sens is D (debit) or C (credit), or +1 / -1",
                        );
                        None
                    }
                };
                amount.zip(factor).and_then(|(a, f)| a.checked_mul(f))
            }
        };
        let account = self.field(fields, columns.account);
        if account.is_empty() {
            let column = self.column(fields, columns.account);
            self.error(
                line_no,
                line,
                column,
                "empty CompteNum".to_string(),
                "every line of a FEC names its account",
            );
            return;
        }
        let (Some(date), Some(net)) = (date, net) else {
            return;
        };
        if date < self.options.period.start || date > self.options.period.end {
            return;
        }
        self.in_period += 1;
        let journal = self.field(fields, columns.journal);
        let opening = match self.journals.get(journal) {
            Some(opening) => *opening,
            None => {
                let label = self.field(fields, columns.journal_label);
                let opening = is_opening(journal, label).then(|| {
                    self.opening.push(OpeningJournal {
                        code: journal.to_string(),
                        label: label.to_string(),
                        lines: 0,
                    });
                    self.opening.len() - 1
                });
                self.journals.insert(journal, opening);
                opening
            }
        };
        if let Some(index) = opening {
            if let Some(journal) = self.opening.get_mut(index) {
                journal.lines += 1;
            }
            return;
        }
        let account_index = match self.accounts.get(account) {
            Some(index) => *index,
            None => {
                let index = u32::try_from(self.account_info.len()).unwrap_or(u32::MAX);
                self.account_info.push(AccountInfo {
                    num: account,
                    label: self.field(fields, columns.account_label),
                    considered: self.options.mapping.considered(account),
                    net: Decimal::ZERO,
                    lines: 0,
                });
                self.accounts.insert(account, index);
                index
            }
        };
        let considered = self
            .account_info
            .get(account_index as usize)
            .is_some_and(|a| a.considered);
        if !self.options.suppliers {
            if let Some(info) = self.account_info.get_mut(account_index as usize)
                && info.considered
            {
                match info.net.checked_add(net) {
                    Some(sum) => info.net = sum,
                    None => {
                        self.error(
                            line_no,
                            line,
                            0,
                            format!("the sum of account {account} overflows"),
                            "amounts are limited to 28 significant digits",
                        );
                        return;
                    }
                }
                info.lines += 1;
            }
            return;
        }
        let aux = self.field(fields, columns.aux);
        let supplier_line = account.starts_with("40") && !aux.is_empty();
        if !considered && !supplier_line {
            return;
        }
        let key = (journal, self.field(fields, columns.number));
        let entry = match self.entries.get(&key) {
            Some(entry) => *entry,
            None => {
                let entry = u32::try_from(self.entry_suppliers.len()).unwrap_or(u32::MAX);
                self.entry_suppliers.push(EntrySupplier::None);
                self.entries.insert(key, entry);
                entry
            }
        };
        let supplier = (!aux.is_empty()).then(|| match self.suppliers.get(aux) {
            Some(index) => *index,
            None => {
                let index = u32::try_from(self.supplier_info.len()).unwrap_or(u32::MAX);
                self.supplier_info
                    .push((aux, self.field(fields, columns.aux_label)));
                self.suppliers.insert(aux, index);
                index
            }
        });
        if supplier_line
            && let (Some(state), Some(supplier)) =
                (self.entry_suppliers.get_mut(entry as usize), supplier)
        {
            *state = match *state {
                EntrySupplier::None => EntrySupplier::One(supplier),
                EntrySupplier::One(s) if s == supplier => EntrySupplier::One(s),
                _ => EntrySupplier::Several,
            };
        }
        if considered {
            self.postings.push(Posting {
                account: account_index,
                entry,
                supplier,
                net,
            });
        }
    }

    fn finish(mut self) -> Result<Ledger, InputErrors> {
        if self.more_errors > 0 {
            self.errors.push(
                InputError::new(
                    Position::file(self.file),
                    format!("… and {} more malformed lines", self.more_errors),
                )
                .help("fix the lines above first: the same cause often repeats"),
            );
        }
        if !self.errors.is_empty() {
            return Err(InputErrors(self.errors));
        }
        let text = |s: &str| s.to_string();
        let mut groups: Vec<Group> = Vec::new();
        if self.options.suppliers {
            let mut sums: HashMap<(u32, Option<u32>), (Decimal, usize)> = HashMap::default();
            for posting in &self.postings {
                let supplier = posting.supplier.or_else(|| {
                    match self.entry_suppliers.get(posting.entry as usize) {
                        Some(EntrySupplier::One(s)) => Some(*s),
                        _ => None,
                    }
                });
                let sum = sums
                    .entry((posting.account, supplier))
                    .or_insert((Decimal::ZERO, 0));
                sum.0 = sum.0.checked_add(posting.net).ok_or_else(|| {
                    InputError::new(Position::file(self.file), "a sum overflows")
                        .help("amounts are limited to 28 significant digits")
                })?;
                sum.1 += 1;
            }
            for ((account, supplier), (net, lines)) in sums {
                let Some(info) = self.account_info.get(account as usize) else {
                    continue;
                };
                let supplier = supplier
                    .and_then(|s| self.supplier_info.get(s as usize))
                    .map(|(num, label)| Supplier {
                        num: text(num),
                        label: text(label),
                    });
                groups.push(Group {
                    account: text(info.num),
                    account_label: text(info.label),
                    supplier,
                    net,
                    lines,
                });
            }
        } else {
            groups = self
                .account_info
                .iter()
                .filter(|a| a.considered && a.lines > 0)
                .map(|a| Group {
                    account: text(a.num),
                    account_label: text(a.label),
                    supplier: None,
                    net: a.net,
                    lines: a.lines,
                })
                .collect();
        }
        groups.sort_by(|a, b| {
            a.account
                .cmp(&b.account)
                .then_with(|| a.supplier.cmp(&b.supplier))
        });
        Ok(Ledger {
            file: self.file.to_string(),
            separator: self.separator,
            rows: self.rows,
            in_period: self.in_period,
            period: self.options.period,
            opening: self.opening,
            groups,
        })
    }
}

// ---------------------------------------------------------------------------------------------
// Mapping the groups
// ---------------------------------------------------------------------------------------------

/// Which table a rule comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RuleKind {
    /// `accounts:`, by prefix.
    Account,
    /// `suppliers:`.
    Supplier,
}

/// A rule applied, named.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applied {
    /// Account prefix or supplier.
    pub key: String,
    /// Which table.
    pub kind: RuleKind,
    /// The rule.
    pub rule: Rule,
}

impl Applied {
    fn describe(&self) -> String {
        let file = &self.rule.at.file;
        match self.kind {
            RuleKind::Account => format!("rule {} of {file}", self.key),
            RuleKind::Supplier => format!("supplier rule {} of {file}", self.key),
        }
    }
}

/// A group turned into an inventory line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Planned {
    /// The amounts.
    pub group: Group,
    /// The factor id.
    pub factor: String,
    /// The factor's name in the base.
    pub factor_name: String,
    /// The post.
    pub post: Post,
    /// Amortisation years (capital goods).
    pub years: Option<u32>,
    /// The rule that gave the factor.
    pub rule: Applied,
}

/// A group left out, with why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Listed {
    /// The amounts.
    pub group: Group,
    /// The rule that excluded it (none for unmapped accounts and net credits).
    pub rule: Option<Applied>,
}

/// Sums in euros over the groups with a net debit.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Totals {
    /// All groups with a net debit.
    pub considered: Decimal,
    /// Written as lines.
    pub mapped: Decimal,
    /// Excluded by a rule.
    pub excluded: Decimal,
    /// Without a rule.
    pub unmapped: Decimal,
}

/// What an import writes and reports.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Plan {
    /// Lines to write, sorted by account then supplier.
    pub lines: Vec<Planned>,
    /// Excluded groups (any sign).
    pub excluded: Vec<Listed>,
    /// Groups with a net debit and no rule.
    pub unmapped: Vec<Listed>,
    /// Groups mapped or unmapped with a net credit: not counted.
    pub credits: Vec<Listed>,
    /// Rules whose exclusion depends on the inventory, applied without one (key, condition).
    pub unchecked: Vec<(String, Condition)>,
    /// Sums.
    pub totals: Totals,
    /// The period's year (capital goods are acquired in it).
    pub year: i32,
}

enum Decision {
    Mapped(Applied, Post, Option<u32>, String),
    Excluded(Applied),
    Unmapped,
}

fn applied(key: &str, kind: RuleKind, rule: &Rule) -> Applied {
    Applied {
        key: key.to_string(),
        kind,
        rule: rule.clone(),
    }
}

fn decide(
    mapping: &Mapping,
    counted: &Counted,
    group: &Group,
    unchecked: &mut Vec<(String, Condition)>,
) -> Decision {
    let account = mapping
        .account_rule(&group.account)
        .map(|(key, rule)| applied(key, RuleKind::Account, rule));
    let supplier = group.supplier.as_ref().and_then(|s| {
        mapping
            .suppliers
            .get_key_value(&s.num)
            .map(|(key, rule)| applied(key, RuleKind::Supplier, rule))
    });
    let mut excludes = |a: &Applied| match (&a.rule.exclude, a.rule.when) {
        (None, _) => false,
        (Some(_), None) => true,
        (Some(_), Some(condition)) if counted.known => counted.holds(condition),
        (Some(_), Some(condition)) => {
            if !unchecked.iter().any(|(k, _)| *k == a.key) {
                unchecked.push((a.key.clone(), condition));
            }
            false
        }
    };
    // An exclusion wins over a factor, whichever table it is in: energy bought from any
    // supplier is counted physically.
    for rule in account.iter().chain(supplier.iter()) {
        if excludes(rule) {
            return Decision::Excluded(rule.clone());
        }
    }
    let with_factor = supplier
        .iter()
        .chain(account.iter())
        .find(|a| a.rule.factor.is_some());
    let Some(chosen) = with_factor else {
        return Decision::Unmapped;
    };
    let years = supplier
        .as_ref()
        .and_then(|s| s.rule.years)
        .or_else(|| account.as_ref().and_then(|a| a.rule.years));
    let post = supplier
        .as_ref()
        .and_then(|s| s.rule.post)
        .or_else(|| account.as_ref().and_then(|a| a.rule.post))
        .unwrap_or(if years.is_some() {
            codes::CAPITAL_GOODS
        } else {
            codes::PURCHASES
        });
    let factor = chosen.rule.factor.clone().unwrap_or_default();
    Decision::Mapped(chosen.clone(), post, years, factor)
}

/// Regroups a ledger's groups: by supplier with `by_supplier`, else by account except the
/// suppliers that have a rule of their own.
fn regroup(ledger: &Ledger, mapping: &Mapping, by_supplier: bool) -> Vec<Group> {
    let mut merged: BTreeMap<(String, Option<Supplier>), Group> = BTreeMap::new();
    for group in &ledger.groups {
        let supplier = group
            .supplier
            .clone()
            .filter(|s| by_supplier || mapping.suppliers.contains_key(&s.num));
        let key = (group.account.clone(), supplier.clone());
        match merged.get_mut(&key) {
            Some(g) => {
                g.net = g.net.checked_add(group.net).unwrap_or(g.net);
                g.lines += group.lines;
            }
            None => {
                merged.insert(
                    key,
                    Group {
                        supplier,
                        ..group.clone()
                    },
                );
            }
        }
    }
    merged.into_values().collect()
}

/// Maps each group: a line, an exclusion, unmapped, or a net credit.
pub fn plan(
    ledger: &Ledger,
    mapping: &Mapping,
    counted: &Counted,
    by_supplier: bool,
    base: &FactorBase,
) -> Plan {
    let mut plan = Plan {
        lines: Vec::new(),
        excluded: Vec::new(),
        unmapped: Vec::new(),
        credits: Vec::new(),
        unchecked: Vec::new(),
        totals: Totals::default(),
        year: ledger.period.year(),
    };
    let add = |sum: &mut Decimal, net: Decimal| {
        if net.is_sign_positive() {
            *sum = sum.checked_add(net).unwrap_or(*sum);
        }
    };
    for group in regroup(ledger, mapping, by_supplier) {
        if group.net.is_zero() {
            continue;
        }
        let debit = group.net.is_sign_positive();
        if debit {
            add(&mut plan.totals.considered, group.net);
        }
        match decide(mapping, counted, &group, &mut plan.unchecked) {
            Decision::Excluded(rule) => {
                add(&mut plan.totals.excluded, group.net);
                plan.excluded.push(Listed {
                    group,
                    rule: Some(rule),
                });
            }
            _ if !debit => plan.credits.push(Listed { group, rule: None }),
            Decision::Unmapped => {
                add(&mut plan.totals.unmapped, group.net);
                plan.unmapped.push(Listed { group, rule: None });
            }
            Decision::Mapped(rule, post, years, factor) => {
                add(&mut plan.totals.mapped, group.net);
                let factor_name = base
                    .get(&factor)
                    .map_or_else(String::new, |f| f.name.clone());
                plan.lines.push(Planned {
                    group,
                    factor,
                    factor_name,
                    post,
                    years,
                    rule,
                });
            }
        }
    }
    plan
}

// ---------------------------------------------------------------------------------------------
// Writing
// ---------------------------------------------------------------------------------------------

/// Euros → k€, exact (a shift of the decimal point), trailing zeros removed.
pub fn keuro(euros: Decimal) -> Decimal {
    Decimal::try_from_i128_with_scale(euros.mantissa(), euros.scale() + 3)
        .unwrap_or_else(|_| euros / Decimal::ONE_THOUSAND)
        .normalize()
}

/// `part` as a percentage of `whole`, one decimal.
fn share(part: Decimal, whole: Decimal) -> String {
    if whole.is_zero() {
        return "–".to_string();
    }
    part.checked_mul(Decimal::ONE_HUNDRED)
        .and_then(|p| p.checked_div(whole))
        .map_or_else(|| "–".to_string(), |p| format!("{:.1} %", p.round_dp(1)))
}

/// `1 line`, `2 lines`.
fn count(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// The id of a group's line: `fec-6064`, `fec-6064-FOURN01`.
pub fn line_id(group: &Group) -> String {
    match &group.supplier {
        Some(s) => format!("fec-{}-{}", group.account, s.num),
        None => format!("fec-{}", group.account),
    }
}

fn one_line(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_string()
}

fn group_name(group: &Group) -> String {
    let mut name = format!("{} {}", group.account, one_line(&group.account_label));
    if let Some(s) = &group.supplier {
        let _ = write!(name, " / {} {}", s.num, one_line(&s.label));
    }
    name.trim_end().to_string()
}

fn listed_row(out: &mut String, group: &Group, reason: Option<&str>) {
    let _ = write!(
        out,
        "  {:>12} k€ {:>5} {}  {}",
        keuro(group.net).to_string(),
        group.lines,
        if group.lines == 1 { "line " } else { "lines" },
        group_name(group)
    );
    if let Some(reason) = reason {
        let _ = write!(out, " — {reason}");
    }
    out.push('\n');
}

/// Where the lines come from, for the summary.
#[derive(Clone, Debug)]
pub struct Source<'a> {
    /// The FEC, as named.
    pub fec: &'a str,
    /// Whether lines are per supplier.
    pub by_supplier: bool,
}

/// The summary: coverage, exclusions, unmapped accounts, net credits. Printed on stderr and,
/// commented, at the top of the generated file.
pub fn summary(ledger: &Ledger, plan: &Plan, mapping: &Mapping, source: &Source<'_>) -> String {
    let mut out = String::new();
    let period = ledger.period;
    let outside = ledger.rows - ledger.in_period;
    let _ = writeln!(
        out,
        "bilan import fec {}: {}, {} dated {} – {} ({outside} outside, skipped)",
        source.fec,
        count(ledger.rows, "line"),
        ledger.in_period,
        period.start,
        period.end
    );
    for journal in &ledger.opening {
        let _ = writeln!(
            out,
            "journal {} ({}): {} skipped as opening balances (à-nouveaux)",
            journal.code,
            one_line(&journal.label),
            count(journal.lines, "line")
        );
    }
    let _ = writeln!(out, "mapping: {}", mapping.files.join(" + "));
    let totals = plan.totals;
    let _ = writeln!(
        out,
        "purchases considered (net debits of classes 60–62, 21 and accounts with a rule): {} k€",
        keuro(totals.considered)
    );
    let rows: [(&str, Decimal, String); 3] = [
        (
            "mapped",
            totals.mapped,
            format!(
                "{} written{}",
                count(plan.lines.len(), "line"),
                if source.by_supplier {
                    ", per supplier"
                } else {
                    ""
                }
            ),
        ),
        (
            "excluded",
            totals.excluded,
            "counted elsewhere or not a purchase".to_string(),
        ),
        (
            "unmapped",
            totals.unmapped,
            "no rule: add one with --mapping".to_string(),
        ),
    ];
    for (name, value, note) in rows {
        let _ = writeln!(
            out,
            "  {name:<9} {:>12} k€  {:>7}  {note}",
            keuro(value).to_string(),
            share(value, totals.considered)
        );
    }
    if !plan.excluded.is_empty() {
        let _ = writeln!(out, "excluded:");
        for listed in &plan.excluded {
            let reason = listed.rule.as_ref().map(|r| {
                format!(
                    "{}: {}",
                    r.describe(),
                    r.rule.exclude.as_deref().unwrap_or_default()
                )
            });
            listed_row(&mut out, &listed.group, reason.as_deref());
        }
    }
    if !plan.unmapped.is_empty() {
        let _ = writeln!(out, "unmapped (no rule; not in the lines):");
        for listed in &plan.unmapped {
            listed_row(&mut out, &listed.group, None);
        }
    }
    if !plan.credits.is_empty() {
        let _ = writeln!(
            out,
            "net credits (credit notes or reversals exceed debits; not counted):"
        );
        for listed in &plan.credits {
            listed_row(&mut out, &listed.group, None);
        }
    }
    for (key, condition) in &plan.unchecked {
        let _ = writeln!(
            out,
            "note: rule {key} is excluded when the inventory has {} lines; no --inventory given, so it is mapped",
            condition.name()
        );
    }
    out
}

/// The generated file: the summary as comments, then `lines:` (ready for `include:`).
pub fn render(ledger: &Ledger, plan: &Plan, mapping: &Mapping, source: &Source<'_>) -> String {
    let mut out = String::with_capacity(512 * (plan.lines.len() + 8));
    out.push_str(
        "# Generated by `bilan import fec`: purchases from the accounting ledger, valued\n",
    );
    out.push_str("# with monetary ratios (kgCO2e per k€ HT). Regenerate rather than edit.\n#\n");
    // A comment ends at a line break, and YAML counts a CR as one: every control character
    // of a file name or a label becomes a space, so nothing can step out of the comment.
    for line in summary(ledger, plan, mapping, source).lines() {
        let line: String = line
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let _ = writeln!(out, "{}", format!("# {line}").trim_end());
    }
    let mut lines = Vec::with_capacity(plan.lines.len());
    for line in &plan.lines {
        let group = &line.group;
        let mut label = one_line(&group.account_label);
        if label.is_empty() {
            label = line
                .rule
                .rule
                .label
                .clone()
                .unwrap_or_else(|| format!("Compte {}", group.account));
        }
        let mut trace = format!(
            "{}: account {} {}",
            source.fec,
            group.account,
            one_line(&group.account_label)
        );
        if let Some(s) = &group.supplier {
            label = format!("{label} – {}", one_line(&s.label));
            let _ = write!(trace, ", supplier {} {}", s.num, one_line(&s.label));
        }
        let _ = write!(
            trace,
            ", {}, net debit {} €; {}",
            count(group.lines, "line"),
            group.net.normalize(),
            line.rule.describe()
        );
        if let Some(rule_label) = &line.rule.rule.label {
            let _ = write!(trace, " ({})", one_line(rule_label));
        }
        let _ = write!(trace, " → {} {}", line.factor, line.factor_name);
        lines.push(OutLine {
            id: line_id(group),
            label: label.trim().to_string(),
            factor: line.factor.clone(),
            quantity: Exact(keuro(group.net)),
            unit: "k€",
            post: line.post.code(),
            amortization: line.years.map(|years| OutAmortization {
                acquired: plan.year,
                years,
            }),
            comment: trace.trim().to_string(),
        });
    }
    // Through the YAML serializer: a label holding a quote, a colon or a line break stays a
    // value and can never add a key.
    match serde_saphyr::to_string(&OutFile { lines }) {
        Ok(yaml) => out.push_str(&yaml),
        Err(e) => {
            let _ = writeln!(
                out,
                "# cannot write the lines: {}",
                one_line(&e.to_string())
            );
        }
    }
    out
}

/// The file `import fec` writes, as the serializer sees it.
#[derive(serde::Serialize)]
struct OutFile {
    lines: Vec<OutLine>,
}

/// One line of it.
#[derive(serde::Serialize)]
struct OutLine {
    id: String,
    label: String,
    factor: String,
    quantity: Exact,
    unit: &'static str,
    post: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    amortization: Option<OutAmortization>,
    comment: String,
}

/// An amortisation, in the inventory's words.
#[derive(serde::Serialize)]
struct OutAmortization {
    acquired: i32,
    years: u32,
}

/// An exact decimal written as a plain YAML number when a float reads it back to the same
/// digits (up to 15 significant digits), else as a quoted string the loader reads exactly.
struct Exact(Decimal);

impl serde::Serialize for Exact {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let text = self.0.normalize().to_string();
        if let Ok(whole) = text.parse::<i64>() {
            return serializer.serialize_i64(whole);
        }
        match text.parse::<f64>() {
            Ok(float) if float.to_string() == text => serializer.serialize_f64(float),
            _ => serializer.serialize_str(&text),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_are_exact() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(parse_amount("1234,56"), Some(d("1234.56")));
        assert_eq!(parse_amount("1234.56"), Some(d("1234.56")));
        assert_eq!(parse_amount(" 0,00 "), Some(d("0")));
        assert_eq!(parse_amount(""), Some(d("0")));
        assert_eq!(parse_amount("-12,5"), Some(d("-12.5")));
        assert_eq!(parse_amount("12"), Some(d("12")));
        for bad in ["12,3,4", "1 234,56", "abc", "-", ",", "1e3", "12,5€"] {
            assert_eq!(parse_amount(bad), None, "{bad}");
        }
    }

    #[test]
    fn keuro_shifts_the_point() {
        let d = |s: &str| s.parse::<Decimal>().unwrap();
        assert_eq!(keuro(d("1350.50")).to_string(), "1.3505");
        assert_eq!(keuro(d("3000.00")).to_string(), "3");
        assert_eq!(keuro(d("45.3")).to_string(), "0.0453");
    }

    #[test]
    fn dates_are_yyyymmdd() {
        assert_eq!(parse_date("20250229"), None);
        assert_eq!(parse_date("20240229"), Date::new(2024, 2, 29));
        assert_eq!(parse_date("2025-01-01"), None);
        assert_eq!(parse_date("2025011"), None);
    }

    #[test]
    fn opening_journals_are_recognised() {
        assert!(is_opening("AN", "Journal"));
        assert!(is_opening("X1", "A-nouveaux"));
        assert!(is_opening("X1", "Journal d'à nouveaux"));
        assert!(is_opening("X1", "Journal d'ouverture"));
        assert!(!is_opening("AC", "Achats"));
        assert!(!is_opening("AC", "Achats couverture"));
        assert!(is_opening("X1", "Ouverture de l'exercice"));
    }

    fn period_2025() -> Period {
        Period {
            start: Date::new(2025, 1, 1).unwrap(),
            end: Date::new(2025, 12, 31).unwrap(),
        }
    }

    fn mapping() -> Mapping {
        crate::load::fec::parse_mapping(
            "m.yaml",
            "accounts:\n  \"626\": { factor: \"43510\" }\n  \"6061\": { exclude: énergie }\nsuppliers:\n  EDF: { factor: \"43510\" }\n  ORANGE: { exclude: compté par le fournisseur }\n",
        )
        .unwrap()
    }

    #[test]
    fn montant_and_sens_are_read_and_suppliers_come_from_the_entry() {
        let text = "\u{feff}JournalCode|JournalLib|EcritureNum|EcritureDate|CompteNum|CompteLib|CompAuxNum|CompAuxLib|Montant|Sens\r\n\
            AC|Achats|1|20250110|626|Télécoms|||100,50|D\r\n\
            AC|Achats|1|20250110|401|Fournisseurs|ORANGE|Orange|100,50|C\r\n\
            AC|Achats|2|20250210|626|Télécoms|||20|C\r\n\
            AC|Achats|2|20250210|401|Fournisseurs|OVH|OVH|20|D\r\n\
            AC|Achats|3|20250310|6061|Électricité|EDF|EDF|300|D\r\n";
        let mapping = mapping();
        let options = ReadOptions {
            period: period_2025(),
            suppliers: true,
            mapping: &mapping,
        };
        let ledger = read("f.txt", text, &options).unwrap();
        assert_eq!(ledger.separator, '|');
        let sums: Vec<(String, Option<String>, String)> = ledger
            .groups
            .iter()
            .map(|g| {
                (
                    g.account.clone(),
                    g.supplier.as_ref().map(|s| s.num.clone()),
                    g.net.to_string(),
                )
            })
            .collect();
        let expected = [
            ("6061", Some("EDF"), "300"),
            ("626", Some("ORANGE"), "100.50"),
            ("626", Some("OVH"), "-20"),
        ];
        let expected: Vec<(String, Option<String>, String)> = expected
            .iter()
            .map(|(a, s, n)| (a.to_string(), s.map(str::to_string), n.to_string()))
            .collect();
        assert_eq!(sums, expected);
        // Exclusions win over factors, by account (6061 despite EDF's factor) or by supplier.
        let base = crate::embedded::base().unwrap();
        let plan = plan(&ledger, &mapping, &Counted::default(), false, &base);
        assert!(plan.lines.is_empty());
        let excluded: Vec<&str> = plan
            .excluded
            .iter()
            .map(|l| l.rule.as_ref().unwrap().key.as_str())
            .collect();
        assert_eq!(excluded, ["6061", "ORANGE"]);
        // OVH has no rule: merged into the account line, a net credit.
        assert_eq!(plan.credits.len(), 1);
        assert_eq!(plan.credits[0].group.supplier, None);
        assert_eq!(plan.totals.considered.to_string(), "400.50");
    }
}
