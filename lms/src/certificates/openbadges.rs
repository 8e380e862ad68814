//! Open Badges 3.0 (1EdTech, revision 3.0.3) credentials for certificates and badges.
//!
//! A certificate or badge downloads as an `OpenBadgeCredential`: a W3C Verifiable Credential 2.0
//! in JSON-LD, so a learner can keep it in a wallet. Its `id` is the public verification URL
//! (`{base}/certificates/{verify_uuid}`, `{base}/odznaki/{uuid}`), so anyone holding the file can
//! check it on the portal.
//!
//! Shape, following the 3.0.3 JSON Schema shipped in `lms/tests/fixtures/openbadges/`:
//! - `@context` is VC 2.0 then OB 3.0.3, `type` is `VerifiableCredential` + `OpenBadgeCredential`;
//! - dates are VC 2.0's `validFrom`/`validUntil` (the 3.0.3 schema requires `validFrom`; the VC
//!   1.1 `issuanceDate` of OB 3.0.0–3.0.1 is gone);
//! - every image is an OB `Image` object (`{id, type: "Image", caption}`): the schema rejects a
//!   bare URL string there;
//! - the learner is named by `IdentityObject`s in `credentialSubject.identifier` (OB requires an
//!   `id` or an identifier; we have no DID for learners): the display name unhashed
//!   (`identityType: "name"`) and, when given, the e-mail as a salted SHA-256 hash.
//!
//! **Unsigned.** There is no `proof`: the schema does not require one, but OB 3.0 says a
//! credential is only *verifiable* with a proof (Data Integrity `eddsa-rdfc-2022` or VC-JWT).
//! Until that is added, trust comes from the `id`: a verifier fetches the verification URL, as
//! with Open Badges 2.0 hosted assertions. Wallets that insist on a proof will refuse the file.
//!
//! **Revocation** is not written into the document: an unsigned file proves nothing by itself,
//! so a status inside it would only be a copy the holder keeps. The verification URL is the
//! status — it says "revoked" for an invalidated certificate — and the download of a revoked
//! certificate or badge should answer 410 Gone instead of producing a credential. Once credentials
//! are signed, `credentialStatus` with a (signed) `BitstringStatusListEntry` is the standard way.

use base64::Engine;
use chrono::{DateTime, SecondsFormat, Utc};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

/// The W3C Verifiable Credentials 2.0 context; OB 3.0.3 requires it first.
pub const VC_CONTEXT_V2: &str = "https://www.w3.org/ns/credentials/v2";
/// The Open Badges 3.0.3 JSON-LD context; OB 3.0.3 requires it second.
pub const OB_CONTEXT: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
/// Where 1EdTech publishes the JSON Schema these credentials are tested against.
pub const OB_SCHEMA_URL: &str =
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json";

/// Values from OB 3.0's `AchievementType` vocabulary that SZPoN uses. A closed enum, because the
/// schema rejects anything outside the vocabulary that is not `ext:`-prefixed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AchievementType {
    /// A course certificate.
    Certificate,
    /// A certificate that attests completion only, not graded mastery.
    CertificateOfCompletion,
    /// The course itself as the achievement (e.g. the "course completed" badge).
    Course,
    /// A gamification badge (chapter done, streak, all first-time right).
    Badge,
    /// A single competency.
    Competency,
}

impl AchievementType {
    /// The vocabulary term as written in the credential.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Certificate => "Certificate",
            Self::CertificateOfCompletion => "CertificateOfCompletion",
            Self::Course => "Course",
            Self::Badge => "Badge",
            Self::Competency => "Competency",
        }
    }
}

/// The organisation that issues the credential: an OB `Profile`.
#[derive(Debug, Clone, Copy)]
pub struct Issuer<'a> {
    /// Stable URL of the organisation on the portal, e.g. `{base}/organizacje/{slug}`.
    pub id: &'a str,
    pub name: &'a str,
    /// The organisation's own homepage, if any.
    pub url: Option<&'a str>,
    /// Logo: URL or data URI.
    pub image: Option<&'a str>,
}

/// What was achieved: an OB `Achievement` (the course behind a certificate, or a badge's rule).
#[derive(Debug, Clone, Copy)]
pub struct AchievementInfo<'a> {
    /// Stable URL of the achievement, the same for every learner who earns it.
    pub id: &'a str,
    pub name: &'a str,
    pub description: &'a str,
    /// What a learner had to do; Markdown is allowed.
    pub criteria_narrative: &'a str,
    /// URL or data URI, e.g. [`svg_data_uri`] of [`badge_svg`].
    pub image: Option<&'a str>,
    pub achievement_type: AchievementType,
}

