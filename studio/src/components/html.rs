//! The HTML component: a rich-text editor (progressive enhancement of a `<textarea>` with the
//! HTML source) whose output is sanitised on save with an allow-list for course content, and
//! image upload into the course's files.
//!
//! Sanitising keeps headings (h2–h6: the page has its own h1), paragraphs, lists, links,
//! images, tables, emphasis, code, quotes, figures, media and a few inline elements; it drops
//! scripts and styles with their content, event handlers, `style` attributes, frames, forms
//! and links with other schemes than http(s), mailto and tel. Relative links (`/static/...`,
//! `/jump_to_id/...`) stay, so Open edX's link rewriting still applies. The author is told
//! what was removed: the input is also cleaned by a lenient twin of the builder that allows
//! everything the input uses, and the two results are compared.
//!
//! Images: PNG, JPEG, GIF or WebP, recognised by their first bytes. SVG is refused: it is a
//! document that may carry scripts, and a course file is served to anyone who may see the
//! course.

use std::collections::{BTreeSet, HashMap, HashSet};

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use platform::storage::BlobStore;
use platform::web::render::{render_page, see_other, FieldError};
use platform::web::{AppError, AppState, SignedIn};
use serde::Serialize;
use xblock_compat::olx::{edit, Block, Course, StaticFile};

use super::{
    clean_name, edit_component, editor_href, encode_segment, locate, refused_field, saved,
    EditorFrame, Fields, Located, Refused,
};
use crate::store;

pub(super) fn new_block(id: &str, name: &str) -> Block {
    edit::html_block(id, name, "")
}

// ---------------------------------------------------------------------------------------------
// Sanitising
// ---------------------------------------------------------------------------------------------

const TAGS: &[&str] = &[
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "p",
    "br",
    "hr",
    "div",
    "span",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "a",
    "img",
    "figure",
    "figcaption",
    "table",
    "caption",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
    "colgroup",
    "col",
    "em",
    "strong",
    "b",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "small",
    "mark",
    "abbr",
    "cite",
    "q",
    "code",
    "pre",
    "kbd",
    "samp",
    "var",
    "blockquote",
    "details",
    "summary",
    "section",
    "article",
    "aside",
    "audio",
    "video",
    "source",
    "track",
];

const GENERIC_ATTRIBUTES: &[&str] = &["lang", "dir", "title", "class"];

const TAG_ATTRIBUTES: &[(&str, &[&str])] = &[
    ("a", &["href", "hreflang"]),
    ("img", &["src", "alt", "width", "height"]),
    ("th", &["scope", "colspan", "rowspan", "abbr"]),
    ("td", &["colspan", "rowspan", "headers"]),
    ("ol", &["start", "reversed", "type"]),
    ("li", &["value"]),
    ("col", &["span"]),
    ("colgroup", &["span"]),
    ("blockquote", &["cite"]),
    ("q", &["cite"]),
    ("audio", &["src", "controls"]),
    ("video", &["src", "controls", "poster", "width", "height"]),
    ("source", &["src", "type"]),
    ("track", &["src", "kind", "srclang", "label", "default"]),
];

const SCHEMES: &[&str] = &["http", "https", "mailto", "tel"];

fn strict<'a>() -> ammonia::Builder<'a> {
    let mut b = ammonia::Builder::default();
    b.tags(TAGS.iter().copied().collect())
        .generic_attributes(GENERIC_ATTRIBUTES.iter().copied().collect())
        .tag_attributes(
            TAG_ATTRIBUTES
                .iter()
                .map(|(t, a)| (*t, a.iter().copied().collect()))
                .collect(),
        )
        .url_schemes(SCHEMES.iter().copied().collect())
        .link_rel(Some("noopener noreferrer"));
    b
}

/// A start tag's name and attributes (names lowercased; values raw).
struct TagSeen {
    name: String,
    attrs: Vec<(String, String)>,
}

