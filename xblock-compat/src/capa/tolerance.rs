//! `compare_with_tolerance`, as edx-platform's `xmodule/capa/util.py` defines it (reimplemented,
//! not copied):
//!
//! ```text
//! compare_with_tolerance(student, instructor, tolerance='0.001%', relative_tolerance=False)
//!   if tolerance is a string:
//!       if tolerance == '0.001%': relative = True          # only this exact string
//!       if it ends with '%': t = calc(tolerance[:-1]) * 0.01; if not relative: t *= |instructor|
//!       else:                t = calc(tolerance)
//!   if relative: t *= max(|student|, |instructor|)
//!   if student or instructor is infinite (either part): return student == instructor
//!   if both imaginary parts are 0:
//!       if either real part is NaN: return False
//!       return |Decimal(str(s.real)) - Decimal(str(i.real))| <= Decimal(str(t))
//!   else: return |s - i| <= t                               # complex modulus, in floats
//! ```
//!
//! The real comparison is decimal: each float is read as the shortest decimal that round-trips
//! (Python's `str(float)`; Rust's `{:e}` produces the same digits), the difference is computed
//! in decimal and rounded to 28 significant digits half-even (Python's default `Decimal`
//! context), and compared exactly. So `100.01` is within `0.01` of `100.0` although in binary
//! floating point it is not.
//!
//! Tolerance strings are evaluated with [`calc`](super::calc) (so `"1/3"`, `"5%"`,
//! `"sqrt(2)%"` work; `""` is NaN). Python raises when a tolerance does not evaluate, when a
//! complex tolerance is actually compared with (not when an infinity or NaN answers first), when
//! a NaN tolerance meets the decimal comparison (`decimal.InvalidOperation`), and when a modulus
//! of finite parts overflows; the `try_*` functions return those as [`ToleranceError`],
//! [`compare_with_tolerance`] answers `false`.
//!
//! Checked against the Python function on 20,000 random cases (values, tolerance strings,
//! relative flag): all agree except a CPython quirk we do not copy: `abs()` of a complex with a
//! NaN part leaves a stale `errno`, so right after evaluating e.g. the tolerance `"1e999"`
//! Python raises `OverflowError` where this answers `false`. An integer tolerance beyond 2^53 is
//! compared as the nearest float (Python: exactly).

use std::cmp::Ordering;

use super::calc::{evaluator, CalcError, Complex, Number};

/// Open edX's `default_tolerance`; this exact string also forces a relative comparison.
pub const DEFAULT_TOLERANCE: &str = "0.001%";

/// A parsed tolerance string.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Tolerance {
    /// A plain number (`"0.01"`, `"1/3"`), or a tolerance given as a number.
    Absolute(f64),
    /// `"5%"`: the number before `%` (5.0), taken ×0.01 of the instructor's value, or of
    /// `max(|student|, |instructor|)` when the comparison is relative.
    Percent(f64),
}

/// Why Open edX would raise instead of answering.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ToleranceError {
    /// The tolerance string does not evaluate.
    #[error("invalid tolerance: {0}")]
    Calc(#[from] CalcError),
    /// The tolerance evaluates to a complex number (and is compared with).
    #[error("invalid tolerance: a complex number")]
    Complex,
    /// A NaN tolerance in a real (decimal) comparison: `decimal.InvalidOperation`.
    #[error("invalid tolerance: NaN cannot be compared")]
    Nan,
    /// Python's `OverflowError: absolute value too large`.
    #[error("absolute value too large")]
    Overflow,
}

impl Tolerance {
    /// Parse a tolerance string the way `compare_with_tolerance` does (no stripping: Numerical-
    /// and FormulaResponse strip the attribute first; `"10% "` is the absolute number 0.1).
    pub fn parse(tolerance: &str) -> Result<Self, ToleranceError> {
        let real = |n: Number| match n {
            Number::Int(i) => Ok(i as f64),
            Number::Float(f) => Ok(f),
            Number::Complex(_) => Err(ToleranceError::Complex),
        };
        match tolerance.strip_suffix('%') {
            Some(p) => Ok(Tolerance::Percent(real(evaluator(&[], &[], p, false)?)?)),
            None => Ok(Tolerance::Absolute(real(evaluator(
                &[],
                &[],
                tolerance,
                false,
            )?)?)),
        }
    }
}