/// A learner's e-mail as an OB `IdentityHash`: `sha256$` + hex of SHA-256 over e-mail + salt.
///
/// Hashed so the file does not publish the address, while someone who knows it can check that
/// the credential is the learner's. The salt should be per credential and stable (the
/// verification UUID works) so that downloading twice gives the same file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HashedEmail {
    pub identity_hash: String,
    pub salt: String,
}

impl HashedEmail {
    /// Hashes `email` (trimmed and lower-cased, as verifiers normalise it) with `salt`.
    pub fn new(email: &str, salt: &str) -> Self {
        let mut h = Sha256::new();
        h.update(email.trim().to_lowercase().as_bytes());
        h.update(salt.as_bytes());
        let hex: String = h.finalize().iter().map(|b| format!("{b:02x}")).collect();
        HashedEmail {
            identity_hash: format!("sha256${hex}"),
            salt: salt.to_owned(),
        }
    }
}

/// Who earned it.
#[derive(Debug, Clone)]
pub struct Recipient<'a> {
    /// Name as printed on the certificate.
    pub name: &'a str,
    pub email: Option<HashedEmail>,
}

/// One awarded certificate or badge, everything [`credential`] needs.
#[derive(Debug, Clone)]
pub struct Award<'a> {
    /// Public verification URL; becomes the credential's `id`.
    pub verify_url: &'a str,
    pub issuer: Issuer<'a>,
    pub achievement: AchievementInfo<'a>,
    pub recipient: Recipient<'a>,
    /// When it was awarded; becomes `validFrom`.
    pub issued_at: DateTime<Utc>,
    /// Expiry, for certificates that lapse; becomes `validUntil`.
    pub valid_until: Option<DateTime<Utc>>,
    /// Language of the texts (BCP 47, e.g. `pl`); written as the achievement's `inLanguage`
    /// when it has the form OB accepts, otherwise left out.
    pub lang: &'a str,
}

/// The award as an unsigned Open Badges 3.0 `OpenBadgeCredential` (see the module docs for what
/// "unsigned" and revocation mean here). Deterministic: the same award gives the same JSON.
pub fn credential(award: &Award) -> Value {
    let a = &award.achievement;
    let mut achievement = json!({
        "id": a.id,
        "type": ["Achievement"],
        "achievementType": a.achievement_type.as_str(),
        "name": a.name,
        "description": a.description,
        "criteria": { "narrative": a.criteria_narrative },
    });
    if let Some(img) = a.image {
        achievement["image"] = image(img, a.name);
    }
    if is_language_code(award.lang) {
        achievement["inLanguage"] = json!(award.lang);
    }

    let mut identifier = vec![json!({
        "type": "IdentityObject",
        "identityType": "name",
        "hashed": false,
        "identityHash": award.recipient.name,
    })];
    if let Some(e) = &award.recipient.email {
        identifier.push(json!({
            "type": "IdentityObject",
            "identityType": "emailAddress",
            "hashed": true,
            "identityHash": e.identity_hash,
            "salt": e.salt,
        }));
    }

    let i = &award.issuer;
    let mut issuer = json!({ "id": i.id, "type": ["Profile"], "name": i.name });
    if let Some(url) = i.url {
        issuer["url"] = json!(url);
    }
    if let Some(img) = i.image {
        issuer["image"] = image(img, i.name);
    }

    let mut vc = Map::new();
    vc.insert("@context".into(), json!([VC_CONTEXT_V2, OB_CONTEXT]));
    vc.insert("id".into(), json!(award.verify_url));
    vc.insert(
        "type".into(),
        json!(["VerifiableCredential", "OpenBadgeCredential"]),
    );
    vc.insert("name".into(), json!(a.name));
    vc.insert("description".into(), json!(a.description));
    if let Some(img) = a.image {
        vc.insert("image".into(), image(img, a.name));
    }
    vc.insert("issuer".into(), issuer);
    vc.insert("validFrom".into(), json!(timestamp(award.issued_at)));
    if let Some(until) = award.valid_until {
        vc.insert("validUntil".into(), json!(timestamp(until)));
    }
    vc.insert(
        "credentialSubject".into(),
        json!({
            "type": ["AchievementSubject"],
            "identifier": identifier,
            "achievement": achievement,
        }),
    );
    Value::Object(vc)
}

