//! The inventory: organisation, period, perimeter, indicators and activity lines, checked and
//! typed, each field keeping where it was written.

use crate::error::Position;
use crate::factor::Factor;
use crate::post::Post;
use crate::uncertainty::Quality;
use rust_decimal::Decimal;
use std::fmt;
use std::sync::Arc;

/// A calendar date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Date {
    /// Year.
    pub year: i32,
    /// Month 1–12.
    pub month: u8,
    /// Day 1–31.
    pub day: u8,
}

impl Default for Date {
    fn default() -> Self {
        Date {
            year: 1970,
            month: 1,
            day: 1,
        }
    }
}

impl Date {
    /// A valid date, or `None`.
    pub fn new(year: i32, month: u8, day: u8) -> Option<Date> {
        let civil = jiff::civil::Date::new(
            i16::try_from(year).ok()?,
            i8::try_from(month).ok()?,
            i8::try_from(day).ok()?,
        )
        .ok()?;
        Some(Date::from(civil))
    }

    /// Reads `YYYY-MM-DD` (ISO 8601: two-digit month and day).
    pub fn parse(text: &str) -> Option<Date> {
        let text = text.trim();
        // jiff also reads `20240105`: a period is written with its dashes.
        if text.len() != 10 {
            return None;
        }
        text.parse::<jiff::civil::Date>().ok().map(Date::from)
    }

    /// Days since 1970-01-01 (proleptic Gregorian).
    pub fn days(self) -> i64 {
        let epoch = jiff::civil::date(1970, 1, 1);
        self.civil()
            .and_then(|d| epoch.until(d).ok())
            .map_or(0, |span| i64::from(span.get_days()))
    }

    fn civil(self) -> Option<jiff::civil::Date> {
        jiff::civil::Date::new(
            i16::try_from(self.year).ok()?,
            i8::try_from(self.month).ok()?,
            i8::try_from(self.day).ok()?,
        )
        .ok()
    }
}

impl From<jiff::civil::Date> for Date {
    fn from(civil: jiff::civil::Date) -> Date {
        Date {
            year: i32::from(civil.year()),
            month: civil.month().unsigned_abs(),
            day: civil.day().unsigned_abs(),
        }
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

/// The reporting period.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Period {
    /// First day.
    pub start: Date,
    /// Last day (inclusive).
    pub end: Date,
}

impl Period {
    /// The period's year: the end's year.
    pub fn year(&self) -> i32 {
        self.end.year
    }

    /// True when the period is exactly twelve months (same day next year, minus one day).
    pub fn is_twelve_months(&self) -> bool {
        let next = Date::new(self.start.year + 1, self.start.month, self.start.day)
            .or_else(|| Date::new(self.start.year + 1, 3, 1));
        next.is_some_and(|n| n.days() - 1 == self.end.days())
    }
}

/// The organisation reported on.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Organisation {
    /// Its name.
    pub name: String,
    /// An identifier such as a SIREN number.
    pub id: Option<String>,
    /// Its SIREN number: 9 digits, Luhn key checked.
    pub siren: Option<String>,
    /// Its activity code (NAF rév. 2 / APE), e.g. `62.02A`.
    pub naf: Option<String>,
}

/// The 9 digits of a SIREN number written with or without spaces, when its last digit is
/// the Luhn key INSEE defines (digits 2, 4, 6, 8 doubled, 9 taken off a double above 9, the
/// sum a multiple of 10); `None` otherwise.
pub fn siren(text: &str) -> Option<String> {
    let digits: String = text
        .chars()
        .filter(|c| *c != ' ' && *c != '\u{a0}')
        .collect();
    if digits.len() != 9 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let sum: u32 = digits
        .bytes()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let double = d * 2;
                if double > 9 { double - 9 } else { double }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10).then_some(digits)
}

