//! Text encoding detection: UTF-8 (with or without BOM), else Windows-1252.