/// An OB `Image` object; `caption` doubles as the image's text alternative in wallets.
fn image(id: &str, caption: &str) -> Value {
    json!({ "id": id, "type": "Image", "caption": caption })
}

/// `DateTimeZ`: RFC 3339 with an explicit `Z`, whole seconds.
fn timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// OB's `LanguageCode` pattern: `^[a-z]{2,4}(-[A-Z][a-z]{3})?(-([A-Z]{2}|[0-9]{3}))?$`.
fn is_language_code(s: &str) -> bool {
    let mut parts = s.split('-');
    let lang = parts.next().unwrap_or("");
    if !(2..=4).contains(&lang.len()) || !lang.bytes().all(|b| b.is_ascii_lowercase()) {
        return false;
    }
    let mut rest: Vec<&str> = parts.collect();
    if let Some(script) = rest.first() {
        let b = script.as_bytes();
        if b.len() == 4 && b[0].is_ascii_uppercase() && b[1..].iter().all(u8::is_ascii_lowercase) {
            rest.remove(0);
        }
    }
    match rest.as_slice() {
        [] => true,
        [region] => {
            let b = region.as_bytes();
            (b.len() == 2 && b.iter().all(u8::is_ascii_uppercase))
                || (b.len() == 3 && b.iter().all(u8::is_ascii_digit))
        }
        _ => false,
    }
}