/// An activity code of the NAF rév. 2 (the APE code): two digits, a dot, two digits and a
/// capital letter (`62.02A`); also read without the dot or with a small letter, given back
/// as `62.02A`. `None` when it is not of that form.
pub fn naf(text: &str) -> Option<String> {
    let text = text.trim();
    let compact: String = text.chars().filter(|c| *c != '.').collect();
    let dots = text.chars().filter(|c| *c == '.').count();
    let bytes = compact.as_bytes();
    let well_formed = compact.len() == 5
        && bytes.iter().take(4).all(u8::is_ascii_digit)
        && bytes.get(4).is_some_and(u8::is_ascii_alphabetic)
        && (dots == 0 || (dots == 1 && text.find('.') == Some(2)));
    well_formed.then(|| {
        format!(
            "{}.{}{}",
            compact.get(..2).unwrap_or_default(),
            compact.get(2..4).unwrap_or_default(),
            compact.get(4..).unwrap_or_default().to_ascii_uppercase()
        )
    })
}

/// The organisational perimeter (informative).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Perimeter {
    /// operational-control, financial-control or equity-share.
    pub consolidation: Option<String>,
    /// Sites covered.
    pub sites: Vec<String>,
    /// What is left out, stated.
    pub exclusions: Vec<String>,
}

/// An indicator giving an intensity ratio (tCO2e per employee, per M€…).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Indicator {
    /// Its key in the file (`etp`).
    pub key: String,
    /// Its label (`ETP`).
    pub label: String,
    /// Its value.
    pub value: Decimal,
    /// Its unit, if any (`M€`).
    pub unit: Option<String>,
}

/// How certain a quantity is, as the user stated it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Certainty {
    /// A percentage (0.05 for ±5 %).
    Percent(Decimal),
    /// Quality scores.
    Quality(Quality),
}

/// Inventory-wide defaults.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Defaults {
    /// Default activity uncertainty (wins over quality).
    pub uncertainty: Option<Decimal>,
    /// Default activity quality.
    pub quality: Option<Quality>,
}

/// A status declared for a post.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Declared {
    /// The post does not apply, with the reason.
    NotApplicable(String),
    /// Data collection is under way.
    InProgress,
}

/// A post status declaration (`posts: { "1.5": { status: not-applicable, reason: … } }`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PostDeclaration {
    /// The post.
    pub post: Post,
    /// Its declared status.
    pub status: Declared,
    /// Where it is declared.
    pub at: Position,
}

/// Why people travel (passenger transport).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// Business travel → 3.13.
    Business,
    /// Commuting → 3.22.
    Commute,
    /// Visitors and clients → 3.16.
    Visitors,
}

/// Which way goods go (freight).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Direction {
    /// To the organisation → 3.12.
    Upstream,
    /// From the organisation → 3.17.
    Downstream,
}

/// A capital good spread over its life (→ 3.10).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Amortization {
    /// Year acquired.
    pub acquired: i32,
    /// Years of amortisation, ≥ 1.
    pub years: u32,
}

/// The factor a line uses (an empty id by default, which no base holds).
#[derive(Clone, Debug, PartialEq)]
pub enum FactorRef {
    /// An id in the factor bases (shared by the lines naming it).
    Id(Arc<str>),
    /// A factor written in the inventory.
    Inline(Box<Factor>),
}

impl Default for FactorRef {
    fn default() -> Self {
        FactorRef::Id(Arc::from(""))
    }
}

/// Lines computed at once on a core. Loaders that give lines a batch at a time give them in
/// multiples of it, so that each batch is computed whole, on every core.
pub const LINE_CHUNK: usize = 4096;

/// Where the fields of a line were written, for errors: the file once and each field's line
/// and column (a million lines keep 88 bytes each, not seven full positions).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct LinePositions {
    file: Arc<str>,
    line: Place,
    factor: Place,
    market: Place,
    unit: Place,
    purpose: Option<Place>,
    direction: Option<Place>,
    mobile: Option<Place>,
}

/// A line and a column in a file (1-based, 0 when unknown).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
struct Place(u32, u32);

impl Place {
    fn of(position: &Position) -> Place {
        let narrow = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
        Place(narrow(position.line), narrow(position.column))
    }
}

