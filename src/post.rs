//! The 22 posts of the Bilan Carbone® (posts.md), and the three scopes. Data, in one table.

use std::fmt;

/// A GHG scope: 1 direct, 2 energy indirect, 3 other indirect.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    /// Direct emissions.
    One,
    /// Energy indirect emissions.
    Two,
    /// Other indirect emissions.
    Three,
}

impl Scope {
    /// The three scopes in order.
    pub const ALL: [Scope; 3] = [Scope::One, Scope::Two, Scope::Three];

    /// Its number, 1 to 3.
    pub fn number(self) -> u8 {
        match self {
            Scope::One => 1,
            Scope::Two => 2,
            Scope::Three => 3,
        }
    }

    /// Its place in [`Scope::ALL`], 0 to 2.
    pub fn index(self) -> usize {
        usize::from(self.number() - 1)
    }

    /// The scope numbered `n` (1 to 3).
    pub fn from_number(n: u8) -> Option<Scope> {
        Scope::ALL.get(usize::from(n).checked_sub(1)?).copied()
    }

    /// Its label in `lang`.
    pub fn name(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Scope::One, Lang::Fr) => "Émissions directes",
            (Scope::One, Lang::En) => "Direct emissions",
            (Scope::Two, Lang::Fr) => "Émissions indirectes liées à l'énergie",
            (Scope::Two, Lang::En) => "Energy indirect emissions",
            (Scope::Three, Lang::Fr) => "Autres émissions indirectes",
            (Scope::Three, Lang::En) => "Other indirect emissions",
        }
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.number())
    }
}

/// The language of labels in outputs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Lang {
    /// French (default: the method's language).
    #[default]
    Fr,
    /// English.
    En,
}

/// One of the 22 posts, identified by its index in [`POSTS`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Post(u8);

/// The definition of a post.
pub struct PostInfo {
    /// Its code, `scope.number` (`2.6`).
    pub code: &'static str,
    /// Its scope.
    pub scope: Scope,
    /// French name, as French reports print it.
    pub fr: &'static str,
    /// English name.
    pub en: &'static str,
}

/// The 22 posts in code order.
pub const POSTS: [PostInfo; 22] = [
    post(
        "1.1",
        1,
        "Émissions directes des sources fixes de combustion",
        "Direct emissions from stationary combustion",
    ),
    post(
        "1.2",
        1,
        "Émissions directes des sources mobiles à moteur thermique",
        "Direct emissions from mobile combustion",
    ),
    post(
        "1.3",
        1,
        "Émissions directes des procédés hors énergie",
        "Direct process emissions (non-energy)",
    ),
    post(
        "1.4",
        1,
        "Émissions directes fugitives",
        "Direct fugitive emissions",
    ),
    post(
        "1.5",
        1,
        "Émissions issues de la biomasse (sols et forêts)",
        "Biomass emissions (land and forests)",
    ),
    post(
        "2.6",
        2,
        "Émissions indirectes liées à la consommation d'électricité",
        "Indirect emissions from electricity",
    ),
    post(
        "2.7",
        2,
        "Émissions indirectes liées à la consommation de vapeur, chaleur ou froid",
        "Indirect emissions from steam, heat or cooling",
    ),
    post(
        "3.8",
        3,
        "Émissions liées à l'énergie non incluses dans les postes 1 à 7",
        "Energy-related emissions not in posts 1–7 (upstream)",
    ),
    post(
        "3.9",
        3,
        "Achats de produits ou services",
        "Purchased goods and services",
    ),
    post("3.10", 3, "Immobilisations de biens", "Capital goods"),
    post("3.11", 3, "Déchets", "Waste"),
    post(
        "3.12",
        3,
        "Transport de marchandise amont",
        "Upstream freight",
    ),
    post("3.13", 3, "Déplacements professionnels", "Business travel"),
    post(
        "3.14",
        3,
        "Actifs en leasing amont",
        "Upstream leased assets",
    ),
    post("3.15", 3, "Investissements", "Investments"),
    post(
        "3.16",
        3,
        "Transport des visiteurs et des clients",
        "Visitor and client transport",
    ),
    post(
        "3.17",
        3,
        "Transport de marchandise aval",
        "Downstream freight",
    ),
    post(
        "3.18",
        3,
        "Utilisation des produits vendus",
        "Use of sold products",
    ),
    post(
        "3.19",
        3,
        "Fin de vie des produits vendus",
        "End of life of sold products",
    ),
    post("3.20", 3, "Franchise aval", "Downstream franchises"),
    post("3.21", 3, "Leasing aval", "Downstream leased assets"),
    post(
        "3.22",
        3,
        "Déplacements domicile-travail",
        "Employee commuting",
    ),
];

