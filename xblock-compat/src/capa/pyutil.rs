//! Python built-ins whose exact acceptance rules decide CAPA outcomes: `int()`, `float()` and
//! `complex()` of a string (staff answers go through `complex()` before calc), float `repr`,
//! `json.dumps` output, and the `re` syntax translated for the `regex` crate.

use super::calc::Complex;

/// Python's `str.isspace`: Unicode White_Space plus the separators U+001C–U+001F (which
/// Python strips and Rust's `trim` keeps).
pub fn is_py_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// Python's `str.strip()` with no arguments.
pub fn py_strip(s: &str) -> &str {
    s.trim_matches(is_py_space)
}

/// Remove single underscores between digits, as Python's numeric literals allow; `None` when an
/// underscore is misplaced.
fn strip_underscores(s: &str) -> Option<String> {
    if !s.contains('_') {
        return Some(s.to_string());
    }
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == '_' {
            let prev = i.checked_sub(1).map(|p| chars[p]);
            let next = chars.get(i + 1);
            let ok =
                prev.is_some_and(|p| p.is_ascii_digit()) && next.is_some_and(char::is_ascii_digit);
            if !ok {
                return None;
            }
        } else {
            out.push(c);
        }
    }
    Some(out)
}

/// Python `int(s)` (base 10).
pub fn py_int(s: &str) -> Option<i64> {
    let t = s.trim_matches(is_py_space);
    let (neg, digits) = match t.strip_prefix('-') {
        Some(d) => (true, d),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    if digits.is_empty() || digits.starts_with('_') {
        return None;
    }
    let clean = strip_underscores(digits)?;
    if !clean.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let v: i64 = clean.parse().ok()?;
    Some(if neg { -v } else { v })
}

/// Python `float(s)` for a string.
pub fn py_float(s: &str) -> Option<f64> {
    let t = s.trim_matches(is_py_space);
    let body = t.strip_prefix(['+', '-']).unwrap_or(t);
    let lower = body.to_ascii_lowercase();
    if matches!(lower.as_str(), "inf" | "infinity" | "nan") {
        let v = if lower == "nan" {
            f64::NAN
        } else {
            f64::INFINITY
        };
        return Some(if t.starts_with('-') { -v } else { v });
    }
    if body.is_empty()
        || !body
            .chars()
            .all(|c| c.is_ascii_digit() || matches!(c, '.' | 'e' | 'E' | '+' | '-' | '_'))
    {
        return None;
    }
    let clean = strip_underscores(t)?;
    clean.parse::<f64>().ok()
}

/// Python `complex(s)` for a string: `a`, `bj`, `a+bj`, `j`, optionally in parentheses.
pub fn py_complex(s: &str) -> Option<Complex> {
    let mut t = s.trim_matches(is_py_space);
    if let Some(inner) = t.strip_prefix('(').and_then(|x| x.strip_suffix(')')) {
        t = inner.trim_matches(is_py_space);
    }
    if t.is_empty() || t.chars().any(is_py_space) {
        return None;
    }
    let imag_part = |x: &str| -> Option<f64> {
        match x {
            "" | "+" => Some(1.0),
            "-" => Some(-1.0),
            _ => py_float(x),
        }
    };
    if let Some(body) = t.strip_suffix(['j', 'J']) {
        // The split between real and imaginary parts: the last sign not at the start and not
        // right after an exponent marker.
        let bytes = body.as_bytes();
        let split = (1..bytes.len())
            .rev()
            .find(|&i| matches!(bytes[i], b'+' | b'-') && !matches!(bytes[i - 1], b'e' | b'E'));
        match split {
            Some(i) => Some(Complex::new(py_float(&body[..i])?, imag_part(&body[i..])?)),
            None => Some(Complex::new(0.0, imag_part(body)?)),
        }
    } else {
        Some(Complex::real(py_float(t)?))
    }
}

/// Python's `repr(float)`.
pub fn py_float_repr(x: f64) -> String {
    if x.is_nan() {
        return "nan".into();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf".into() } else { "-inf".into() };
    }
    if x == 0.0 {
        return if x.is_sign_negative() {
            "-0.0".into()
        } else {
            "0.0".into()
        };
    }
    let sci = format!("{:e}", x); // shortest round-trip digits, e.g. "-1.2345e-7"
    let (mant, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let neg = mant.starts_with('-');
    let digits: String = mant.chars().filter(char::is_ascii_digit).collect();
    let sign = if neg { "-" } else { "" };
    if (-4..16).contains(&exp) {
        let n = digits.len() as i32;
        if exp >= 0 {
            if n > exp + 1 {
                let (a, b) = digits.split_at((exp + 1) as usize);
                format!("{sign}{a}.{b}")
            } else {
                let zeros = "0".repeat((exp + 1 - n) as usize);
                format!("{sign}{digits}{zeros}.0")
            }
        } else {
            let zeros = "0".repeat((-exp - 1) as usize);
            format!("{sign}0.{zeros}{digits}")
        }
    } else {
        let (a, b) = digits.split_at(1);
        let m = if b.is_empty() {
            a.to_string()
        } else {
            format!("{a}.{b}")
        };
        let esign = if exp < 0 { '-' } else { '+' };
        format!("{sign}{m}e{esign}{:02}", exp.abs())
    }
}

/// A number as Python holds it in a CorrectMap (`npoints` may be an int or a float; json prints
/// them differently).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum PyNum {
    Int(i64),
    Float(f64),
}

impl PyNum {
    pub fn as_f64(self) -> f64 {
        match self {
            PyNum::Int(i) => i as f64,
            PyNum::Float(f) => f,
        }
    }
}

/// Write a JSON value as Python's `json.dumps(v, sort_keys=True)` does: `", "` and `": "`
/// separators, ASCII-only strings, float `repr`s, NaN/Infinity bare.
pub fn py_json(v: &serde_json::Value, out: &mut String) {
    use serde_json::Value;
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            if let Some(i) = n.as_i64() {
                out.push_str(&i.to_string());
            } else if let Some(u) = n.as_u64() {
                out.push_str(&u.to_string());
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                out.push_str(&py_json_float(f));
            }
        }
        Value::String(s) => py_json_str(s, out),
        Value::Array(a) => {
            out.push('[');
            for (i, x) in a.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                py_json(x, out);
            }
            out.push(']');
        }
        Value::Object(m) => {
            let mut keys: Vec<&String> = m.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                py_json_str(k, out);
                out.push_str(": ");
                py_json(&m[k], out);
            }
            out.push('}');
        }
    }
}

