//! Link rewriting in author HTML (html blocks, problem text, about pages), as Open edX's
//! `static_replace` does it: no DOM, a scan for quoted strings.
//!
//! Open edX's pattern is `(\\?['"])PREFIX(.*?)\1`: an opening quote (optionally
//! backslash-escaped, for links inside JavaScript strings), the prefix, then the shortest run
//! of characters other than a newline up to the same quote. Three prefixes are rewritten:
//!
//! - `/static/PATH` → the course asset ([`LinkResolver::static_url`]), except `PATH?raw`
//!   (left as it is, on purpose) and `/static/xblock...` (XBlock resources);
//! - `/course/REST` → a course-relative page ([`LinkResolver::course_url`]; Open edX:
//!   `/courses/COURSE_ID/REST`);
//! - `/jump_to_id/ID` → the block with that `url_name` ([`LinkResolver::jump_to_id`]).
//!
//! Query strings and fragments after the path are kept. SZPoN also rewrites, where Open edX
//! leaves broken links: every URL of a `srcset` list (Open edX would take the whole list for one
//! path), unquoted CSS `url(/static/...)`, and (with [`LinkContext::relative_static`]) the
//! relative form `"static/PATH"` when the resolver knows the file.
//! Open edX runs the three replacements one after another; a single pass gives the same result
//! except when one quoted string contains another prefix's string, which no real page does.

/// Where links point in SZPoN. Return `None` to leave a link untouched (unknown asset or block).
pub trait LinkResolver {
    /// URL of the course asset at `path` (relative to `static/`, without query or fragment).
    fn static_url(&self, path: &str) -> Option<String>;
    /// URL for `/course/{rest}` (`rest` with its query and fragment).
    fn course_url(&self, rest: &str) -> String;
    /// URL of the block whose `url_name` is `id`.
    fn jump_to_id(&self, id: &str) -> Option<String>;
}

/// A [`LinkResolver`] made of closures.
pub struct FnResolver<S, C, J>
where
    S: Fn(&str) -> Option<String>,
    C: Fn(&str) -> String,
    J: Fn(&str) -> Option<String>,
{
    pub static_url: S,
    pub course_url: C,
    pub jump_to_id: J,
}

impl<S, C, J> LinkResolver for FnResolver<S, C, J>
where
    S: Fn(&str) -> Option<String>,
    C: Fn(&str) -> String,
    J: Fn(&str) -> Option<String>,
{
    fn static_url(&self, path: &str) -> Option<String> {
        (self.static_url)(path)
    }
    fn course_url(&self, rest: &str) -> String {
        (self.course_url)(rest)
    }
    fn jump_to_id(&self, id: &str) -> Option<String> {
        (self.jump_to_id)(id)
    }
}

/// What [`rewrite_links`] needs.
pub struct LinkContext<'a> {
    pub resolver: &'a dyn LinkResolver,
    /// Also rewrite `"static/PATH"` (no leading slash) when the resolver knows the file.
    /// Open edX does not (such links break there), so off by default.
    pub relative_static: bool,
}

impl<'a> LinkContext<'a> {
    pub fn new(resolver: &'a dyn LinkResolver) -> Self {
        LinkContext {
            resolver,
            relative_static: false,
        }
    }
}

const STATIC: &str = "/static/";
const COURSE: &str = "/course/";
const JUMP: &str = "/jump_to_id/";
const XBLOCK_RESOURCE: &str = "/static/xblock";

/// Splits `path?query#fragment` into the path and the rest (kept verbatim).
fn split_suffix(s: &str) -> (&str, &str) {
    match s.find(['?', '#']) {
        Some(i) => (&s[..i], &s[i..]),
        None => (s, ""),
    }
}

/// Rewrites one URL that starts with a known prefix; `None` = keep it.
fn rewrite_url(url: &str, ctx: &LinkContext) -> Option<String> {
    if let Some(rest) = url.strip_prefix(STATIC) {
        if rest.ends_with("?raw") || url.starts_with(XBLOCK_RESOURCE) {
            return None;
        }
        let (path, suffix) = split_suffix(rest);
        return ctx
            .resolver
            .static_url(path)
            .map(|u| format!("{u}{suffix}"));
    }
    if let Some(rest) = url.strip_prefix(COURSE) {
        return Some(ctx.resolver.course_url(rest));
    }
    if let Some(rest) = url.strip_prefix(JUMP) {
        let (id, suffix) = split_suffix(rest);
        return ctx.resolver.jump_to_id(id).map(|u| format!("{u}{suffix}"));
    }
    if ctx.relative_static {
        if let Some(rest) = url.strip_prefix("static/") {
            if rest.ends_with("?raw") {
                return None;
            }
            let (path, suffix) = split_suffix(rest);
            return ctx
                .resolver
                .static_url(path)
                .map(|u| format!("{u}{suffix}"));
        }
    }
    None
}

