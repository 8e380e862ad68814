//! The `calc` expression evaluator that Open edX uses for `numericalresponse`,
//! `formularesponse` and tolerance strings (openedx-calc, `calc/calc.py` and `calc/functions.py`,
//! v4.0.x). Reimplemented, not copied; every rule below was read from that source or its tests.
//!
//! # Grammar (a PEG, exactly as the pyparsing grammar behaves)
//!
//! ```text
//! expr     := sum
//! sum      := ['+'|'-'] product (('+'|'-') product)*
//! product  := parallel (('*'|'/') parallel)*
//! parallel := power ('||' power)*
//! power    := atom ('^' atom)*                      right-associative: 2^3^2 = 2^9
//! atom     := number | function | variable | '(' expr ')'      (first that matches wins)
//! number   := ['+'|'-'] (digits ['.' [digits]] | '.' digits) [('e'|'E') ['+'|'-'] digits] ['%']
//! function := name '(' expr ')'
//! variable := tensor_mixed | tensor_lower | name
//! name     := letter (letter|digit|'_')* "'"*       ASCII letters only
//! tensor_lower := letter (letter|digit)* '_{' alnum+ '}' "'"*
//! tensor_mixed := letter (letter|digit)* ['_{' alnum+ '}'] '^{' alnum+ '}' "'"*
//! ```
//!
//! Spaces, tabs and newlines may stand between any two tokens, *also inside a number* between
//! its sign, mantissa, exponent and `%` (pyparsing skips whitespace there: `"5 e1"` is 50.0,
//! `"- 3"` is -3), but not inside a mantissa, a name or a tensor. There is no implicit
//! multiplication (`2x` is a parse error) and no `**`.
//!
//! Consequences worth knowing: `-2^2` is -4 (the sign belongs to the sum), but `2^-2` is 0.25 and
//! `2*-3` is -6 (a number may carry a sign); `2^-x` is a parse error; `x^{2}` is the *tensor
//! variable* named `x^{2}`, not a square; `2e3` is 2000.0 but `2e` is a parse error; `e3` is a
//! variable name.
//!
//! The only number suffix is `%` (×0.01). The SI suffixes (k, M, G, T, c, m, u, n, p) were
//! removed from openedx-calc in 2018: `SUFFIXES = {'%': 0.01}` in calc.py (CAPA-SPEC.md §3), so
//! `5k` is a parse error here too.
//!
//! # Constants and functions
//!
//! Default variables (`DEFAULT_VARIABLES`): `i` = `j` = 1j, `e`, `pi`. There is no `k`, `c` or
//! `T` constant. Default functions (`DEFAULT_FUNCTIONS`, see [`DEFAULT_FUNCTION_NAMES`]):
//! `sin cos tan sec csc cot sqrt log10 log2 ln exp arcsin arccos arctan arcsec arccsc arccot abs
//! fact factorial sinh cosh tanh sech csch coth arcsinh arccosh arctanh arcsech arccsch arccoth`.
//! There is no `log`, `re`, `im`, `conj` or `arg`. `sqrt`, `ln`, `log10`, `log2`, `arcsin`,
//! `arccos` and `arctanh` are numpy's `scimath` variants (complex results outside the real domain:
//! `sqrt(-4)` = 2j); the others are plain numpy (`arccosh(0.5)` is NaN); `sec` … `arccoth` come
//! from calc's `functions.py` (`sec(x) = 1/cos(x)`, `arcsec(x) = arccos(1./x)`, …; `arccot` is
//! `±pi/2 - arctan(x)` by the sign of the real part).
//!
//! Caller variables and functions are added to the defaults (overriding them). Unless
//! `case_sensitive`, all names are lower-cased first (later definitions win), so `SiN(6)` works
//! and a variable `E` replaces the constant `e`.
//!
//! # Numbers and Python semantics
//!
//! The Python evaluator computes with Python ints, floats and complex numbers and numpy scalars,
//! and their rules decide between an error and an IEEE result, so they are modelled ([`Number`]
//! plus an internal "numpy scalar" flag):
//!
//! * a number without `.`, `e`/`E` or `%` is an int (`int("7")`); ints stay ints under `+ - *`
//!   and `^` with a non-negative exponent; `/` always gives a float;
//! * Python numbers raise: `1/0`, `1/0.0`, `1/x` with `x = 0.0` → [`CalcError::ZeroDivision`];
//!   `0^-1` → ZeroDivision; `10.0^400` → [`CalcError::Overflow`]; `(-8)^(1/3)` is complex;
//! * numpy scalars (every function result except `fact`) do not: `1/sin(0)` is inf, and
//!   `cot(0)` is inf; `abs(-2)` is a numpy int, so `abs(-2)^-1` is a [`CalcError::Value`];
//! * `fact`/`factorial` take ints only: `fact(-1)` → Value, `fact(0.5)` and even `fact(3.0)` →
//!   [`CalcError::Type`] (Python ≥ 3.10);
//! * `a || b` is `1/(1/a + 1/b)`; NaN when any operand equals 0;
//! * an empty (all-whitespace) expression evaluates to NaN.
//!
//! Python 3.12 (Open edX's only version since 2026) and numpy ≥ 1.25 are the reference: `sum()`
//! inside `||` is 3.12's compensated float summation, `0^z` with numpy's complex power is 0 for
//! any `Re z > 0`.
//!
//! Divergences: Python ints are unbounded and these are `i128` (an overflowing int operation
//! falls back to a float: `2^127` is a float here, an exact int in Python; factorials past 33!
//! are floats, past 170! inf); numpy ints are taken as `i64` with wrap-around as numpy does.
//! Transcendental functions use Rust's `f64` functions and textbook complex formulas with C99
//! branch cuts (Hull et al. for asin/acos, Kahan for tanh), which may differ from numpy in the
//! last bits (and so a little more after an ill-conditioned step such as `sin` of a large
//! argument). Nesting deeper than [`MAX_NESTING`] is refused, as Python's recursion limit does
//! at about the same depth. Cross-checked against openedx-calc 4.0 (numpy 2.4, Python 3.11) on
//! 26,000 random and hand-written expressions: same value type, same value to the last bit
//! or within about 1e-12 relative (one subnormal underflow aside), same error kind and, for
//! names and parentheses, the same message.
//!
//! # Errors, in the order Python raises them
//!
//! unbalanced parentheses ([`CalcError::UnmatchedParenthesis`], before parsing), syntax
//! ([`CalcError::Parse`], with the character position), unknown variables, then unknown functions
//! ([`CalcError::UndefinedVariable`], with calc's messages and hints), then arithmetic errors in
//! left-to-right evaluation order.

use std::collections::{BTreeSet, HashMap};
use std::f64::consts::{E, FRAC_PI_2, LN_2, LOG10_E, LOG2_E, PI};
use std::fmt;

// ---------------------------------------------------------------------------------------------
// Complex numbers
// ---------------------------------------------------------------------------------------------

/// A complex number of two `f64`s (Python's `complex`, numpy's `complex128`).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Complex {
    pub re: f64,
    pub im: f64,
}

impl Complex {
    /// The imaginary unit (calc's `i` and `j`).
    pub const I: Complex = Complex::new(0.0, 1.0);

    pub const fn new(re: f64, im: f64) -> Self {
        Self { re, im }
    }

    /// `re + 0j`.
    pub const fn real(re: f64) -> Self {
        Self { re, im: 0.0 }
    }

    /// The modulus, `hypot(re, im)` (Python's `abs(complex)`).
    pub fn abs(self) -> f64 {
        self.re.hypot(self.im)
    }

    /// Either part is NaN.
    pub fn is_nan(self) -> bool {
        self.re.is_nan() || self.im.is_nan()
    }

    /// Either part is infinite (Python's `cmath.isinf`).
    pub fn is_infinite(self) -> bool {
        self.re.is_infinite() || self.im.is_infinite()
    }

    /// Both parts are finite.
    pub fn is_finite(self) -> bool {
        self.re.is_finite() && self.im.is_finite()
    }

    fn is_zero(self) -> bool {
        self.re == 0.0 && self.im == 0.0
    }

    fn swap(self) -> Self {
        Self::new(self.im, self.re)
    }

    fn scale(self, k: f64) -> Self {
        Self::new(self.re * k, self.im * k)
    }
}

impl From<f64> for Complex {
    fn from(re: f64) -> Self {
        Self::real(re)
    }
}

impl std::ops::Add for Complex {
    type Output = Complex;
    fn add(self, o: Complex) -> Complex {
        Complex::new(self.re + o.re, self.im + o.im)
    }
}

impl std::ops::Sub for Complex {
    type Output = Complex;
    fn sub(self, o: Complex) -> Complex {
        Complex::new(self.re - o.re, self.im - o.im)
    }
}

impl std::ops::Mul for Complex {
    type Output = Complex;
    fn mul(self, o: Complex) -> Complex {
        Complex::new(
            self.re * o.re - self.im * o.im,
            self.re * o.im + self.im * o.re,
        )
    }
}

impl std::ops::Neg for Complex {
    type Output = Complex;
    fn neg(self) -> Complex {
        Complex::new(-self.re, -self.im)
    }
}

impl fmt::Display for Complex {
    /// Python's `repr(complex)` shape: `(1+2j)`, `2j`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.re == 0.0 && self.re.is_sign_positive() {
            write!(f, "{}j", fmt_float(self.im))
        } else {
            let sign = if self.im.is_sign_negative() && !self.im.is_nan() {
                "-"
            } else {
                "+"
            };
            write!(
                f,
                "({}{}{}j)",
                fmt_float(self.re),
                sign,
                fmt_float(self.im.abs())
            )
        }
    }
}

fn fmt_float(x: f64) -> String {
    if x.is_nan() {
        "nan".into()
    } else if x.is_infinite() {
        if x > 0.0 { "inf" } else { "-inf" }.into()
    } else if x == x.trunc() && x.abs() < 1e16 {
        format!("{x:.0}")
    } else {
        format!("{x}")
    }
}

// ---------------------------------------------------------------------------------------------
// Numbers, errors
// ---------------------------------------------------------------------------------------------

/// A value as the Python evaluator types it: `int`, `float` or `complex`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Number {
    /// A Python `int` (unbounded in Python; `i128` here).
    Int(i128),
    Float(f64),
    Complex(Complex),
}

impl Number {
    /// The value as a complex number.
    pub fn to_complex(self) -> Complex {
        match self {
            Number::Int(i) => Complex::real(i as f64),
            Number::Float(f) => Complex::real(f),
            Number::Complex(c) => c,
        }
    }

    /// The real part as `f64`.
    pub fn real(self) -> f64 {
        match self {
            Number::Int(i) => i as f64,
            Number::Float(f) => f,
            Number::Complex(c) => c.re,
        }
    }

    /// Of Python type `complex` (even with a zero imaginary part).
    pub fn is_complex(self) -> bool {
        matches!(self, Number::Complex(_))
    }

    pub fn is_nan(self) -> bool {
        match self {
            Number::Int(_) => false,
            Number::Float(f) => f.is_nan(),
            Number::Complex(c) => c.is_nan(),
        }
    }

    /// Python's `x == 0`.
    fn is_zero(self) -> bool {
        match self {
            Number::Int(i) => i == 0,
            Number::Float(f) => f == 0.0,
            Number::Complex(c) => c.is_zero(),
        }
    }
}

impl From<f64> for Number {
    fn from(x: f64) -> Self {
        Number::Float(x)
    }
}

impl From<i64> for Number {
    fn from(x: i64) -> Self {
        Number::Int(x.into())
    }
}

impl From<i32> for Number {
    fn from(x: i32) -> Self {
        Number::Int(x.into())
    }
}

