//! A new, empty course as Open edX Studio creates one: the same OLX an export of a fresh Open edX
//! course has (`course.xml` pointing at `course/{run}.xml`, the policy and Open edX's default
//! grading policy), read by the ordinary OLX reader and stored as version 1. Going through OLX
//! keeps one path for every course, whether imported or created here.

use xblock_compat::olx::{self, Course, FileData, FileSet};

/// Why a new course cannot be created from the form; each is a Fluent id for the field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Invalid {
    Number,
    Run,
    Title,
    Language,
}

impl Invalid {
    pub fn field(self) -> &'static str {
        match self {
            Self::Number => "number",
            Self::Run => "run",
            Self::Title => "title",
            Self::Language => "language",
        }
    }

    pub fn message(self) -> &'static str {
        match self {
            Self::Number => "studio-error-number",
            Self::Run => "studio-error-run",
            Self::Title => "studio-error-title",
            Self::Language => "studio-error-language",
        }
    }
}

/// A part of a course key: Open edX allows letters, digits and `_ - . ~` (and `:`, which SZPoN
/// leaves out so keys stay readable in URLs), at most 64 characters.
pub fn valid_key_part(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 64
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'~'))
}

/// The languages a course can be declared in.
pub const LANGUAGES: [&str; 2] = ["pl", "en"];

/// Checks the form, all fields at once (so the page can show every error).
pub fn check(number: &str, run: &str, title: &str, language: &str) -> Vec<Invalid> {
    let mut errors = Vec::new();
    if !valid_key_part(number) {
        errors.push(Invalid::Number);
    }
    if !valid_key_part(run) {
        errors.push(Invalid::Run);
    }
    let t = title.trim();
    if t.is_empty() || t.chars().count() > 200 {
        errors.push(Invalid::Title);
    }
    if !LANGUAGES.contains(&language) {
        errors.push(Invalid::Language);
    }
    errors
}

/// Open edX's grading policy for a new course: Homework and Lab (12 each, 2 dropped, 15 %),
/// Midterm (30 %) and Final Exam (40 %), pass at 50 %.
pub const DEFAULT_GRADING_POLICY: &str = r#"{
  "GRADER": [
    {"type": "Homework", "min_count": 12, "drop_count": 2, "short_label": "HW", "weight": 0.15},
    {"type": "Lab", "min_count": 12, "drop_count": 2, "weight": 0.15},
    {"type": "Midterm Exam", "min_count": 1, "drop_count": 0, "short_label": "Midterm", "weight": 0.3},
    {"type": "Final Exam", "min_count": 1, "drop_count": 0, "short_label": "Final", "weight": 0.4}
  ],
  "GRADE_CUTOFFS": {"Pass": 0.5}
}
"#;

fn attr(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('"', "&quot;")
}

/// The course tree of a new empty course. `org` is the key's organisation part (the office's
/// slug); the parts must have passed [`check`].
pub fn new_course(
    org: &str,
    number: &str,
    run: &str,
    title: &str,
    language: &str,
) -> Result<Course, olx::OlxError> {
    let mut set = FileSet::new();
    let file = |s: String| FileData::Bytes(s.into_bytes());
    set.insert(
        "course.xml",
        file(format!(
            "<course url_name=\"{}\" org=\"{}\" course=\"{}\"/>\n",
            attr(run),
            attr(org),
            attr(number)
        )),
    );
    set.insert(
        &format!("course/{run}.xml"),
        file(format!(
            "<course display_name=\"{}\" language=\"{}\"/>\n",
            attr(title.trim()),
            attr(language)
        )),
    );
    set.insert(
        &format!("policies/{run}/policy.json"),
        file(format!("{{\"course/{run}\": {{}}}}\n")),
    );
    set.insert(
        &format!("policies/{run}/grading_policy.json"),
        file(DEFAULT_GRADING_POLICY.to_string()),
    );
    olx::read_files(set)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_parts_follow_open_edx() {
        for ok in ["PZ101", "2026_Z", "a.b-c~d"] {
            assert!(valid_key_part(ok), "{ok}");
        }
        for bad in ["", "a b", "a+b", "a/b", "a:b", "ą", &"x".repeat(65)] {
            assert!(!valid_key_part(bad), "{bad}");
        }
    }

    #[test]
    fn a_new_course_has_its_key_title_language_and_the_default_policy() {
        let c = new_course(
            "urzad-gdansk",
            "RODO1",
            "2027",
            "Ochrona danych & \"RODO\"",
            "pl",
        )
        .unwrap();
        assert_eq!(c.key(), "course-v1:urzad-gdansk+RODO1+2027");
        assert_eq!(c.title(), "Ochrona danych & \"RODO\"");
        assert_eq!(c.root_block().field("language").as_deref(), Some("pl"));
        let policy: serde_json::Value = serde_json::from_str(DEFAULT_GRADING_POLICY).unwrap();
        let weights: f64 = policy["GRADER"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["weight"].as_f64().unwrap())
            .sum();
        assert!((weights - 1.0).abs() < 1e-9);
        assert!(c.warnings.is_empty(), "{:?}", c.warnings);
    }

    #[test]
    fn the_form_reports_every_bad_field() {
        assert_eq!(
            check("", "2027 r", " ", "de"),
            vec![
                Invalid::Number,
                Invalid::Run,
                Invalid::Title,
                Invalid::Language
            ]
        );
        assert!(check("PZ1", "2027", "Kurs", "en").is_empty());
    }
}
