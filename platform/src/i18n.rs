//! Translations with Fluent: Polish first, English second.
//!
//! Plural rules come from CLDR through `intl_pluralrules`, so "1 kurs / 2 kursy / 5 kursów" is a
//! property of the `.ftl` files, not of code. Language choice: the user's setting, then the
//! `szpon_lang` cookie, then `Accept-Language`, then Polish.

use std::collections::HashMap;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use serde::Serialize;
use unic_langid::LanguageIdentifier;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    Pl,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Pl, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Pl => "pl",
            Lang::En => "en",
        }
    }

    /// The language's own name, as a language switcher shows it.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::Pl => "Polski",
            Lang::En => "English",
        }
    }

    pub fn parse(s: &str) -> Option<Lang> {
        let primary = s.trim().split(['-', '_']).next()?.to_ascii_lowercase();
        match primary.as_str() {
            "pl" => Some(Lang::Pl),
            "en" => Some(Lang::En),
            _ => None,
        }
    }

    /// Picks the best supported language from an `Accept-Language` header, honouring q-values.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(f32, usize, Lang)> = None;
        for (i, part) in header.split(',').enumerate() {
            let mut pieces = part.split(';');
            let tag = pieces.next().unwrap_or("").trim();
            let q = pieces
                .find_map(|p| p.trim().strip_prefix("q="))
                .and_then(|q| q.parse::<f32>().ok())
                .unwrap_or(1.0);
            if q <= 0.0 {
                continue;
            }
            if let Some(lang) = Lang::parse(tag) {
                // Higher q wins; on a tie the earlier entry wins.
                if best.is_none_or(|(bq, _, _)| q > bq) {
                    best = Some((q, i, lang));
                }
            }
        }
        best.map(|(_, _, l)| l)
    }
}

/// A Fluent source contributed by the kernel, a plugin or a theme.
#[derive(Clone)]
pub struct FtlSource {
    pub lang: Lang,
    pub name: String,
    pub text: String,
}

pub struct I18n {
    bundles: HashMap<Lang, FluentBundle<FluentResource>>,
}

#[derive(Debug, thiserror::Error)]
#[error("translation file {name} ({lang}): {message}")]
pub struct I18nError {
    pub name: String,
    pub lang: &'static str,
    pub message: String,
}

/// A value passed into a message: numbers drive plural selection.
#[derive(Debug, Clone)]
pub enum Arg {
    Str(String),
    Num(f64),
}

impl I18n {
    pub fn new(sources: &[FtlSource]) -> Result<I18n, I18nError> {
        let mut bundles = HashMap::new();
        for lang in Lang::ALL {
            let id: LanguageIdentifier = lang.code().parse().expect("static language tag");
            let mut bundle = FluentBundle::new_concurrent(vec![id]);
            // Unicode isolation marks would end up inside HTML attributes and emails.
            bundle.set_use_isolating(false);
            for s in sources.iter().filter(|s| s.lang == lang) {
                let res =
                    FluentResource::try_new(s.text.clone()).map_err(|(_, errs)| I18nError {
                        name: s.name.clone(),
                        lang: lang.code(),
                        message: format!("{errs:?}"),
                    })?;
                bundle.add_resource(res).map_err(|errs| I18nError {
                    name: s.name.clone(),
                    lang: lang.code(),
                    message: format!("{errs:?}"),
                })?;
            }
            bundles.insert(lang, bundle);
        }
        Ok(I18n { bundles })
    }

    pub fn has(&self, lang: Lang, key: &str) -> bool {
        self.bundles[&lang].has_message(key)
    }