fn has_prefix(s: &str, ctx: &LinkContext) -> bool {
    s.starts_with(STATIC)
        || s.starts_with(COURSE)
        || s.starts_with(JUMP)
        || (ctx.relative_static && s.starts_with("static/"))
}

/// Whether the quote at `quote_at` opens a `srcset` attribute value.
fn is_srcset(html: &str, quote_at: usize) -> bool {
    let before = html[..quote_at].trim_end();
    let Some(before) = before.strip_suffix('=') else {
        return false;
    };
    let before = before.trim_end();
    before.len() >= 6
        && before.is_char_boundary(before.len() - 6)
        && before[before.len() - 6..].eq_ignore_ascii_case("srcset")
}

/// Rewrites each candidate URL of a `srcset` value (`URL [descriptor], ...`).
fn rewrite_srcset(value: &str, ctx: &LinkContext) -> String {
    value
        .split(',')
        .map(|cand| {
            let lead = cand.len() - cand.trim_start().len();
            let trimmed = cand.trim_start();
            let url_len = trimmed.find(char::is_whitespace).unwrap_or(trimmed.len());
            let url = &trimmed[..url_len];
            match rewrite_url(url, ctx) {
                Some(new) if has_prefix(url, ctx) => {
                    format!("{}{}{}", &cand[..lead], new, &trimmed[url_len..])
                }
                _ => cand.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// Rewrites `/static/`, `/course/` and `/jump_to_id/` links in quoted strings of `html`, the way
/// Open edX's `replace_static_urls`, `replace_course_urls` and `replace_jump_to_id_urls` do
/// (see the module documentation). Never fails; unknown links stay as they are.
pub fn rewrite_links(html: &str, ctx: &LinkContext) -> String {
    let bytes = html.as_bytes();
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    let mut copied = 0; // html[..copied] is in `out`
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        // Unquoted CSS url(/static/...).
        if (c == b'u' || c == b'U')
            && html
                .get(i..i + 4)
                .is_some_and(|s| s.eq_ignore_ascii_case("url("))
        {
            let start = i + 4 + (html[i + 4..].len() - html[i + 4..].trim_start().len());
            if html[start..].starts_with(STATIC) {
                let len = html[start..]
                    .find(|ch: char| ch == ')' || ch.is_whitespace() || ch == '"' || ch == '\'')
                    .unwrap_or(html.len() - start);
                let url = &html[start..start + len];
                if let Some(new) = rewrite_url(url, ctx) {
                    out.push_str(&html[copied..start]);
                    out.push_str(&new);
                    copied = start + len;
                }
                i = start + len;
                continue;
            }
        }
        let (quote, qlen) = match c {
            b'\\' if matches!(bytes.get(i + 1), Some(b'"') | Some(b'\'')) => (&html[i..i + 2], 2),
            b'"' | b'\'' => (&html[i..i + 1], 1),
            _ => {
                i += 1;
                continue;
            }
        };
        let body_start = i + qlen;
        if c != b'\\' && is_srcset(html, i) {
            if let Some(len) = html[body_start..].find(quote) {
                let value = &html[body_start..body_start + len];
                let new = rewrite_srcset(value, ctx);
                if new != value {
                    out.push_str(&html[copied..body_start]);
                    out.push_str(&new);
                    copied = body_start + len;
                }
                i = body_start + len + qlen;
                continue;
            }
        }
        if !has_prefix(&html[body_start..], ctx) {
            i += 1;
            continue;
        }
        // The shortest run without a newline up to the same quote.
        let line_end = html[body_start..]
            .find('\n')
            .map_or(html.len(), |n| body_start + n);
        let Some(len) = html[body_start..line_end].find(quote) else {
            i += 1;
            continue;
        };
        let url = &html[body_start..body_start + len];
        if let Some(new) = rewrite_url(url, ctx) {
            out.push_str(&html[copied..body_start]);
            out.push_str(&new);
            copied = body_start + len;
        }
        // A match is consumed with its closing quote, as re.sub does.
        i = body_start + len + qlen;
    }
    out.push_str(&html[copied..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewrite(html: &str) -> String {
        rewrite_opts(html, false)
    }

    fn rewrite_opts(html: &str, relative_static: bool) -> String {
        let r = FnResolver {
            static_url: |p: &str| (p != "missing.png").then(|| format!("/a/{p}")),
            course_url: |rest: &str| format!("/c/X/{rest}"),
            jump_to_id: |id: &str| (id != "nope").then(|| format!("/j/{id}")),
        };
        let ctx = LinkContext {
            resolver: &r,
            relative_static,
        };
        rewrite_links(html, &ctx)
    }

    #[test]
    fn quoted_links_as_open_edx() {
        assert_eq!(
            rewrite(r#"<img src="/static/a b.png"> <a href='/static/d/f.pdf#page=2'>"#),
            r#"<img src="/a/a b.png"> <a href='/a/d/f.pdf#page=2'>"#
        );
        assert_eq!(
            rewrite(r#"<a href="/static/f.pdf?raw">"#),
            r#"<a href="/static/f.pdf?raw">"#
        );
        assert_eq!(
            rewrite(r#"<script src="/static/xblock/r.js"></script>"#),
            r#"<script src="/static/xblock/r.js"></script>"#
        );
        assert_eq!(
            rewrite(r#"<img src="/static/missing.png">"#),
            r#"<img src="/static/missing.png">"#
        );
        assert_eq!(
            rewrite(r#"<a href="/course/wiki?x=1#top">w</a>"#),
            r#"<a href="/c/X/wiki?x=1#top">w</a>"#
        );
        assert_eq!(
            rewrite(r#"<a href="/jump_to_id/abc123?a=1#s">x</a> <a href="/jump_to_id/nope">"#),
            r#"<a href="/j/abc123?a=1#s">x</a> <a href="/jump_to_id/nope">"#
        );
        // Escaped quotes inside JavaScript strings.
        assert_eq!(
            rewrite(r#"s = "<img src=\"/static/x.png\">";"#),
            r#"s = "<img src=\"/a/x.png\">";"#
        );
        // The closing quote must be the opening one; newlines end the search.
        assert_eq!(
            rewrite("<a href=\"/static/a'b.png\">"),
            "<a href=\"/a/a'b.png\">"
        );
        assert_eq!(
            rewrite("<a href=\"/static/x\n\">"),
            "<a href=\"/static/x\n\">"
        );
        // Unquoted links are not Open edX's business (CSS url() aside).
        assert_eq!(rewrite("see /static/x.png"), "see /static/x.png");
        // Non-ASCII text around links survives.
        assert_eq!(rewrite("żółw \"/static/ż.png\" ok"), "żółw \"/a/ż.png\" ok");
    }

    #[test]
    fn srcset_css_and_relative() {
        assert_eq!(
            rewrite(r#"<img srcset="/static/a.png 1x, /static/b.png 2x,https://e/c.png 3x">"#),
            r#"<img srcset="/a/a.png 1x, /a/b.png 2x,https://e/c.png 3x">"#
        );
        assert_eq!(
            rewrite("div { background: url(/static/bg.png) } p { b: url( '/static/q.png' ) }"),
            "div { background: url(/a/bg.png) } p { b: url( '/a/q.png' ) }"
        );
        assert_eq!(
            rewrite(r#"<img src="static/r.png">"#),
            r#"<img src="static/r.png">"#
        );
        assert_eq!(
            rewrite_opts(
                r#"<img src="static/r.png"> <img src="static/missing.png">"#,
                true
            ),
            r#"<img src="/a/r.png"> <img src="static/missing.png">"#
        );
    }

    #[test]
    fn odd_input_does_not_panic() {
        for s in [
            "",
            "\"",
            "'",
            "\\",
            "\\\"",
            "url(",
            "url(/static/",
            "srcset=\"",
            "\"/static/",
            "\"/course/",
            "=\"/static/ż",
            "ż\\\"/static/ż\\\"",
            "urlż",
            "uż",
        ] {
            let _ = rewrite(s);
            let _ = rewrite_opts(s, true);
        }
        assert_eq!(rewrite("\"/course/\""), "\"/c/X/\"");
    }
}
