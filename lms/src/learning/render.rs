//! Turning course content into portal HTML: author HTML with its links rewritten and sanitised,
//! static file URLs, dates.

use chrono::{DateTime, Utc};
use platform::i18n::Lang;
use serde::Serialize;

use super::cache::LoadedCourse;

/// Escapes text for HTML we build in Rust (block notices, players, problem frames).
pub fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A translated message with string arguments.
pub fn t(state: &platform::web::AppState, lang: Lang, key: &str, args: &[(&str, &str)]) -> String {
    let args: Vec<(&str, platform::i18n::Arg)> = args
        .iter()
        .map(|(k, v)| (*k, platform::i18n::Arg::Str(v.to_string())))
        .collect();
    state.i18n.t(lang, key, &args)
}

/// Percent-encodes a path for use inside a URL, keeping `/`.
pub fn encode_path(p: &str) -> String {
    let mut out = String::with_capacity(p.len());
    for b in p.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Where a course file is served. `reference` is as authors write it: `/static/x.png`,
/// `static/x.png`, or an Open edX asset key `/asset-v1:ORG+NUM+RUN+type@asset+block@x.png`.
/// `None` when the course has no such file.
pub fn static_url(course: &LoadedCourse, reference: &str) -> Option<String> {
    let path = static_path(reference)?;
    let (path, suffix) = match path.find(['?', '#']) {
        Some(i) => (&path[..i], &path[i..]),
        None => (path, ""),
    };
    let path = percent_decode(path);
    course.assets.contains_key(&path).then(|| {
        format!(
            "/kursy/{}/static/{}{}",
            course.key(),
            encode_path(&path),
            suffix
        )
    })
}

/// The path under `static/` a reference names.
pub fn static_path(reference: &str) -> Option<&str> {
    let r = reference.trim();
    if let Some(rest) = r
        .strip_prefix("/static/")
        .or_else(|| r.strip_prefix("static/"))
    {
        return Some(rest);
    }
    let rest = r.strip_prefix('/').unwrap_or(r);
    if rest.starts_with("asset-v1:") || rest.starts_with("c4x/") {
        if let Some(i) = rest.find("block@") {
            return Some(&rest[i + 6..]);
        }
        // c4x/ORG/COURSE/asset/NAME
        return rest.rsplit_once("/asset/").map(|(_, n)| n);
    }
    None
}

pub fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Rewrites links in author HTML the way Open edX does (`/static/`, Open edX asset keys,
/// `/course/` and `/jump_to_id/`), so imported content works unchanged.
pub fn rewrite_links(course: &LoadedCourse, html: &str) -> String {
    struct Resolver<'a>(&'a LoadedCourse);
    impl xblock_compat::courseware::html::LinkResolver for Resolver<'_> {
        fn static_url(&self, path: &str) -> Option<String> {
            static_url(self.0, &format!("/static/{path}"))
        }
        fn course_url(&self, rest: &str) -> String {
            format!("/kursy/{}/{}", self.0.key(), rest.trim_start_matches('/'))
        }
        fn jump_to_id(&self, id: &str) -> Option<String> {
            Some(format!(
                "/kursy/{}/jump_to_id/{}",
                self.0.key(),
                encode_path(id)
            ))
        }
    }
    let resolver = Resolver(course);
    let out = xblock_compat::courseware::html::rewrite_links(
        html,
        &xblock_compat::courseware::html::LinkContext::new(&resolver),
    );
    rewrite_asset_keys(course, &out)
}

