//! Courseware logic the LMS needs to show a course to a learner, without a database or HTTP:
//!
//! - [`video`]: what a `video` block plays and which transcripts it has; SRT/SJSON → WebVTT and
//!   plain text;
//! - [`html`]: Open edX's link rewriting in author HTML (`/static/`, `/course/`, `/jump_to_id/`);
//! - [`structure`]: which children a learner sees (`library_content`, `split_test`,
//!   `conditional`);
//! - [`policy`]: a problem's settings (attempts, due dates, show answer, randomization) with
//!   Open edX's field inheritance, and the rules built on them;
//! - [`grades`]: the course outline with subsection scores and the course grade, as the progress
//!   page shows them.
//!
//! Behaviour was read from edx-platform (`xmodule/capa_block.py`, `xmodule/fields.py`,
//! `xmodule/modulestore/inheritance.py`, `xmodule/video_block/`, `common/djangoapps/static_replace`,
//! `xmodule/conditional_block.py`, `xmodule/split_test_block.py`, `xmodule/item_bank_block.py`,
//! `lms/djangoapps/grades/`) and reimplemented; where SZPoN must differ (no stored random picks),
//! the item says so.
//!
//! Learner state (attempts, scores, poll answers) is the caller's: functions take it as plain
//! values or callbacks, so the web layer decides where it comes from.

pub mod grades;
pub mod html;
pub mod policy;
pub mod structure;
pub mod video;

/// A boolean as XBlock's `Boolean.from_json` reads a string: `true` in any case is true, anything
/// else false. JSON `true`/`false` arrive here as text through [`crate::olx::Block::field`].
pub(crate) fn parse_bool(value: &str) -> bool {
    value.trim().eq_ignore_ascii_case("true")
}

/// An integer as XBlock's `Integer` reads an OLX value: JSON-decoded first, so `"3"` and `3.0`
/// both give 3 (Python's `int()` truncates toward zero); empty means unset.
pub(crate) fn parse_int(value: &str) -> Option<i64> {
    let v = value.trim().trim_matches('"').trim();
    if v.is_empty() {
        return None;
    }
    if let Ok(i) = v.parse::<i64>() {
        return Some(i);
    }
    let f = v.parse::<f64>().ok()?;
    // `as` saturates; out-of-range values are nonsense either way, refuse them.
    (f.is_finite() && f.abs() < 9.0e18).then(|| f.trunc() as i64)
}

/// A float as XBlock's `Float` reads an OLX value; empty or not a number means unset.
pub(crate) fn parse_float(value: &str) -> Option<f64> {
    let v = value.trim().trim_matches('"').trim();
    v.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// Lowercase hex of a SHA-256 digest of the parts, concatenated.
pub(crate) fn sha256_hex(parts: &[&[u8]]) -> String {
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    for p in parts {
        h.update(p);
    }
    hex(&h.finalize())
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// A stable 64-bit number for a learner and some item, for the per-learner choices Open edX makes
/// at random and stores (library picks, experiment groups). Length-prefixed so that
/// `("ab", "c")` and `("a", "bc")` differ.
pub(crate) fn learner_hash(parts: &[&str]) -> u64 {
    use sha2::Digest;
    let mut h = sha2::Sha256::new();
    for p in parts {
        h.update((p.len() as u64).to_le_bytes());
        h.update(p.as_bytes());
    }
    let d = h.finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(&d[..8]);
    u64::from_be_bytes(first)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_like_xblock_fields() {
        assert_eq!(parse_int("3"), Some(3));
        assert_eq!(parse_int(" 3.9 "), Some(3));
        assert_eq!(parse_int("-2.5"), Some(-2));
        assert_eq!(parse_int(""), None);
        assert_eq!(parse_int("null"), None);
        assert_eq!(parse_int("1e30"), None);
        assert_eq!(parse_float("2.5"), Some(2.5));
        assert_eq!(parse_float("NaN"), None);
        assert!(parse_bool("True") && parse_bool("true") && !parse_bool("yes"));
    }

    #[test]
    fn learner_hash_separates_parts() {
        assert_ne!(learner_hash(&["ab", "c"]), learner_hash(&["a", "bc"]));
        assert_eq!(learner_hash(&["x"]), learner_hash(&["x"]));
    }
}
