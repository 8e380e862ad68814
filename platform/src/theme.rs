//! Themes: templates, static assets and translations. The default theme is compiled into the
//! binary (so `szpon serve` works from any directory); `SZPON_THEME_DIR` points at a directory of
//! themes on disk instead, for designers and for institutions' own themes.

use std::collections::HashMap;
use std::path::Path;

use include_dir::{include_dir, Dir};

use crate::i18n::{FtlSource, Lang};

static BUILTIN: Dir<'static> = include_dir!("$CARGO_MANIFEST_DIR/../themes");

pub const DEFAULT_THEME: &str = "default";

#[derive(Default)]
pub struct Theme {
    pub templates: Vec<(String, String)>,
    pub statics: HashMap<String, Vec<u8>>,
    pub locales: Vec<FtlSource>,
}

#[derive(Debug, thiserror::Error)]
pub enum ThemeError {
    #[error("theme {0:?} not found")]
    NotFound(String),
    #[error("cannot read theme file {path}: {message}")]
    Read { path: String, message: String },
}

impl Theme {
    pub fn load(theme_dir: Option<&Path>, name: &str) -> Result<Theme, ThemeError> {
        let mut files: Vec<(String, Vec<u8>)> = Vec::new();
        match theme_dir {
            None => {
                let dir = BUILTIN
                    .get_dir(name)
                    .ok_or_else(|| ThemeError::NotFound(name.into()))?;
                collect_embedded(dir, name, &mut files);
            }
            Some(root) => {
                let base = root.join(name);
                if !base.is_dir() {
                    return Err(ThemeError::NotFound(base.display().to_string()));
                }
                collect_disk(&base, &base, &mut files)?;
            }
        }
        let mut theme = Theme::default();
        for (rel, bytes) in files {
            let text = || {
                String::from_utf8(bytes.clone()).map_err(|_| ThemeError::Read {
                    path: rel.clone(),
                    message: "not UTF-8".into(),
                })
            };
            if let Some(t) = rel.strip_prefix("templates/") {
                theme.templates.push((t.to_string(), text()?));
            } else if let Some(s) = rel.strip_prefix("static/") {
                theme.statics.insert(s.to_string(), bytes);
            } else if let Some(l) = rel.strip_prefix("locales/") {
                if let Some((lang, file)) = l.split_once('/') {
                    if let (Some(lang), true) = (Lang::parse(lang), file.ends_with(".ftl")) {
                        theme.locales.push(FtlSource {
                            lang,
                            name: rel.clone(),
                            text: text()?,
                        });
                    }
                }
            }
        }
        theme.templates.sort();
        theme.locales.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(theme)
    }
}

fn collect_embedded(dir: &Dir<'static>, prefix: &str, out: &mut Vec<(String, Vec<u8>)>) {
    for f in dir.files() {
        let rel = f
            .path()
            .strip_prefix(prefix)
            .unwrap_or(f.path())
            .to_string_lossy()
            .replace('\\', "/");
        out.push((rel, f.contents().to_vec()));
    }
    for d in dir.dirs() {
        collect_embedded(d, prefix, out);
    }
}

fn collect_disk(
    base: &Path,
    dir: &Path,
    out: &mut Vec<(String, Vec<u8>)>,
) -> Result<(), ThemeError> {
    let err = |p: &Path, e: std::io::Error| ThemeError::Read {
        path: p.display().to_string(),
        message: e.to_string(),
    };
    for entry in std::fs::read_dir(dir).map_err(|e| err(dir, e))? {
        let path = entry.map_err(|e| err(dir, e))?.path();
        if path.is_dir() {
            collect_disk(base, &path, out)?;
        } else {
            let rel = path
                .strip_prefix(base)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, std::fs::read(&path).map_err(|e| err(&path, e))?));
        }
    }
    Ok(())
}