/// `/asset-v1:...+block@NAME` links (Studio writes these) point at the course's files.
fn rewrite_asset_keys(course: &LoadedCourse, html: &str) -> String {
    if !html.contains("asset-v1:") {
        return html.to_string();
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find("asset-v1:") {
        let start = if i > 0 && rest.as_bytes()[i - 1] == b'/' {
            i - 1
        } else {
            i
        };
        let end = rest[i..]
            .find(['"', '\'', ')', ' ', '<', '>'])
            .map(|e| i + e)
            .unwrap_or(rest.len());
        out.push_str(&rest[..start]);
        match static_url(course, &rest[start..end]) {
            Some(u) => out.push_str(&u),
            None => out.push_str(&rest[start..end]),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

fn sanitizer() -> ammonia::Builder<'static> {
    let mut b = ammonia::Builder::default();
    b.add_generic_attributes([
        "class",
        "lang",
        "dir",
        "title",
        "role",
        "aria-label",
        "aria-hidden",
    ])
    .add_tags([
        "figure",
        "figcaption",
        "audio",
        "video",
        "source",
        "track",
        "details",
        "summary",
        "section",
        "article",
        "aside",
        "header",
        "footer",
        "nav",
    ])
    .add_tag_attributes("img", ["width", "height", "alt", "src", "srcset"])
    .add_tag_attributes("a", ["href", "target"])
    .add_tag_attributes("audio", ["src", "controls"])
    .add_tag_attributes("video", ["src", "controls", "poster", "width", "height"])
    .add_tag_attributes("source", ["src", "type"])
    .add_tag_attributes("track", ["src", "kind", "srclang", "label", "default"])
    .add_tag_attributes("th", ["scope", "colspan", "rowspan"])
    .add_tag_attributes("td", ["colspan", "rowspan", "headers"])
    .link_rel(Some("noopener noreferrer"));
    b
}

/// Author HTML safe to place inside a portal page: links rewritten, scripts, styles, event
/// handlers, forms and frames removed. (Blocks that need their scripts get a sandboxed frame
/// instead: see [`needs_frame`].)
pub fn author_html(course: &LoadedCourse, html: &str) -> String {
    sanitizer().clean(&rewrite_links(course, html)).to_string()
}

/// Author HTML that only works with its own scripts, styles, forms or frames: shown in a
/// sandboxed frame with an opaque origin, so the scripts cannot reach the portal.
pub fn needs_frame(html: &str) -> bool {
    let l = html.to_ascii_lowercase();
    [
        "<script",
        "<iframe",
        "<style",
        "<form",
        "<object",
        "<embed",
        "<canvas",
        " onclick=",
        " onload=",
    ]
    .iter()
    .any(|t| l.contains(t))
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct DateInfo {
    pub start: Option<String>,
    pub end: Option<String>,
    pub enrollment_start: Option<String>,
    pub enrollment_end: Option<String>,
}

/// Open edX stores dates as ISO 8601 (`2013-02-05T05:00:00Z`, sometimes `+00:00` or quoted).
pub fn parse_date(s: &str) -> Option<DateTime<Utc>> {
    xblock_compat::courseware::policy::parse_date(s.trim().trim_matches('"'))
}

/// A date as people read it ("5 lutego 2013"): the UTC calendar day, as Open edX shows dates.
pub fn human_date(d: &DateTime<Utc>, lang: Lang) -> String {
    crate::certificates::pdf::format_date(d.date_naive(), lang)
}

pub fn course_dates(course: &LoadedCourse, lang: Lang) -> DateInfo {
    let root = course.course.root_block();
    let f = |name: &str| {
        root.field(name)
            .as_deref()
            .and_then(parse_date)
            .map(|d| human_date(&d, lang))
    };
    DateInfo {
        start: f("start"),
        end: f("end"),
        enrollment_start: f("enrollment_start"),
        enrollment_end: f("enrollment_end"),
    }
}

/// Polish civil time, for everything a learner reads as a wall-clock time or a calendar day
/// (exam deadlines, streak days): the portal serves Polish public bodies.
pub fn warsaw(d: &DateTime<Utc>) -> DateTime<chrono_tz::Tz> {
    d.with_timezone(&chrono_tz::Europe::Warsaw)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn static_paths_from_every_form() {
        assert_eq!(static_path("/static/a b.png"), Some("a b.png"));
        assert_eq!(static_path("static/x/y.js"), Some("x/y.js"));
        assert_eq!(
            static_path(
                "/asset-v1:OpenedX+DemoX+DemoCourse+type@asset+block@open-edx-reach-slide.png"
            ),
            Some("open-edx-reach-slide.png")
        );
        assert_eq!(static_path("/c4x/Org/C/asset/a.png"), Some("a.png"));
        assert_eq!(static_path("https://example.org/a.png"), None);
    }

    #[test]
    fn frames_for_scripted_html_only() {
        assert!(needs_frame("<p>x</p><SCRIPT src=a.js></script>"));
        assert!(!needs_frame("<p>Zażółć <b>gęślą</b></p>"));
    }

    #[test]
    fn dates_parse_as_open_edx_writes_them() {
        let d = parse_date("2013-02-05T05:00:00Z").unwrap();
        assert_eq!(human_date(&d, Lang::Pl), "5 lutego 2013");
        assert!(parse_date("\"2030-01-01T00:00:00+00:00\"").is_some());
        assert!(parse_date("").is_none());
    }
}