impl From<Complex> for Number {
    fn from(x: Complex) -> Self {
        Number::Complex(x)
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Number::Int(i) => write!(f, "{i}"),
            Number::Float(x) if x.is_finite() && *x == x.trunc() && x.abs() < 1e16 => {
                write!(f, "{x:.1}")
            }
            Number::Float(x) => f.write_str(&fmt_float(*x)),
            Number::Complex(c) => write!(f, "{c}"),
        }
    }
}

/// Why an expression could not be evaluated. The variants are the Python exceptions
/// ([`CalcError::python_name`]); every message is calc's or Python's own.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum CalcError {
    /// calc's `UnmatchedParenthesis`, checked before parsing.
    #[error("{0}")]
    UnmatchedParenthesis(String),
    /// pyparsing's `ParseException`; `position` counts characters from 0.
    #[error("{message} (at char {position})")]
    Parse { position: usize, message: String },
    /// calc's `UndefinedVariable`: unknown variables (listed first) or functions.
    #[error("{0}")]
    UndefinedVariable(String),
    /// Python's `ZeroDivisionError`.
    #[error("{0}")]
    ZeroDivision(String),
    /// Python's `OverflowError`.
    #[error("{0}")]
    Overflow(String),
    /// Python's `ValueError` (`fact(-1)`, numpy int to a negative power).
    #[error("{0}")]
    Value(String),
    /// Python's `TypeError` (`fact(0.5)`).
    #[error("{0}")]
    Type(String),
    /// An error returned by a caller-supplied function.
    #[error("{0}")]
    Function(String),
    /// Python's `RecursionError`: parentheses or function calls nested more than
    /// [`MAX_NESTING`] deep.
    #[error("maximum recursion depth exceeded")]
    Recursion,
}

/// The deepest nesting of parentheses and function calls accepted. pyparsing exhausts Python's
/// default recursion limit (1000 frames) at 35 to 38 levels in a bare interpreter, fewer inside
/// Open edX's deeper call stack; past this limit [`CalcError::Recursion`] is returned.
pub const MAX_NESTING: usize = 32;

impl CalcError {
    /// The name of the exception Open edX would see.
    pub fn python_name(&self) -> &'static str {
        match self {
            CalcError::UnmatchedParenthesis(_) => "UnmatchedParenthesis",
            CalcError::Parse { .. } => "ParseException",
            CalcError::UndefinedVariable(_) => "UndefinedVariable",
            CalcError::ZeroDivision(_) => "ZeroDivisionError",
            CalcError::Overflow(_) => "OverflowError",
            CalcError::Value(_) => "ValueError",
            CalcError::Type(_) => "TypeError",
            CalcError::Function(_) => "Exception",
            CalcError::Recursion => "RecursionError",
        }
    }
}

/// A caller-supplied function of one argument (calc's `unary_functions`).
pub type UserFunction<'a> = &'a dyn Fn(Number) -> Result<Number, CalcError>;

/// The default function names, in calc's order.
pub const DEFAULT_FUNCTION_NAMES: [&str; 32] = [
    "sin",
    "cos",
    "tan",
    "sec",
    "csc",
    "cot",
    "sqrt",
    "log10",
    "log2",
    "ln",
    "exp",
    "arccos",
    "arcsin",
    "arctan",
    "arcsec",
    "arccsc",
    "arccot",
    "abs",
    "fact",
    "factorial",
    "sinh",
    "cosh",
    "tanh",
    "sech",
    "csch",
    "coth",
    "arcsinh",
    "arccosh",
    "arctanh",
    "arcsech",
    "arccsch",
    "arccoth",
];

