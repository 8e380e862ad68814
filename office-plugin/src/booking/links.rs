//! The citizen's signed links: they carry no account, so each is an HMAC over the booking id,
//! one purpose and the booking's `link_version`. A reschedule link cannot cancel (nor the other
//! way round), and cancelling raises the version, so every link sent so far stops working.

use hmac::{Hmac, Mac};
use sha2::Sha256;

/// What a link lets its holder do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// See the appointment (the page after booking).
    View,
    Reschedule,
    Cancel,
    /// Join the online call.
    Call,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::View => "view",
            Purpose::Reschedule => "reschedule",
            Purpose::Cancel => "cancel",
            Purpose::Call => "call",
        }
    }

    /// The path under which a link of this purpose is served.
    pub fn path(self) -> &'static str {
        match self {
            Purpose::View => "/wizyty/potwierdzenie",
            Purpose::Reschedule => "/wizyty/zmiana",
            Purpose::Cancel => "/wizyty/odwolanie",
            Purpose::Call => "/wizyty/rozmowa",
        }
    }
}

pub fn sign(secret: &[u8; 32], booking_id: &str, purpose: Purpose, version: i32) -> String {
    let mut m = Hmac::<Sha256>::new_from_slice(secret).expect("any key length");
    m.update(b"booking-link\0");
    m.update(booking_id.as_bytes());
    m.update(b"\0");
    m.update(purpose.as_str().as_bytes());
    m.update(b"\0");
    m.update(version.to_string().as_bytes());
    m.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub fn verify(
    secret: &[u8; 32],
    booking_id: &str,
    purpose: Purpose,
    version: i32,
    sig: &str,
) -> bool {
    use subtle::ConstantTimeEq;
    let expected = sign(secret, booking_id, purpose, version);
    bool::from(expected.as_bytes().ct_eq(sig.as_bytes()))
}

/// The path of a link (no host).
pub fn path(secret: &[u8; 32], booking_id: &str, purpose: Purpose, version: i32) -> String {
    format!(
        "{}/{booking_id}/{}",
        purpose.path(),
        sign(secret, booking_id, purpose, version)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_holds_for_one_purpose_one_booking_one_version() {
        let k = [7u8; 32];
        let s = sign(&k, "b1", Purpose::Reschedule, 0);
        assert!(verify(&k, "b1", Purpose::Reschedule, 0, &s));
        assert!(!verify(&k, "b1", Purpose::Cancel, 0, &s));
        assert!(!verify(&k, "b2", Purpose::Reschedule, 0, &s));
        assert!(!verify(&k, "b1", Purpose::Reschedule, 1, &s));
        assert!(!verify(&[8u8; 32], "b1", Purpose::Reschedule, 0, &s));
        assert_eq!(
            path(&k, "b1", Purpose::Call, 0),
            format!("/wizyty/rozmowa/b1/{}", sign(&k, "b1", Purpose::Call, 0))
        );
    }
}