impl LinePositions {
    /// The positions of a line's entry (its file is the line's) and of its fields (the
    /// market factor's unknown, 0:0, when it has none).
    pub fn new(
        line: &Position,
        factor: &Position,
        market: Option<&Position>,
        unit: &Position,
        [purpose, direction, mobile]: [Option<&Position>; 3],
    ) -> LinePositions {
        LinePositions {
            file: Arc::clone(&line.file),
            line: Place::of(line),
            factor: Place::of(factor),
            market: market.map(Place::of).unwrap_or_default(),
            unit: Place::of(unit),
            purpose: purpose.map(Place::of),
            direction: direction.map(Place::of),
            mobile: mobile.map(Place::of),
        }
    }

    fn at(&self, place: Place) -> Position {
        Position {
            file: Arc::clone(&self.file),
            line: u64::from(place.0),
            column: u64::from(place.1),
        }
    }

    /// The line's entry.
    pub fn line(&self) -> Position {
        self.at(self.line)
    }

    /// `factor:`.
    pub fn factor(&self) -> Position {
        self.at(self.factor)
    }

    /// `market_factor:`.
    pub fn market(&self) -> Position {
        self.at(self.market)
    }

    /// `unit:`.
    pub fn unit(&self) -> Position {
        self.at(self.unit)
    }

    /// `purpose:`, when given.
    pub fn purpose(&self) -> Option<Position> {
        self.purpose.map(|p| self.at(p))
    }

    /// `direction:`, when given.
    pub fn direction(&self) -> Option<Position> {
        self.direction.map(|p| self.at(p))
    }

    /// `mobile:`, when given.
    pub fn mobile(&self) -> Option<Position> {
        self.mobile.map(|p| self.at(p))
    }
}

/// One activity line: a quantity of something × a factor.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Line {
    /// Unique id (`line-<n>` by default). Shared with its result, not copied.
    pub id: Arc<str>,
    /// What it is.
    pub label: Arc<str>,
    /// Its factor.
    pub factor: FactorRef,
    /// The quantity, ≥ 0.
    pub quantity: Decimal,
    /// The quantity's unit.
    pub unit: Arc<str>,
    /// Activity data certainty, if stated on the line.
    pub certainty: Option<Certainty>,
    /// An explicit post.
    pub post: Option<Post>,
    /// Passenger transport purpose.
    pub purpose: Option<Purpose>,
    /// Freight direction.
    pub direction: Option<Direction>,
    /// Fuel burnt in vehicles.
    pub mobile: bool,
    /// Capital good amortisation.
    pub amortization: Option<Amortization>,
    /// Waste factor used for the end of life of sold products.
    pub sold_products: bool,
    /// Its direct emissions fall under a regulated emission trading scheme (`ets: true`).
    pub ets: bool,
    /// A flow between entities of the same group (`intragroup: true`): counted when the
    /// entity is computed alone, left out (and listed) when a group is consolidated.
    pub intragroup: bool,
    /// Site tag.
    pub site: Option<String>,
    /// Free tags.
    pub tags: Vec<String>,
    /// What few lines give (factor uncertainty, PCI/PCS, market factor, comment), apart:
    /// `None` when the line gives none of it.
    pub details: Option<Box<LineDetails>>,
    /// Where its fields are.
    pub at: LinePositions,
}

/// The fields few lines give, kept apart so that a million lines do not each carry room for
/// them.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct LineDetails {
    /// An override of the factor's uncertainty.
    pub factor_certainty: Option<Certainty>,
    /// kWh PCI per kWh PCS.
    pub pci_per_pcs: Option<Decimal>,
    /// The supplier-specific or residual-mix factor of an electricity or heat line, for the
    /// market-based scope 2 (the location-based figure stays the Bilan Carbone one).
    pub market_factor: Option<FactorRef>,
    /// Free comment.
    pub comment: Option<String>,
}

impl LineDetails {
    /// These details boxed, or `None` when there are none.
    pub fn boxed(self) -> Option<Box<LineDetails>> {
        (self != LineDetails::default()).then(|| Box::new(self))
    }
}