/// `compare_with_tolerance(student, instructor, tolerance, relative)`; `false` where Open edX
/// would raise (see [`try_compare_with_tolerance`]).
pub fn compare_with_tolerance(
    student: impl Into<Complex>,
    instructor: impl Into<Complex>,
    tolerance: &str,
    relative: bool,
) -> bool {
    try_compare_with_tolerance(student, instructor, tolerance, relative).unwrap_or(false)
}

/// `compare_with_tolerance` with a tolerance string, reporting what Python would raise.
pub fn try_compare_with_tolerance(
    student: impl Into<Complex>,
    instructor: impl Into<Complex>,
    tolerance: &str,
    relative: bool,
) -> Result<bool, ToleranceError> {
    let relative = relative || tolerance == DEFAULT_TOLERANCE;
    let (percent, text) = match tolerance.strip_suffix('%') {
        Some(p) => (true, p),
        None => (false, tolerance),
    };
    let value = evaluator(&[], &[], text, false)?;
    compare(student.into(), instructor.into(), value, percent, relative)
}

/// `compare_with_tolerance` with a tolerance given as a number (Python passing a float).
pub fn try_compare_with_numeric_tolerance(
    student: impl Into<Complex>,
    instructor: impl Into<Complex>,
    tolerance: f64,
    relative: bool,
) -> Result<bool, ToleranceError> {
    compare_with_parsed_tolerance(
        student,
        instructor,
        Tolerance::Absolute(tolerance),
        relative,
    )
}

/// The comparison proper. `relative` is the final flag: the string form sets it for
/// [`DEFAULT_TOLERANCE`] before calling this.
pub fn compare_with_parsed_tolerance(
    student: impl Into<Complex>,
    instructor: impl Into<Complex>,
    tolerance: Tolerance,
    relative: bool,
) -> Result<bool, ToleranceError> {
    let (value, percent) = match tolerance {
        Tolerance::Absolute(t) => (t, false),
        Tolerance::Percent(p) => (p, true),
    };
    compare(
        student.into(),
        instructor.into(),
        Number::Float(value),
        percent,
        relative,
    )
}

/// The comparison with the tolerance as calc returned it: a complex tolerance is only an error
/// where Python uses it (after the infinity and NaN exits).
fn compare(
    s: Complex,
    i: Complex,
    tolerance: Number,
    percent: bool,
    relative: bool,
) -> Result<bool, ToleranceError> {
    let is_complex = tolerance.is_complex();
    let mut t = tolerance.to_complex();
    if percent {
        t = t.py_scale(0.01);
        if !relative {
            t = t.py_scale(modulus(i)?);
        }
    }
    if relative {
        t = t.py_scale(python_max(modulus(s)?, modulus(i)?));
    }
    if s.is_infinite() || i.is_infinite() {
        return Ok(s == i);
    }
    if s.im == 0.0 && i.im == 0.0 {
        if s.re.is_nan() || i.re.is_nan() {
            return Ok(false);
        }
        if is_complex {
            return Err(ToleranceError::Complex); // Decimal(str(complex))
        }
        if t.re.is_nan() {
            return Err(ToleranceError::Nan);
        }
        return Ok(decimal_within(s.re, i.re, t.re));
    }
    if is_complex {
        return Err(ToleranceError::Complex); // float <= complex
    }
    Ok(modulus(s - i)? <= t.re)
}

trait PyScale {
    fn py_scale(self, k: f64) -> Self;
}

impl PyScale for Complex {
    /// Python's `complex * float` (the float taken as `complex(k, 0)`).
    fn py_scale(self, k: f64) -> Complex {
        if self.im == 0.0 {
            // A real tolerance stays a float: `t * k`.
            return Complex::new(self.re * k, self.im);
        }
        self * Complex::real(k)
    }
}

/// Python's `abs(complex)`: raises when the modulus of finite parts overflows.
fn modulus(z: Complex) -> Result<f64, ToleranceError> {
    let m = z.abs();
    if m.is_infinite() && z.is_finite() {
        return Err(ToleranceError::Overflow);
    }
    Ok(m)
}

