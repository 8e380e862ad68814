//! Open edX opaque keys: the identifiers of courses, libraries, blocks and assets, in the exact
//! text forms of the `edx-opaque-keys` Python library.
//!
//! Keys are stored in exports, URLs, gradebooks and event logs of the platform we are compatible
//! with, so the one hard rule here is the round trip: for every string we accept,
//! `key.to_string() == input`. That is why the deprecated forms (`ORG/COURSE/RUN`, `i4x://…`,
//! `/c4x/…`) are remembered as deprecated and printed back in the form they came in.
//!
//! | type           | current form                                    | deprecated form              |
//! |----------------|-------------------------------------------------|------------------------------|
//! | [`CourseKey`]  | `course-v1:ORG+COURSE+RUN`                      | `ORG/COURSE/RUN`             |
//! | [`LibraryKey`] | `library-v1:ORG+LIBRARY`                        | –                            |
//! | [`UsageKey`]   | `block-v1:ORG+COURSE+RUN+type@TYPE+block@ID`    | `i4x://ORG/COURSE/TYPE/ID`   |
//! |                | `lib-block-v1:ORG+LIBRARY+type@TYPE+block@ID`   | –                            |
//! | [`AssetKey`]   | `asset-v1:ORG+COURSE+RUN+type@asset+block@NAME` | `/c4x/ORG/COURSE/asset/NAME` |
//!
//! Character rules (Python `re` with Unicode `\w`, see [`is_word_char`]):
//! * org, course, run, library, block type and current-form block ids: `[\w\-~.:]+`;
//! * asset names (both forms) and `i4x` block ids: `[\w\-~.:%]+`;
//! * org, course and run of deprecated keys: `[\w.%-]+` (the run may be empty in `ORG/COURSE/`).
//!
//! Deliberately not accepted, because they are either unused by the courseware we serve or do
//! not round-trip in opaque-keys itself: split-modulestore `+branch@…`/`+version@…` parts, `i4x`
//! and `c4x` `@revision` suffixes, the `slashes:` namespace (opaque-keys re-prints it as
//! `course-v1:`), and `library-v1:`/`lib-block-v1:` keys with a third (run) part, which
//! opaque-keys silently drops. Blockstore/Learning-Core keys (`lib:…`, `lb:…`) and CCX keys (`ccx-v1:…`) are out of scope.
//! One rule is stricter than opaque-keys: the type in `i4x://` and `/c4x/` keys, which it does not
//! check at all, must follow the block-type rule, so that every block maps to a `block-v1` key.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

/// Why a string or a set of parts is not a valid key. The message names the offending input, so
/// it can be shown as-is in import reports and logs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyError {
    input: String,
    reason: String,
}

impl KeyError {
    fn new(input: &str, reason: impl Into<String>) -> Self {
        KeyError {
            input: input.to_owned(),
            reason: reason.into(),
        }
    }

    /// The rejected key text (for constructors: the key the parts would have made).
    pub fn input(&self) -> &str {
        &self.input
    }

    /// What is wrong with it.
    pub fn reason(&self) -> &str {
        &self.reason
    }
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "invalid Open edX key {:?}: {}", self.input, self.reason)
    }
}

impl std::error::Error for KeyError {}

/// The three character classes opaque-keys uses, all built on Python's Unicode `\w`.
#[derive(Debug, Clone, Copy)]
enum Chars {
    /// `[\w\-~.:]`: `Locator.ALLOWED_ID_CHARS`, for every part of current-form keys.
    Id,
    /// `[\w\-~.:%]`: block ids of `i4x` keys and asset names, which kept `%` from URL-quoting.
    IdOrPercent,
    /// `[\w.%-]`: the pre-opaque-keys `Location` rule, for org/course/run of deprecated keys.
    OldLocation,
}

impl Chars {
    fn allows(self, c: char) -> bool {
        is_word_char(c)
            || match self {
                Chars::Id => matches!(c, '-' | '~' | '.' | ':'),
                Chars::IdOrPercent => matches!(c, '-' | '~' | '.' | ':' | '%'),
                Chars::OldLocation => matches!(c, '-' | '.' | '%'),
            }
    }

    fn describe(self) -> &'static str {
        match self {
            Chars::Id => "letters, digits, '_', '-', '~', '.', ':'",
            Chars::IdOrPercent => "letters, digits, '_', '-', '~', '.', ':', '%'",
            Chars::OldLocation => "letters, digits, '_', '-', '.', '%'",
        }
    }
}

/// Checks one key part: non-empty and every character in `chars`.
fn check_part(input: &str, what: &str, value: &str, chars: Chars) -> Result<(), KeyError> {
    if value.is_empty() {
        return Err(KeyError::new(input, format!("{what} is empty")));
    }
    check_chars(input, what, value, chars)
}

fn check_chars(input: &str, what: &str, value: &str, chars: Chars) -> Result<(), KeyError> {
    match value.chars().find(|&c| !chars.allows(c)) {
        None => Ok(()),
        Some(c) => Err(KeyError::new(
            input,
            format!(
                "{what} {value:?} contains {c:?}, which is not allowed there (allowed: {})",
                chars.describe()
            ),
        )),
    }
}

/// Python 3 `re`'s `\w` on `str` patterns (which is what opaque-keys' `re.UNICODE` regexes use):
/// `_` and every character for which `str.isalnum()` holds, i.e. Unicode letters (`L*`) and
/// numbers (`N*`). Rust's [`char::is_alphanumeric`] also accepts `Other_Alphabetic` characters
/// that are marks or symbols (Devanagari vowel signs, circled letters…), which Python rejects;
/// a table of exactly those is excluded here, so `हिंदी` (with vowel signs) is rejected as it is in
/// Open edX, while `Ωμέγα` and `日本語` are accepted.
pub fn is_word_char(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || c == '_';
    }
    c.is_alphanumeric()
        && NOT_WORD_ALNUM
            .binary_search_by(|&(lo, hi)| {
                if hi < c {
                    Ordering::Less
                } else if lo > c {
                    Ordering::Greater
                } else {
                    Ordering::Equal
                }
            })
            .is_err()
}

/// The asset name Open edX gives a file linked as `/static/PATH` (`StaticContent.compute_location`
/// with `clean_keeping_underscores`): every character outside `[\w.%-]`, `/` included, becomes
/// `_`, one for one (runs are not collapsed, so YouTube-id transcript names stay intact). `%` is
/// kept, so URL-quoted names are not decoded. The caller strips the `/static/` prefix and any
/// leading `/` first, as `get_asset_key_from_path` does; the result may still be empty, which
/// [`CourseKey::make_asset_key`] rejects.
pub fn clean_asset_name(path: &str) -> String {
    path.chars()
        .map(|c| if Chars::OldLocation.allows(c) { c } else { '_' })
        .collect()
}

/// The reason for a string that matches none of the forms a key type accepts.
fn unknown_form(input: &str, expected: &str) -> KeyError {
    let reason = match input.split_once(':') {
        Some((namespace, _)) if !namespace.is_empty() && !namespace.contains('/') => {
            format!("unsupported key type {namespace:?}; expected {expected}")
        }
        _ => format!("not a recognised key form; expected {expected}"),
    };
    KeyError::new(input, reason)
}

/// The `+`-separated body of a `*-v1:` key: plain parts first (org, course, run or library),
/// then `tag@value` parts.
struct V1Body<'a> {
    ids: Vec<&'a str>,
    tags: Vec<(&'a str, &'a str)>,
}

impl<'a> V1Body<'a> {
    fn split(input: &str, body: &'a str) -> Result<Self, KeyError> {
        if body.is_empty() {
            return Err(KeyError::new(input, "nothing after the key type"));
        }
        let mut ids = Vec::new();
        let mut tags = Vec::new();
        for part in body.split('+') {
            if part.is_empty() {
                return Err(KeyError::new(
                    input,
                    "empty part ('+' at the start or end, or two in a row)",
                ));
            }
            match part.split_once('@') {
                Some((tag @ ("branch" | "version"), _)) => {
                    return Err(KeyError::new(
                        input,
                        format!("'+{tag}@…' (split-modulestore branch/version) is not supported"),
                    ));
                }
                Some(tagged) => tags.push(tagged),
                None if tags.is_empty() => ids.push(part),
                None => {
                    return Err(KeyError::new(
                        input,
                        format!("part {part:?} after a 'tag@' part"),
                    ));
                }
            }
        }
        Ok(V1Body { ids, tags })
    }

