//! Password hashing: argon2id for everything we store, plus verification of Django's
//! `pbkdf2_sha256$` hashes so users migrated from Open edX keep their passwords (they are re-hashed
//! to argon2id on their first successful login).

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use subtle::ConstantTimeEq;

/// Longest password accepted: hashing cost must not be attacker-controlled.
pub const MAX_LEN: usize = 1024;
pub const MIN_LEN: usize = 8;

/// Outcome of checking a password against a stored hash.
#[derive(Debug, PartialEq, Eq)]
pub enum Verification {
    Invalid,
    Valid,
    /// Valid, but stored in an old format or with old parameters: store a fresh hash.
    ValidNeedsRehash,
}

fn argon2() -> Argon2<'static> {
    // OWASP's first recommended argon2id configuration (m=19 MiB, t=2, p=1).
    let params = Params::new(19 * 1024, 2, 1, None).expect("static argon2 parameters are valid");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

pub fn hash(password: &str) -> String {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    argon2()
        .hash_password(password.as_bytes(), &salt)
        .expect("argon2 hashing with valid parameters cannot fail")
        .to_string()
}

pub fn verify(password: &str, stored: &str) -> Verification {
    if password.len() > MAX_LEN {
        return Verification::Invalid;
    }
    if let Some(rest) = stored.strip_prefix("pbkdf2_sha256$") {
        return if verify_django_pbkdf2(password, rest) {
            Verification::ValidNeedsRehash
        } else {
            Verification::Invalid
        };
    }
    let Ok(parsed) = PasswordHash::new(stored) else {
        return Verification::Invalid;
    };
    if argon2()
        .verify_password(password.as_bytes(), &parsed)
        .is_err()
    {
        return Verification::Invalid;
    }
    let wanted = argon2();
    let current = parsed.algorithm.as_str() == "argon2id"
        && Params::try_from(&parsed).is_ok_and(|p| {
            (p.m_cost(), p.t_cost(), p.p_cost())
                == (
                    wanted.params().m_cost(),
                    wanted.params().t_cost(),
                    wanted.params().p_cost(),
                )
        });
    if current {
        Verification::Valid
    } else {
        Verification::ValidNeedsRehash
    }
}

/// Spends the same time as a real verification, so a missing account is not revealed by timing.
pub fn dummy_verify(password: &str) {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let stored = DUMMY.get_or_init(|| hash("dummy password for timing"));
    let _ = verify(password, stored);
}

/// Django's format: `pbkdf2_sha256$ITERATIONS$SALT$BASE64(HASH)`, salt used as UTF-8 bytes.
fn verify_django_pbkdf2(password: &str, rest: &str) -> bool {
    let mut parts = rest.splitn(3, '$');
    let (Some(iterations), Some(salt), Some(expected)) = (parts.next(), parts.next(), parts.next())
    else {
        return false;
    };
    let Ok(iterations) = iterations.parse::<u32>() else {
        return false;
    };
    // Bound the work an injected hash could demand; Django's current default is 1,200,000.
    if iterations == 0 || iterations > 10_000_000 {
        return false;
    }
    let Ok(expected) = base64::engine::general_purpose::STANDARD.decode(expected) else {
        return false;
    };
    if expected.is_empty() || expected.len() > 64 {
        return false;
    }
    let mut out = vec![0u8; expected.len()];
    pbkdf2::pbkdf2_hmac::<sha2::Sha256>(password.as_bytes(), salt.as_bytes(), iterations, &mut out);
    out.ct_eq(&expected).into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn argon2id_round_trip() {
        let h = hash("Zażółć gęślą jaźń");
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert_eq!(verify("Zażółć gęślą jaźń", &h), Verification::Valid);
        assert_eq!(verify("zażółć gęślą jaźń", &h), Verification::Invalid);
        assert_eq!(verify("x", "garbage"), Verification::Invalid);
    }

    #[test]
    fn weaker_argon2_parameters_ask_for_rehash() {
        let weak = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(8, 1, 1, None).unwrap(),
        );
        let salt = SaltString::generate(&mut rand::rngs::OsRng);
        let h = weak
            .hash_password(b"secret-pass", &salt)
            .unwrap()
            .to_string();
        assert_eq!(verify("secret-pass", &h), Verification::ValidNeedsRehash);
    }

    #[test]
    fn django_pbkdf2_sha256() {
        // Produced by Django 5's own make_password("letmein", "seasalt", "pbkdf2_sha256").
        let stored = "pbkdf2_sha256$1000000$seasalt$kgw4DgrdIWz1meKsQaG4gxWmL4FdrFw34AxlPt/ksDg=";
        assert_eq!(verify("letmein", stored), Verification::ValidNeedsRehash);
        assert_eq!(verify("letmeout", stored), Verification::Invalid);
        assert_eq!(
            verify("letmein", "pbkdf2_sha256$x$salt$AAAA"),
            Verification::Invalid
        );
        assert_eq!(
            verify("letmein", "pbkdf2_sha256$720000$seasalt"),
            Verification::Invalid
        );
    }

    #[test]
    fn django_pbkdf2_with_non_ascii_password_and_salt() {
        // Django 5: PBKDF2PasswordHasher().encode("Zażółć", "sól", 1000).
        let stored = "pbkdf2_sha256$1000$sól$PBKzFKEpgToEG+sO1/6FmjLwz9kfH9ZTJ23JhdNyIQQ=";
        assert_eq!(verify("Zażółć", stored), Verification::ValidNeedsRehash);
        assert_eq!(verify("Zazolc", stored), Verification::Invalid);
    }
}