/// Python's `max(a, b)`: `b` only if `b > a` (so a NaN first argument wins).
fn python_max(a: f64, b: f64) -> f64 {
    if b > a {
        b
    } else {
        a
    }
}

/// `|Decimal(str(s)) - Decimal(str(i))| <= Decimal(str(t))` for finite `s`, `i` and non-NaN `t`.
fn decimal_within(s: f64, i: f64, t: f64) -> bool {
    if t.is_infinite() {
        return t > 0.0;
    }
    let diff = Dec::from_f64(s).sub(&Dec::from_f64(i)).round(28);
    let tol = Dec::from_f64(t);
    if tol.negative && !tol.is_zero() {
        return false;
    }
    diff.cmp_magnitude(&tol) != Ordering::Greater
}

/// An exact decimal: `(-1)^negative × digits × 10^exp`, digits most significant first, without
/// leading zeros (empty for zero).
#[derive(Clone, Debug, PartialEq)]
struct Dec {
    negative: bool,
    digits: Vec<u8>,
    exp: i32,
}

impl Dec {
    /// The shortest round-trip decimal of a finite float (Python's `repr`).
    fn from_f64(x: f64) -> Dec {
        let text = format!("{:e}", x.abs());
        let (mantissa, exp) = text.split_once('e').expect("{:e} has an exponent");
        let exp: i32 = exp.parse().expect("{:e} exponent");
        let fraction_len = mantissa.split_once('.').map_or(0, |(_, f)| f.len()) as i32;
        let digits = mantissa
            .bytes()
            .filter(u8::is_ascii_digit)
            .map(|b| b - b'0')
            .collect();
        Dec {
            negative: x.is_sign_negative(),
            digits,
            exp: exp - fraction_len,
        }
        .normalized()
    }

    fn normalized(mut self) -> Dec {
        let lead = self.digits.iter().take_while(|d| **d == 0).count();
        self.digits.drain(..lead);
        self
    }

    fn is_zero(&self) -> bool {
        self.digits.is_empty()
    }

    /// The digits scaled to exponent `exp` (≤ `self.exp`).
    fn scaled(&self, exp: i32) -> Vec<u8> {
        let mut v = self.digits.clone();
        v.resize(v.len() + (self.exp - exp) as usize, 0);
        v
    }

    /// `self - other`, exactly.
    fn sub(&self, other: &Dec) -> Dec {
        let exp = self.exp.min(other.exp);
        let (a, b) = (self.scaled(exp), other.scaled(exp));
        let b_negative = !other.negative;
        let (negative, digits) = if self.negative == b_negative {
            (self.negative, add_digits(&a, &b))
        } else {
            match cmp_digits(&a, &b) {
                Ordering::Less => (b_negative, sub_digits(&b, &a)),
                _ => (self.negative, sub_digits(&a, &b)),
            }
        };
        Dec {
            negative,
            digits,
            exp,
        }
        .normalized()
    }

    /// Rounded to `precision` significant digits, half to even.
    fn round(mut self, precision: usize) -> Dec {
        if self.digits.len() <= precision {
            return self;
        }
        let dropped = self.digits.split_off(precision);
        self.exp += dropped.len() as i32;
        let round_up = match dropped[0].cmp(&5) {
            Ordering::Greater => true,
            Ordering::Less => false,
            Ordering::Equal => {
                dropped[1..].iter().any(|d| *d != 0)
                    || self.digits.last().is_some_and(|d| d % 2 == 1)
            }
        };
        if round_up {
            self.digits = add_digits(&self.digits, &[1]);
        }
        self.normalized()
    }

    fn cmp_magnitude(&self, other: &Dec) -> Ordering {
        let exp = self.exp.min(other.exp);
        cmp_digits(&self.scaled(exp), &other.scaled(exp))
    }
}

fn strip(v: &[u8]) -> &[u8] {
    let lead = v.iter().take_while(|d| **d == 0).count();
    &v[lead..]
}