    /// The plain parts, which must be exactly `N` (`shape` names them for the message).
    fn ids<const N: usize>(&self, input: &str, shape: &str) -> Result<[&'a str; N], KeyError> {
        <[&'a str; N]>::try_from(self.ids.as_slice()).map_err(|_| {
            KeyError::new(
                input,
                format!(
                    "expected {N} '+'-separated parts {shape}, found {}",
                    self.ids.len()
                ),
            )
        })
    }

    fn no_tags(&self, input: &str) -> Result<(), KeyError> {
        match self.tags.first() {
            None => Ok(()),
            Some((tag, _)) => Err(KeyError::new(input, format!("unexpected '+{tag}@…' part"))),
        }
    }

    /// The `type@TYPE+block@ID` tail of a block or asset key.
    fn type_and_block(&self, input: &str) -> Result<(&'a str, &'a str), KeyError> {
        match self.tags.as_slice() {
            [("type", block_type), ("block", block_id)] => Ok((block_type, block_id)),
            tags => {
                let has = |name: &str| tags.iter().any(|(tag, _)| *tag == name);
                let reason = if !has("type") {
                    "missing '+type@<type>'"
                } else if !has("block") {
                    "missing '+block@<id>'"
                } else {
                    "expected exactly '+type@<type>+block@<id>', in that order"
                };
                Err(KeyError::new(input, reason))
            }
        }
    }
}

/// Splits `ORG/COURSE/TYPE/NAME`, the body of `i4x://` and `/c4x/` keys. The name is the whole
/// rest, so a `/` in it is reported as a bad character.
fn split_location<'a>(input: &str, body: &'a str) -> Result<[&'a str; 4], KeyError> {
    let mut parts = body.splitn(4, '/');
    let (Some(org), Some(course), Some(kind), Some(name)) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(KeyError::new(input, "expected ORG/COURSE/TYPE/NAME"));
    };
    if name.contains('@') {
        return Err(KeyError::new(
            input,
            "'@' in the name ('@revision' suffixes are not supported)",
        ));
    }
    Ok([org, course, kind, name])
}

/// A course run. Printed as `course-v1:ORG+COURSE+RUN`, or as `ORG/COURSE/RUN` when it was
/// parsed from (or built as) that deprecated form: courses created before 2014 kept their slash
/// ids forever, and data referring to them must be written back byte for byte.
///
/// A deprecated key may lack its run: `i4x://` and `/c4x/` keys never carried one, and
/// `ORG/COURSE/` (empty run) is valid in opaque-keys. [`CourseKey::run`] is `None` then.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CourseKey {
    org: String,
    course: String,
    /// Empty only in deprecated keys whose run is unknown.
    run: String,
    deprecated: bool,
}

impl CourseKey {
    /// A current-form (`course-v1:`) course key.
    pub fn new(org: &str, course: &str, run: &str) -> Result<Self, KeyError> {
        Self::build(org, course, run, false)
    }

    /// A deprecated `ORG/COURSE/RUN` course key (the run may be empty), for data from old
    /// installations that still uses slash ids.
    pub fn new_deprecated(org: &str, course: &str, run: &str) -> Result<Self, KeyError> {
        Self::build(org, course, run, true)
    }

    fn build(org: &str, course: &str, run: &str, deprecated: bool) -> Result<Self, KeyError> {
        let key = CourseKey {
            org: org.to_owned(),
            course: course.to_owned(),
            run: run.to_owned(),
            deprecated,
        };
        key.validate(&key.to_string())?;
        Ok(key)
    }

    fn validate(&self, input: &str) -> Result<(), KeyError> {
        if self.deprecated {
            check_part(input, "org", &self.org, Chars::OldLocation)?;
            check_part(input, "course", &self.course, Chars::OldLocation)?;
            check_chars(input, "run", &self.run, Chars::OldLocation)
        } else {
            check_part(input, "org", &self.org, Chars::Id)?;
            check_part(input, "course", &self.course, Chars::Id)?;
            check_part(input, "run", &self.run, Chars::Id)
        }
    }

    /// The organisation, e.g. `edX`.
    pub fn org(&self) -> &str {
        &self.org
    }

    /// The course number, e.g. `DemoX`.
    pub fn course(&self) -> &str {
        &self.course
    }

    /// The run, e.g. `Demo_Course`; `None` for a deprecated key that does not know it.
    pub fn run(&self) -> Option<&str> {
        (!self.run.is_empty()).then_some(self.run.as_str())
    }

    /// Whether this key prints in the deprecated slash form (and its blocks as `i4x://`).
    pub fn is_deprecated(&self) -> bool {
        self.deprecated
    }

    /// The key of a block in this course; deprecated courses give `i4x://` keys, as in
    /// opaque-keys.
    pub fn make_usage_key(&self, block_type: &str, block_id: &str) -> Result<UsageKey, KeyError> {
        UsageKey::new(self.clone(), block_type, block_id)
    }

    /// The key of an uploaded file (asset type `asset`) in this course. `name` must already be
    /// an asset name; for a `/static/` path use [`clean_asset_name`] first.
    pub fn make_asset_key(&self, name: &str) -> Result<AssetKey, KeyError> {
        AssetKey::new(self.clone(), "asset", name)
    }

    fn parse_v1_ids(input: &str, body: &V1Body<'_>) -> Result<Self, KeyError> {
        let [org, course, run] = body.ids(input, "ORG+COURSE+RUN")?;
        let key = CourseKey {
            org: org.to_owned(),
            course: course.to_owned(),
            run: run.to_owned(),
            deprecated: false,
        };
        key.validate(input)?;
        Ok(key)
    }

    /// The org/course of an `i4x://` or `/c4x/` key, whose run is unknown.
    fn parse_location_course(input: &str, org: &str, course: &str) -> Result<Self, KeyError> {
        let key = CourseKey {
            org: org.to_owned(),
            course: course.to_owned(),
            run: String::new(),
            deprecated: true,
        };
        key.validate(input)?;
        Ok(key)
    }

    fn expected_forms() -> &'static str {
        "'course-v1:ORG+COURSE+RUN' or the deprecated 'ORG/COURSE/RUN'"
    }
}

impl fmt::Display for CourseKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.deprecated {
            write!(f, "{}/{}/{}", self.org, self.course, self.run)
        } else {
            write!(f, "course-v1:{}+{}+{}", self.org, self.course, self.run)
        }
    }
}

impl FromStr for CourseKey {
    type Err = KeyError;

    fn from_str(s: &str) -> Result<Self, KeyError> {
        if let Some(body) = s.strip_prefix("course-v1:") {
            let body = V1Body::split(s, body)?;
            body.no_tags(s)?;
            return Self::parse_v1_ids(s, &body);
        }
        // opaque-keys falls back to the slash form for anything with exactly two '/'.
        let parts: Vec<&str> = s.split('/').collect();
        if let [org, course, run] = parts.as_slice() {
            let key = CourseKey {
                org: (*org).to_owned(),
                course: (*course).to_owned(),
                run: (*run).to_owned(),
                deprecated: true,
            };
            key.validate(s)?;
            return Ok(key);
        }
        Err(unknown_form(s, Self::expected_forms()))
    }
}

/// A v1 content library (`library-v1:ORG+LIBRARY`), the modulestore libraries used by library
/// content blocks. Never deprecated.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LibraryKey {
    org: String,
    library: String,
}

impl LibraryKey {
    /// A library key from its parts.
    pub fn new(org: &str, library: &str) -> Result<Self, KeyError> {
        let key = LibraryKey {
            org: org.to_owned(),
            library: library.to_owned(),
        };
        key.validate(&key.to_string())?;
        Ok(key)
    }

    fn validate(&self, input: &str) -> Result<(), KeyError> {
        check_part(input, "org", &self.org, Chars::Id)?;
        check_part(input, "library", &self.library, Chars::Id)
    }