/// The default variables (calc's `DEFAULT_VARIABLES`): `i`, `j`, `e`, `pi`.
pub fn default_variables() -> [(&'static str, Number); 4] {
    [
        ("i", Number::Complex(Complex::I)),
        ("j", Number::Complex(Complex::I)),
        ("e", Number::Float(E)),
        ("pi", Number::Float(PI)),
    ]
}

// ---------------------------------------------------------------------------------------------
// Public entry points
// ---------------------------------------------------------------------------------------------

/// calc's `evaluator(variables, unary_functions, math_expr, case_sensitive)`.
///
/// `variables` and `functions` are in Python dict order (it matters only when two names differ
/// in case alone and `case_sensitive` is false: the later wins). They are added to the defaults.
pub fn evaluator(
    variables: &[(&str, Number)],
    functions: &[(&str, UserFunction<'_>)],
    expr: &str,
    case_sensitive: bool,
) -> Result<Number, CalcError> {
    if expr.trim_matches(is_python_space).is_empty() {
        return Ok(Number::Float(f64::NAN));
    }
    check_parens(expr)?;
    let tree = parse(expr)?;

    let mut all_vars: Vec<(String, Number)> = default_variables()
        .iter()
        .map(|(k, v)| (k.to_string(), *v))
        .collect();
    for (k, v) in variables {
        match all_vars.iter_mut().find(|(n, _)| n == k) {
            Some(slot) => slot.1 = *v,
            None => all_vars.push((k.to_string(), *v)),
        }
    }
    let mut all_funcs: Vec<(String, Func<'_>)> = DEFAULT_FUNCTION_NAMES
        .iter()
        .map(|n| (n.to_string(), Func::Builtin(builtin(n))))
        .collect();
    for (k, f) in functions {
        match all_funcs.iter_mut().find(|(n, _)| n == k) {
            Some(slot) => slot.1 = Func::User(*f),
            None => all_funcs.push((k.to_string(), Func::User(*f))),
        }
    }
    let casify = |s: &str| -> String {
        if case_sensitive {
            s.to_string()
        } else {
            s.to_lowercase()
        }
    };
    // Python dict semantics: later keys overwrite earlier ones.
    let vars: HashMap<String, Number> =
        all_vars.into_iter().map(|(k, v)| (casify(&k), v)).collect();
    let funcs: HashMap<String, Func<'_>> = all_funcs
        .into_iter()
        .map(|(k, f)| (casify(&k), f))
        .collect();

    check_names(&tree, &vars, &funcs, case_sensitive)?;

    let env = Env {
        vars: &vars,
        funcs: &funcs,
        case_sensitive,
    };
    env.eval(&tree).map(|v| v.n)
}

/// Convenience form of [`evaluator`]: variables and functions as maps of complex numbers, the
/// result as a complex number.
///
/// A variable whose imaginary part is 0 is passed as a Python float (so `1/x` with `x = 0`
/// raises as in Open edX), any other as a Python complex. A function's argument is passed as a
/// complex number and a result with a zero imaginary part comes back as a float. Map order is
/// not Python's: keys are taken in sorted order.
pub fn evaluate(
    expr: &str,
    variables: &HashMap<String, Complex>,
    functions: &HashMap<String, fn(Complex) -> Complex>,
    case_sensitive: bool,
) -> Result<Complex, CalcError> {
    let mut var_list: Vec<(&str, Number)> = variables
        .iter()
        .map(|(k, v)| {
            let n = if v.im == 0.0 {
                Number::Float(v.re)
            } else {
                Number::Complex(*v)
            };
            (k.as_str(), n)
        })
        .collect();
    var_list.sort_by(|a, b| a.0.cmp(b.0));
    type Boxed = Box<dyn Fn(Number) -> Result<Number, CalcError>>;
    let wrappers: Vec<(&str, Boxed)> = {
        let mut names: Vec<&String> = functions.keys().collect();
        names.sort();
        names
            .into_iter()
            .map(|k| {
                let f = functions[k];
                let w: Boxed = Box::new(move |x: Number| {
                    let r = f(x.to_complex());
                    Ok(if r.im == 0.0 {
                        Number::Float(r.re)
                    } else {
                        Number::Complex(r)
                    })
                });
                (k.as_str(), w)
            })
            .collect()
    };
    let func_list: Vec<(&str, UserFunction<'_>)> =
        wrappers.iter().map(|(k, w)| (*k, w.as_ref())).collect();
    evaluator(&var_list, &func_list, expr, case_sensitive).map(Number::to_complex)
}

fn is_python_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

/// calc's `check_parens`.
fn check_parens(formula: &str) -> Result<(), CalcError> {
    let mut count: i64 = 0;
    for (index, ch) in formula.char_indices() {
        match ch {
            '(' => count += 1,
            ')' => {
                count -= 1;
                if count < 0 {
                    return Err(CalcError::UnmatchedParenthesis(format!(
                        "Invalid Input: A closing parenthesis was found after segment {}, but \
                         there is no matching opening parenthesis before it.",
                        &formula[..index]
                    )));
                }
            }
            _ => {}
        }
    }
    if count > 0 {
        return Err(CalcError::UnmatchedParenthesis(format!(
            "Invalid Input: Parentheses are unmatched. {count} parentheses were opened but \
             never closed."
        )));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Parser
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, PartialEq)]
enum Op {
    Add,
    Sub,
    Mul,
    Div,
    Pow,
}

#[derive(Clone, Debug)]
enum Node {
    Number(Number),
    Variable(String),
    Function(String, Box<Node>),
    Paren(Box<Node>),
    Power(Vec<Node>),
    Parallel(Vec<Node>),
    /// Operators `Mul`/`Div`; the first is `Mul`.
    Product(Vec<(Op, Node)>),
    /// Operators `Add`/`Sub`; the first is `Add` unless the sum has a leading sign.
    Sum(Vec<(Op, Node)>),
}

struct Parser {
    s: Vec<char>,
    /// The furthest position at which a token failed to match (for error messages).
    furthest: usize,
    /// Current nesting of parentheses and function calls.
    depth: usize,
    too_deep: bool,
}

fn parse(expr: &str) -> Result<Node, CalcError> {
    let mut p = Parser {
        s: expr.chars().collect(),
        furthest: 0,
        depth: 0,
        too_deep: false,
    };
    let found = |p: &Parser, at: usize| match p.s.get(at) {
        Some(c) => format!("found '{c}'"),
        None => "found end of text".to_string(),
    };
    let result = p.sum(0);
    if p.too_deep {
        return Err(CalcError::Recursion);
    }
    match result {
        Some((node, end)) => {
            let end = p.ws(end);
            if end == p.s.len() {
                Ok(node)
            } else {
                let position = end.max(p.furthest);
                Err(CalcError::Parse {
                    position,
                    message: format!("Expected end of text, {}", found(&p, end)),
                })
            }
        }
        None => {
            let position = p.furthest.max(p.ws(0));
            Err(CalcError::Parse {
                position,
                message: format!("Expected an expression, {}", found(&p, position)),
            })
        }
    }
}

impl Parser {
    fn at(&self, i: usize) -> Option<char> {
        self.s.get(i).copied()
    }

    fn is(&self, i: usize, pred: impl Fn(char) -> bool) -> bool {
        self.at(i).is_some_and(pred)
    }

    fn ws(&self, mut i: usize) -> usize {
        while matches!(self.at(i), Some(' ' | '\t' | '\n' | '\r')) {
            i += 1;
        }
        i
    }

    fn miss<T>(&mut self, i: usize) -> Option<T> {
        self.furthest = self.furthest.max(i);
        None
    }

    fn text(&self, from: usize, to: usize) -> String {
        self.s[from..to].iter().collect()
    }

    fn digits(&self, mut i: usize) -> usize {
        while self.is(i, |c| c.is_ascii_digit()) {
            i += 1;
        }
        i
    }

    /// An expression one level deeper (inside parentheses).
    fn nested(&mut self, i: usize) -> Option<(Node, usize)> {
        if self.too_deep || self.depth >= MAX_NESTING {
            self.too_deep = true;
            return None;
        }
        self.depth += 1;
        let r = self.sum(i);
        self.depth -= 1;
        r
    }

    fn sum(&mut self, i: usize) -> Option<(Node, usize)> {
        let j = self.ws(i);
        let (first_op, start) = match self.at(j) {
            Some('+') => (Op::Add, j + 1),
            Some('-') => (Op::Sub, j + 1),
            _ => (Op::Add, i),
        };
        let (first, mut pos) = self.product(start)?;
        let mut items = vec![(first_op, first)];
        loop {
            let j = self.ws(pos);
            let op = match self.at(j) {
                Some('+') => Op::Add,
                Some('-') => Op::Sub,
                _ => break,
            };
            match self.product(j + 1) {
                Some((n, p)) => {
                    items.push((op, n));
                    pos = p;
                }
                None => break,
            }
        }
        Some((Node::Sum(items), pos))
    }

    fn product(&mut self, i: usize) -> Option<(Node, usize)> {
        let (first, mut pos) = self.parallel(i)?;
        let mut items = vec![(Op::Mul, first)];
        loop {
            let j = self.ws(pos);
            let op = match self.at(j) {
                Some('*') => Op::Mul,
                Some('/') => Op::Div,
                _ => break,
            };
            match self.parallel(j + 1) {
                Some((n, p)) => {
                    items.push((op, n));
                    pos = p;
                }
                None => break,
            }
        }
        Some((Node::Product(items), pos))
    }

    fn parallel(&mut self, i: usize) -> Option<(Node, usize)> {
        let (first, mut pos) = self.power(i)?;
        let mut items = vec![first];
        loop {
            let j = self.ws(pos);
            if !(self.at(j) == Some('|') && self.at(j + 1) == Some('|')) {
                break;
            }
            match self.power(j + 2) {
                Some((n, p)) => {
                    items.push(n);
                    pos = p;
                }
                None => break,
            }
        }
        Some((Node::Parallel(items), pos))
    }

    fn power(&mut self, i: usize) -> Option<(Node, usize)> {
        let (first, mut pos) = self.atom(i)?;
        let mut items = vec![first];
        loop {
            let j = self.ws(pos);
            if self.at(j) != Some('^') {
                break;
            }
            match self.atom(j + 1) {
                Some((n, p)) => {
                    items.push(n);
                    pos = p;
                }
                None => break,
            }
        }
        Some((Node::Power(items), pos))
    }

    fn atom(&mut self, i: usize) -> Option<(Node, usize)> {
        if let Some(r) = self.number(i) {
            return Some(r);
        }
        if let Some(r) = self.function(i) {
            return Some(r);
        }
        if let Some(r) = self.variable(i) {
            return Some(r);
        }
        let j = self.ws(i);
        if self.at(j) != Some('(') {
            return self.miss(j);
        }
        let (inner, end) = self.nested(j + 1)?;
        let k = self.ws(end);
        if self.at(k) != Some(')') {
            return self.miss(k);
        }
        Some((Node::Paren(Box::new(inner)), k + 1))
    }

    fn number(&mut self, i: usize) -> Option<(Node, usize)> {
        let mut j = self.ws(i);
        let mut negative = false;
        if let Some(c @ ('+' | '-')) = self.at(j) {
            negative = c == '-';
            j = self.ws(j + 1);
        }
        // inner_number, a Combine: no whitespace inside.
        let int_start = j;
        let (int_part, frac_part, mut end);
        if self.is(j, |c| c.is_ascii_digit()) {
            let int_end = self.digits(j);
            int_part = self.text(int_start, int_end);
            if self.at(int_end) == Some('.') {
                end = self.digits(int_end + 1);
                frac_part = Some(self.text(int_end + 1, end));
            } else {
                end = int_end;
                frac_part = None;
            }
        } else if self.at(j) == Some('.') && self.is(j + 1, |c| c.is_ascii_digit()) {
            end = self.digits(j + 1);
            int_part = String::new();
            frac_part = Some(self.text(j + 1, end));
        } else {
            return self.miss(j);
        }
        let mut is_float = frac_part.is_some();
        // Optional(E [+-] digits), whitespace allowed between the pieces.
        let mut exponent = String::new();
        let k = self.ws(end);
        if matches!(self.at(k), Some('e' | 'E')) {
            let mut m = self.ws(k + 1);
            let mut sign = "";
            if let Some(c @ ('+' | '-')) = self.at(m) {
                sign = if c == '-' { "-" } else { "" };
                m = self.ws(m + 1);
            }
            if self.is(m, |c| c.is_ascii_digit()) {
                let e_end = self.digits(m);
                exponent = format!("{sign}{}", self.text(m, e_end));
                end = e_end;
                is_float = true;
            }
        }
        // Optional('%').
        let k = self.ws(end);
        let percent = self.at(k) == Some('%');
        if percent {
            end = k + 1;
        }
        let sign = if negative { "-" } else { "" };
        let value = if is_float || percent {
            let text = format!(
                "{sign}{}.{}e{}",
                if int_part.is_empty() { "0" } else { &int_part },
                match &frac_part {
                    Some(f) if !f.is_empty() => f.as_str(),
                    _ => "0",
                },
                if exponent.is_empty() { "0" } else { &exponent }
            );
            let f: f64 = text.parse().unwrap_or(f64::NAN);
            Number::Float(if percent { f * 0.01 } else { f })
        } else {
            let text = format!("{sign}{int_part}");
            match text.parse::<i128>() {
                Ok(v) => Number::Int(v),
                // Beyond i128: Python keeps an exact int; we approximate.
                Err(_) => Number::Float(text.parse().unwrap_or(f64::NAN)),
            }
        };
        Some((Node::Number(value), end))
    }

    /// `Word(alphas, alphanums [+ '_'])` at `i` (no whitespace skipping).
    fn word(&self, i: usize, underscore: bool) -> Option<usize> {
        if !self.is(i, |c| c.is_ascii_alphabetic()) {
            return None;
        }
        let mut j = i + 1;
        while self.is(j, |c| c.is_ascii_alphanumeric() || (underscore && c == '_')) {
            j += 1;
        }
        Some(j)
    }

    fn primes(&self, mut i: usize) -> usize {
        while self.at(i) == Some('\'') {
            i += 1;
        }
        i
    }

    /// `inner_varname` at `i` (no whitespace skipping): the end position.
    fn name(&self, i: usize) -> Option<usize> {
        self.word(i, true).map(|j| self.primes(j))
    }

    /// `open alnum+ '}'` where `open` is `_{` or `^{`.
    fn indices(&self, i: usize, open: char) -> Option<usize> {
        if self.at(i) != Some(open) || self.at(i + 1) != Some('{') {
            return None;
        }
        let mut j = i + 2;
        let start = j;
        while self.is(j, |c| c.is_ascii_alphanumeric()) {
            j += 1;
        }
        if j == start || self.at(j) != Some('}') {
            return None;
        }
        Some(j + 1)
    }

    fn variable(&mut self, i: usize) -> Option<(Node, usize)> {
        let j = self.ws(i);
        let tensor_mixed = || {
            let base = self.word(j, false)?;
            let k = self.indices(base, '_').unwrap_or(base);
            self.indices(k, '^').map(|e| self.primes(e))
        };
        let tensor_lower = || {
            let base = self.word(j, false)?;
            self.indices(base, '_').map(|e| self.primes(e))
        };
        match tensor_mixed()
            .or_else(tensor_lower)
            .or_else(|| self.name(j))
        {
            Some(end) => Some((Node::Variable(self.text(j, end)), end)),
            None => self.miss(j),
        }
    }

    fn function(&mut self, i: usize) -> Option<(Node, usize)> {
        let j = self.ws(i);
        let name_end = self.name(j)?;
        let k = self.ws(name_end);
        if self.at(k) != Some('(') {
            return None;
        }
        let (arg, end) = self.nested(k + 1)?;
        let m = self.ws(end);
        if self.at(m) != Some(')') {
            return self.miss(m);
        }
        Some((Node::Function(self.text(j, name_end), Box::new(arg)), m + 1))
    }
}

// ---------------------------------------------------------------------------------------------
// Name checks
// ---------------------------------------------------------------------------------------------

fn collect_names(node: &Node, vars: &mut BTreeSet<String>, funcs: &mut BTreeSet<String>) {
    match node {
        Node::Number(_) => {}
        Node::Variable(n) => {
            vars.insert(n.clone());
        }
        Node::Function(n, arg) => {
            funcs.insert(n.clone());
            collect_names(arg, vars, funcs);
        }
        Node::Paren(inner) => collect_names(inner, vars, funcs),
        Node::Power(items) | Node::Parallel(items) => {
            for n in items {
                collect_names(n, vars, funcs);
            }
        }
        Node::Product(items) | Node::Sum(items) => {
            for (_, n) in items {
                collect_names(n, vars, funcs);
            }
        }
    }
}

/// calc's `ParseAugmenter.check_variables`.
fn check_names(
    tree: &Node,
    vars: &HashMap<String, Number>,
    funcs: &HashMap<String, Func<'_>>,
    case_sensitive: bool,
) -> Result<(), CalcError> {
    let casify = |s: &str| -> String {
        if case_sensitive {
            s.to_string()
        } else {
            s.to_lowercase()
        }
    };
    let (mut used_vars, mut used_funcs) = (BTreeSet::new(), BTreeSet::new());
    collect_names(tree, &mut used_vars, &mut used_funcs);

    let did_you_mean = |bad: &BTreeSet<&String>, valid: &mut dyn Iterator<Item = &String>| {
        if !case_sensitive {
            return String::new();
        }
        let better: BTreeSet<&String> = valid
            .filter(|v| bad.iter().any(|b| b.to_lowercase() == v.to_lowercase()))
            .collect();
        if better.is_empty() {
            String::new()
        } else {
            let names: Vec<&str> = better.iter().map(|s| s.as_str()).collect();
            format!(" (did you mean {}?)", names.join(", "))
        }
    };

    let bad_vars: BTreeSet<&String> = used_vars
        .iter()
        .filter(|v| !vars.contains_key(&casify(v)))
        .collect();
    if !bad_vars.is_empty() {
        let names: Vec<&str> = bad_vars.iter().map(|s| s.as_str()).collect();
        let mut message = format!(
            "Invalid Input: {} not permitted in answer as a variable",
            names.join(", ")
        );
        message += &did_you_mean(&bad_vars, &mut vars.keys());
        return Err(CalcError::UndefinedVariable(message));
    }

    let bad_funcs: BTreeSet<&String> = used_funcs
        .iter()
        .filter(|f| !funcs.contains_key(&casify(f)))
        .collect();
    if !bad_funcs.is_empty() {
        let names: Vec<&str> = bad_funcs.iter().map(|s| s.as_str()).collect();
        let mut message = format!(
            "Invalid Input: {} not permitted in answer as a function",
            names.join(", ")
        );
        if bad_funcs.iter().any(|f| vars.contains_key(&casify(f))) {
            message += " (did you forget to use * for multiplication?)";
        }
        message += &did_you_mean(&bad_funcs, &mut funcs.keys());
        return Err(CalcError::UndefinedVariable(message));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Evaluation
// ---------------------------------------------------------------------------------------------

/// A value with its Python type: `np` marks a numpy scalar (`numpy.float64` etc.), whose
/// arithmetic does not raise.
#[derive(Clone, Copy, Debug)]
struct Val {
    n: Number,
    np: bool,
}

impl Val {
    fn py(n: Number) -> Self {
        Val { n, np: false }
    }
    fn np(n: Number) -> Self {
        Val { n, np: true }
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Builtin {
    Sin,
    Cos,
    Tan,
    Sec,
    Csc,
    Cot,
    Sqrt,
    Log10,
    Log2,
    Ln,
    Exp,
    Arccos,
    Arcsin,
    Arctan,
    Arcsec,
    Arccsc,
    Arccot,
    Abs,
    Factorial,
    Sinh,
    Cosh,
    Tanh,
    Sech,
    Csch,
    Coth,
    Arcsinh,
    Arccosh,
    Arctanh,
    Arcsech,
    Arccsch,
    Arccoth,
}

fn builtin(name: &str) -> Builtin {
    use Builtin::*;
    match name {
        "sin" => Sin,
        "cos" => Cos,
        "tan" => Tan,
        "sec" => Sec,
        "csc" => Csc,
        "cot" => Cot,
        "sqrt" => Sqrt,
        "log10" => Log10,
        "log2" => Log2,
        "ln" => Ln,
        "exp" => Exp,
        "arccos" => Arccos,
        "arcsin" => Arcsin,
        "arctan" => Arctan,
        "arcsec" => Arcsec,
        "arccsc" => Arccsc,
        "arccot" => Arccot,
        "abs" => Abs,
        "fact" | "factorial" => Factorial,
        "sinh" => Sinh,
        "cosh" => Cosh,
        "tanh" => Tanh,
        "sech" => Sech,
        "csch" => Csch,
        "coth" => Coth,
        "arcsinh" => Arcsinh,
        "arccosh" => Arccosh,
        "arctanh" => Arctanh,
        "arcsech" => Arcsech,
        "arccsch" => Arccsch,
        "arccoth" => Arccoth,
        other => unreachable!("not a default function: {other}"),
    }
}

#[derive(Clone, Copy)]
enum Func<'a> {
    Builtin(Builtin),
    User(UserFunction<'a>),
}

struct Env<'e, 'a> {
    vars: &'e HashMap<String, Number>,
    funcs: &'e HashMap<String, Func<'a>>,
    case_sensitive: bool,
}

impl Env<'_, '_> {
    fn key(&self, name: &str) -> String {
        if self.case_sensitive {
            name.to_string()
        } else {
            name.to_lowercase()
        }
    }

    fn eval_all<'n>(&self, nodes: impl Iterator<Item = &'n Node>) -> Result<Vec<Val>, CalcError> {
        nodes.map(|n| self.eval(n)).collect()
    }

    /// Children first, left to right, then the node's action: the order Python raises in.
    fn eval(&self, node: &Node) -> Result<Val, CalcError> {
        match node {
            Node::Number(n) => Ok(Val::py(*n)),
            Node::Variable(name) => Ok(Val::py(self.vars[&self.key(name)])),
            Node::Function(name, arg) => {
                let x = self.eval(arg)?;
                match self.funcs[&self.key(name)] {
                    Func::Builtin(b) => call_builtin(b, x),
                    Func::User(f) => f(x.n).map(Val::py),
                }
            }
            Node::Paren(inner) => self.eval(inner),
            Node::Power(items) => {
                let mut vals = self.eval_all(items.iter())?;
                let mut acc = vals.pop().expect("a power has an atom");
                while let Some(base) = vals.pop() {
                    acc = binop(Op::Pow, base, acc)?;
                }
                Ok(acc)
            }
            Node::Parallel(items) => {
                let vals = self.eval_all(items.iter())?;
                if vals.len() == 1 {
                    return Ok(vals[0]);
                }
                if vals.iter().any(|v| v.n.is_zero()) {
                    return Ok(Val::py(Number::Float(f64::NAN)));
                }
                let one = Val::py(Number::Float(1.0));
                let reciprocals = vals
                    .into_iter()
                    .map(|v| binop(Op::Div, one, v))
                    .collect::<Result<Vec<_>, _>>()?;
                binop(Op::Div, one, python_sum(reciprocals)?)
            }
            Node::Product(items) | Node::Sum(items) => {
                let vals = self.eval_all(items.iter().map(|(_, n)| n))?;
                let start = if matches!(node, Node::Product(_)) {
                    1
                } else {
                    0
                };
                let mut acc = Val::py(Number::Int(start));
                for ((op, _), v) in items.iter().zip(vals) {
                    acc = binop(*op, acc, v)?;
                }
                Ok(acc)
            }
        }
    }
}

/// Python 3.12's `sum(values)` (start 0): a compensated (Neumaier) sum while the values are
/// exact Python floats, then plain `+`.
fn python_sum(values: Vec<Val>) -> Result<Val, CalcError> {
    let mut iter = values.into_iter();
    let Some(first) = iter.next() else {
        return Ok(Val::py(Number::Int(0)));
    };
    let mut acc = binop(Op::Add, Val::py(Number::Int(0)), first)?;
    let mut rest = iter.peekable();
    if let Val {
        n: Number::Float(start),
        np: false,
    } = acc
    {
        let (mut total, mut c) = (start, 0.0f64);
        while let Some(Val {
            n: Number::Float(x),
            np: false,
        }) = rest.peek().copied()
        {
            rest.next();
            let t = total + x;
            if total.abs() >= x.abs() {
                c += (total - t) + x;
            } else {
                c += (x - t) + total;
            }
            total = t;
        }
        if c != 0.0 && c.is_finite() {
            total += c;
        }
        acc = Val::py(Number::Float(total));
    }
    for v in rest {
        acc = binop(Op::Add, acc, v)?;
    }
    Ok(acc)
}

// ---------------------------------------------------------------------------------------------
// Arithmetic with Python / numpy semantics
// ---------------------------------------------------------------------------------------------

/// `a op b`. numpy semantics when a numpy scalar is involved, except `complex op numpy.float64`
/// (Python's `complex` accepts a `float` subclass and answers first).
fn binop(op: Op, a: Val, b: Val) -> Result<Val, CalcError> {
    let python_complex_first = !a.np && a.n.is_complex() && b.np && matches!(b.n, Number::Float(_));
    let np = (a.np || b.np) && !python_complex_first;
    let n = match (a.n, b.n) {
        (Number::Int(x), Number::Int(y)) => {
            if np {
                np_int(op, x, y)?
            } else {
                py_int(op, x, y)?
            }
        }
        (Number::Complex(_), _) | (_, Number::Complex(_)) => {
            let (x, y) = (a.n.to_complex(), b.n.to_complex());
            if np {
                Number::Complex(np_complex(op, x, y))
            } else {
                Number::Complex(py_complex(op, x, y)?)
            }
        }
        _ => {
            let (x, y) = (a.n.real(), b.n.real());
            if np {
                Number::Float(np_float(op, x, y))
            } else {
                py_float(op, x, y)?
            }
        }
    };
    Ok(Val { n, np })
}

fn zero_division(msg: &str) -> CalcError {
    CalcError::ZeroDivision(msg.to_string())
}

fn py_int(op: Op, x: i128, y: i128) -> Result<Number, CalcError> {
    let (fx, fy) = (x as f64, y as f64);
    Ok(match op {
        Op::Add => x.checked_add(y).map_or(Number::Float(fx + fy), Number::Int),
        Op::Sub => x.checked_sub(y).map_or(Number::Float(fx - fy), Number::Int),
        Op::Mul => x.checked_mul(y).map_or(Number::Float(fx * fy), Number::Int),
        Op::Div => {
            if y == 0 {
                return Err(zero_division("division by zero"));
            }
            Number::Float(fx / fy)
        }
        Op::Pow => {
            if y < 0 {
                return py_float_pow(fx, fy);
            }
            u32::try_from(y)
                .ok()
                .and_then(|e| x.checked_pow(e))
                .map_or(Number::Float(fx.powf(fy)), Number::Int)
        }
    })
}

fn np_int(op: Op, x: i128, y: i128) -> Result<Number, CalcError> {
    let (a, b) = (x as i64, y as i64);
    let wide = |v: i64| Number::Int(v.into());
    Ok(match op {
        Op::Add => wide(a.wrapping_add(b)),
        Op::Sub => wide(a.wrapping_sub(b)),
        Op::Mul => wide(a.wrapping_mul(b)),
        Op::Div => Number::Float(a as f64 / b as f64),
        Op::Pow => {
            if b < 0 {
                return Err(CalcError::Value(
                    "Integers to negative integer powers are not allowed.".into(),
                ));
            }
            let (mut base, mut e, mut acc) = (a, b as u64, 1i64);
            while e > 0 {
                if e & 1 == 1 {
                    acc = acc.wrapping_mul(base);
                }
                base = base.wrapping_mul(base);
                e >>= 1;
            }
            wide(acc)
        }
    })
}

fn py_float(op: Op, x: f64, y: f64) -> Result<Number, CalcError> {
    Ok(Number::Float(match op {
        Op::Add => x + y,
        Op::Sub => x - y,
        Op::Mul => x * y,
        Op::Div => {
            if y == 0.0 {
                return Err(zero_division("float division by zero"));
            }
            x / y
        }
        Op::Pow => return py_float_pow(x, y),
    }))
}

fn np_float(op: Op, x: f64, y: f64) -> f64 {
    match op {
        Op::Add => x + y,
        Op::Sub => x - y,
        Op::Mul => x * y,
        Op::Div => x / y,
        Op::Pow => x.powf(y),
    }
}

fn is_odd_integer(x: f64) -> bool {
    x.abs() % 2.0 == 1.0
}

/// CPython's `float_pow`.
fn py_float_pow(x: f64, y: f64) -> Result<Number, CalcError> {
    let float = |v: f64| Ok(Number::Float(v));
    if y == 0.0 {
        return float(1.0);
    }
    if x.is_nan() {
        return float(if x == 1.0 { 1.0 } else { x });
    }
    if y.is_nan() {
        return float(if x == 1.0 { 1.0 } else { y });
    }
    if y.is_infinite() {
        let ax = x.abs();
        return float(if ax == 1.0 {
            1.0
        } else if (y > 0.0) == (ax > 1.0) {
            f64::INFINITY
        } else {
            0.0
        });
    }
    if x.is_infinite() {
        let odd = is_odd_integer(y);
        return float(if y > 0.0 {
            if odd {
                x
            } else {
                x.abs()
            }
        } else if odd {
            0.0f64.copysign(x)
        } else {
            0.0
        });
    }
    if x == 0.0 {
        if y < 0.0 {
            return Err(zero_division("0.0 cannot be raised to a negative power"));
        }
        return float(if is_odd_integer(y) { x } else { 0.0 });
    }
    let mut negate = false;
    let mut base = x;
    if x < 0.0 {
        if y != y.floor() {
            // Python 3: a negative float to a fractional power is complex.
            return py_complex_pow(Complex::real(x), Complex::real(y)).map(Number::Complex);
        }
        base = -x;
        negate = is_odd_integer(y);
    }
    if base == 1.0 {
        return float(if negate { -1.0 } else { 1.0 });
    }
    let r = base.powf(y);
    if r.is_infinite() {
        return Err(CalcError::Overflow(
            "(34, 'Numerical result out of range')".into(),
        ));
    }
    float(if negate { -r } else { r })
}

/// Smith's division; `None` when the divisor is zero.
fn smith_div(a: Complex, b: Complex) -> Option<Complex> {
    let (abr, abi) = (b.re.abs(), b.im.abs());
    if abr >= abi {
        if abr == 0.0 {
            return None;
        }
        let ratio = b.im / b.re;
        let denom = b.re + b.im * ratio;
        Some(Complex::new(
            (a.re + a.im * ratio) / denom,
            (a.im - a.re * ratio) / denom,
        ))
    } else if abi >= abr {
        let ratio = b.re / b.im;
        let denom = b.re * ratio + b.im;
        Some(Complex::new(
            (a.re * ratio + a.im) / denom,
            (a.im * ratio - a.re) / denom,
        ))
    } else {
        Some(Complex::new(f64::NAN, f64::NAN))
    }
}

/// numpy's complex division: Smith's, scaled by a reciprocal; a zero divisor gives inf/NaN.
fn np_cdiv(a: Complex, b: Complex) -> Complex {
    let (abr, abi) = (b.re.abs(), b.im.abs());
    if abr >= abi {
        if abr == 0.0 && abi == 0.0 {
            return Complex::new(a.re / abr, a.im / abi);
        }
        let rat = b.im / b.re;
        let scl = 1.0 / (b.re + b.im * rat);
        Complex::new((a.re + a.im * rat) * scl, (a.im - a.re * rat) * scl)
    } else {
        let rat = b.re / b.im;
        let scl = 1.0 / (b.im + b.re * rat);
        Complex::new((a.re * rat + a.im) * scl, (a.im * rat - a.re) * scl)
    }
}

fn py_complex(op: Op, x: Complex, y: Complex) -> Result<Complex, CalcError> {
    Ok(match op {
        Op::Add => x + y,
        Op::Sub => x - y,
        Op::Mul => x * y,
        Op::Div => smith_div(x, y).ok_or_else(|| zero_division("complex division by zero"))?,
        Op::Pow => py_complex_pow(x, y)?,
    })
}

fn np_complex(op: Op, x: Complex, y: Complex) -> Complex {
    match op {
        Op::Add => x + y,
        Op::Sub => x - y,
        Op::Mul => x * y,
        Op::Div => np_cdiv(x, y),
        Op::Pow => np_cpow(x, y),
    }
}

/// Binary powering (CPython's `c_powu`, numpy's loop).
fn c_powu(x: Complex, n: u64) -> Complex {
    let (mut r, mut p, mut mask) = (Complex::real(1.0), x, 1u64);
    while mask > 0 && n >= mask {
        if n & mask != 0 {
            r = r * p;
        }
        mask <<= 1;
        p = p * p;
    }
    r
}

/// CPython's `complex.__pow__`.
fn py_complex_pow(a: Complex, b: Complex) -> Result<Complex, CalcError> {
    let zero_power = || zero_division("0.0 to a negative or complex power");
    let r = if b.im == 0.0 && b.re == b.re.floor() && b.re.abs() <= 100.0 {
        let n = b.re as i64;
        if n > 0 {
            c_powu(a, n as u64)
        } else {
            smith_div(Complex::real(1.0), c_powu(a, n.unsigned_abs())).ok_or_else(zero_power)?
        }
    } else if b.is_zero() {
        Complex::real(1.0)
    } else if a.is_zero() {
        if b.im != 0.0 || b.re < 0.0 {
            return Err(zero_power());
        }
        Complex::default()
    } else {
        let vabs = a.re.hypot(a.im);
        let mut len = vabs.powf(b.re);
        let at = a.im.atan2(a.re);
        let mut phase = at * b.re;
        if b.im != 0.0 {
            len /= (at * b.im).exp();
            phase += b.im * vabs.ln();
        }
        if phase.is_infinite() {
            // cos(±inf) sets errno = EDOM, which CPython reports as this ZeroDivisionError.
            return Err(zero_power());
        }
        Complex::new(len * phase.cos(), len * phase.sin())
    };
    if r.is_infinite() {
        return Err(CalcError::Overflow("complex exponentiation".into()));
    }
    Ok(r)
}

/// numpy's `npy_cpow`.
fn np_cpow(a: Complex, b: Complex) -> Complex {
    if b.is_zero() {
        return Complex::real(1.0);
    }
    if a.is_zero() {
        // numpy ≥ 1.25: 0 for any exponent with a positive real part, else NaN.
        return if b.re > 0.0 {
            Complex::default()
        } else {
            Complex::new(f64::NAN, f64::NAN)
        };
    }
    if b.im == 0.0 && b.re == b.re.trunc() && b.re > -100.0 && b.re < 100.0 {
        let n = b.re as i64;
        return match n {
            1 => a,
            2 => a * a,
            3 => a * a * a,
            _ => {
                let r = c_powu(a, n.unsigned_abs());
                if n < 0 {
                    np_cdiv(Complex::real(1.0), r)
                } else {
                    r
                }
            }
        };
    }
    c_exp(b * c_log(a))
}

// ---------------------------------------------------------------------------------------------
// Functions
// ---------------------------------------------------------------------------------------------

/// A numpy ufunc: real in, real out; complex in, complex out; always a numpy scalar.
fn ufunc(x: Val, real: fn(f64) -> f64, cplx: fn(Complex) -> Complex) -> Val {
    match x.n {
        Number::Complex(c) => Val::np(Number::Complex(cplx(c))),
        other => Val::np(Number::Float(real(other.real()))),
    }
}

/// A `numpy.lib.scimath` function: a real argument outside the real domain goes complex.
fn scimath(
    x: Val,
    outside: fn(f64) -> bool,
    real: fn(f64) -> f64,
    cplx: fn(Complex) -> Complex,
) -> Val {
    match x.n {
        Number::Complex(c) => Val::np(Number::Complex(cplx(c))),
        other => {
            let v = other.real();
            if outside(v) {
                Val::np(Number::Complex(cplx(Complex::real(v))))
            } else {
                Val::np(Number::Float(real(v)))
            }
        }
    }
}

fn call_builtin(f: Builtin, x: Val) -> Result<Val, CalcError> {
    use Builtin::*;
    let one_int = Val::py(Number::Int(1));
    let one = Val::py(Number::Float(1.0));
    let negative = |v: f64| v < 0.0;
    let beyond_one = |v: f64| v.abs() > 1.0;
    Ok(match f {
        Sin => ufunc(x, f64::sin, c_sin),
        Cos => ufunc(x, f64::cos, c_cos),
        Tan => ufunc(x, f64::tan, c_tan),
        Sec => binop(Op::Div, one_int, ufunc(x, f64::cos, c_cos))?,
        Csc => binop(Op::Div, one_int, ufunc(x, f64::sin, c_sin))?,
        Cot => binop(Op::Div, one_int, ufunc(x, f64::tan, c_tan))?,
        Sqrt => scimath(x, negative, f64::sqrt, c_sqrt),
        Log10 => scimath(x, negative, f64::log10, |z| c_log(z).scale(LOG10_E)),
        Log2 => scimath(x, negative, f64::log2, |z| c_log(z).scale(LOG2_E)),
        Ln => scimath(x, negative, f64::ln, c_log),
        Exp => ufunc(x, f64::exp, c_exp),
        Arccos => scimath(x, beyond_one, f64::acos, c_acos),
        Arcsin => scimath(x, beyond_one, f64::asin, c_asin),
        Arctan => ufunc(x, f64::atan, c_atan),
        Arcsec => ufunc(binop(Op::Div, one, x)?, f64::acos, c_acos),
        Arccsc => ufunc(binop(Op::Div, one, x)?, f64::asin, c_asin),
        Arccot => {
            let at = ufunc(x, f64::atan, c_atan);
            let base = if x.n.real() < 0.0 {
                -PI / 2.0
            } else {
                PI / 2.0
            };
            binop(Op::Sub, Val::py(Number::Float(base)), at)?
        }
        Abs => match x.n {
            Number::Int(i) => Val::np(Number::Int((i as i64).wrapping_abs().into())),
            Number::Float(v) => Val::np(Number::Float(v.abs())),
            Number::Complex(c) => Val::np(Number::Float(c.abs())),
        },
        Factorial => factorial(x)?,
        Sinh => ufunc(x, f64::sinh, c_sinh),
        Cosh => ufunc(x, f64::cosh, c_cosh),
        Tanh => ufunc(x, f64::tanh, c_tanh),
        Sech => binop(Op::Div, one_int, ufunc(x, f64::cosh, c_cosh))?,
        Csch => binop(Op::Div, one_int, ufunc(x, f64::sinh, c_sinh))?,
        Coth => binop(Op::Div, one_int, ufunc(x, f64::tanh, c_tanh))?,
        Arcsinh => ufunc(x, asinh, c_asinh),
        Arccosh => ufunc(x, acosh, c_acosh),
        Arctanh => scimath(x, beyond_one, f64::atanh, c_atanh),
        Arcsech => ufunc(binop(Op::Div, one, x)?, acosh, c_acosh),
        Arccsch => ufunc(binop(Op::Div, one, x)?, asinh, c_asinh),
        Arccoth => ufunc(binop(Op::Div, one, x)?, f64::atanh, c_atanh),
    })
}

/// `math.factorial` (Python ≥ 3.10: ints, or objects with `__index__` such as numpy ints).
fn factorial(x: Val) -> Result<Val, CalcError> {
    let n = match x.n {
        Number::Int(n) => n,
        Number::Float(_) => {
            let t = if x.np { "numpy.float64" } else { "float" };
            return Err(CalcError::Type(format!(
                "'{t}' object cannot be interpreted as an integer"
            )));
        }
        Number::Complex(_) => {
            let t = if x.np { "numpy.complex128" } else { "complex" };
            return Err(CalcError::Type(format!(
                "'{t}' object cannot be interpreted as an integer"
            )));
        }
    };
    if n < 0 {
        return Err(CalcError::Value(
            "factorial() not defined for negative values".into(),
        ));
    }
    let mut acc: i128 = 1;
    for k in 2..=n {
        match acc.checked_mul(k) {
            Some(v) => acc = v,
            None => {
                // Past i128 (34!): Python's exact int, approximated.
                if n > 170 {
                    return Ok(Val::py(Number::Float(f64::INFINITY)));
                }
                let mut f = acc as f64;
                for m in k..=n {
                    f *= m as f64;
                }
                return Ok(Val::py(Number::Float(f)));
            }
        }
    }
    Ok(Val::py(Number::Int(acc)))
}

/// `asinh` without the overflow of `f64::asinh` for |x| > ~1e154.
fn asinh(x: f64) -> f64 {
    if x.abs() > 1e150 {
        (x.abs().ln() + LN_2).copysign(x)
    } else {
        x.asinh()
    }
}

/// `acosh` without the overflow of `f64::acosh` for x > ~1e154.
fn acosh(x: f64) -> f64 {
    if x > 1e150 {
        x.ln() + LN_2
    } else {
        x.acosh()
    }
}

// Complex elementary functions, with C99 (numpy) branch cuts.

fn c_exp(z: Complex) -> Complex {
    let m = z.re.exp();
    if z.im == 0.0 {
        return Complex::new(m, z.im);
    }
    if z.re == f64::NEG_INFINITY && !z.im.is_finite() {
        return Complex::default(); // C99: exp(-inf + i·(inf|nan)) = ±0 ± 0i
    }
    Complex::new(m * z.im.cos(), m * z.im.sin())
}

fn c_log(z: Complex) -> Complex {
    let (ax, ay) = (z.re.abs().max(z.im.abs()), z.re.abs().min(z.im.abs()));
    let h = ax.hypot(ay);
    // Near |z| = 1, ln|z| = ½·ln_1p((ax-1)(ax+1) + ay²) keeps the digits ln(h) would lose.
    let re = if h > 0.7 && h < 1.5 {
        0.5 * ((ax - 1.0) * (ax + 1.0) + ay * ay).ln_1p()
    } else {
        h.ln()
    };
    Complex::new(re, z.im.atan2(z.re))
}

fn c_sqrt(z: Complex) -> Complex {
    let (x, y) = (z.re, z.im);
    if x == 0.0 && y == 0.0 {
        return Complex::new(0.0, y);
    }
    if y.is_infinite() {
        return Complex::new(f64::INFINITY, y);
    }
    if x.is_nan() {
        return Complex::new(x, f64::NAN);
    }
    if x.is_infinite() {
        return if x > 0.0 {
            Complex::new(x, if y.is_nan() { y } else { 0.0f64.copysign(y) })
        } else {
            let re = if y.is_finite() { 0.0 } else { f64::NAN };
            Complex::new(re, f64::INFINITY.copysign(y))
        };
    }
    let t = ((x.abs() + x.hypot(y)) / 2.0).sqrt();
    if x >= 0.0 {
        Complex::new(t, y / (2.0 * t))
    } else {
        Complex::new(y.abs() / (2.0 * t), t.copysign(y))
    }
}

fn c_sin(z: Complex) -> Complex {
    Complex::new(z.re.sin() * z.im.cosh(), z.re.cos() * z.im.sinh())
}

fn c_cos(z: Complex) -> Complex {
    Complex::new(z.re.cos() * z.im.cosh(), -(z.re.sin() * z.im.sinh()))
}

fn c_sinh(z: Complex) -> Complex {
    Complex::new(z.re.sinh() * z.im.cos(), z.re.cosh() * z.im.sin())
}

fn c_cosh(z: Complex) -> Complex {
    Complex::new(z.re.cosh() * z.im.cos(), z.re.sinh() * z.im.sin())
}

/// Kahan's formula, exact for large real parts.
fn c_tanh(z: Complex) -> Complex {
    let (x, y) = (z.re, z.im);
    if x.abs() > 22.0 {
        let e = (-2.0 * x.abs()).exp();
        return Complex::new(1.0f64.copysign(x), 4.0 * y.sin() * y.cos() * e);
    }
    let t = y.tan();
    let beta = 1.0 + t * t;
    let s = x.sinh();
    let rho = (1.0 + s * s).sqrt();
    let den = 1.0 + beta * s * s;
    Complex::new(beta * rho * s / den, t / den)
}

/// tan(z) = -i tanh(iz).
fn c_tan(z: Complex) -> Complex {
    let w = c_tanh(Complex::new(-z.im, z.re));
    Complex::new(w.im, -w.re)
}

/// For x, y ≥ 0: (Re asin, Re acos, |Im|) by Hull, Fairgrieve & Tang (1997).
fn asin_acos_parts(x: f64, y: f64) -> (f64, f64, f64) {
    if x.max(y) > 1e150 {
        return (x.atan2(y), y.atan2(x), x.hypot(y).ln() + LN_2);
    }
    let r = (x + 1.0).hypot(y);
    let s = (x - 1.0).hypot(y);
    let a = 0.5 * (r + s);
    let b = x / a;
    let y2 = y * y;
    let (re_asin, re_acos) = if b <= 0.6417 {
        (b.asin(), b.acos())
    } else {
        let apx = if x <= 1.0 {
            0.5 * (a + x) * (y2 / (r + x + 1.0) + (s + (1.0 - x)))
        } else {
            0.5 * (a + x) * (y2 / (r + x + 1.0) + y2 / (s + (x - 1.0)))
        };
        let sq = apx.sqrt();
        ((x / sq).atan(), (sq / x).atan())
    };
    let im = if a <= 1.5 {
        let am1 = if x < 1.0 {
            0.5 * (y2 / (r + x + 1.0) + y2 / (s + (1.0 - x)))
        } else {
            0.5 * (y2 / (r + x + 1.0) + (s + (x - 1.0)))
        };
        (am1 + (am1 * (a + 1.0)).sqrt()).ln_1p()
    } else {
        (a + (a * a - 1.0).sqrt()).ln()
    };
    (re_asin, re_acos, im)
}

fn c_asin(z: Complex) -> Complex {
    let (re, _, im) = asin_acos_parts(z.re.abs(), z.im.abs());
    Complex::new(re.copysign(z.re), im.copysign(z.im))
}

fn c_acos(z: Complex) -> Complex {
    let (_, re, im) = asin_acos_parts(z.re.abs(), z.im.abs());
    let re = if z.re.is_sign_negative() { PI - re } else { re };
    let im = if z.im.is_sign_negative() { im } else { -im };
    Complex::new(re, im)
}

/// asinh(x + iy) = swap(asin(y + ix)).
fn c_asinh(z: Complex) -> Complex {
    c_asin(z.swap()).swap()
}

fn c_acosh(z: Complex) -> Complex {
    let w = c_acos(z);
    Complex::new(w.im.abs(), w.re.copysign(z.im))
}

fn c_atanh(z: Complex) -> Complex {
    let (x, y) = (z.re.abs(), z.im.abs());
    if y == 0.0 && x <= 1.0 {
        return Complex::new(z.re.atanh(), z.im);
    }
    let (rx, ry) = if x.is_infinite() || y.is_infinite() {
        (0.0, FRAC_PI_2)
    } else if x.max(y) > 1e150 {
        let h = x.hypot(y);
        ((4.0 * (x / h) / h).ln_1p() / 4.0, FRAC_PI_2)
    } else {
        let xm1 = x - 1.0;
        (
            (4.0 * x / (xm1 * xm1 + y * y)).ln_1p() / 4.0,
            0.5 * (2.0 * y).atan2((1.0 - x) * (1.0 + x) - y * y),
        )
    };
    Complex::new(rx.copysign(z.re), ry.copysign(z.im))
}

/// atan(x + iy) = swap(atanh(y + ix)).
fn c_atan(z: Complex) -> Complex {
    c_atanh(z.swap()).swap()
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    //! Cases from openedx-calc's own test-suite (`tests/test_calc.py`, `calc/tests/test_calc.py`),
    //! plus the grammar and Python-semantics facts documented above.
    // The expected values are openedx-calc's own (3.14, 2.718, ...), and its case tables are
    // kept as tables.
    #![allow(clippy::approx_constant, clippy::type_complexity)]

    use super::*;

    fn ev(expr: &str) -> Result<Number, CalcError> {
        evaluator(&[], &[], expr, false)
    }

    fn val(expr: &str) -> Complex {
        ev(expr)
            .unwrap_or_else(|e| panic!("{expr}: {e}"))
            .to_complex()
    }

    #[track_caller]
    fn close(expr: &str, expected: Complex, delta: f64) {
        let got = val(expr);
        assert!(
            (got - expected).abs() <= delta,
            "{expr}: got {got}, expected {expected}"
        );
    }

    #[track_caller]
    fn near(expr: &str, re: f64, im: f64) {
        close(expr, Complex::new(re, im), 1e-3);
    }

    fn err(expr: &str) -> CalcError {
        match ev(expr) {
            Ok(v) => panic!("{expr}: expected an error, got {v}"),
            Err(e) => e,
        }
    }

    #[test]
    fn number_input() {
        assert_eq!(ev("13"), Ok(Number::Int(13)));
        assert_eq!(ev("3.14"), Ok(Number::Float(3.14)));
        assert_eq!(ev(".618033989"), Ok(Number::Float(0.618033989)));
        assert_eq!(ev("-13"), Ok(Number::Int(-13)));
        assert_eq!(ev("-3.14"), Ok(Number::Float(-3.14)));
        assert_eq!(ev("-.618033989"), Ok(Number::Float(-0.618033989)));
        assert_eq!(ev("4."), Ok(Number::Float(4.0)));
    }

    #[test]
    fn lone_period_is_a_parse_error() {
        assert!(matches!(err("."), CalcError::Parse { .. }));
        assert!(matches!(err("1+."), CalcError::Parse { .. }));
    }

    #[test]
    fn exponential_answers() {
        for s in ["50", "50.0", "5e1", "5e+1", "50e0", "50.0e0", "500e-1"] {
            assert_eq!(val(s), Complex::real(50.0), "{s}");
        }
        for s in ["3.9", "4.1", "0", "5.01e1"] {
            assert_ne!(val(s), Complex::real(50.0), "{s}");
        }
        assert!(ev("").unwrap().is_nan());
        assert!(ev("  \t ").unwrap().is_nan());
        assert_eq!(ev("5E1"), Ok(Number::Float(50.0)));
        assert_eq!(ev("1e999"), Ok(Number::Float(f64::INFINITY)));
    }

    #[test]
    fn percent_suffix_and_no_si_suffixes() {
        close("4.2%", Complex::real(0.042), 0.042e-6);
        assert_eq!(ev("5%"), Ok(Number::Float(0.05)));
        assert_eq!(ev("50%*2"), Ok(Number::Float(1.0)));
        for s in ["5k", "2M", "3m", "1u", "4n", "7p", "1G", "1T", "3c"] {
            assert!(matches!(err(s), CalcError::Parse { .. }), "{s}");
        }
    }

    #[test]
    fn operator_sanity() {
        assert_eq!(val("5.0 + 2.0"), Complex::real(7.0));
        assert_eq!(val("5.0 - 2.0"), Complex::real(3.0));
        assert_eq!(val("5.0 * 2.0"), Complex::real(10.0));
        assert_eq!(val("5.0 / 2.0"), Complex::real(2.5));
        assert_eq!(val("5.0 ^ 2.0"), Complex::real(25.0));
    }

    #[test]
    fn ints_stay_ints() {
        assert_eq!(ev("2+3*4"), Ok(Number::Int(14)));
        assert_eq!(ev("2^10"), Ok(Number::Int(1024)));
        assert_eq!(ev("7/2"), Ok(Number::Float(3.5)));
        assert_eq!(ev("4/2"), Ok(Number::Float(2.0)));
        assert_eq!(ev("2^-1"), Ok(Number::Float(0.5)));
    }

    #[test]
    fn precedence_and_associativity() {
        assert_eq!(val("1+2*3"), Complex::real(7.0));
        assert_eq!(val("(1+2)*3"), Complex::real(9.0));
        assert_eq!(val("2^3^2"), Complex::real(512.0));
        assert_eq!(val("(2^3)^2"), Complex::real(64.0));
        assert_eq!(val("-2^2"), Complex::real(-4.0));
        assert_eq!(val("(-2)^2"), Complex::real(4.0));
        assert_eq!(val("2^-2"), Complex::real(0.25));
        assert_eq!(val("2*-3"), Complex::real(-6.0));
        assert_eq!(val("1 - -1"), Complex::real(2.0));
        assert_eq!(val("8/4/2"), Complex::real(1.0));
        assert_eq!(val("2*3||6"), Complex::real(4.0)); // 2 * (3||6) = 2 * 2
        assert_eq!(val("2^2||4"), Complex::real(2.0)); // (2^2) || 4
        assert_eq!(val("10 - 2 - 3"), Complex::real(5.0));
    }

    #[test]
    fn whitespace_between_tokens() {
        assert_eq!(ev(" 1 +\t2\n"), Ok(Number::Int(3)));
        assert_eq!(ev("sin (0)"), Ok(Number::Float(0.0)));
        assert_eq!(ev("5 e1"), Ok(Number::Float(50.0)));
        assert_eq!(ev("2^- 3"), Ok(Number::Float(0.125)));
        assert!(matches!(err("1 .5"), CalcError::Parse { .. }));
    }

    #[test]
    fn parse_errors() {
        for s in [
            "2x", "2**3", "2^-x", "2e", "2^{3}", "1 2", "*3", "3+", "x|y", "(1+2)(3)",
        ] {
            assert!(matches!(err(s), CalcError::Parse { .. }), "{s}");
        }
        match err("1 + 2 3") {
            CalcError::Parse { position, .. } => assert_eq!(position, 6),
            e => panic!("{e}"),
        }
    }

    #[test]
    fn explicit_sci_notation() {
        assert_eq!(ev("-1.6*10^-3"), Ok(Number::Float(-0.0016)));
        assert_eq!(ev("-1.6*10^(-3)"), Ok(Number::Float(-0.0016)));
        assert_eq!(ev("-1.6*10^3"), Ok(Number::Float(-1600.0)));
        assert_eq!(ev("-1.6*10^(3)"), Ok(Number::Float(-1600.0)));
    }

    #[test]
    fn zero_division_raises() {
        assert!(matches!(err("1/0"), CalcError::ZeroDivision(_)));
        assert!(matches!(err("1/0.0"), CalcError::ZeroDivision(_)));
        let x0 = [("x", Number::Float(0.0))];
        assert!(matches!(
            evaluator(&x0, &[], "1/x", false),
            Err(CalcError::ZeroDivision(_))
        ));
        assert!(matches!(err("0^-1"), CalcError::ZeroDivision(_)));
        assert!(matches!(err("1/(0*j)"), CalcError::ZeroDivision(_)));
        // numpy scalars do not raise.
        assert_eq!(val("1/sin(0)"), Complex::real(f64::INFINITY));
        assert_eq!(val("cot(0)"), Complex::real(f64::INFINITY));
    }

    #[test]
    fn overflow_and_negative_bases() {
        assert!(matches!(err("10.0^400"), CalcError::Overflow(_)));
        assert!(matches!(err("(1+j)^4000.5"), CalcError::Overflow(_)));
        near("(-8)^(1/3)", 1.0, 3f64.sqrt());
        assert!(matches!(err("abs(-2)^-1"), CalcError::Value(_)));
        assert!(val("sqrt(2)-sqrt(2)+(-8)^(1/3)").is_finite());
        assert!(val("(-8+0*sin(0))^(1/3)").re.is_nan()); // numpy float64 power
    }

    #[test]
    fn parallel_resistors() {
        assert_eq!(ev("1||1"), Ok(Number::Float(0.5)));
        assert_eq!(ev("1||1||2"), Ok(Number::Float(0.4)));
        assert_eq!(val("j||1"), Complex::new(0.5, 0.5));
        assert!(ev("0||1").unwrap().is_nan());
        assert!(ev("0.0||1").unwrap().is_nan());
        let x0 = [("x", Number::Float(0.0))];
        assert!(evaluator(&x0, &[], "x||1", false).unwrap().is_nan());
        assert!(matches!(err("1||-1"), CalcError::ZeroDivision(_)));
        close("10||sin(7+5)", Complex::real(-0.567), 0.01);
    }

    #[test]
    fn trig_functions() {
        let angles = ["-pi/4", "0", "pi/6", "pi/5", "5*pi/4", "9*pi/4", "1 + j"];
        let sin = [(-0.707, 0.0), (0.0, 0.0), (0.5, 0.0), (0.588, 0.0)];
        let sin = sin
            .iter()
            .copied()
            .chain([(-0.707, 0.0), (0.707, 0.0), (1.298, 0.635)]);
        for (a, (re, im)) in angles.iter().zip(sin) {
            near(&format!("sin({a})"), re, im);
        }
        let cos = [
            (0.707, 0.0),
            (1.0, 0.0),
            (0.866, 0.0),
            (0.809, 0.0),
            (-0.707, 0.0),
            (0.707, 0.0),
            (0.834, -0.989),
        ];
        for (a, (re, im)) in angles.iter().zip(cos) {
            near(&format!("cos({a})"), re, im);
        }
        let tan = [
            (-1.0, 0.0),
            (0.0, 0.0),
            (0.577, 0.0),
            (0.727, 0.0),
            (1.0, 0.0),
            (1.0, 0.0),
            (0.272, 1.084),
        ];
        for (a, (re, im)) in angles.iter().zip(tan) {
            near(&format!("tan({a})"), re, im);
        }
    }

    #[test]
    fn inverse_trig_functions() {
        let inputs = [
            "-0.707",
            "0",
            "0.5",
            "0.588",
            "1.298 + 0.635*j",
            "-1.1",
            "1.1",
        ];
        let angles = [
            (-0.785, 0.0),
            (0.0, 0.0),
            (0.524, 0.0),
            (0.629, 0.0),
            (1.0, 1.0),
            (-1.570, 0.443),
            (1.570, 0.443),
        ];
        for (x, (re, im)) in inputs.iter().zip(angles) {
            near(&format!("arcsin({x})"), re, im);
        }
        let inputs = ["1", "0.866", "0.809", "0.834-0.989*j", "-1.1", "1.1"];
        let angles = [
            (0.0, 0.0),
            (0.524, 0.0),
            (0.628, 0.0),
            (1.0, 1.0),
            (3.141, -0.443),
            (0.0, -0.443),
        ];
        for (x, (re, im)) in inputs.iter().zip(angles) {
            near(&format!("arccos({x})"), re, im);
        }
        let inputs = ["-1", "0", "0.577", "0.727", "0.272 + 1.084*j"];
        let angles = [
            (-0.785, 0.0),
            (0.0, 0.0),
            (0.524, 0.0),
            (0.629, 0.0),
            (1.0, 1.0),
        ];
        for (x, (re, im)) in inputs.iter().zip(angles) {
            near(&format!("arctan({x})"), re, im);
        }
    }

    #[test]
    fn reciprocal_trig_functions() {
        let angles = ["-pi/4", "pi/6", "pi/5", "5*pi/4", "9*pi/4", "1 + j"];
        let cases: [(&str, [(f64, f64); 6]); 3] = [
            (
                "sec",
                [
                    (1.414, 0.0),
                    (1.155, 0.0),
                    (1.236, 0.0),
                    (-1.414, 0.0),
                    (1.414, 0.0),
                    (0.498, 0.591),
                ],
            ),
            (
                "csc",
                [
                    (-1.414, 0.0),
                    (2.0, 0.0),
                    (1.701, 0.0),
                    (-1.414, 0.0),
                    (1.414, 0.0),
                    (0.622, -0.304),
                ],
            ),
            (
                "cot",
                [
                    (-1.0, 0.0),
                    (1.732, 0.0),
                    (1.376, 0.0),
                    (1.0, 0.0),
                    (1.0, 0.0),
                    (0.218, -0.868),
                ],
            ),
        ];
        for (f, values) in cases {
            for (a, (re, im)) in angles.iter().zip(values) {
                near(&format!("{f}({a})"), re, im);
            }
        }
        let inverse: [(&str, [&str; 6], [(f64, f64); 6]); 3] = [
            (
                "arcsec",
                ["1.1547", "1.2361", "2", "-2", "-1.4142", "0.4983+0.5911*j"],
                [
                    (0.524, 0.0),
                    (0.628, 0.0),
                    (1.047, 0.0),
                    (2.094, 0.0),
                    (2.356, 0.0),
                    (1.0, 1.0),
                ],
            ),
            (
                "arccsc",
                [
                    "-1.1547",
                    "-1.4142",
                    "2",
                    "1.7013",
                    "1.1547",
                    "0.6215-0.3039*j",
                ],
                [
                    (-1.047, 0.0),
                    (-0.785, 0.0),
                    (0.524, 0.0),
                    (0.628, 0.0),
                    (1.047, 0.0),
                    (1.0, 1.0),
                ],
            ),
            (
                "arccot",
                [
                    "-0.5774",
                    "-1",
                    "1.7321",
                    "1.3764",
                    "0.5774",
                    "(0.2176-0.868*j)",
                ],
                [
                    (-1.047, 0.0),
                    (-0.785, 0.0),
                    (0.524, 0.0),
                    (0.628, 0.0),
                    (1.047, 0.0),
                    (1.0, 1.0),
                ],
            ),
        ];
        for (f, inputs, values) in inverse {
            for (x, (re, im)) in inputs.iter().zip(values) {
                near(&format!("{f}({x})"), re, im);
            }
        }
    }

    #[test]
    fn hyperbolic_functions() {
        let inputs = ["0", "0.5", "1", "2", "1+j"];
        let neg_inputs = ["0", "-0.5", "-1", "-2", "-1-j"];
        // (function, values, odd)
        let cases: [(&str, [(f64, f64); 5], bool); 4] = [
            (
                "sinh",
                [
                    (0.0, 0.0),
                    (0.521, 0.0),
                    (1.175, 0.0),
                    (3.627, 0.0),
                    (0.635, 1.298),
                ],
                true,
            ),
            (
                "cosh",
                [
                    (1.0, 0.0),
                    (1.128, 0.0),
                    (1.543, 0.0),
                    (3.762, 0.0),
                    (0.834, 0.989),
                ],
                false,
            ),
            (
                "tanh",
                [
                    (0.0, 0.0),
                    (0.462, 0.0),
                    (0.762, 0.0),
                    (0.964, 0.0),
                    (1.084, 0.272),
                ],
                true,
            ),
            (
                "sech",
                [
                    (1.0, 0.0),
                    (0.887, 0.0),
                    (0.648, 0.0),
                    (0.266, 0.0),
                    (0.498, -0.591),
                ],
                false,
            ),
        ];
        for (f, values, odd) in cases {
            for ((x, nx), (re, im)) in inputs.iter().zip(neg_inputs).zip(values) {
                near(&format!("{f}({x})"), re, im);
                let s = if odd { -1.0 } else { 1.0 };
                near(&format!("{f}({nx})"), s * re, s * im);
            }
        }
        let cases: [(&str, [(f64, f64); 4]); 2] = [
            (
                "csch",
                [(1.919, 0.0), (0.851, 0.0), (0.276, 0.0), (0.304, -0.622)],
            ),
            (
                "coth",
                [(2.164, 0.0), (1.313, 0.0), (1.037, 0.0), (0.868, -0.218)],
            ),
        ];
        for (f, values) in cases {
            for ((x, nx), (re, im)) in inputs[1..].iter().zip(&neg_inputs[1..]).zip(values) {
                near(&format!("{f}({x})"), re, im);
                near(&format!("{f}({nx})"), -re, -im);
            }
        }
    }

    #[test]
    fn hyperbolic_inverses() {
        let results = [(0.0, 0.0), (0.5, 0.0), (1.0, 0.0), (2.0, 0.0), (1.0, 1.0)];
        let cases: [(&str, [&str; 5]); 4] = [
            (
                "arcsinh",
                ["0", "0.5211", "1.1752", "3.6269", "0.635+1.2985*j"],
            ),
            (
                "arccosh",
                ["1", "1.1276", "1.5431", "3.7622", "0.8337+0.9889*j"],
            ),
            (
                "arctanh",
                ["0", "0.4621", "0.7616", "0.964", "1.0839+0.2718*j"],
            ),
            (
                "arcsech",
                ["1.0", "0.8868", "0.6481", "0.2658", "0.4983-0.5911*j"],
            ),
        ];
        for (f, inputs) in cases {
            for (x, (re, im)) in inputs.iter().zip(results) {
                near(&format!("{f}({x})"), re, im);
            }
        }
        let cases: [(&str, [&str; 4]); 2] = [
            ("arccsch", ["1.919", "0.8509", "0.2757", "0.3039-0.6215*j"]),
            ("arccoth", ["2.164", "1.313", "1.0373", "0.868-0.2176*j"]),
        ];
        for (f, inputs) in cases {
            for (x, (re, im)) in inputs.iter().zip(&results[1..]) {
                near(&format!("{f}({x})"), *re, *im);
            }
        }
    }

    #[test]
    fn other_functions() {
        for (x, y) in [("0", 0.0), ("1", 1.0), ("2", 1.414), ("1024", 32.0)] {
            near(&format!("sqrt({x})"), y, 0.0);
        }
        // scimath: complex outside the real domain.
        assert_eq!(val("sqrt(-4)"), Complex::new(0.0, 2.0));
        near("ln(-1)", 0.0, PI);
        near("arctanh(2)", 0.549, 1.571);
        assert!(val("arccosh(0.5)").re.is_nan()); // plain numpy
        assert!(val("arcsec(0.5)").re.is_nan());
        for (f, cases) in [
            (
                "log10",
                vec![
                    ("0.1", (-1.0, 0.0)),
                    ("1", (0.0, 0.0)),
                    ("3.162", (0.5, 0.0)),
                    ("1000000", (6.0, 0.0)),
                    ("1+j", (0.151, 0.341)),
                ],
            ),
            (
                "log2",
                vec![
                    ("0.5", (-1.0, 0.0)),
                    ("1", (0.0, 0.0)),
                    ("1.414", (0.5, 0.0)),
                    ("1024", (10.0, 0.0)),
                    ("1+j", (0.5, 1.133)),
                ],
            ),
            (
                "ln",
                vec![
                    ("0.368", (-1.0, 0.0)),
                    ("1", (0.0, 0.0)),
                    ("1.649", (0.5, 0.0)),
                    ("2.718", (1.0, 0.0)),
                    ("42", (3.738, 0.0)),
                    ("1+j", (0.347, 0.785)),
                ],
            ),
            (
                "abs",
                vec![
                    ("-1", (1.0, 0.0)),
                    ("0", (0.0, 0.0)),
                    ("1", (1.0, 0.0)),
                    ("j", (1.0, 0.0)),
                ],
            ),
        ] {
            for (x, (re, im)) in cases {
                near(&format!("{f}({x})"), re, im);
            }
        }
        near("exp(1)", E, 0.0);
        near("exp(j*pi)", -1.0, 0.0);
    }

    #[test]
    fn factorial() {
        for (n, v) in [(0, 1), (1, 1), (3, 6), (7, 5040)] {
            assert_eq!(ev(&format!("fact({n})")), Ok(Number::Int(v)));
            assert_eq!(ev(&format!("factorial({n})")), Ok(Number::Int(v)));
        }
        assert_eq!(ev("fact(2+1)"), Ok(Number::Int(6)));
        assert!(matches!(err("fact(-1)"), CalcError::Value(_)));
        assert!(matches!(err("factorial(-1)"), CalcError::Value(_)));
        assert!(matches!(err("fact(0.5)"), CalcError::Type(_)));
        assert!(matches!(err("factorial(0.5)"), CalcError::Type(_)));
        assert!(matches!(err("fact(3.0)"), CalcError::Type(_)));
        assert!(matches!(err("fact(j)"), CalcError::Type(_)));
        assert_eq!(ev("fact(abs(-3))"), Ok(Number::Int(6))); // numpy int has __index__
    }

    #[test]
    fn constants() {
        assert_eq!(ev("i"), Ok(Number::Complex(Complex::I)));
        assert_eq!(ev("j"), Ok(Number::Complex(Complex::I)));
        close("e", Complex::real(2.7183), 1e-4);
        close("pi", Complex::real(3.1416), 1e-4);
        assert!(matches!(err("k"), CalcError::UndefinedVariable(_)));
        assert!(matches!(err("c"), CalcError::UndefinedVariable(_)));
        assert!(matches!(err("T"), CalcError::UndefinedVariable(_)));
    }

    #[test]
    fn complex_expressions() {
        close("(2^2+1.0)/sqrt(5e0)*5-1", Complex::real(10.180), 1e-3);
        close("1+1/(1+1/(1+1/(1+1)))", Complex::real(1.6), 1e-3);
        close("sin(e)", Complex::real(0.41), 0.01);
        close("e^(j*pi)", Complex::real(-1.0), 1e-5);
    }

    #[test]
    fn complex_arithmetic() {
        assert_eq!(val("(1+2*j)*(3-j)"), Complex::new(5.0, 5.0));
        assert_eq!(val("j^2"), Complex::new(-1.0, 0.0));
        near("(1+j)/(1-j)", 0.0, 1.0);
        near("sqrt(-1)*sqrt(-1)", -1.0, 0.0);
        near("abs(3+4*i)", 5.0, 0.0);
        assert!(matches!(err("2j"), CalcError::Parse { .. }));
    }

    #[test]
    fn simple_vars() {
        let vars = [
            ("x", Number::Float(9.72)),
            ("y", Number::Float(7.91)),
            ("loooooong", Number::Float(6.4)),
            ("f_0'", Number::Float(2.0)),
            ("T_{ijk}^{123}''", Number::Float(5.2)),
        ];
        let e = |s: &str| evaluator(&vars, &[], s, false).unwrap();
        assert_eq!(e("13"), Number::Int(13));
        assert_eq!(e("x"), Number::Float(9.72));
        assert_eq!(e("y"), Number::Float(7.91));
        assert_eq!(e("loooooong"), Number::Float(6.4));
        assert_eq!(e("f_0'"), Number::Float(2.0));
        assert_eq!(e("T_{ijk}^{123}''"), Number::Float(5.2));
        assert!((e("3*x-y").real() - 21.25).abs() < 0.01);
        assert!((e("x*y").real() - 76.89).abs() < 0.01);
        let t = [
            ("U_{ij}", Number::Float(3.0)),
            ("x^{2}", Number::Float(4.0)),
        ];
        assert_eq!(
            evaluator(&t, &[], "U_{ij}*x^{2}", false),
            Ok(Number::Float(12.0))
        );
    }

    #[test]
    fn variable_case_sensitivity() {
        let r = [("R1", Number::Float(2.0)), ("R3", Number::Float(4.0))];
        assert_eq!(evaluator(&r, &[], "r1*r3", false), Ok(Number::Float(8.0)));
        let big_e = [("E", Number::Float(1.0))];
        assert_eq!(evaluator(&big_e, &[], "E", true), Ok(Number::Float(1.0)));
        let small = evaluator(&big_e, &[], "e", true).unwrap().real();
        assert!((small - 2.718).abs() < 0.02);
        // Case-insensitive: the caller's E replaces the constant e.
        assert_eq!(evaluator(&big_e, &[], "e", false), Ok(Number::Float(1.0)));
    }

    #[test]
    fn simple_funcs() {
        let id = |x: Number| -> Result<Number, CalcError> { Ok(x) };
        let f: [(&str, UserFunction<'_>); 1] = [("id", &id)];
        assert_eq!(
            evaluator(&[], &f, "id(2.81)", false),
            Ok(Number::Float(2.81))
        );
        let x = [("x", Number::Float(4.712))];
        assert_eq!(evaluator(&x, &f, "id(x)", false), Ok(Number::Float(4.712)));
        let sin = |x: Number| -> Result<Number, CalcError> { Ok(Number::Float(x.real().sin())) };
        let f2: [(&str, UserFunction<'_>); 2] = [("id", &id), ("f", &sin)];
        let v = evaluator(&x, &f2, "f(x)", false).unwrap().real();
        assert!((v + 1.0).abs() < 1e-3);
    }

    #[test]
    fn function_case_sensitivity() {
        close("SiN(6)", Complex::real(-0.279), 1e-3);
        match evaluator(&[], &[], "SiN(6)", true) {
            Err(CalcError::UndefinedVariable(m)) => {
                assert!(m.contains("SiN") && m.contains("did you mean sin?"), "{m}")
            }
            other => panic!("{other:?}"),
        }
        let f = |x: Number| -> Result<Number, CalcError> { Ok(x) };
        let big_f =
            |x: Number| -> Result<Number, CalcError> { Ok(Number::Int(x.real() as i128 + 1)) };
        let funcs: [(&str, UserFunction<'_>); 2] = [("f", &f), ("F", &big_f)];
        assert_eq!(evaluator(&[], &funcs, "f(6)", true), Ok(Number::Int(6)));
        assert_eq!(evaluator(&[], &funcs, "F(6)", true), Ok(Number::Int(7)));
    }

    #[test]
    fn undefined_names() {
        let msg = |r: Result<Number, CalcError>| match r {
            Err(CalcError::UndefinedVariable(m)) => m,
            other => panic!("{other:?}"),
        };
        let m = msg(ev("5+7*QWSEKO"));
        assert_eq!(
            m,
            "Invalid Input: QWSEKO not permitted in answer as a variable"
        );
        let r1 = [("r1", Number::Int(5))];
        assert!(msg(evaluator(&r1, &[], "r1+r2", false)).contains("r2"));
        let r = [("R1", Number::Float(2.0)), ("R3", Number::Float(4.0))];
        let m = msg(evaluator(&r, &[], "r1*r3", true));
        assert_eq!(
            m,
            "Invalid Input: r1, r3 not permitted in answer as a variable (did you mean R1, R3?)"
        );
        let m = msg(evaluator(&r, &[], "R1(R3 + 1)", false));
        assert!(
            m.contains("did you forget to use * for multiplication?"),
            "{m}"
        );
        assert!(msg(ev("pi(2)")).contains("did you forget to use *"));
        // Variables are reported before functions.
        assert!(msg(ev("foo(y)")).contains("y not permitted in answer as a variable"));
    }

    #[test]
    fn mismatched_parens() {
        match err("(1+2") {
            CalcError::UnmatchedParenthesis(m) => assert!(m.contains("opened but never closed")),
            e => panic!("{e}"),
        }
        match err("(1+2))") {
            CalcError::UnmatchedParenthesis(m) => {
                assert!(m.contains("no matching opening parenthesis"));
                assert!(m.contains("after segment (1+2)"), "{m}");
            }
            e => panic!("{e}"),
        }
        // Parentheses are checked before names and syntax.
        assert!(matches!(err("foo(("), CalcError::UnmatchedParenthesis(_)));
    }

    #[test]
    fn nesting_limit() {
        let nested = |n: usize| format!("{}1{}", "(".repeat(n), ")".repeat(n));
        assert_eq!(ev(&nested(MAX_NESTING)), Ok(Number::Int(1)));
        assert_eq!(ev(&nested(MAX_NESTING + 1)), Err(CalcError::Recursion));
        assert_eq!(ev(&nested(100_000)), Err(CalcError::Recursion));
        let calls = format!("{}0{}", "sin(".repeat(MAX_NESTING), ")".repeat(MAX_NESTING));
        assert_eq!(ev(&calls), Ok(Number::Float(0.0)));
        let calls = format!("{}0{}", "sin(".repeat(5000), ")".repeat(5000));
        assert_eq!(ev(&calls), Err(CalcError::Recursion));
        // Long flat expressions are not nested.
        let flat = vec!["1"; 100_000].join("+");
        assert_eq!(ev(&flat), Ok(Number::Int(100_000)));
    }

    #[test]
    fn evaluation_order_of_errors() {
        // Children are evaluated before the operator: fact(-1) raises before 1/0 is divided.
        assert!(matches!(err("1/0*fact(-1)"), CalcError::Value(_)));
    }

    #[test]
    fn convenience_evaluate() {
        let mut vars = HashMap::new();
        vars.insert("x".to_string(), Complex::real(2.0));
        vars.insert("z".to_string(), Complex::new(0.0, 1.0));
        let mut funcs: HashMap<String, fn(Complex) -> Complex> = HashMap::new();
        funcs.insert("double".to_string(), |c| c * Complex::real(2.0));
        assert_eq!(
            evaluate("double(x) + z", &vars, &funcs, false),
            Ok(Complex::new(4.0, 1.0))
        );
        vars.insert("x".to_string(), Complex::real(0.0));
        assert!(matches!(
            evaluate("1/x", &vars, &funcs, false),
            Err(CalcError::ZeroDivision(_))
        ));
    }
}