/// The start tags of `html`, read leniently (comments, declarations and end tags skipped).
fn start_tags(html: &str) -> Vec<TagSeen> {
    let b = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] != b'<' {
            i += 1;
            continue;
        }
        if html[i..].starts_with("<!--") {
            i = html[i..].find("-->").map_or(b.len(), |e| i + e + 3);
            continue;
        }
        i += 1;
        if i >= b.len() || !b[i].is_ascii_alphabetic() {
            continue;
        }
        let start = i;
        while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'-' || b[i] == b':') {
            i += 1;
        }
        let name = html[start..i].to_ascii_lowercase();
        let mut attrs = Vec::new();
        loop {
            while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
                i += 1;
            }
            if i >= b.len() || b[i] == b'>' {
                i += 1;
                break;
            }
            let a = i;
            while i < b.len() && !b[i].is_ascii_whitespace() && !matches!(b[i], b'=' | b'>' | b'/')
            {
                i += 1;
            }
            let attr = html[a..i].to_ascii_lowercase();
            while i < b.len() && b[i].is_ascii_whitespace() {
                i += 1;
            }
            let mut value = String::new();
            if i < b.len() && b[i] == b'=' {
                i += 1;
                while i < b.len() && b[i].is_ascii_whitespace() {
                    i += 1;
                }
                if i < b.len() && (b[i] == b'"' || b[i] == b'\'') {
                    let q = b[i];
                    let v = i + 1;
                    i = html[v..]
                        .bytes()
                        .position(|c| c == q)
                        .map_or(b.len(), |e| v + e);
                    value = html[v..i.min(b.len())].to_string();
                    i += 1;
                } else {
                    let v = i;
                    while i < b.len() && !b[i].is_ascii_whitespace() && b[i] != b'>' {
                        i += 1;
                    }
                    value = html[v..i].to_string();
                }
            }
            if !attr.is_empty() {
                attrs.push((attr, value));
            }
        }
        out.push(TagSeen { name, attrs });
    }
    out
}

