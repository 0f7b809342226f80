//! Purchases from the accounting ledger: a FEC (*fichier des écritures comptables*, the
//! standard 18-column export every French accounting package writes) → net debits per account
//! (and supplier) over a period → inventory lines with monetary factors, through a mapping from
//! the chart of accounts (PCG) to factor ids.
//!
//! Pure: values in, values out. Here the mapping ([`mapping`]), the ledger's values
//! ([`ledger`]) and the planning ([`plan`](mod@plan)); reading a FEC's text is [`crate::load::ledger`]
//! (files: [`crate::load::fec`]), writing the lines and the summary [`crate::render::fec`].

pub mod ledger;
pub mod mapping;
pub mod plan;

pub use ledger::*;
pub use mapping::*;
pub use plan::*;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::{Date, Period};
    use crate::load::ledger::*;
    use crate::render::fec::*;
    use rust_decimal::Decimal;

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