    /// Translates `key`; a missing message falls back to Polish, then to the key itself (so a gap
    /// is visible, never a crash).
    pub fn t(&self, lang: Lang, key: &str, args: &[(&str, Arg)]) -> String {
        let fargs = if args.is_empty() {
            None
        } else {
            let mut fa = FluentArgs::new();
            for (k, v) in args {
                match v {
                    Arg::Str(s) => fa.set(*k, FluentValue::from(s.clone())),
                    Arg::Num(n) => fa.set(*k, FluentValue::from(*n)),
                }
            }
            Some(fa)
        };
        for l in [lang, Lang::Pl] {
            let bundle = &self.bundles[&l];
            let (msg_key, attr) = match key.split_once('.') {
                Some((m, a)) => (m, Some(a)),
                None => (key, None),
            };
            if let Some(msg) = bundle.get_message(msg_key) {
                let pattern = match attr {
                    Some(a) => msg.get_attribute(a).map(|at| at.value()),
                    None => msg.value(),
                };
                if let Some(p) = pattern {
                    let mut errors = vec![];
                    let s = bundle.format_pattern(p, fargs.as_ref(), &mut errors);
                    if !errors.is_empty() {
                        tracing::warn!(key, lang = l.code(), ?errors, "translation error");
                    }
                    return s.into_owned();
                }
            }
        }
        tracing::warn!(key, lang = lang.code(), "missing translation");
        key.to_string()
    }

    /// Every message id defined for a language (to check both languages define the same set).
    pub fn message_ids(sources: &[FtlSource], lang: Lang) -> Vec<String> {
        use fluent_syntax::ast::Entry;
        let mut ids = vec![];
        for s in sources.iter().filter(|s| s.lang == lang) {
            if let Ok(res) = fluent_syntax::parser::parse(s.text.as_str()) {
                for e in res.body {
                    if let Entry::Message(m) = e {
                        ids.push(m.id.name.to_string());
                    }
                }
            }
        }
        ids.sort();
        ids
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn i18n() -> I18n {
        let ftl = |lang, text: &str| FtlSource {
            lang,
            name: "t".into(),
            text: text.into(),
        };
        I18n::new(&[
            ftl(
                Lang::Pl,
                "courses = { $count ->\n    [one] { $count } kurs\n    [few] { $count } kursy\n   *[many] { $count } kursów\n}\nonly-pl = tylko\nbtn = Przycisk\n    .title = Tytuł\n",
            ),
            ftl(
                Lang::En,
                "courses = { $count ->\n    [one] { $count } course\n   *[other] { $count } courses\n}\n",
            ),
        ])
        .unwrap()
    }

    #[test]
    fn polish_plurals() {
        let i = i18n();
        let c = |n: f64, l| i.t(l, "courses", &[("count", Arg::Num(n))]);
        assert_eq!(c(1.0, Lang::Pl), "1 kurs");
        assert_eq!(c(2.0, Lang::Pl), "2 kursy");
        assert_eq!(c(4.0, Lang::Pl), "4 kursy");
        assert_eq!(c(5.0, Lang::Pl), "5 kursów");
        assert_eq!(c(12.0, Lang::Pl), "12 kursów");
        assert_eq!(c(22.0, Lang::Pl), "22 kursy");
        assert_eq!(c(0.0, Lang::Pl), "0 kursów");
        assert_eq!(c(1.0, Lang::En), "1 course");
        assert_eq!(c(5.0, Lang::En), "5 courses");
    }

    #[test]
    fn fallbacks_and_attributes() {
        let i = i18n();
        assert_eq!(i.t(Lang::En, "only-pl", &[]), "tylko");
        assert_eq!(i.t(Lang::En, "nope", &[]), "nope");
        assert_eq!(i.t(Lang::Pl, "btn.title", &[]), "Tytuł");
    }

    #[test]
    fn accept_language() {
        assert_eq!(
            Lang::from_accept_language("en-GB,en;q=0.9,pl;q=0.8"),
            Some(Lang::En)
        );
        assert_eq!(
            Lang::from_accept_language("de-DE, pl;q=0.5, en;q=0.4"),
            Some(Lang::Pl)
        );
        assert_eq!(Lang::from_accept_language("fr, de"), None);
        assert_eq!(Lang::from_accept_language("en;q=0, pl"), Some(Lang::Pl));
        assert_eq!(Lang::parse("PL-pl"), Some(Lang::Pl));
    }
}