/// The scheme of a URL (`javascript` in `javascript:x`), if it has one.
fn scheme_of(url: &str) -> Option<String> {
    let u = url.trim();
    let (s, _) = u.split_once(':')?;
    let mut chars = s.chars();
    (chars.next()?.is_ascii_alphabetic()
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.')))
    .then(|| s.to_ascii_lowercase())
}

/// Author HTML cleaned for course content, and the names of what was removed (tags, attributes,
/// `scheme:` of links); `("", [..])`-style removals without a name are reported as `"?"`.
pub(crate) fn sanitise(html: &str) -> (String, Vec<String>) {
    let clean = strict().clean(html).to_string();
    let seen = start_tags(html);
    let allowed: HashMap<&str, HashSet<&str>> = TAG_ATTRIBUTES
        .iter()
        .map(|(t, a)| (*t, a.iter().copied().collect()))
        .collect();
    let mut removed = BTreeSet::new();
    let mut tags: Vec<String> = Vec::new();
    let mut attrs: Vec<String> = Vec::new();
    let mut schemes: Vec<String> = Vec::new();
    for t in &seen {
        if !TAGS.contains(&t.name.as_str()) {
            removed.insert(t.name.clone());
        }
        tags.push(t.name.clone());
        for (a, v) in &t.attrs {
            if a == "rel" {
                continue;
            }
            let ok = GENERIC_ATTRIBUTES.contains(&a.as_str())
                || allowed
                    .get(t.name.as_str())
                    .is_some_and(|s| s.contains(a.as_str()));
            if !ok && TAGS.contains(&t.name.as_str()) {
                removed.insert(a.clone());
            }
            attrs.push(a.clone());
            if matches!(a.as_str(), "href" | "src" | "cite" | "poster") {
                if let Some(s) = scheme_of(v) {
                    if !SCHEMES.contains(&s.as_str()) {
                        removed.insert(format!("{s}:"));
                    }
                    schemes.push(s);
                }
            }
        }
    }
    // The lenient twin: whatever the input uses is allowed; any difference was removed.
    let mut lenient = strict();
    lenient
        .clean_content_tags(HashSet::new())
        .add_tags(tags.iter())
        .add_generic_attributes(attrs.iter())
        .add_url_schemes(schemes.iter());
    for (t, a) in TAG_ATTRIBUTES {
        lenient.add_tag_attributes(*t, a.iter());
    }
    let loose = lenient.clean(html).to_string();
    if removed.is_empty() && loose != clean {
        removed.insert("?".to_string());
    }
    (clean, removed.into_iter().collect())
}

// ---------------------------------------------------------------------------------------------
// The editor
// ---------------------------------------------------------------------------------------------

#[derive(Serialize)]
struct HtmlPage {
    #[serde(flatten)]
    frame: EditorFrame,
    display_name: String,
    body: String,
    errors: Vec<FieldError>,
    /// What sanitising removed on the last save (names, `?` for unnamed).
    removed: Vec<String>,
    image_alt: String,
    image_action: String,
    max_mb: u64,
}

/// The body the editor shows: the body file, or the content of an inline `<html>` element.
fn body_of(b: &Block) -> String {
    if let Some(body) = &b.body {
        return body.clone();
    }
    let xml = b.xml.trim();
    let open_end = xml.find('>').map_or(xml.len(), |i| i + 1);
    if xml[..open_end].ends_with("/>") {
        return String::new();
    }
    let close = xml.rfind("</").unwrap_or(xml.len());
    xml[open_end..close.max(open_end)].to_string()
}

fn page(state: &AppState, signed: &SignedIn, at: &Located) -> HtmlPage {
    let b = at.block();
    HtmlPage {
        frame: at.frame(signed.1.lang, state),
        display_name: b.display_name().unwrap_or_default(),
        body: body_of(b),
        errors: vec![],
        removed: vec![],
        image_alt: String::new(),
        image_action: format!(
            "/studio/kursy/{}/komponent/html/{}/obraz",
            at.row.id,
            encode_segment(&b.id)
        ),
        max_mb: crate::assets::MAX_ASSET >> 20,
    }
}

pub(super) fn form(
    state: &AppState,
    signed: &SignedIn,
    at: &Located,
    removed: &str,
) -> Result<HttpResponse, AppError> {
    let mut p = page(state, signed, at);
    p.removed = removed
        .split(',')
        .map(|s| s.trim().chars().take(40).collect::<String>())
        .filter(|s| !s.is_empty())
        .take(20)
        .collect();
    render_page(
        state,
        &signed.1,
        "studio/component_html.html",
        &p,
        StatusCode::OK,
    )
}

/// Sets an html block's name and body; an inline html element gets a body file of its own.
fn apply(course: &mut Course, idx: usize, name: &str, body: String) {
    let b = &mut course.blocks[idx];
    if b.attr("filename").is_none() {
        let fresh = edit::html_block(&b.id, name, "");
        b.xml = fresh.xml;
        b.attrs = fresh.attrs;
        b.inline = false;
    }
    edit::set_field(b, "display_name", Some(name));
    b.body = Some(body);
}

pub(super) async fn save(
    state: &AppState,
    signed: &SignedIn,
    at: Located,
    form: &Fields,
) -> Result<HttpResponse, AppError> {
    let name = clean_name(form.get("display_name"));
    let body = form.get("body").replace("\r\n", "\n");
    if name.is_empty() {
        let mut p = page(state, signed, &at);
        p.display_name = name;
        p.body = body;
        p.errors = vec![FieldError {
            field: "display_name",
            message: state.i18n.t(signed.1.lang, "studio-comp-error-name", &[]),
        }];
        return render_page(
            state,
            &signed.1,
            "studio/component_html.html",
            &p,
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    let (clean, removed) = sanitise(&body);
    let r = edit_component(
        state,
        signed,
        &at.row.id,
        "html",
        &at.block().id,
        move |course, idx| {
            apply(course, idx, &name, clean);
            Ok(())
        },
    )
    .await?;
    refused_field(r)?;
    if removed.is_empty() {
        return Ok(saved(state, &at));
    }
    // Back to the editor, which says what was removed.
    Ok(see_other(
        state,
        &format!(
            "{}?usunieto={}",
            editor_href(&at.row.id, "html", &at.block().id),
            encode_segment(&removed.join(","))
        ),
        Some("flash-comp-saved-cleaned"),
    ))
}

// ---------------------------------------------------------------------------------------------
// Images
// ---------------------------------------------------------------------------------------------

/// The file extension of an image we accept, by its first bytes.
pub(crate) fn image_kind(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("png")
    } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
        Some("jpg")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("gif")
    } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("webp")
    } else {
        None
    }
}

/// A course file name for an upload that does not overwrite a different file of the same name
/// (that one may be used by published content): `name-HASH8.ext` when taken.
pub(crate) fn free_name(statics: &[StaticFile], wanted: &str, sha: &str) -> String {
    match statics.iter().find(|f| f.path == wanted) {
        None => wanted.to_string(),
        Some(f) if f.sha256 == sha => wanted.to_string(),
        Some(_) => {
            let short = &sha[..8.min(sha.len())];
            match wanted.rsplit_once('.') {
                Some((stem, ext)) => format!("{stem}-{short}.{ext}"),
                None => format!("{wanted}-{short}"),
            }
        }
    }
}

/// Puts a blob in the store: (SHA-256, size).
pub(super) async fn put_blob(
    state: &AppState,
    data: super::BlobSource,
) -> Result<(String, u64), AppError> {
    let blobs = BlobStore::new(&state.config.data_dir);
    web::block(move || -> std::io::Result<(String, u64)> {
        match data {
            super::BlobSource::File(tmp) => {
                let (sha, size) = xblock_compat::olx::hash_file(&tmp)?;
                blobs.put_file(&tmp, &sha, true)?;
                drop(tmp);
                Ok((sha, size))
            }
            super::BlobSource::Bytes(b) => blobs.put_reader(&b[..]).map(|(s, n, _)| (s, n)),
        }
    })
    .await
    .map_err(AppError::internal)?
    .map_err(AppError::internal)
}

