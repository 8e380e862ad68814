//! Input types that validate on construction: a handler holding an `Email` knows it is well-formed.
//! Errors are Fluent message ids, so the form shows them in the user's language.

/// A normalised (trimmed, lowercased) email address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(input: &str) -> Result<Email, &'static str> {
        let s = input.trim().to_lowercase();
        if s.is_empty() {
            return Err("error-email-required");
        }
        let valid = s.len() <= 254
            && !s.chars().any(|c| c.is_whitespace() || c.is_control())
            && match s.split_once('@') {
                Some((local, domain)) => {
                    !local.is_empty()
                        && local.len() <= 64
                        && !domain.contains('@')
                        && domain.contains('.')
                        && !domain.starts_with('.')
                        && !domain.ends_with('.')
                        && !domain.contains("..")
                }
                None => false,
            };
        if valid {
            Ok(Email(s))
        } else {
            Err("error-email-invalid")
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A person's full name as it will appear on certificates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FullName(String);

impl FullName {
    pub fn parse(input: &str) -> Result<FullName, &'static str> {
        let s: String = input.split_whitespace().collect::<Vec<_>>().join(" ");
        if s.is_empty() {
            return Err("error-name-required");
        }
        if s.chars().count() > 200 || s.chars().any(|c| c.is_control() || "<>".contains(c)) {
            return Err("error-name-invalid");
        }
        Ok(FullName(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A new password: long enough to resist guessing, short enough to hash cheaply.
pub fn check_new_password(password: &str, email: Option<&str>) -> Result<(), &'static str> {
    let n = password.chars().count();
    if n < crate::password::MIN_LEN {
        return Err("error-password-short");
    }
    if password.len() > crate::password::MAX_LEN {
        return Err("error-password-long");
    }
    if email.is_some_and(|e| password.trim().eq_ignore_ascii_case(e)) {
        return Err("error-password-is-email");
    }
    Ok(())
}

/// Only local paths may be redirect targets (no open redirects via `?next=`).
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.starts_with("/\\")
                && !n.chars().any(|c| c.is_control()) =>
        {
            n.to_string()
        }
        _ => "/".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails() {
        assert_eq!(
            Email::parse("  Jan.Kowalski@Gmina.PL ").unwrap().as_str(),
            "jan.kowalski@gmina.pl"
        );
        for bad in [
            "",
            "jan",
            "jan@",
            "@x.pl",
            "jan@pl",
            "ja n@x.pl",
            "a@b@c.pl",
            "a@.x.pl",
            "a@x..pl",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn names_and_passwords() {
        assert_eq!(
            FullName::parse("  Anna   Nowak ").unwrap().as_str(),
            "Anna Nowak"
        );
        assert!(FullName::parse("   ").is_err());
        assert!(FullName::parse("<script>").is_err());
        assert_eq!(
            check_new_password("short", None),
            Err("error-password-short")
        );
        assert_eq!(
            check_new_password("a@b.pl..", Some("a@b.pl..")),
            Err("error-password-is-email")
        );
        assert!(check_new_password("długie hasło", None).is_ok());
    }

    #[test]
    fn redirects_stay_local() {
        assert_eq!(safe_next(Some("/profil")), "/profil");
        assert_eq!(safe_next(Some("//evil.com")), "/");
        assert_eq!(safe_next(Some("https://evil.com")), "/");
        assert_eq!(safe_next(Some("/\\evil.com")), "/");
        assert_eq!(safe_next(None), "/");
    }
}
