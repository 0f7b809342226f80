//! `bilan posts`: the 22 posts, their scope and name.

use crate::output::{self, Sink};
use crate::post::{Lang, Post};
use crate::render::grid::Grid;
use anyhow::Result;

pub(crate) fn run(lang: Lang) -> Result<u8> {
    let header = match lang {
        Lang::Fr => ["Poste", "Scope", "Intitulé"],
        Lang::En => ["Post", "Scope", "Name"],
    };
    let rows = Post::all()
        .map(|post| {
            vec![
                post.code().to_string(),
                post.scope().number().to_string(),
                post.name(lang).to_string(),
            ]
        })
        .collect();
    output::write(
        &Sink::Stdout,
        &format!("{}\n", Grid::new(header, rows, 3).table()),
    )?;
    Ok(0)
}