    /// The organisation.
    pub fn org(&self) -> &str {
        &self.org
    }

    /// The library code.
    pub fn library(&self) -> &str {
        &self.library
    }

    /// The key of a block in this library (`lib-block-v1:`).
    pub fn make_usage_key(&self, block_type: &str, block_id: &str) -> Result<UsageKey, KeyError> {
        UsageKey::new(self.clone(), block_type, block_id)
    }

    fn parse_v1_ids(input: &str, body: &V1Body<'_>) -> Result<Self, KeyError> {
        let [org, library] = body.ids(input, "ORG+LIBRARY")?;
        let key = LibraryKey {
            org: org.to_owned(),
            library: library.to_owned(),
        };
        key.validate(input)?;
        Ok(key)
    }
}

impl fmt::Display for LibraryKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "library-v1:{}+{}", self.org, self.library)
    }
}

impl FromStr for LibraryKey {
    type Err = KeyError;

    fn from_str(s: &str) -> Result<Self, KeyError> {
        let Some(body) = s.strip_prefix("library-v1:") else {
            return Err(unknown_form(s, "'library-v1:ORG+LIBRARY'"));
        };
        let body = V1Body::split(s, body)?;
        body.no_tags(s)?;
        Self::parse_v1_ids(s, &body)
    }
}

/// What a block lives in: a course run or a v1 library (opaque-keys' `LearningContextKey`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ContextKey {
    /// A course run.
    Course(CourseKey),
    /// A v1 content library.
    Library(LibraryKey),
}

impl ContextKey {
    /// The organisation of the course or library.
    pub fn org(&self) -> &str {
        match self {
            ContextKey::Course(course) => course.org(),
            ContextKey::Library(library) => library.org(),
        }
    }

    /// The course, if this is one.
    pub fn as_course(&self) -> Option<&CourseKey> {
        match self {
            ContextKey::Course(course) => Some(course),
            ContextKey::Library(_) => None,
        }
    }

    /// Whether this is a deprecated (slash-form) course.
    pub fn is_deprecated(&self) -> bool {
        matches!(self, ContextKey::Course(course) if course.deprecated)
    }

    fn validate(&self, input: &str) -> Result<(), KeyError> {
        match self {
            ContextKey::Course(course) => course.validate(input),
            ContextKey::Library(library) => library.validate(input),
        }
    }
}

impl From<CourseKey> for ContextKey {
    fn from(course: CourseKey) -> Self {
        ContextKey::Course(course)
    }
}

impl From<LibraryKey> for ContextKey {
    fn from(library: LibraryKey) -> Self {
        ContextKey::Library(library)
    }
}

impl fmt::Display for ContextKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ContextKey::Course(course) => course.fmt(f),
            ContextKey::Library(library) => library.fmt(f),
        }
    }
}

impl FromStr for ContextKey {
    type Err = KeyError;

    fn from_str(s: &str) -> Result<Self, KeyError> {
        if s.starts_with("library-v1:") {
            return s.parse().map(ContextKey::Library);
        }
        if s.starts_with("course-v1:") || s.split('/').count() == 3 {
            return s.parse().map(ContextKey::Course);
        }
        Err(unknown_form(
            s,
            "'course-v1:ORG+COURSE+RUN', 'library-v1:ORG+LIBRARY' or 'ORG/COURSE/RUN'",
        ))
    }
}

/// A block (XBlock usage) in a course or library. The form follows the context, as in
/// opaque-keys: `block-v1:` in a current course, `lib-block-v1:` in a library, `i4x://` in a
/// deprecated course (whose run `i4x` cannot carry, so [`CourseKey::run`] is `None` after
/// parsing one).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UsageKey {
    context: ContextKey,
    block_type: String,
    block_id: String,
}

impl UsageKey {
    /// A block key from its parts. Block ids may contain `%` only in deprecated courses.
    pub fn new(
        context: impl Into<ContextKey>,
        block_type: &str,
        block_id: &str,
    ) -> Result<Self, KeyError> {
        let key = UsageKey {
            context: context.into(),
            block_type: block_type.to_owned(),
            block_id: block_id.to_owned(),
        };
        key.validate(&key.to_string())?;
        Ok(key)
    }

    /// Maps an old `i4x://ORG/COURSE/TYPE/ID` id (as found in old exports and `jump_to` links)
    /// onto the same block in `course`. The org and course in the `i4x` id are ignored, like
    /// opaque-keys' `map_into_course`, because imported and re-run courses change them.
    pub fn from_i4x_in(course: &CourseKey, s: &str) -> Result<Self, KeyError> {
        if !s.starts_with("i4x://") {
            return Err(KeyError::new(s, "not an 'i4x://ORG/COURSE/TYPE/ID' key"));
        }
        let old: UsageKey = s.parse()?;
        course
            .make_usage_key(&old.block_type, &old.block_id)
            .map_err(|err| KeyError::new(s, format!("cannot map into {course}: {}", err.reason)))
    }

    fn validate(&self, input: &str) -> Result<(), KeyError> {
        self.context.validate(input)?;
        check_part(input, "block type", &self.block_type, Chars::Id)?;
        let id_chars = if self.context.is_deprecated() {
            Chars::IdOrPercent
        } else {
            Chars::Id
        };
        check_part(input, "block id", &self.block_id, id_chars)
    }

    fn parsed(
        input: &str,
        context: ContextKey,
        block_type: &str,
        block_id: &str,
    ) -> Result<Self, KeyError> {
        let key = UsageKey {
            context,
            block_type: block_type.to_owned(),
            block_id: block_id.to_owned(),
        };
        key.validate(input)?;
        Ok(key)
    }

    /// The course or library.
    pub fn context(&self) -> &ContextKey {
        &self.context
    }

    /// The course, if the block is in one.
    pub fn course_key(&self) -> Option<&CourseKey> {
        self.context.as_course()
    }

    /// The XBlock type, e.g. `problem`.
    pub fn block_type(&self) -> &str {
        &self.block_type
    }

    /// The block id (the OLX `url_name`).
    pub fn block_id(&self) -> &str {
        &self.block_id
    }

    /// Whether this key prints as `i4x://`.
    pub fn is_deprecated(&self) -> bool {
        self.context.is_deprecated()
    }
}

impl fmt::Display for UsageKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (block_type, block_id) = (&self.block_type, &self.block_id);
        match &self.context {
            ContextKey::Course(c) if c.deprecated => {
                write!(f, "i4x://{}/{}/{block_type}/{block_id}", c.org, c.course)
            }
            ContextKey::Course(c) => write!(
                f,
                "block-v1:{}+{}+{}+type@{block_type}+block@{block_id}",
                c.org, c.course, c.run
            ),
            ContextKey::Library(l) => write!(
                f,
                "lib-block-v1:{}+{}+type@{block_type}+block@{block_id}",
                l.org, l.library
            ),
        }
    }
}

impl FromStr for UsageKey {
    type Err = KeyError;

    fn from_str(s: &str) -> Result<Self, KeyError> {
        if let Some(body) = s.strip_prefix("block-v1:") {
            let body = V1Body::split(s, body)?;
            let course = CourseKey::parse_v1_ids(s, &body)?;
            let (block_type, block_id) = body.type_and_block(s)?;
            return Self::parsed(s, course.into(), block_type, block_id);
        }
        if let Some(body) = s.strip_prefix("lib-block-v1:") {
            let body = V1Body::split(s, body)?;
            let library = LibraryKey::parse_v1_ids(s, &body)?;
            let (block_type, block_id) = body.type_and_block(s)?;
            return Self::parsed(s, library.into(), block_type, block_id);
        }
        if let Some(body) = s.strip_prefix("i4x://") {
            let [org, course, block_type, block_id] = split_location(s, body)?;
            let course = CourseKey::parse_location_course(s, org, course)?;
            return Self::parsed(s, course.into(), block_type, block_id);
        }
        Err(unknown_form(
            s,
            "'block-v1:ORG+COURSE+RUN+type@TYPE+block@ID', \
             'lib-block-v1:ORG+LIBRARY+type@TYPE+block@ID' or 'i4x://ORG/COURSE/TYPE/ID'",
        ))
    }
}