/// A float as `json.dumps` writes it.
pub fn py_json_float(f: f64) -> String {
    if f.is_nan() {
        "NaN".into()
    } else if f.is_infinite() {
        if f > 0.0 {
            "Infinity".into()
        } else {
            "-Infinity".into()
        }
    } else {
        py_float_repr(f)
    }
}

pub fn py_json_str(s: &str, out: &mut String) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || (c as u32) > 0x7e => {
                let mut buf = [0u16; 2];
                for u in c.encode_utf16(&mut buf) {
                    out.push_str(&format!("\\u{:04x}", u));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Compile a Python `re` pattern with the `regex` crate.
///
/// Translated: `\Z` → `\z`; a `{` that does not start a quantifier is literal (Python) and is
/// escaped; `{,n}` → `{0,n}`; `[`, `&&`, `--`, `~~` inside a class are literal in Python and
/// escaped. Not supported (a compile error, so Open edX's ResponseError path): backreferences,
/// lookaround, conditionals, `(?L)`/`(?a)`. Python's `$` also matches before a final newline;
/// CAPA strips answers first, so that difference never shows in grading.
pub fn py_regex(pattern: &str, case_insensitive: bool) -> Result<regex::Regex, String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len() + 8);
    let mut i = 0;
    let mut in_class = false;
    let mut class_start = 0usize;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' {
            match chars.get(i + 1) {
                Some('Z') => out.push_str("\\z"),
                Some(&n) => {
                    out.push('\\');
                    out.push(n);
                }
                None => return Err("bad escape (end of pattern)".into()),
            }
            i += 2;
            continue;
        }
        if in_class {
            match c {
                ']' if i > class_start => {
                    in_class = false;
                    out.push(']');
                }
                '[' => out.push_str("\\["),
                '&' | '-' | '~' if chars.get(i + 1) == Some(&c) => {
                    out.push('\\');
                    out.push(c);
                }
                _ => out.push(c),
            }
            i += 1;
            continue;
        }
        match c {
            '[' => {
                in_class = true;
                out.push('[');
                i += 1;
                if chars.get(i) == Some(&'^') {
                    out.push('^');
                    i += 1;
                }
                class_start = i;
                continue;
            }
            '{' => {
                // A quantifier is {m}, {m,}, {m,n} or {,n}.
                let rest: String = chars[i + 1..].iter().take(40).collect();
                if let Some(end) = rest.find('}') {
                    let body = &rest[..end];
                    let valid = match body.split_once(',') {
                        None => !body.is_empty() && body.chars().all(|d| d.is_ascii_digit()),
                        Some((a, b)) => {
                            a.chars().all(|d| d.is_ascii_digit())
                                && b.chars().all(|d| d.is_ascii_digit())
                                && !(a.is_empty() && b.is_empty())
                        }
                    };
                    if valid && !out.is_empty() {
                        if let Some(b) = body.strip_prefix(',') {
                            out.push_str(&format!("{{0,{b}}}"));
                        } else {
                            out.push('{');
                            out.push_str(body);
                            out.push('}');
                        }
                        i += 1 + end + 1;
                        continue;
                    }
                }
                out.push_str("\\{");
            }
            '}' => out.push_str("\\}"),
            _ => out.push(c),
        }
        i += 1;
    }
    regex::RegexBuilder::new(&out)
        .case_insensitive(case_insensitive)
        .size_limit(1 << 22)
        .build()
        .map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_numbers() {
        assert_eq!(py_int(" 3 "), Some(3));
        assert_eq!(py_int("1_0"), Some(10));
        assert_eq!(py_int("1.5"), None);
        assert_eq!(py_float("1e-5"), Some(1e-5));
        assert_eq!(py_float(" .5"), Some(0.5));
        assert_eq!(py_float("1/3"), None);
        assert_eq!(py_complex("1+1j"), Some(Complex::new(1.0, 1.0)));
        assert_eq!(py_complex("(2-j)"), Some(Complex::new(2.0, -1.0)));
        assert_eq!(py_complex("1e-5"), Some(Complex::real(1e-5)));
        assert_eq!(
            py_complex("3.141592653589793e+18").unwrap().re,
            3.141592653589793e18
        );
        assert_eq!(py_complex("x"), None);
        assert_eq!(py_complex("1 + 1j"), None);
    }

    #[test]
    fn float_repr() {
        for (x, s) in [
            (1.0, "1.0"),
            (0.5, "0.5"),
            (1e-5, "1e-05"),
            (1e16, "1e+16"),
            (123456.789, "123456.789"),
            (0.0001, "0.0001"),
            (-2.5e-7, "-2.5e-07"),
            (1e15, "1000000000000000.0"),
        ] {
            assert_eq!(py_float_repr(x), s);
        }
    }

    #[test]
    fn regex_translation() {
        assert!(py_regex("^a{,2}$", false).unwrap().is_match("aa"));
        assert!(py_regex("^{foo}$", false).unwrap().is_match("{foo}"));
        assert!(py_regex("^[[a]+$", false).unwrap().is_match("[a["));
        assert!(py_regex("^(-\\|){2,5}$", true).unwrap().is_match("-|-|"));
        assert!(py_regex("(a)\\1", false).is_err());
    }
}
