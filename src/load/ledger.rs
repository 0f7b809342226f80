//! Reads a FEC's text (decoded) into a [`Ledger`]: header, dates, exact amounts, opening
//! journals and suppliers, every malformed line reported with its position.

use crate::error::{InputError, InputErrors, Position};
use crate::fec::*;
use crate::inventory::Date;
use rust_decimal::Decimal;
use std::sync::Arc;

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
pub(crate) fn parse_date(text: &str) -> Option<Date> {
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
pub(crate) fn is_opening(code: &str, label: &str) -> bool {
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