/// A file uploaded to a course ("Files & Uploads"), or its generated thumbnail. The asset type
/// is `asset` or `thumbnail` in everything Open edX writes; opaque-keys accepts any block-type
/// string there, and so do we, so that foreign keys still round-trip. Printed as `asset-v1:` or,
/// in a deprecated course, as `/c4x/ORG/COURSE/TYPE/NAME`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct AssetKey {
    course: CourseKey,
    asset_type: String,
    path: String,
}

impl AssetKey {
    /// An asset key from its parts; `path` is the asset name (no `/`; `%` allowed).
    pub fn new(course: CourseKey, asset_type: &str, path: &str) -> Result<Self, KeyError> {
        let key = AssetKey {
            course,
            asset_type: asset_type.to_owned(),
            path: path.to_owned(),
        };
        key.validate(&key.to_string())?;
        Ok(key)
    }

    fn validate(&self, input: &str) -> Result<(), KeyError> {
        self.course.validate(input)?;
        check_part(input, "asset type", &self.asset_type, Chars::Id)?;
        check_part(input, "asset name", &self.path, Chars::IdOrPercent)
    }

    fn parsed(
        input: &str,
        course: CourseKey,
        asset_type: &str,
        path: &str,
    ) -> Result<Self, KeyError> {
        let key = AssetKey {
            course,
            asset_type: asset_type.to_owned(),
            path: path.to_owned(),
        };
        key.validate(input)?;
        Ok(key)
    }

    /// The course the file belongs to.
    pub fn course(&self) -> &CourseKey {
        &self.course
    }

    /// `asset` or `thumbnail`.
    pub fn asset_type(&self) -> &str {
        &self.asset_type
    }

    /// The asset name, e.g. `images_course_image.jpg`.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// Whether this key prints as `/c4x/`.
    pub fn is_deprecated(&self) -> bool {
        self.course.deprecated
    }
}

impl fmt::Display for AssetKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let c = &self.course;
        let (asset_type, path) = (&self.asset_type, &self.path);
        if c.deprecated {
            write!(f, "/c4x/{}/{}/{asset_type}/{path}", c.org, c.course)
        } else {
            write!(
                f,
                "asset-v1:{}+{}+{}+type@{asset_type}+block@{path}",
                c.org, c.course, c.run
            )
        }
    }
}

impl FromStr for AssetKey {
    type Err = KeyError;

    fn from_str(s: &str) -> Result<Self, KeyError> {
        if let Some(body) = s.strip_prefix("asset-v1:") {
            let body = V1Body::split(s, body)?;
            let course = CourseKey::parse_v1_ids(s, &body)?;
            let (asset_type, path) = body.type_and_block(s)?;
            return Self::parsed(s, course, asset_type, path);
        }
        if let Some(body) = s.strip_prefix("/c4x/") {
            let [org, course, asset_type, path] = split_location(s, body)?;
            let course = CourseKey::parse_location_course(s, org, course)?;
            return Self::parsed(s, course, asset_type, path);
        }
        Err(unknown_form(
            s,
            "'asset-v1:ORG+COURSE+RUN+type@asset+block@NAME' or '/c4x/ORG/COURSE/asset/NAME'",
        ))
    }
}

