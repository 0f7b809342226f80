//! Factor search (placeholder until the ranked search lands).
use crate::factor::Factor;

/// Factors whose name contains every word of `query`.
pub fn search<'a>(
    factors: impl Iterator<Item = &'a Factor>,
    query: &str,
    _unit: Option<&str>,
) -> Vec<&'a Factor> {
    let words: Vec<String> = query.split_whitespace().map(crate::text::fold).collect();
    let mut found: Vec<&Factor> = factors
        .filter(|f| {
            let n = crate::text::fold(&f.name);
            words.iter().all(|w| n.contains(w.as_str()))
        })
        .collect();
    found.sort_by(|a, b| a.id.cmp(&b.id));
    found
}