fn cmp_digits(a: &[u8], b: &[u8]) -> Ordering {
    let (a, b) = (strip(a), strip(b));
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

fn add_digits(a: &[u8], b: &[u8]) -> Vec<u8> {
    let n = a.len().max(b.len());
    let mut out = vec![0u8; n + 1];
    let mut carry = 0u8;
    for k in 0..n {
        let da = if k < a.len() { a[a.len() - 1 - k] } else { 0 };
        let db = if k < b.len() { b[b.len() - 1 - k] } else { 0 };
        let s = da + db + carry;
        out[n - k] = s % 10;
        carry = s / 10;
    }
    out[0] = carry;
    out
}

/// `a - b` for `a >= b`.
fn sub_digits(a: &[u8], b: &[u8]) -> Vec<u8> {
    let mut out = vec![0u8; a.len()];
    let mut borrow = 0i8;
    for k in 0..a.len() {
        let da = a[a.len() - 1 - k] as i8;
        let db = if k < b.len() {
            b[b.len() - 1 - k] as i8
        } else {
            0
        };
        let mut d = da - db - borrow;
        borrow = 0;
        if d < 0 {
            d += 10;
            borrow = 1;
        }
        out[a.len() - 1 - k] = d as u8;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cases() -> serde_json::Value {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../shared/capa/tolerance_cases.json"
        );
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        serde_json::from_str(&text).expect("tolerance_cases.json")
    }

    fn number(v: &serde_json::Value) -> Complex {
        match v {
            serde_json::Value::Number(n) => Complex::real(n.as_f64().unwrap()),
            serde_json::Value::String(s) => match s.as_str() {
                "inf" => Complex::real(f64::INFINITY),
                "-inf" => Complex::real(f64::NEG_INFINITY),
                "nan" => Complex::real(f64::NAN),
                other => panic!("unknown number {other}"),
            },
            serde_json::Value::Object(o) => {
                Complex::new(o["re"].as_f64().unwrap(), o["im"].as_f64().unwrap())
            }
            other => panic!("unknown number {other}"),
        }
    }

    #[test]
    fn all_tolerance_cases() {
        let data = cases();
        let cases = data["cases"].as_array().expect("cases");
        assert!(cases.len() >= 37, "{} cases", cases.len());
        let mut failures = Vec::new();
        for (k, case) in cases.iter().enumerate() {
            let student = number(&case["student"]);
            let instructor = number(&case["instructor"]);
            let relative = case["relative_tolerance"].as_bool().unwrap();
            let expected = case["expected"].as_bool().unwrap();
            let got = if case["tolerance_is_string"].as_bool().unwrap() {
                let t = case["tolerance"].as_str().unwrap();
                // "0.001% (default)": the argument was left out.
                let t = t.strip_suffix(" (default)").unwrap_or(t);
                try_compare_with_tolerance(student, instructor, t, relative)
            } else {
                let t = case["tolerance"].as_f64().unwrap();
                try_compare_with_numeric_tolerance(student, instructor, t, relative)
            };
            if got != Ok(expected) {
                failures.push(format!("case {k}: {case} gave {got:?}"));
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    #[test]
    fn parse_tolerances() {
        assert_eq!(Tolerance::parse("0.001%"), Ok(Tolerance::Percent(0.001)));
        assert_eq!(Tolerance::parse("5%"), Ok(Tolerance::Percent(5.0)));
        assert_eq!(Tolerance::parse("0.01"), Ok(Tolerance::Absolute(0.01)));
        assert_eq!(Tolerance::parse("1/4"), Ok(Tolerance::Absolute(0.25)));
        // Not stripped: "10% " is the number 10% = 0.1, absolute.
        assert_eq!(Tolerance::parse("10% "), Ok(Tolerance::Absolute(0.1)));
        assert!(matches!(
            Tolerance::parse("abc"),
            Err(ToleranceError::Calc(CalcError::UndefinedVariable(_)))
        ));
        assert_eq!(Tolerance::parse("j"), Err(ToleranceError::Complex));
    }

    #[test]
    fn decimal_comparison_beats_binary() {
        // In binary, 100.01 - 100.0 = 0.010000000000005116 > 0.01.
        assert!(compare_with_tolerance(100.01, 100.0, "0.01", false));
        assert!(!compare_with_tolerance(100.02, 100.0, "0.01", false));
        // 0.1 + 0.2 is 0.30000000000000004: 4e-17 away in decimal.
        assert!(!compare_with_tolerance(0.3, 0.1 + 0.2, "0", false));
        assert!(compare_with_tolerance(0.3, 0.1 + 0.2, "4e-17", false));
        assert!(compare_with_tolerance(-5.0, -5.0, "0", false));
    }

    #[test]
    fn decimal_difference_is_rounded_to_28_digits() {
        // 1e28 has 29 digits: at 28 significant digits the unit is 10.
        // 1e28 + 0.4 and 1e28 + 4 round to 1E+28; 1e28 + 6 rounds up past it.
        assert!(decimal_within(1e28, -0.4, 1e28));
        assert!(decimal_within(1e28, -4.0, 1e28));
        assert!(!decimal_within(1e28, -6.0, 1e28));
        // Exactly half: ...05 rounds to even (down), ...9.5 rounds to even (up to 1E+28).
        assert!(decimal_within(1e28, -5.0, 1e28));
        assert!(decimal_within(1e28, 0.5, 1e28));
        assert!(!decimal_within(1e28, 0.5, 9.99999999999999e27));
    }

    #[test]
    fn percent_and_relative() {
        // 10% of the instructor value, absolute.
        assert!(compare_with_tolerance(109.9, 100.0, "10%", false));
        assert!(!compare_with_tolerance(110.1, 100.0, "10%", false));
        // Relative: 10% of max(|s|, |i|) = 11.1.
        assert!(compare_with_tolerance(111.0, 100.0, "10%", true));
        // The default is relative; "0.001 %" is not the default string.
        assert!(compare_with_tolerance(
            100.001,
            100.0,
            DEFAULT_TOLERANCE,
            false
        ));
        assert!(!compare_with_tolerance(1e-9, 0.0, DEFAULT_TOLERANCE, false));
        assert!(compare_with_tolerance(0.0, 0.0, DEFAULT_TOLERANCE, false));
    }

    #[test]
    fn infinities_nans_and_complex() {
        let inf = f64::INFINITY;
        let nan = f64::NAN;
        assert!(compare_with_tolerance(inf, inf, "1", false));
        assert!(!compare_with_tolerance(inf, -inf, "1", false));
        assert!(!compare_with_tolerance(nan, nan, "1", false));
        assert!(!compare_with_tolerance(nan, 1.0, "1", false));
        assert!(!compare_with_tolerance(1.0, nan, "1", false));
        assert!(!compare_with_tolerance(
            Complex::new(nan, 1.0),
            Complex::new(nan, 1.0),
            "1",
            false
        ));
        // Complex: modulus of the difference in floats.
        assert!(compare_with_tolerance(
            Complex::new(1.0, 1.0),
            Complex::new(1.0, 1.1),
            "0.11",
            false
        ));
        assert!(!compare_with_tolerance(
            Complex::new(1.0, 1.0),
            Complex::new(1.1, 1.1),
            "0.1",
            false
        ));
        assert!(compare_with_tolerance(
            Complex::new(3.0, 4.0),
            Complex::new(0.0, 0.0),
            "5",
            false
        ));
        // Percent of a complex instructor value uses its modulus: 10% of 5 = 0.5.
        assert!(compare_with_tolerance(
            Complex::new(3.0, 4.4),
            Complex::new(3.0, 4.0),
            "10%",
            false
        ));
        // A NaN tolerance raises in the decimal branch.
        assert_eq!(
            try_compare_with_tolerance(1.0, 1.0, "", false),
            Err(ToleranceError::Nan)
        );
        assert!(try_compare_with_tolerance(1.0, 1.0, "inf_var", false).is_err());
        assert_eq!(
            try_compare_with_numeric_tolerance(
                Complex::new(1.5e308, 1.5e308),
                Complex::new(0.0, 0.0),
                1.0,
                false
            ),
            Err(ToleranceError::Overflow)
        );
    }

    #[test]
    fn decimal_reading_of_floats() {
        let d = Dec::from_f64(100.001);
        assert_eq!(
            (d.negative, d.digits.as_slice(), d.exp),
            (false, &[1, 0, 0, 0, 0, 1][..], -3)
        );
        let d = Dec::from_f64(-1.5e-7);
        assert_eq!(
            (d.negative, d.digits.as_slice(), d.exp),
            (true, &[1, 5][..], -8)
        );
        assert!(Dec::from_f64(0.0).is_zero());
    }
}
