//! Synthetic inventories for the benchmarks, drawn from real factors of the embedded base.

use std::fmt::Write as _;

/// Real factor ids of the embedded base with a unit each and what the line needs.
const LINES: [(&str, &str, &str); 8] = [
    ("42513", "kWh", ""),
    ("43443", "k€", ""),
    ("37142", "p.km", "purpose: business"),
    ("43807", "p.km", "purpose: commute"),
    (
        "27002",
        "unité",
        "amortization: { acquired: 2023, years: 5 }",
    ),
    ("34650", "t", ""),
    ("43647", "t.km", "direction: upstream"),
    ("25775", "litre", "mobile: true"),
];

/// `n` lines appended to `text`; `seed` varies the factors and quantities.
pub fn push_lines(text: &mut String, n: usize, seed: usize) {
    for i in 0..n {
        let (factor, unit, extra) = LINES[(i + seed) % LINES.len()];
        let quantity = (i * 31 + seed) % 997 + 1;
        let _ = write!(
            text,
            "  - label: L{i}\n    factor: \"{factor}\"\n    quantity: {quantity}.5\n    unit: {unit}\n"
        );
        if !extra.is_empty() {
            let _ = writeln!(text, "    {extra}");
        }
    }
}

/// A synthetic inventory of `n` lines.
#[allow(dead_code)] // Not every benchmark uses both generators.
pub fn inventory(n: usize) -> String {
    let mut text = String::with_capacity(n * 110 + 200);
    text.push_str("bilan: 1\norganisation: { name: Bench }\nperiod: { year: 2025 }\ndefaults: { uncertainty: 10% }\nlines:\n");
    push_lines(&mut text, n, 0);
    text
}
