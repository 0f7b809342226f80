//! `bilan posts`: the 22 posts, their scope and name.

use crate::output::{self, Sink};
use crate::post::{Lang, Post};
use anyhow::Result;
use comfy_table::{Table, presets};

pub(crate) fn run(lang: Lang) -> Result<u8> {
    let mut table = Table::new();
    table
        .force_no_tty()
        .load_style(presets::UTF8_FULL_CONDENSED);
    table.set_header(match lang {
        Lang::Fr => ["Poste", "Scope", "Intitulé"],
        Lang::En => ["Post", "Scope", "Name"],
    });
    for post in Post::all() {
        table.add_row([
            post.code().to_string(),
            post.scope().0.to_string(),
            post.name(lang).to_string(),
        ]);
    }
    output::write(&Sink::Stdout, &format!("{table}\n"))?;
    Ok(0)
}