const fn post(code: &'static str, scope: u8, fr: &'static str, en: &'static str) -> PostInfo {
    PostInfo {
        code,
        scope: match scope {
            1 => Scope::One,
            2 => Scope::Two,
            _ => Scope::Three,
        },
        fr,
        en,
    }
}

impl Post {
    /// Every post in code order.
    pub fn all() -> impl Iterator<Item = Post> {
        (0..POSTS.len())
            .filter_map(|i| u8::try_from(i).ok())
            .map(Post)
    }

    /// The post of this code (`"2.6"`), if any.
    pub fn from_code(code: &str) -> Option<Post> {
        let code = code.trim();
        Post::all().find(|p| p.code() == code)
    }

    /// The post of a code known to exist (used by the rule tables).
    pub(crate) const fn known(index: u8) -> Post {
        Post(index)
    }

    /// Its position in code order, 0..22.
    pub fn index(self) -> usize {
        usize::from(self.0)
    }

    fn info(self) -> &'static PostInfo {
        // Posts are only built from indices into POSTS, so this always finds one.
        POSTS.get(self.index()).unwrap_or(&POSTS[0])
    }

    /// Its code, `"2.6"`.
    pub fn code(self) -> &'static str {
        self.info().code
    }

    /// Its scope.
    pub fn scope(self) -> Scope {
        self.info().scope
    }

    /// Its name in `lang`.
    pub fn name(self, lang: Lang) -> &'static str {
        match lang {
            Lang::Fr => self.info().fr,
            Lang::En => self.info().en,
        }
    }
}

impl fmt::Display for Post {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// Posts by name, for the rule tables.
pub mod codes {
    use super::Post;
    /// 1.1 stationary combustion.
    pub const STATIONARY: Post = Post::known(0);
    /// 1.2 mobile combustion.
    pub const MOBILE: Post = Post::known(1);
    /// 1.3 non-energy processes.
    pub const PROCESS: Post = Post::known(2);
    /// 1.4 fugitive emissions.
    pub const FUGITIVE: Post = Post::known(3);
    /// 1.5 biomass (land and forests).
    pub const BIOMASS: Post = Post::known(4);
    /// 2.6 electricity.
    pub const ELECTRICITY: Post = Post::known(5);
    /// 2.7 steam, heat, cooling.
    pub const HEAT: Post = Post::known(6);
    /// 3.8 upstream energy.
    pub const UPSTREAM_ENERGY: Post = Post::known(7);
    /// 3.9 purchases.
    pub const PURCHASES: Post = Post::known(8);
    /// 3.10 capital goods.
    pub const CAPITAL_GOODS: Post = Post::known(9);
    /// 3.11 waste.
    pub const WASTE: Post = Post::known(10);
    /// 3.12 upstream freight.
    pub const FREIGHT_UPSTREAM: Post = Post::known(11);
    /// 3.13 business travel.
    pub const BUSINESS_TRAVEL: Post = Post::known(12);
    /// 3.16 visitors.
    pub const VISITORS: Post = Post::known(15);
    /// 3.17 downstream freight.
    pub const FREIGHT_DOWNSTREAM: Post = Post::known(16);
    /// 3.19 end of life of sold products.
    pub const END_OF_LIFE: Post = Post::known(18);
    /// 3.22 commuting.
    pub const COMMUTING: Post = Post::known(21);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twenty_two_posts_in_code_order() {
        let codes: Vec<&str> = Post::all().map(Post::code).collect();
        assert_eq!(codes.len(), 22);
        assert_eq!(codes.first(), Some(&"1.1"));
        assert_eq!(codes.last(), Some(&"3.22"));
        assert_eq!(Post::from_code("3.10").map(Post::index), Some(9));
        assert_eq!(Post::from_code("3.23"), None);
        assert_eq!(Post::from_code("2.6").map(|p| p.scope()), Some(Scope::Two));
    }

    #[test]
    fn named_codes_match_the_table() {
        assert_eq!(codes::ELECTRICITY.code(), "2.6");
        assert_eq!(codes::UPSTREAM_ENERGY.code(), "3.8");
        assert_eq!(codes::CAPITAL_GOODS.code(), "3.10");
        assert_eq!(codes::WASTE.code(), "3.11");
        assert_eq!(codes::FREIGHT_UPSTREAM.code(), "3.12");
        assert_eq!(codes::BUSINESS_TRAVEL.code(), "3.13");
        assert_eq!(codes::VISITORS.code(), "3.16");
        assert_eq!(codes::FREIGHT_DOWNSTREAM.code(), "3.17");
        assert_eq!(codes::END_OF_LIFE.code(), "3.19");
        assert_eq!(codes::COMMUTING.code(), "3.22");
    }
}