/// A round badge image as a small, deterministic, self-contained SVG.
///
/// Accessible on its own: `role="img"` with `<title>` (the badge name) and `<desc>` (the
/// subtitle) referenced by `aria-labelledby`; white text on dark navy #1b2a4a (contrast about
/// 14:1); everything it says is in its text, none of it only in colour. Ids are derived from the
/// content, so two different badges inlined in one page do not clash. Long texts are wrapped by
/// words and cut with "…" (title 3 lines, subtitle 2); the full texts stay in title and desc.
pub fn badge_svg(title: &str, subtitle: &str) -> String {
    let key: String = Sha256::digest(format!("{title}\u{0}{subtitle}").as_bytes())[..4]
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let title_lines = wrap(title, 15, 3);
    let subtitle_lines = wrap(subtitle, 20, 2);
    // Title block centred slightly above the middle, subtitle below it.
    let title_h = 24 * title_lines.len() as i32;
    let sub_h = 17 * subtitle_lines.len() as i32;
    let gap = if subtitle_lines.is_empty() { 0 } else { 10 };
    let top = 120 - (title_h + gap + sub_h) / 2;

    let mut s = String::with_capacity(1024);
    s.push_str(&format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="240" height="240" viewBox="0 0 240 240" role="img" aria-labelledby="ob-t-{key} ob-d-{key}"><title id="ob-t-{key}">{}</title><desc id="ob-d-{key}">{}</desc>"##,
        xml_escape(title),
        xml_escape(subtitle),
    ));
    s.push_str(r##"<circle cx="120" cy="120" r="118" fill="#1b2a4a"/><circle cx="120" cy="120" r="106" fill="none" stroke="#ffffff" stroke-width="4"/>"##);
    s.push_str(r##"<g fill="#ffffff" font-family="DejaVu Sans, Verdana, Arial, sans-serif" text-anchor="middle" aria-hidden="true">"##);
    for (n, line) in title_lines.iter().enumerate() {
        let y = top + 20 + 24 * n as i32;
        s.push_str(&format!(
            r#"<text x="120" y="{y}" font-size="19" font-weight="bold">{}</text>"#,
            xml_escape(line)
        ));
    }
    for (n, line) in subtitle_lines.iter().enumerate() {
        let y = top + title_h + gap + 13 + 17 * n as i32;
        s.push_str(&format!(
            r#"<text x="120" y="{y}" font-size="13">{}</text>"#,
            xml_escape(line)
        ));
    }
    s.push_str("</g></svg>");
    s
}

/// An SVG as a `data:` URI, for an `image` that must travel inside the credential file.
pub fn svg_data_uri(svg: &str) -> String {
    format!(
        "data:image/svg+xml;base64,{}",
        base64::engine::general_purpose::STANDARD.encode(svg)
    )
}

/// Greedy word wrap to at most `max_lines` lines of `width` characters; words longer than a
/// line are split, and text that does not fit ends in "…".
fn wrap(text: &str, width: usize, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut cur = String::new();
    let mut words: Vec<String> = text.split_whitespace().map(str::to_owned).collect();
    words.reverse();
    let mut truncated = false;
    while let Some(word) = words.pop() {
        let wlen = word.chars().count();
        let clen = cur.chars().count();
        if clen == 0 && wlen > width {
            let head: String = word.chars().take(width).collect();
            let tail: String = word.chars().skip(width).collect();
            words.push(tail);
            cur = head;
        } else if clen == 0 {
            cur = word;
            continue;
        } else if clen + 1 + wlen <= width {
            cur.push(' ');
            cur.push_str(&word);
            continue;
        } else {
            words.push(word);
        }
        lines.push(std::mem::take(&mut cur));
        if lines.len() == max_lines {
            truncated = !words.is_empty();
            break;
        }
    }
    if !cur.is_empty() {
        if lines.len() < max_lines {
            lines.push(cur);
        } else {
            truncated = true;
        }
    }
    if truncated {
        if let Some(last) = lines.last_mut() {
            let keep: String = last.chars().take(width.saturating_sub(1)).collect();
            *last = format!("{}…", keep.trim_end());
        }
    }
    lines
}

fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Control characters are not allowed in XML 1.0.
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    /// 1EdTech's AchievementCredential JSON Schema for OB 3.0.3 (VC 2.0); see the README beside it.
    const SCHEMA: &str =
        include_str!("../../tests/fixtures/openbadges/ob_v3p0_achievementcredential_schema.json");

    fn validator() -> jsonschema::Validator {
        let schema: Value = serde_json::from_str(SCHEMA).expect("schema is JSON");
        jsonschema::options()
            .with_draft(jsonschema::Draft::Draft201909)
            .should_validate_formats(true)
            .build(&schema)
            .expect("schema compiles")
    }

    fn errors(v: &Value) -> Vec<String> {
        validator()
            .iter_errors(v)
            .map(|e| format!("{} at {}", e, e.instance_path))
            .collect()
    }

    const BASE: &str = "https://szkolenia.example.gov.pl";

    fn certificate() -> Value {
        credential(&Award {
            verify_url: &format!("{BASE}/certificates/0f3c2a9d8e7b4c1a9f0e6d5c4b3a2918"),
            issuer: Issuer {
                id: &format!("{BASE}/organizacje/kancelaria-prezesa-rady-ministrow"),
                name: "Kancelaria Prezesa Rady Ministrów",
                url: Some("https://www.gov.pl/web/premier"),
                image: None,
            },
            achievement: AchievementInfo {
                id: &format!("{BASE}/courses/course-v1:KPRM+KPA101+2026/about"),
                name: "Postępowanie administracyjne — zażółć gęślą jaźń",
                description: "Kurs z Kodeksu postępowania administracyjnego dla urzędników.",
                criteria_narrative: "Ukończenie wszystkich rozdziałów i zaliczenie egzaminu \
                                     końcowego z wynikiem co najmniej 70%.",
                image: None,
                achievement_type: AchievementType::Certificate,
            },
            recipient: Recipient {
                name: "Łucja Żądło-Ćwik",
                email: Some(HashedEmail::new(
                    "Lucja.Zadlo@urzad.gov.pl",
                    "0f3c2a9d8e7b4c1a9f0e6d5c4b3a2918",
                )),
            },
            issued_at: Utc.with_ymd_and_hms(2026, 3, 14, 9, 26, 53).unwrap(),
            valid_until: Some(Utc.with_ymd_and_hms(2029, 3, 14, 0, 0, 0).unwrap()),
            lang: "pl",
        })
    }

    fn badge() -> Value {
        let img = svg_data_uri(&badge_svg("Seria 7 dni", "Nauka dzień po dniu"));
        credential(&Award {
            verify_url: &format!("{BASE}/odznaki/9b1e4c7d2a3f4e5b8c6d7e8f9a0b1c2d"),
            issuer: Issuer {
                id: &format!("{BASE}/organizacje/ksap"),
                name: "Krajowa Szkoła Administracji Publicznej",
                url: None,
                image: Some(&img),
            },
            achievement: AchievementInfo {
                id: &format!("{BASE}/odznaki/rodzaje/seria-7-dni"),
                name: "Seria 7 dni",
                description: "Uczył(a) się siedem dni z rzędu.",
                criteria_narrative: "Aktywność w kursie przez 7 kolejnych dni kalendarzowych.",
                image: Some(&img),
                achievement_type: AchievementType::Badge,
            },
            recipient: Recipient {
                name: "Grzegorz Brzęczyszczykiewicz",
                email: None,
            },
            issued_at: Utc.with_ymd_and_hms(2026, 5, 2, 18, 0, 0).unwrap(),
            valid_until: None,
            lang: "pl-PL",
        })
    }

    #[test]
    fn openbadges_certificate_validates_against_schema() {
        let vc = certificate();
        assert_eq!(errors(&vc), Vec::<String>::new(), "{vc:#}");
        assert_eq!(
            vc["id"],
            format!("{BASE}/certificates/0f3c2a9d8e7b4c1a9f0e6d5c4b3a2918")
        );
        assert_eq!(vc["@context"], json!([VC_CONTEXT_V2, OB_CONTEXT]));
        assert_eq!(
            vc["type"],
            json!(["VerifiableCredential", "OpenBadgeCredential"])
        );
        assert_eq!(vc["issuer"]["type"], json!(["Profile"]));
        assert_eq!(vc["validFrom"], "2026-03-14T09:26:53Z");
        assert_eq!(vc["validUntil"], "2029-03-14T00:00:00Z");
        let ach = &vc["credentialSubject"]["achievement"];
        assert_eq!(ach["achievementType"], "Certificate");
        assert_eq!(
            ach["name"],
            "Postępowanie administracyjne — zażółć gęślą jaźń"
        );
        assert_eq!(ach["inLanguage"], "pl");
        let ids = vc["credentialSubject"]["identifier"].as_array().unwrap();
        assert_eq!(ids[0]["identityHash"], "Łucja Żądło-Ćwik");
        assert_eq!(ids[1]["identityType"], "emailAddress");
        assert!(vc.get("proof").is_none(), "unsigned by design");
        assert!(vc.get("issuanceDate").is_none(), "VC 2.0 only");
    }

    #[test]
    fn openbadges_badge_validates_against_schema() {
        let vc = badge();
        assert_eq!(errors(&vc), Vec::<String>::new(), "{vc:#}");
        let ach = &vc["credentialSubject"]["achievement"];
        assert_eq!(ach["achievementType"], "Badge");
        assert_eq!(ach["inLanguage"], "pl-PL");
        assert_eq!(ach["image"]["type"], "Image");
        assert!(ach["image"]["id"]
            .as_str()
            .unwrap()
            .starts_with("data:image/svg+xml;base64,"));
        assert!(vc.get("validUntil").is_none());
        assert_eq!(
            vc["credentialSubject"]["identifier"]
                .as_array()
                .unwrap()
                .len(),
            1
        );
    }

    #[test]
    fn openbadges_output_is_deterministic() {
        assert_eq!(certificate(), certificate());
        assert_eq!(badge().to_string(), badge().to_string());
    }

    /// The validator really checks: each broken copy of a valid credential must fail.
    #[test]
    fn openbadges_schema_rejects_broken_credentials() {
        type Breakage = fn(&mut Value);
        let broken: [(&str, Breakage); 10] = [
            ("no issuer", |v| {
                v.as_object_mut().unwrap().remove("issuer");
            }),
            ("no validFrom", |v| {
                v.as_object_mut().unwrap().remove("validFrom");
            }),
            ("validFrom not a date-time", |v| {
                v["validFrom"] = json!("14.03.2026")
            }),
            ("VC 1.1 context", |v| {
                v["@context"] = json!(["https://www.w3.org/2018/credentials/v1", OB_CONTEXT])
            }),
            ("not an OpenBadgeCredential", |v| {
                v["type"] = json!(["VerifiableCredential"])
            }),
            ("issuer without Profile type", |v| {
                v["issuer"]["type"] = json!(["Organization"])
            }),
            ("achievement without criteria", |v| {
                v["credentialSubject"]["achievement"]
                    .as_object_mut()
                    .unwrap()
                    .remove("criteria");
            }),
            ("achievementType outside the vocabulary", |v| {
                v["credentialSubject"]["achievement"]["achievementType"] = json!("Odznaka")
            }),
            ("image as a bare string", |v| {
                v["image"] = json!("https://example.org/a.svg")
            }),
            ("unhashed flag missing in identifier", |v| {
                v["credentialSubject"]["identifier"][0]
                    .as_object_mut()
                    .unwrap()
                    .remove("hashed");
            }),
        ];
        for valid in [certificate(), badge()] {
            assert!(errors(&valid).is_empty());
            for (what, f) in broken {
                let mut v = valid.clone();
                f(&mut v);
                assert!(!errors(&v).is_empty(), "accepted a credential with {what}");
            }
        }
    }

    /// The worked example from the OB 3.0 `IdentityHash` definition.
    #[test]
    fn openbadges_hashed_email_matches_spec_example() {
        let h = HashedEmail::new("a@example.com", "Kosher");
        assert_eq!(
            h.identity_hash,
            "sha256$b5809d8a92f8858436d7e6b87c12ebc0ae1eac4baecc2c0b913aee2c922ef399"
        );
        assert_eq!(h, HashedEmail::new("  A@Example.com ", "Kosher"));
    }

    #[test]
    fn openbadges_language_code_follows_schema_pattern() {
        for ok in ["pl", "en", "pl-PL", "zh-Hant-TW", "es-419"] {
            assert!(is_language_code(ok), "{ok}");
        }
        for bad in ["", "PL", "pl_PL", "pl-pl", "p", "pl-PL-x", "english"] {
            assert!(!is_language_code(bad), "{bad}");
        }
    }

    #[test]
    fn openbadges_badge_svg_is_accessible_and_well_formed() {
        let svg = badge_svg(
            "Wszystko dobrze za pierwszym razem & <bez> pomyłek",
            "Rozdział 3: „Łąki”",
        );
        let doc = roxmltree::Document::parse(&svg).expect("well-formed XML");
        let root = doc.root_element();
        assert_eq!(root.attribute("role"), Some("img"));
        let title = root.children().find(|n| n.has_tag_name("title")).unwrap();
        let desc = root.children().find(|n| n.has_tag_name("desc")).unwrap();
        assert_eq!(
            title.text(),
            Some("Wszystko dobrze za pierwszym razem & <bez> pomyłek")
        );
        assert_eq!(desc.text(), Some("Rozdział 3: „Łąki”"));
        let labelled = root.attribute("aria-labelledby").unwrap();
        assert_eq!(
            labelled,
            format!(
                "{} {}",
                title.attribute("id").unwrap(),
                desc.attribute("id").unwrap()
            )
        );
        // The visible text is all there (wrapped), in white on the dark disc.
        let shown: Vec<&str> = doc
            .descendants()
            .filter(|n| n.has_tag_name("text"))
            .filter_map(|n| n.text())
            .collect();
        assert!(shown.len() >= 3, "{shown:?}");
        assert!(shown.iter().all(|l| l.chars().count() <= 20), "{shown:?}");
        assert!(svg.contains(r##"fill="#ffffff""##) && svg.contains(r##"fill="#1b2a4a""##));
        // Deterministic, and different badges get different ids.
        assert_eq!(
            svg,
            badge_svg(
                "Wszystko dobrze za pierwszym razem & <bez> pomyłek",
                "Rozdział 3: „Łąki”"
            )
        );
        assert_ne!(
            badge_svg("A", "B").split("ob-t-").nth(1).map(|s| &s[..8]),
            badge_svg("A", "C").split("ob-t-").nth(1).map(|s| &s[..8])
        );
        assert!(svg.len() < 2048, "small: {} bytes", svg.len());
    }

    #[test]
    fn openbadges_wrap_cuts_long_text() {
        assert_eq!(wrap("Seria 7 dni", 15, 3), vec!["Seria 7 dni"]);
        assert_eq!(wrap("", 15, 3), Vec::<String>::new());
        assert_eq!(
            wrap("Ukończenie rozdziału pierwszego", 15, 3),
            vec!["Ukończenie", "rozdziału", "pierwszego"]
        );
        let cut = wrap("jeden dwa trzy cztery pięć sześć siedem osiem", 10, 2);
        assert_eq!(cut.len(), 2);
        assert!(cut[1].ends_with('…'), "{cut:?}");
        assert_eq!(
            wrap("Konstantynopolitańczykowianeczka", 15, 3),
            vec!["Konstantynopoli", "tańczykowianecz", "ka"]
        );
    }
}