/// Characters for which [`char::is_alphanumeric`] is true but Python's `\w` is false: assigned
/// code points (Unicode 16.0) that are `Other_Alphabetic` without being letters or numbers, i.e.
/// combining marks (`Mn`, `Mc`) and the circled/squared letters (`So`). Generated by comparing
/// `char::is_alphanumeric` with the general categories of Unicode 16.0 and checked against
/// Python 3.11's `re` on every code point it knows; regenerate when Rust's Unicode moves on.
/// Code points newer than Unicode 16.0 follow `char::is_alphanumeric`.
#[rustfmt::skip]
const NOT_WORD_ALNUM: &[(char, char)] = &[
    ('\u{345}', '\u{345}'), ('\u{363}', '\u{36f}'), ('\u{5b0}', '\u{5bd}'), ('\u{5bf}', '\u{5bf}'),
    ('\u{5c1}', '\u{5c2}'), ('\u{5c4}', '\u{5c5}'), ('\u{5c7}', '\u{5c7}'), ('\u{610}', '\u{61a}'),
    ('\u{64b}', '\u{657}'), ('\u{659}', '\u{65f}'), ('\u{670}', '\u{670}'), ('\u{6d6}', '\u{6dc}'),
    ('\u{6e1}', '\u{6e4}'), ('\u{6e7}', '\u{6e8}'), ('\u{6ed}', '\u{6ed}'), ('\u{711}', '\u{711}'),
    ('\u{730}', '\u{73f}'), ('\u{7a6}', '\u{7b0}'), ('\u{816}', '\u{817}'), ('\u{81b}', '\u{823}'),
    ('\u{825}', '\u{827}'), ('\u{829}', '\u{82c}'), ('\u{897}', '\u{897}'), ('\u{8d4}', '\u{8df}'),
    ('\u{8e3}', '\u{8e9}'), ('\u{8f0}', '\u{903}'), ('\u{93a}', '\u{93b}'), ('\u{93e}', '\u{94c}'),
    ('\u{94e}', '\u{94f}'), ('\u{955}', '\u{957}'), ('\u{962}', '\u{963}'), ('\u{981}', '\u{983}'),
    ('\u{9be}', '\u{9c4}'), ('\u{9c7}', '\u{9c8}'), ('\u{9cb}', '\u{9cc}'), ('\u{9d7}', '\u{9d7}'),
    ('\u{9e2}', '\u{9e3}'), ('\u{a01}', '\u{a03}'), ('\u{a3e}', '\u{a42}'), ('\u{a47}', '\u{a48}'),
    ('\u{a4b}', '\u{a4c}'), ('\u{a51}', '\u{a51}'), ('\u{a70}', '\u{a71}'), ('\u{a75}', '\u{a75}'),
    ('\u{a81}', '\u{a83}'), ('\u{abe}', '\u{ac5}'), ('\u{ac7}', '\u{ac9}'), ('\u{acb}', '\u{acc}'),
    ('\u{ae2}', '\u{ae3}'), ('\u{afa}', '\u{afc}'), ('\u{b01}', '\u{b03}'), ('\u{b3e}', '\u{b44}'),
    ('\u{b47}', '\u{b48}'), ('\u{b4b}', '\u{b4c}'), ('\u{b56}', '\u{b57}'), ('\u{b62}', '\u{b63}'),
    ('\u{b82}', '\u{b82}'), ('\u{bbe}', '\u{bc2}'), ('\u{bc6}', '\u{bc8}'), ('\u{bca}', '\u{bcc}'),
    ('\u{bd7}', '\u{bd7}'), ('\u{c00}', '\u{c04}'), ('\u{c3e}', '\u{c44}'), ('\u{c46}', '\u{c48}'),
    ('\u{c4a}', '\u{c4c}'), ('\u{c55}', '\u{c56}'), ('\u{c62}', '\u{c63}'), ('\u{c81}', '\u{c83}'),
    ('\u{cbe}', '\u{cc4}'), ('\u{cc6}', '\u{cc8}'), ('\u{cca}', '\u{ccc}'), ('\u{cd5}', '\u{cd6}'),
    ('\u{ce2}', '\u{ce3}'), ('\u{cf3}', '\u{cf3}'), ('\u{d00}', '\u{d03}'), ('\u{d3e}', '\u{d44}'),
    ('\u{d46}', '\u{d48}'), ('\u{d4a}', '\u{d4c}'), ('\u{d57}', '\u{d57}'), ('\u{d62}', '\u{d63}'),
    ('\u{d81}', '\u{d83}'), ('\u{dcf}', '\u{dd4}'), ('\u{dd6}', '\u{dd6}'), ('\u{dd8}', '\u{ddf}'),
    ('\u{df2}', '\u{df3}'), ('\u{e31}', '\u{e31}'), ('\u{e34}', '\u{e3a}'), ('\u{e4d}', '\u{e4d}'),
    ('\u{eb1}', '\u{eb1}'), ('\u{eb4}', '\u{eb9}'), ('\u{ebb}', '\u{ebc}'), ('\u{ecd}', '\u{ecd}'),
    ('\u{f71}', '\u{f83}'), ('\u{f8d}', '\u{f97}'), ('\u{f99}', '\u{fbc}'),
    ('\u{102b}', '\u{1036}'), ('\u{1038}', '\u{1038}'), ('\u{103b}', '\u{103e}'),
    ('\u{1056}', '\u{1059}'), ('\u{105e}', '\u{1060}'), ('\u{1062}', '\u{1064}'),
    ('\u{1067}', '\u{106d}'), ('\u{1071}', '\u{1074}'), ('\u{1082}', '\u{108d}'),
    ('\u{108f}', '\u{108f}'), ('\u{109a}', '\u{109d}'), ('\u{1712}', '\u{1713}'),
    ('\u{1732}', '\u{1733}'), ('\u{1752}', '\u{1753}'), ('\u{1772}', '\u{1773}'),
    ('\u{17b6}', '\u{17c8}'), ('\u{1885}', '\u{1886}'), ('\u{18a9}', '\u{18a9}'),
    ('\u{1920}', '\u{192b}'), ('\u{1930}', '\u{1938}'), ('\u{1a17}', '\u{1a1b}'),
    ('\u{1a55}', '\u{1a5e}'), ('\u{1a61}', '\u{1a74}'), ('\u{1abf}', '\u{1ac0}'),
    ('\u{1acc}', '\u{1ace}'), ('\u{1b00}', '\u{1b04}'), ('\u{1b35}', '\u{1b43}'),
    ('\u{1b80}', '\u{1b82}'), ('\u{1ba1}', '\u{1ba9}'), ('\u{1bac}', '\u{1bad}'),
    ('\u{1be7}', '\u{1bf1}'), ('\u{1c24}', '\u{1c36}'), ('\u{1dd3}', '\u{1df4}'),
    ('\u{24b6}', '\u{24e9}'), ('\u{2de0}', '\u{2dff}'), ('\u{a674}', '\u{a67b}'),
    ('\u{a69e}', '\u{a69f}'), ('\u{a802}', '\u{a802}'), ('\u{a80b}', '\u{a80b}'),
    ('\u{a823}', '\u{a827}'), ('\u{a880}', '\u{a881}'), ('\u{a8b4}', '\u{a8c3}'),
    ('\u{a8c5}', '\u{a8c5}'), ('\u{a8ff}', '\u{a8ff}'), ('\u{a926}', '\u{a92a}'),
    ('\u{a947}', '\u{a952}'), ('\u{a980}', '\u{a983}'), ('\u{a9b4}', '\u{a9bf}'),
    ('\u{a9e5}', '\u{a9e5}'), ('\u{aa29}', '\u{aa36}'), ('\u{aa43}', '\u{aa43}'),
    ('\u{aa4c}', '\u{aa4d}'), ('\u{aa7b}', '\u{aa7d}'), ('\u{aab0}', '\u{aab0}'),
    ('\u{aab2}', '\u{aab4}'), ('\u{aab7}', '\u{aab8}'), ('\u{aabe}', '\u{aabe}'),
    ('\u{aaeb}', '\u{aaef}'), ('\u{aaf5}', '\u{aaf5}'), ('\u{abe3}', '\u{abea}'),
    ('\u{fb1e}', '\u{fb1e}'), ('\u{10376}', '\u{1037a}'), ('\u{10a01}', '\u{10a03}'),
    ('\u{10a05}', '\u{10a06}'), ('\u{10a0c}', '\u{10a0f}'), ('\u{10d24}', '\u{10d27}'),
    ('\u{10d69}', '\u{10d69}'), ('\u{10eab}', '\u{10eac}'), ('\u{10efc}', '\u{10efc}'),
    ('\u{11000}', '\u{11002}'), ('\u{11038}', '\u{11045}'), ('\u{11073}', '\u{11074}'),
    ('\u{11080}', '\u{11082}'), ('\u{110b0}', '\u{110b8}'), ('\u{110c2}', '\u{110c2}'),
    ('\u{11100}', '\u{11102}'), ('\u{11127}', '\u{11132}'), ('\u{11145}', '\u{11146}'),
    ('\u{11180}', '\u{11182}'), ('\u{111b3}', '\u{111bf}'), ('\u{111ce}', '\u{111cf}'),
    ('\u{1122c}', '\u{11234}'), ('\u{11237}', '\u{11237}'), ('\u{1123e}', '\u{1123e}'),
    ('\u{11241}', '\u{11241}'), ('\u{112df}', '\u{112e8}'), ('\u{11300}', '\u{11303}'),
    ('\u{1133e}', '\u{11344}'), ('\u{11347}', '\u{11348}'), ('\u{1134b}', '\u{1134c}'),
    ('\u{11357}', '\u{11357}'), ('\u{11362}', '\u{11363}'), ('\u{113b8}', '\u{113c0}'),
    ('\u{113c2}', '\u{113c2}'), ('\u{113c5}', '\u{113c5}'), ('\u{113c7}', '\u{113ca}'),
    ('\u{113cc}', '\u{113cd}'), ('\u{11435}', '\u{11441}'), ('\u{11443}', '\u{11445}'),
    ('\u{114b0}', '\u{114c1}'), ('\u{115af}', '\u{115b5}'), ('\u{115b8}', '\u{115be}'),
    ('\u{115dc}', '\u{115dd}'), ('\u{11630}', '\u{1163e}'), ('\u{11640}', '\u{11640}'),
    ('\u{116ab}', '\u{116b5}'), ('\u{1171d}', '\u{1172a}'), ('\u{1182c}', '\u{11838}'),
    ('\u{11930}', '\u{11935}'), ('\u{11937}', '\u{11938}'), ('\u{1193b}', '\u{1193c}'),
    ('\u{11940}', '\u{11940}'), ('\u{11942}', '\u{11942}'), ('\u{119d1}', '\u{119d7}'),
    ('\u{119da}', '\u{119df}'), ('\u{119e4}', '\u{119e4}'), ('\u{11a01}', '\u{11a0a}'),
    ('\u{11a35}', '\u{11a39}'), ('\u{11a3b}', '\u{11a3e}'), ('\u{11a51}', '\u{11a5b}'),
    ('\u{11a8a}', '\u{11a97}'), ('\u{11c2f}', '\u{11c36}'), ('\u{11c38}', '\u{11c3e}'),
    ('\u{11c92}', '\u{11ca7}'), ('\u{11ca9}', '\u{11cb6}'), ('\u{11d31}', '\u{11d36}'),
    ('\u{11d3a}', '\u{11d3a}'), ('\u{11d3c}', '\u{11d3d}'), ('\u{11d3f}', '\u{11d41}'),
    ('\u{11d43}', '\u{11d43}'), ('\u{11d47}', '\u{11d47}'), ('\u{11d8a}', '\u{11d8e}'),
    ('\u{11d90}', '\u{11d91}'), ('\u{11d93}', '\u{11d96}'), ('\u{11ef3}', '\u{11ef6}'),
    ('\u{11f00}', '\u{11f01}'), ('\u{11f03}', '\u{11f03}'), ('\u{11f34}', '\u{11f3a}'),
    ('\u{11f3e}', '\u{11f40}'), ('\u{1611e}', '\u{1612e}'), ('\u{16f4f}', '\u{16f4f}'),
    ('\u{16f51}', '\u{16f87}'), ('\u{16f8f}', '\u{16f92}'), ('\u{16ff0}', '\u{16ff1}'),
    ('\u{1bc9e}', '\u{1bc9e}'), ('\u{1e000}', '\u{1e006}'), ('\u{1e008}', '\u{1e018}'),
    ('\u{1e01b}', '\u{1e021}'), ('\u{1e023}', '\u{1e024}'), ('\u{1e026}', '\u{1e02a}'),
    ('\u{1e08f}', '\u{1e08f}'), ('\u{1e947}', '\u{1e947}'), ('\u{1f130}', '\u{1f149}'),
    ('\u{1f150}', '\u{1f169}'), ('\u{1f170}', '\u{1f189}'),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip<K>(s: &str) -> K
    where
        K: FromStr<Err = KeyError> + fmt::Display,
    {
        let key: K = s
            .parse()
            .unwrap_or_else(|err| panic!("{s:?} should parse: {err}"));
        assert_eq!(key.to_string(), s, "round trip");
        key
    }

    fn rejected<K>(s: &str) -> KeyError
    where
        K: FromStr<Err = KeyError> + fmt::Debug,
    {
        match s.parse::<K>() {
            Ok(key) => panic!("{s:?} should be rejected, parsed as {key:?}"),
            Err(err) => {
                assert_eq!(err.input(), s, "the error names the input");
                err
            }
        }
    }

    #[test]
    fn course_keys_round_trip() {
        for s in [
            "course-v1:OpenedX+DemoX+DemoCourse",
            "course-v1:edX+DemoX+Demo_Course",
            "course-v1:mit.eecs+6002x+2014_T2",
            "course-v1:mit.eecs+~6002x+2014_T2",
            "course-v1:mit.eecs+honors.6002x+2014_T2",
            "course-v1:org.dept.sub-prof+course.num.section-4+run.hour.min-99",
            "course-v1:a:b+c:d+e:f",
            "course-v1:ΩmegaX+Ωμέγα+2024_Ⅻ",
            "course-v1:Politechnika+Łódź+zima²",
        ] {
            let key: CourseKey = round_trip(s);
            assert!(!key.is_deprecated());
            assert!(key.run().is_some());
            assert_eq!(round_trip::<ContextKey>(s), ContextKey::Course(key));
        }
        let key: CourseKey = "course-v1:OpenedX+DemoX+DemoCourse".parse().unwrap();
        assert_eq!(
            (key.org(), key.course(), key.run()),
            ("OpenedX", "DemoX", Some("DemoCourse"))
        );
    }

    #[test]
    fn deprecated_course_keys_round_trip() {
        for s in [
            "edX/DemoX/Demo_Course",
            "foo/bar/baz",
            "MITx/6.002x/2012_Fall",
            "org.dept%sub-prof/course.num%section-4/run",
        ] {
            let key: CourseKey = round_trip(s);
            assert!(key.is_deprecated());
            round_trip::<ContextKey>(s);
        }
        // opaque-keys' own test: an empty run is allowed in the deprecated form only.
        let key: CourseKey = round_trip("foo/bar/");
        assert_eq!(key.run(), None);
        rejected::<CourseKey>("course-v1:foo+bar+");
        assert!(CourseKey::new("org", "course", "").is_err());
        assert_eq!(
            CourseKey::new_deprecated("org", "course", "")
                .unwrap()
                .to_string(),
            "org/course/"
        );
    }

    #[test]
    fn deprecated_and_current_forms_are_different_keys() {
        let old: CourseKey = "edX/DemoX/Demo_Course".parse().unwrap();
        let new: CourseKey = "course-v1:edX+DemoX+Demo_Course".parse().unwrap();
        assert_ne!(old, new);
        assert_eq!(
            old,
            CourseKey::new_deprecated("edX", "DemoX", "Demo_Course").unwrap()
        );
        assert_eq!(new, CourseKey::new("edX", "DemoX", "Demo_Course").unwrap());
    }

    #[test]
    fn invalid_course_keys() {
        for s in [
            "",
            "course-v1:",
            "course-v1:/mit.eecs",
            "http:mit.eecs",
            "course-v2:a+b+c",
            "Course-v1:a+b+c",
            "course-v1:a+b",
            "course-v1:a+b+c+d",
            "course-v1:a++c",
            "course-v1:+b+c",
            "course-v1:a+b+c+",
            "course-v1:a+b c+d",
            "course-v1:a+b+c\n",
            "course-v1:a+b+c ",
            " course-v1:a+b+c",
            "course-v1:a+b%20+c",
            "course-v1:a+b+c+type@course+block@course",
            "course-v1:a+b+c+branch@draft",
            "course-v1:a+b+c+version@519665f6223ebd6980884f2b",
            "course-v1:version@519665f6223ebd6980884f2b",
            "slashes:a+b+c",
            "library-v1:TestX+lib1",
            "block-v1:a+b+c+type@problem+block@x",
            // opaque-keys test_invalid_format_location / test_invalid_chars_in_ssck_string
            "org/course/run/foo",
            "org/course",
            "org+course+run+foo",
            "org+course",
            "foo!/bar/baz",
            // '~' and ':' are allowed in current keys but not in the old slash form.
            "o~rg/course/run",
            "org/co:urse/run",
            "/course/run",
            "org//run",
            "course-v1:a/b/c",
        ] {
            rejected::<CourseKey>(s);
        }
        // opaque-keys test_course_constructor_bad_package_id, in every position.
        for bad in [
            " mit.eecs",
            "mit.eecs ",
            "version+mit.eecs",
            "block+black+mit.eecs",
            "mit.ee cs",
            "mit.ee,cs",
            "mit.ee+cs",
            "mit.ee&cs",
            "mit.ee()cs",
            "branch+this",
            "mit.eecs+branch",
            "mit.eecs+branch+this+branch+that",
            "mit.eecs+branch+this+branch",
            "mit.eecs+branch+this ",
            "mit.eecs+branch+th%is ",
        ] {
            assert!(CourseKey::new(bad, "test", "2014_T2").is_err(), "{bad:?}");
            assert!(CourseKey::new("test", bad, "2014_T2").is_err(), "{bad:?}");
            assert!(CourseKey::new("test", "test", bad).is_err(), "{bad:?}");
            rejected::<CourseKey>(&format!("course-v1:test+{bad}+2014_T2"));
        }
    }

    #[test]
    fn error_messages_name_input_and_problem() {
        let err = rejected::<CourseKey>("course-v1:edX+Demo X+run");
        let message = err.to_string();
        assert!(
            message.contains("\"course-v1:edX+Demo X+run\""),
            "{message}"
        );
        assert!(
            message.contains("course \"Demo X\" contains ' '"),
            "{message}"
        );

        let err = rejected::<UsageKey>("block-v1:a+b+c+block@x");
        assert!(err.reason().contains("type@"), "{err}");
        let err = rejected::<CourseKey>("course-v1:a+b+c+branch@draft");
        assert!(err.reason().contains("not supported"), "{err}");
        let err = rejected::<UsageKey>("lb:Org:lib:problem:p1");
        assert!(err.reason().contains("\"lb\""), "{err}");

        let err = CourseKey::new("edX", "", "run").unwrap_err();
        assert_eq!(err.input(), "course-v1:edX++run");
        assert_eq!(err.reason(), "course is empty");
    }

    #[test]
    fn library_keys() {
        for s in [
            "library-v1:OpenedX+DemoLib",
            "library-v1:TestX+lib1",
            "library-v1:TestX+test-problem-bank",
            "library-v1:ΩmegaX+Ωμέγα",
        ] {
            let key: LibraryKey = round_trip(s);
            assert_eq!(round_trip::<ContextKey>(s), ContextKey::Library(key));
        }
        let key = LibraryKey::new("TestX", "test-problem-bank").unwrap();
        assert_eq!((key.org(), key.library()), ("TestX", "test-problem-bank"));
        for s in [
            // opaque-keys test_lib_key_from_invalid_string (with and without the namespace)
            "org/lib/run/foo",
            "org/lib",
            "org+lib+run",
            "library-v1:org+lib+",
            "library-v1:org+lib++branch@library",
            "library-v1:org+ne@t",
            "library-v1:per%ent+sign",
            "library-v1:TestX+LibY\n",
            "library-v1:TestX+LibY ",
            "library-v1:TestX+LibY   \n",
            // opaque-keys drops a third part; we refuse it so that printing is exact.
            "library-v1:org+lib+run",
            "library-v1:org",
            "library-v1:TestX+lib1+version@519665f6223ebd6980884f2b",
            "course-v1:TestX+lib1+run",
        ] {
            rejected::<LibraryKey>(s);
        }
        assert!(LibraryKey::new("!@#{$%^&*}", "lib1").is_err());
        assert!(LibraryKey::new("TestX", "lib+1").is_err());
        assert!(LibraryKey::new("", "lib1").is_err());
        assert!(LibraryKey::new("TestX", "").is_err());
    }

    #[test]
    fn context_keys() {
        for s in ["library-v1:x+y", "course-v1:x+y+z", "x/y/z"] {
            round_trip::<ContextKey>(s);
        }
        for s in ["library-v1:x+y+z", "course-v1:x+y", "x/y", "lib:x:y", "x"] {
            rejected::<ContextKey>(s);
        }
        let library: ContextKey = "library-v1:x+y".parse().unwrap();
        assert_eq!(library.org(), "x");
        assert!(library.as_course().is_none());
        assert!("x/y/z".parse::<ContextKey>().unwrap().is_deprecated());
    }

    #[test]
    fn usage_keys_round_trip() {
        for s in [
            "block-v1:OpenedX+DemoX+DemoCourse+type@vertical+block@vertical_0270f6de40fc",
            "block-v1:edX+DemoX+Demo_Course+type@problem+block@d2e35c1d294b4ba0b3b1048615605d2a",
            "block-v1:edX+DemoX+Demo_Course+type@course+block@course",
            "block-v1:org+course+run+type@category+block@name",
            "block-v1:org.dept.sub-prof+course.num.section-4+run.hour.min-99+type@category+block@name:12.33-44",
            "block-v1:mit.eecs+foo+2014_T2+type@problem+block@problem:with-colon~2",
            "block-v1:a+b+c+type@drag-and-drop-v2+block@x",
        ] {
            let key: UsageKey = round_trip(s);
            assert!(!key.is_deprecated());
        }
        let key: UsageKey =
            "block-v1:edX+DemoX+Demo_Course+type@problem+block@d2e35c1d294b4ba0b3b1048615605d2a"
                .parse()
                .unwrap();
        assert_eq!(key.block_type(), "problem");
        assert_eq!(key.block_id(), "d2e35c1d294b4ba0b3b1048615605d2a");
        assert_eq!(
            key.course_key().unwrap(),
            &CourseKey::new("edX", "DemoX", "Demo_Course").unwrap()
        );
    }

    #[test]
    fn library_usage_keys_round_trip() {
        for s in [
            "lib-block-v1:org+lib+type@category+block@name",
            "lib-block-v1:OpenedX+DemoLib+type@problem+block@d2e35c1d294b4ba0b3b1048615605d2a",
            "lib-block-v1:ΩmegaX+Ωμέγα+type@html+block@html15",
        ] {
            let key: UsageKey = round_trip(s);
            assert!(matches!(key.context(), ContextKey::Library(_)));
            assert!(key.course_key().is_none());
        }
        // opaque-keys test_constructor: parts and string give the same key.
        let library = LibraryKey::new("ΩmegaX", "Ωμέγα").unwrap();
        assert_eq!(
            library.make_usage_key("html", "html15").unwrap(),
            "lib-block-v1:ΩmegaX+Ωμέγα+type@html+block@html15"
                .parse()
                .unwrap()
        );
        // opaque-keys test_constructor_invalid
        for (block_type, block_id) in [
            ("html", ""),
            ("", "html15"),
            ("+$%@", "html15"),
            ("html", "+$%@"),
        ] {
            assert!(
                library.make_usage_key(block_type, block_id).is_err(),
                "{block_type:?} {block_id:?}"
            );
        }
    }

    #[test]
    fn deprecated_usage_keys_round_trip() {
        for s in [
            "i4x://edX/DemoX/problem/abc",
            "i4x://org/course/category/name",
            "i4x://org.dept%sub-prof/course.num%section-4/category/name:12%33-44",
            "i4x://MITx/6.002x/sequential/Week_1:Lab~2",
        ] {
            let key: UsageKey = round_trip(s);
            assert!(key.is_deprecated());
            assert_eq!(key.course_key().unwrap().run(), None);
        }
        let key: UsageKey = "i4x://edX/DemoX/problem/abc".parse().unwrap();
        assert_eq!(key.context().to_string(), "edX/DemoX/");
        assert_eq!((key.block_type(), key.block_id()), ("problem", "abc"));
    }

    #[test]
    fn invalid_usage_keys() {
        for s in [
            "block-v1:a+b+c+block@name",
            "block-v1:a+b+c+type@problem",
            "block-v1:a+b+c+type@problem+block@",
            "block-v1:a+b+c+type@+block@x",
            "block-v1:a+b+c+block@x+type@problem",
            "block-v1:a+b+c+type@problem+block@x+block@y",
            "block-v1:a+b+c+type@problem+foo@x",
            "block-v1:a+b+type@problem+block@x",
            "block-v1:a+b+c+d+type@problem+block@x",
            "block-v1:a+b+c+type@problem+block@x+",
            "block-v1:a+b+c+type@problem+block@x@y",
            "block-v1:a+b+c+type@pro blem+block@x",
            "block-v1:a+b+c+type@problem+block@x%20y",
            "block-v1:a+b+c+type@problem+block@x/y",
            "block-v1:a+b+c+type@problem+block@lab2\n",
            "block-v1:a+b+c+type@problem+block@lab2 ",
            "block-v1:a+b+c+branch@draft+type@problem+block@lab2",
            "block-v1:a+b+c+version@519665f6223ebd6980884f2b+type@problem+block@lab2",
            "Block-v1:a+b+c+type@problem+block@x",
            "block-v2:a+b+c+type@problem+block@x",
            "course-v1:a+b+c",
            "lib-block-v1:org+lib+type@category",
            "lib-block-v1:org+lib+run+type@category+block@name",
            "lib-block-v1:org+lib+type@category+block@name\n",
            "lib-block-v1:org+lib+branch@revision+type@category+block@name",
            // opaque-keys' invalid locations, as strings
            "i4x://org/course/category/name with spaces",
            "i4x://org/course/category/name/with/slashes",
            "i4x://org/course/category/name@revision",
            "i4x://org/course/category/name@more_name",
            "i4x://org/course/category/\u{ae}",
            "i4x://org/course/category/",
            "i4x://org/course/category",
            "i4x://org//category/name",
            "i4x:///course/category/name",
            "i4x://o~rg/course/category/name",
            "i4x://org/course/cat egory/name",
            "i4x:/org/course/category/name",
            "I4X://org/course/category/name",
            "/c4x/org/course/asset/name",
            "lb:Org:lib:problem:p1",
        ] {
            rejected::<UsageKey>(s);
        }
    }

    #[test]
    fn make_usage_key_follows_the_course_form() {
        let course = CourseKey::new("mit.eecs", "6002x", "2014_T2").unwrap();
        let key = course.make_usage_key("problem", "HW3").unwrap();
        assert_eq!(
            key.to_string(),
            "block-v1:mit.eecs+6002x+2014_T2+type@problem+block@HW3"
        );
        assert_eq!(
            key,
            UsageKey::new(course.clone(), "problem", "HW3").unwrap()
        );
        assert!(course.make_usage_key("problem", "a%20b").is_err());

        // A deprecated course gives i4x keys, which cannot carry the run: the string round-trips,
        // the parsed key has no run, as in opaque-keys.
        let old = CourseKey::new_deprecated("org", "course", "run").unwrap();
        let key = old.make_usage_key("category", "name%20x").unwrap();
        assert_eq!(key.to_string(), "i4x://org/course/category/name%20x");
        assert_eq!(key.course_key().unwrap().run(), Some("run"));
        let reparsed: UsageKey = key.to_string().parse().unwrap();
        assert_eq!(reparsed.course_key().unwrap().run(), None);
    }

    #[test]
    fn i4x_ids_map_into_a_course() {
        let course: CourseKey = "course-v1:OpenedX+DemoX+DemoCourse".parse().unwrap();
        let key = UsageKey::from_i4x_in(&course, "i4x://edX/DemoX/problem/abc").unwrap();
        assert_eq!(
            key.to_string(),
            "block-v1:OpenedX+DemoX+DemoCourse+type@problem+block@abc"
        );
        // Org and course of the old id do not matter (re-runs and imports change them).
        let key = UsageKey::from_i4x_in(&course, "i4x://MITx/6.002x/html/intro:page").unwrap();
        assert_eq!(
            key.to_string(),
            "block-v1:OpenedX+DemoX+DemoCourse+type@html+block@intro:page"
        );
        // '%' was allowed in i4x ids but is not in block-v1 ids.
        let err = UsageKey::from_i4x_in(&course, "i4x://edX/DemoX/problem/a%20b").unwrap_err();
        assert_eq!(err.input(), "i4x://edX/DemoX/problem/a%20b");
        for s in [
            "block-v1:edX+DemoX+Demo_Course+type@problem+block@abc",
            "i4x://edX/DemoX/problem/a b",
            "i4x://edX/DemoX/problem",
        ] {
            assert!(UsageKey::from_i4x_in(&course, s).is_err(), "{s:?}");
        }
        // Into a deprecated course the block stays an i4x key, now knowing its run.
        let old = CourseKey::new_deprecated("edX", "DemoX", "Demo_Course").unwrap();
        let key = UsageKey::from_i4x_in(&old, "i4x://edX/DemoX/problem/a%20b").unwrap();
        assert_eq!(key.to_string(), "i4x://edX/DemoX/problem/a%20b");
        assert_eq!(key.course_key(), Some(&old));
    }

    #[test]
    fn asset_keys_round_trip() {
        for s in [
            "asset-v1:OpenedX+DemoX+DemoCourse+type@asset+block@images_course_image.jpg",
            "asset-v1:edX+DemoX+Demo_Course+type@thumbnail+block@images_course_image-jpg.jpg",
            "asset-v1:UOG+cs_34+Cs128+type@asset+block@subs_Introduction%20To%20New.srt.sjson",
            "asset-v1:UOG+cs_34+Cs128+type@asset+block@subs_Introduction~To~New.srt.sjson",
            "asset-v1:UOG+cs_34+Cs128+type@asset+block@subs_Introduction:To:New.srt.sjson",
            "asset-v1:UOG+cs_34+Cs128+type@asset+block@subs_Introduction-To-New.srt.sjson",
            "asset-v1:a+b+c+type@asset+block@zdjęcie.png",
        ] {
            let key: AssetKey = round_trip(s);
            assert!(!key.is_deprecated());
        }
        for s in [
            "/c4x/edX/DemoX/asset/pic.png",
            "/c4x/org/course/asset/path",
            "/c4x/o/c/ct/n",
            "/c4x/edX/DemoX/thumbnail/pic-png.jpg",
            "/c4x/edX/DemoX/asset/subs_%20S2x5jhbWl_o.srt.sjson",
            "/c4x/edX/DemoX/asset/a:b",
        ] {
            let key: AssetKey = round_trip(s);
            assert!(key.is_deprecated());
            assert_eq!(key.course().run(), None);
        }
        let key: AssetKey =
            "asset-v1:OpenedX+DemoX+DemoCourse+type@asset+block@images_course_image.jpg"
                .parse()
                .unwrap();
        assert_eq!(key.asset_type(), "asset");
        assert_eq!(key.path(), "images_course_image.jpg");
        assert_eq!(
            key.course().to_string(),
            "course-v1:OpenedX+DemoX+DemoCourse"
        );
    }

    #[test]
    fn invalid_asset_keys() {
        for s in [
            "asset-v1:a+b+c+type@asset+block@",
            "asset-v1:a+b+c+block@x.png",
            "asset-v1:a+b+c+type@asset",
            "asset-v1:a+b+type@asset+block@x.png",
            "asset-v1:a+b+c+type@asset+block@x y.png",
            "asset-v1:a+b+c+type@asset+block@x/y.png",
            "asset-v1:a+b+c+type@asset+block@x.png\n",
            "asset-v1:a+b+c+branch@draft+type@asset+block@x.png",
            "asset-v1:TestX+lib1+type@asset+block@foo.bar",
            "/c4x/org/course/asset/",
            "/c4x/org/course/asset",
            "/c4x/org/course/asset/a/b",
            "/c4x/org/course/asset/name@rev",
            "/c4x/o~rg/course/asset/name",
            "c4x/org/course/asset/name",
            "/static/images/x.png",
            "i4x://org/course/asset/name",
        ] {
            rejected::<AssetKey>(s);
        }
    }

    #[test]
    fn make_asset_key_follows_the_course_form() {
        let course = CourseKey::new("a", "b", "c").unwrap();
        let key = course
            .make_asset_key("subs_%20S2x5jhbWl_o.srt.sjson")
            .unwrap();
        assert_eq!(
            key.to_string(),
            "asset-v1:a+b+c+type@asset+block@subs_%20S2x5jhbWl_o.srt.sjson"
        );
        assert!(course.make_asset_key("").is_err());
        assert!(course.make_asset_key("a/b.png").is_err());
        let old = CourseKey::new_deprecated("org", "course", "run").unwrap();
        assert_eq!(
            old.make_asset_key("foo.bar").unwrap().to_string(),
            "/c4x/org/course/asset/foo.bar"
        );
        assert!(old.make_asset_key("").is_err());
        let thumbnail = AssetKey::new(course, "thumbnail", "x-png.jpg").unwrap();
        assert_eq!(
            thumbnail.to_string(),
            "asset-v1:a+b+c+type@thumbnail+block@x-png.jpg"
        );
    }

    #[test]
    fn asset_names_are_cleaned_like_open_edx() {
        // Expected values computed with Python 3's re.sub(r"[^\w.%-]", "_", ...).
        for (path, name) in [
            ("images/course_image.jpg", "images_course_image.jpg"),
            ("images/course image.jpg", "images_course_image.jpg"),
            ("ab    fg!@//\\aj", "ab____fg_____aj"),
            ("a:b~c", "a_b_c"),
            ("ab\u{a9}", "ab_"),
            ("zdjęcie (1).png", "zdjęcie__1_.png"),
            ("हिंदी.png", "ह__द_.png"),
            ("%20x+y=z", "%20x_y_z"),
            ("subs_S2x5jhbWl_o.srt.sjson", "subs_S2x5jhbWl_o.srt.sjson"),
            ("", ""),
        ] {
            assert_eq!(clean_asset_name(path), name, "{path:?}");
        }
        let course: CourseKey = "course-v1:OpenedX+DemoX+DemoCourse".parse().unwrap();
        assert_eq!(
            course
                .make_asset_key(&clean_asset_name("images/course_image.jpg"))
                .unwrap()
                .to_string(),
            "asset-v1:OpenedX+DemoX+DemoCourse+type@asset+block@images_course_image.jpg"
        );
    }

    #[test]
    fn word_chars_follow_python() {
        // Python: re.match(r"^[\w\-~.:]+\Z", s) for each of these.
        for (s, ok) in [
            ("abc_XYZ_019", true),
            ("ΩmegaX", true),
            ("Ωμέγα", true),
            ("日本語", true),
            ("Łódź", true),
            ("x²", true),
            ("Ⅻ", true),
            ("हद", true),
            ("हिंदी", false),
            ("Ⓐ", false),
            ("e\u{301}", false),
            ("a b", false),
            ("a\u{a0}b", false),
            ("a©", false),
        ] {
            assert_eq!(s.chars().all(|c| Chars::Id.allows(c)), ok, "{s:?}");
            assert_eq!(CourseKey::new("org", s, "run").is_ok(), ok, "{s:?}");
        }
    }

    #[test]
    fn exclusion_table_is_sorted_and_only_holds_alphanumerics() {
        for pair in NOT_WORD_ALNUM.windows(2) {
            assert!(pair[0].1 < pair[1].0, "{pair:?}");
        }
        for &(lo, hi) in NOT_WORD_ALNUM {
            assert!(lo <= hi);
            assert!(
                lo.is_alphanumeric() && hi.is_alphanumeric(),
                "{lo:?}..{hi:?}"
            );
            assert!(!is_word_char(lo) && !is_word_char(hi));
        }
    }

    #[test]
    fn keys_order_and_hash_as_values() {
        use std::collections::HashSet;
        let a: UsageKey = "block-v1:a+b+c+type@problem+block@x".parse().unwrap();
        let b: UsageKey = "block-v1:a+b+c+type@problem+block@y".parse().unwrap();
        assert!(a < b);
        let set: HashSet<UsageKey> = [a.clone(), a.clone(), b].into_iter().collect();
        assert_eq!(set.len(), 2);
        assert!(set.contains(&a));
    }
}