/// Adds a stored blob to the course's files (a new current version unless an identical file
/// is there already) under [`free_name`]; returns the path used.
pub(super) async fn add_static(
    state: &AppState,
    signed: &SignedIn,
    course_id: &str,
    wanted: String,
    (sha, size): (String, u64),
) -> Result<String, AppError> {
    let (cid, uid) = (course_id.to_string(), signed.0.user.id.clone());
    state
        .db
        .run(move |conn| {
            let mut path = String::new();
            store::change_current(conn, &cid, Some(&uid), "assets", |course| {
                path = free_name(&course.statics, &wanted, &sha);
                if course.statics.iter().any(|f| f.path == path) {
                    return false;
                }
                course.statics.push(StaticFile {
                    path: path.clone(),
                    size,
                    sha256: sha.clone(),
                    disk_path: None,
                });
                course.statics.sort_by(|a, b| a.path.cmp(&b.path));
                true
            })
            .map_err(AppError::from)?;
            Ok::<_, AppError>(path)
        })
        .await
}

fn escape_attr(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Uploads an image into the course's files and appends `<img src="/static/NAME" alt="ALT">`
/// to the body (the editor's current body when its script sent it along, else the stored one).
pub(super) async fn upload_image(
    state: web::Data<AppState>,
    signed: SignedIn,
    path: web::Path<(String, String)>,
    payload: Multipart,
) -> Result<HttpResponse, AppError> {
    let (course_id, block_id) = path.into_inner();
    // Access first: another office's author sends nothing into the store.
    let at = locate(&state, &signed, course_id, "html", &block_id).await?;
    let mut up = super::receive_upload(
        &state,
        payload,
        &[
            ("image_alt", 2000),
            ("body", 256 * 1024),
            ("display_name", 2000),
        ],
        crate::assets::MAX_ASSET,
    )
    .await?;
    let lang = signed.1.lang;
    let alt = up
        .field("image_alt")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let mut errors = Vec::new();
    let t = |k: &str| state.i18n.t(lang, k, &[]);
    let mut file = None;
    if up.too_large {
        errors.push(FieldError {
            field: "image",
            message: t("studio-comp-error-image-large"),
        });
    } else {
        match up.file.take() {
            None => errors.push(FieldError {
                field: "image",
                message: t("studio-comp-error-image-none"),
            }),
            Some((tmp, sent)) => match (
                super::head(&tmp).as_deref().and_then(image_kind),
                crate::assets::upload_name(&sent),
            ) {
                (None, _) => errors.push(FieldError {
                    field: "image",
                    message: t("studio-comp-error-image-type"),
                }),
                (Some(_), Err(k)) => errors.push(FieldError {
                    field: "image",
                    message: t(k),
                }),
                (Some(kind), Ok(name)) => {
                    // The name ends as the content says (`.jpeg` and `.jpg` alike).
                    let stem = name.rsplit_once('.').map_or(name.as_str(), |(s, _)| s);
                    file = Some((format!("{stem}.{kind}"), tmp));
                }
            },
        }
    }
    if alt.is_empty() {
        errors.push(FieldError {
            field: "image_alt",
            message: t("studio-comp-error-image-alt"),
        });
    }
    let (Some((wanted, tmp)), true) = (file, errors.is_empty()) else {
        let mut p = page(&state, &signed, &at);
        p.image_alt = alt.chars().take(300).collect();
        if up.has("body") {
            p.body = up.field("body").to_string();
        }
        p.errors = errors;
        let status = if up.too_large {
            StatusCode::PAYLOAD_TOO_LARGE
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        return render_page(&state, &signed.1, "studio/component_html.html", &p, status);
    };
    let blob = put_blob(&state, super::BlobSource::File(tmp)).await?;
    let stored = add_static(&state, &signed, &at.row.id, wanted, blob).await?;
    let body = if up.has("body") {
        up.field("body").replace("\r\n", "\n")
    } else {
        body_of(at.block())
    };
    let name = match clean_name(up.field("display_name")) {
        n if n.is_empty() => at
            .block()
            .display_name()
            .unwrap_or_else(|| t("studio-comp-default-html")),
        n => n,
    };
    let img = format!(
        "<p><img src=\"/static/{}\" alt=\"{}\"></p>",
        escape_attr(&stored),
        escape_attr(&alt)
    );
    let (clean, removed) = sanitise(&format!("{}\n{img}", body.trim_end()));
    let r = edit_component(
        &state,
        &signed,
        &at.row.id,
        "html",
        &at.block().id,
        move |course, idx| {
            apply(course, idx, &name, clean);
            Ok::<_, Refused>(())
        },
    )
    .await?;
    refused_field(r)?;
    let mut to = editor_href(&at.row.id, "html", &at.block().id);
    if !removed.is_empty() {
        to.push_str(&format!("?usunieto={}", encode_segment(&removed.join(","))));
    }
    to.push_str("#body");
    Ok(see_other(&state, &to, Some("flash-comp-image-added")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn course_content_survives_and_scripts_do_not() {
        let (clean, removed) = sanitise(
            "<h2>Tytuł</h2><p>Zażółć <strong>gęślą</strong> <em>jaźń</em></p>\
             <ul><li>a</li></ul><ol><li>b</li></ol>\
             <p><a href=\"/static/plan.pdf\">plan</a> <img src=\"/static/x.png\" alt=\"X\"></p>\
             <table><caption>T</caption><tr><th scope=\"col\">a</th></tr><tr><td>1</td></tr></table>\
             <figure><img src=\"/static/y.png\" alt=\"Y\"><figcaption>Y</figcaption></figure>\
             <pre><code>let x = 1;</code></pre><blockquote>cytat</blockquote>",
        );
        assert!(removed.is_empty(), "{removed:?}");
        for kept in [
            "<h2>Tytuł</h2>",
            "<strong>gęślą</strong>",
            "href=\"/static/plan.pdf\"",
            "src=\"/static/x.png\" alt=\"X\"",
            "<th scope=\"col\">",
            "<figcaption>",
            "<pre><code>",
            "<blockquote>",
        ] {
            assert!(clean.contains(kept), "{kept} in {clean}");
        }
    }

    #[test]
    fn what_is_removed_is_named() {
        let (clean, removed) = sanitise(
            "<p onclick=\"x()\" style=\"color:red\">a</p><script>alert(1)</script>\
             <img src=\"x.png\" onerror=\"alert(2)\" alt=\"\"><a href=\"javascript:alert(3)\">l</a>\
             <h1>Duży</h1><iframe src=\"https://example.org\"></iframe>",
        );
        assert!(!clean.contains("alert"), "{clean}");
        assert!(!clean.contains("<script") && !clean.contains("onerror"));
        assert!(clean.contains("Duży"), "text of a removed heading stays");
        assert_eq!(
            removed,
            [
                "h1",
                "iframe",
                "javascript:",
                "onclick",
                "onerror",
                "script",
                "style"
            ]
        );
        // Links get rel=noopener, which is not a removal.
        let (clean, removed) = sanitise("<a href=\"https://example.org\" rel=\"x\">x</a>");
        assert!(removed.is_empty(), "{removed:?}");
        assert!(clean.contains("noopener"));
    }

    #[test]
    fn the_tag_reader_survives_broken_markup() {
        for html in [
            "<",
            "<p",
            "<p a",
            "<p a=",
            "<p a=\"ż",
            "<p a='ż' b=ż c",
            "<!-- niedokończony",
            "<żółw>a</żółw><p\u{0}x=1>",
            "a < b > c <<p>>",
        ] {
            let _ = sanitise(html);
        }
        let tags = start_tags("<a href='x' title=\"ż\" data-x=1 disabled>");
        assert_eq!(tags.len(), 1);
        assert_eq!(
            tags[0]
                .attrs
                .iter()
                .map(|(k, _)| k.as_str())
                .collect::<Vec<_>>(),
            ["href", "title", "data-x", "disabled"]
        );
        assert_eq!(tags[0].attrs[1].1, "ż");
    }

    #[test]
    fn images_by_content_and_names_that_do_not_clash() {
        assert_eq!(image_kind(b"\x89PNG\r\n\x1a\nrest"), Some("png"));
        assert_eq!(image_kind(b"GIF89a..."), Some("gif"));
        assert_eq!(
            image_kind(b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
            None
        );
        let statics = vec![StaticFile {
            path: "a.png".into(),
            size: 1,
            sha256: "ab".repeat(32),
            disk_path: None,
        }];
        assert_eq!(free_name(&statics, "b.png", &"cd".repeat(32)), "b.png");
        assert_eq!(free_name(&statics, "a.png", &"ab".repeat(32)), "a.png");
        assert_eq!(
            free_name(&statics, "a.png", &"cd".repeat(32)),
            "a-cdcdcdcd.png"
        );
    }
}