impl Line {
    /// An override of the factor's uncertainty.
    pub fn factor_certainty(&self) -> Option<Certainty> {
        self.details.as_ref().and_then(|d| d.factor_certainty)
    }

    /// kWh PCI per kWh PCS.
    pub fn pci_per_pcs(&self) -> Option<Decimal> {
        self.details.as_ref().and_then(|d| d.pci_per_pcs)
    }

    /// The market-based scope 2 factor, when given.
    pub fn market_factor(&self) -> Option<&FactorRef> {
        self.details.as_ref().and_then(|d| d.market_factor.as_ref())
    }

    /// The free comment, when given.
    pub fn comment(&self) -> Option<&str> {
        self.details.as_ref().and_then(|d| d.comment.as_deref())
    }
}

/// A checked inventory.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Inventory {
    /// The file it was read from.
    pub file: String,
    /// The organisation.
    pub organisation: Organisation,
    /// The period.
    pub period: Period,
    /// The perimeter.
    pub perimeter: Perimeter,
    /// Indicators, in file order.
    pub indicators: Vec<Indicator>,
    /// Extra factor files, as written (relative to the inventory), with where.
    pub factor_files: Vec<(String, Position)>,
    /// Defaults.
    pub defaults: Defaults,
    /// Post status declarations, in file order.
    pub posts: Vec<PostDeclaration>,
    /// Activity lines, in file order.
    pub lines: Vec<Line>,
    /// Published figures the computation must keep (`published:`).
    pub published: Vec<Published>,
    /// Files whose lines are added (`include:`), as written, with where.
    pub includes: Vec<(String, Position)>,
    /// The action plan (`actions:`), in file order.
    pub actions: Vec<crate::action::Action>,
    /// Warning codes the inventory silences (`allow:`).
    pub allow: Vec<crate::warning::Code>,
    /// Annual price changes the inventory adds to the shipped index (`price_index:`).
    pub price_index: Vec<(i32, Decimal)>,
}

/// A published figure: the computed one must stay within `tolerance` of it (CI locks what was
/// published).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Published {
    /// The post, or `None` for the total.
    pub post: Option<Post>,
    /// The published kgCO2e.
    pub kgco2e: Decimal,
    /// Allowed relative gap (0.005 for 0.5 %).
    pub tolerance: Decimal,
    /// Where it is written.
    pub at: Position,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(Date::parse("2021-02-29"), None);
        assert_eq!(Date::parse("2020-02-29").map(|d| d.day), Some(29));
        assert_eq!(Date::parse("2021-13-01"), None);
        assert_eq!(Date::new(1970, 1, 1).map(Date::days), Some(0));
        assert_eq!(Date::new(2000, 3, 1).map(Date::days), Some(11_017));
    }

    #[test]
    fn twelve_months() {
        let p = |a: &str, b: &str| Period {
            start: Date::parse(a).unwrap(),
            end: Date::parse(b).unwrap(),
        };
        assert!(p("2021-01-01", "2021-12-31").is_twelve_months());
        assert!(p("2021-07-01", "2022-06-30").is_twelve_months());
        assert!(!p("2021-01-01", "2021-06-30").is_twelve_months());
        assert!(p("2020-02-29", "2021-02-28").is_twelve_months());
    }
}

#[cfg(test)]
mod date_tests {
    use super::Date;

    #[test]
    fn dates_are_iso_8601() {
        assert_eq!(
            Date::parse("2024-01-05"),
            Some(Date {
                year: 2024,
                month: 1,
                day: 5
            })
        );
        // Not ISO: ambiguous or mistyped dates are refused, never guessed.
        assert_eq!(Date::parse("2024-1-5"), None);
        assert_eq!(Date::parse("20240105"), None);
        assert_eq!(Date::parse("2023-02-29"), None);
        assert!(Date::parse("2024-02-29").is_some());
        // 2024-01-01 is 19,723 days after 1970-01-01 (54 years, 13 of them leap: 54 × 365 + 13).
        assert_eq!(Date::new(2024, 1, 1).map(Date::days), Some(19_723));
        assert_eq!(Date::new(1970, 1, 1).map(Date::days), Some(0));
    }
}
