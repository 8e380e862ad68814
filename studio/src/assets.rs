//! Course files (Open edX's "Files & Uploads"): the current version's `static/` files with
//! where each is used, upload, replace and delete. Files are applied at once, as in Open edX:
//! every change is saved as a new version (`store::change_current`); the bytes go to the
//! content-addressed blob store, so older versions keep theirs.
//!
//! Usage is found by scanning the course's text for the names Open edX content uses for a file:
//! `/static/PATH` (exact, percent-encoded or as Open edX's cleaned asset name),
//! `/c4x/ORG/COURSE/asset/NAME` and `asset-v1:...+type@asset+block@NAME`, plus the fields that
//! name files without a prefix (the course image, video transcripts).

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use futures_util::StreamExt;
use platform::i18n::Lang;
use platform::storage::BlobStore;
use platform::web::render::{render, render_page, see_other, FieldError};
use platform::web::{AppError, AppState, SignedIn};
use serde::Serialize;
use xblock_compat::courseware::video::{transcript_asset_candidates, VideoInfo};
use xblock_compat::olx::{clean_asset_name, Course, StaticFile};

use crate::store;
use crate::web::course_current;

/// The largest file an author may upload.
pub const MAX_ASSET: u64 = 100 * 1024 * 1024;
/// The longest file name accepted (most file systems' limit).
const MAX_NAME: usize = 255;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/studio/kursy/{course_id}/pliki")
            .route(web::get().to(list))
            .route(web::post().to(upload)),
    )
    .route(
        "/studio/kursy/{course_id}/pliki/usun",
        web::post().to(delete),
    );
}

// ---------------------------------------------------------------------------------------------
// Usage
// ---------------------------------------------------------------------------------------------

/// One place outside units that uses a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Use {
    /// `course_image`, `about`, `info`, `tab` or `block` (a block outside any unit).
    pub kind: &'static str,
    pub name: String,
}

/// A unit whose blocks use a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitUse {
    pub name: String,
    /// Only as a video's transcript (not linked from content).
    pub transcript: bool,
}

/// Where one file is used.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct FileUses {
    /// Units in course order, each once.
    pub units: Vec<UnitUse>,
    pub other: Vec<Use>,
}

impl FileUses {
    pub fn is_used(&self) -> bool {
        !self.units.is_empty() || !self.other.is_empty()
    }
}

/// Names content may use for a file → its index in `course.statics` (the exact path wins over
/// another file's cleaned name, as in [`Course::resolve_static`]).
fn name_index(statics: &[StaticFile]) -> HashMap<String, usize> {
    let mut m = HashMap::new();
    for (i, f) in statics.iter().enumerate() {
        m.entry(clean_asset_name(&f.path)).or_insert(i);
    }
    for (i, f) in statics.iter().enumerate() {
        m.insert(f.path.clone(), i);
    }
    m
}

fn percent_decode(s: &str) -> String {
    let hex = |c: u8| (c as char).to_digit(16).map(|d| d as u8);
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push(h * 16 + l);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Where a reference certainly ends: quotes, markup, line ends, query and fragment.
fn hard_end(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '<' | '>' | '\n' | '\r' | '?' | '#' | '\\' | '`'
    )
}

/// Where a reference may end (a name may still go on: `a b.png`).
fn soft_end(c: char) -> bool {
    c.is_whitespace() || matches!(c, '&' | ',' | ';' | ')' | '(' | ']' | '[' | '{' | '}' | '|')
}

/// Files whose name starts `tail` and ends at a possible end of a reference.
fn lookup_tail(tail: &str, names: &HashMap<String, usize>, out: &mut Vec<usize>) {
    let mut tries = 0;
    let check = |cand: &str, out: &mut Vec<usize>| {
        if cand.is_empty() {
            return;
        }
        let hit = names.get(cand).or_else(|| {
            cand.contains('%')
                .then(|| names.get(&percent_decode(cand)))
                .flatten()
        });
        if let Some(&i) = hit {
            if !out.contains(&i) {
                out.push(i);
            }
        }
    };
    for (j, c) in tail.char_indices() {
        if hard_end(c) {
            check(&tail[..j], out);
            return;
        }
        if soft_end(c) {
            check(&tail[..j], out);
            tries += 1;
            if tries > 16 {
                return;
            }
        }
        if j > 512 {
            return;
        }
    }
    check(tail, out);
}

/// Indices of the files `text` refers to.
fn refs_in(text: &str, names: &HashMap<String, usize>) -> Vec<usize> {
    let mut out = Vec::new();
    if names.is_empty() {
        return out;
    }
    // `/static/PATH` and `static/PATH` (not `somestatic/`).
    let mut from = 0;
    while let Some(i) = text[from..].find("static/") {
        let at = from + i;
        let prev = text[..at].chars().next_back();
        if !prev.is_some_and(|p| p.is_alphanumeric() || p == '_' || p == '-') {
            lookup_tail(&text[at + 7..], names, &mut out);
        }
        from = at + 7;
    }
    // `/c4x/ORG/COURSE/asset/NAME`.
    let mut from = 0;
    while let Some(i) = text[from..].find("c4x/") {
        let at = from + i + 4;
        let head: String = text[at..].chars().take(300).collect();
        let stop = head.find(hard_end).unwrap_or(head.len());
        if let Some(k) = head[..stop].find("/asset/") {
            lookup_tail(&text[at + k + 7..], names, &mut out);
        }
        from = at;
    }
    // `asset-v1:ORG+COURSE+RUN+type@asset+block@NAME`.
    let mut from = 0;
    while let Some(i) = text[from..].find("type@asset+block@") {
        let at = from + i + 17;
        lookup_tail(&text[at..], names, &mut out);
        from = at;
    }
    out
}

/// The unit (vertical) a block belongs to, if any.
fn unit_of(course: &Course, mut i: usize) -> Option<usize> {
    let mut steps = 0;
    loop {
        if course.blocks[i].block_type == "vertical" {
            return Some(i);
        }
        i = course.blocks[i].parent?;
        steps += 1;
        if steps > 64 {
            return None;
        }
    }
}

fn block_name(course: &Course, i: usize) -> String {
    let b = &course.blocks[i];
    b.display_name()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| b.id.clone())
}

/// Where each static file of `course` is used, by path (every file has an entry).
pub fn usage(course: &Course) -> BTreeMap<String, FileUses> {
    let names = name_index(&course.statics);
    let n = course.statics.len();
    // Per file: unit key (type/id) → position in `units`.
    let mut units: Vec<Vec<((String, String), UnitUse)>> = vec![Vec::new(); n];
    let mut other: Vec<Vec<Use>> = vec![Vec::new(); n];
    let mut add_unit = |f: usize, key: (String, String), name: String, transcript: bool| {
        let list = &mut units[f];
        match list.iter_mut().find(|(k, _)| *k == key) {
            Some((_, u)) => u.transcript &= transcript,
            None => list.push((key, UnitUse { name, transcript })),
        }
    };
    let mut add_other = |f: usize, kind: &'static str, name: String| {
        let u = Use { kind, name };
        if !other[f].contains(&u) {
            other[f].push(u);
        }
    };

    // Published blocks in course order, then the rest (drafts).
    let mut order = course.walk();
    let mut seen = vec![false; course.blocks.len()];
    for &i in &order {
        seen[i] = true;
    }
    order.extend((0..course.blocks.len()).filter(|&i| !seen[i]));

    for i in order {
        let b = &course.blocks[i];
        let mut found: Vec<(usize, bool)> = Vec::new();
        let scan = |text: &str, found: &mut Vec<(usize, bool)>| {
            for f in refs_in(text, &names) {
                found.push((f, false));
            }
        };
        if !b.is_container() || b.draft {
            scan(&b.xml, &mut found);
        } else {
            // A container's XML holds its children's pointers; only its own attributes count.
            for (_, v) in &b.attrs {
                scan(v, &mut found);
            }
        }
        if let Some(body) = &b.body {
            scan(body, &mut found);
        }
        if !b.policy.is_empty() {
            scan(
                &serde_json::Value::Object(b.policy.clone()).to_string(),
                &mut found,
            );
        }
        for x in &b.extra_xml {
            scan(x, &mut found);
        }
        if b.block_type == "video" {
            let info = VideoInfo::from_block(b);
            for lang in info.transcript_languages() {
                for cand in transcript_asset_candidates(&info, &lang) {
                    if let Some(&f) = names.get(&cand) {
                        found.push((f, true));
                    }
                }
            }
        }
        if i == course.root {
            for field in ["course_image", "banner_image", "video_thumbnail_image"] {
                if let Some(v) = b.field(field) {
                    let v = v.trim();
                    let v = v.strip_prefix("/static/").unwrap_or(v);
                    if let Some(&f) = names.get(v) {
                        add_other(f, "course_image", field.to_string());
                    }
                }
            }
        }
        if found.is_empty() {
            continue;
        }
        match unit_of(course, i) {
            Some(u) => {
                let key = (
                    course.blocks[u].block_type.clone(),
                    course.blocks[u].id.clone(),
                );
                let name = block_name(course, u);
                for (f, transcript) in found {
                    add_unit(f, key.clone(), name.clone(), transcript);
                }
            }
            None => {
                let name = block_name(course, i);
                for (f, _) in found {
                    add_other(f, "block", name.clone());
                }
            }
        }
    }
    for (kind, pages) in [
        ("about", &course.about),
        ("info", &course.info),
        ("tab", &course.tabs),
    ] {
        for (name, text) in pages {
            for f in refs_in(text, &names) {
                add_other(f, kind, name.clone());
            }
        }
    }
    course
        .statics
        .iter()
        .enumerate()
        .map(|(i, f)| {
            (
                f.path.clone(),
                FileUses {
                    units: std::mem::take(&mut units[i])
                        .into_iter()
                        .map(|(_, u)| u)
                        .collect(),
                    other: std::mem::take(&mut other[i]),
                },
            )
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

/// The path an uploaded file gets under `static/`: Open edX's cleaned asset name of the name
/// the browser sent (`zdjęcie (1).png` → `zdjęcie__1_.png`). Names with a path (`../x`,
/// `a/b`, `C:\x`), control characters, a leading dot or no name at all are refused, as is
/// anything longer than 255 bytes.
pub fn upload_name(sent: &str) -> Result<String, &'static str> {
    let name = sent.trim();
    if name.is_empty() {
        return Err("studio-assets-error-no-file");
    }
    if name.contains(['/', '\\'])
        || name.chars().any(char::is_control)
        || name.starts_with('.')
        || name.len() > MAX_NAME
    {
        return Err("studio-assets-error-name");
    }
    let cleaned = clean_asset_name(name);
    if cleaned.is_empty() || cleaned.starts_with('.') || cleaned.len() > MAX_NAME {
        return Err("studio-assets-error-name");
    }
    Ok(cleaned)
}

fn human_size(bytes: u64, lang: Lang) -> String {
    let s = if bytes < 1024 {
        format!("{bytes} B")
    } else if bytes < 1024 * 1024 {
        format!("{:.1} KB", bytes as f64 / 1024.0)
    } else {
        format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
    };
    if lang == Lang::Pl {
        s.replace('.', ",")
    } else {
        s
    }
}

fn content_type(path: &str) -> String {
    mime_guess::from_path(path)
        .first_or_octet_stream()
        .essence_str()
        .to_string()
}

// ---------------------------------------------------------------------------------------------
// Pages
// ---------------------------------------------------------------------------------------------

#[derive(Serialize)]
struct FileRow {
    path: String,
    size: String,
    content_type: String,
    /// Where learners get it.
    url: String,
    uses: FileUses,
    unit_count: usize,
    used: bool,
}

/// The delete confirmation for a used file.
#[derive(Serialize)]
struct Confirm {
    path: String,
    uses: FileUses,
    unit_count: usize,
}

#[derive(Serialize)]
struct AssetsPage {
    id: String,
    title: String,
    course_key: String,
    files: Vec<FileRow>,
    /// The file being replaced (the form's hidden `replace` field), if any.
    replace: String,
    errors: Vec<FieldError>,
    max_mb: u64,
    confirm: Option<Confirm>,
}

fn encode_path(p: &str) -> String {
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

fn page_of(row: &store::CourseRow, course: &Course, lang: Lang) -> AssetsPage {
    let mut uses = usage(course);
    let files = course
        .statics
        .iter()
        .map(|f| {
            let u = uses.remove(&f.path).unwrap_or_default();
            FileRow {
                path: f.path.clone(),
                size: human_size(f.size, lang),
                content_type: content_type(&f.path),
                url: format!("/kursy/{}/static/{}", row.course_key, encode_path(&f.path)),
                unit_count: u.units.len(),
                used: u.is_used(),
                uses: u,
            }
        })
        .collect();
    AssetsPage {
        id: row.id.clone(),
        title: row.title.clone(),
        course_key: row.course_key.clone(),
        files,
        replace: String::new(),
        errors: vec![],
        max_mb: MAX_ASSET >> 20,
        confirm: None,
    }
}

#[derive(serde::Deserialize)]
struct ListQuery {
    #[serde(default)]
    zamien: String,
}

async fn list(
    state: web::Data<AppState>,
    signed: SignedIn,
    course_id: web::Path<String>,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let (row, course) = course_current(&state, &signed, course_id.into_inner()).await?;
    let mut page = page_of(&row, &course, signed.1.lang);
    if !query.zamien.is_empty() {
        if !course.statics.iter().any(|f| f.path == query.zamien) {
            return Err(AppError::NotFound);
        }
        page.replace = query.zamien.clone();
    }
    render(&state, &signed.1, "studio/assets.html", &page)
}

/// What the upload form sent: the file (in a scratch file), its name, and the file it replaces.
struct Received {
    file: Option<(tempfile::TempPath, String)>,
    replace: String,
    too_large: bool,
}

async fn receive(state: &AppState, mut payload: Multipart) -> Result<Received, AppError> {
    use crate::web::Received as Part;
    let mut got = Received {
        file: None,
        replace: String::new(),
        too_large: false,
    };
    while let Some(field) = payload.next().await {
        let mut field = field.map_err(|e| AppError::BadRequest(e.to_string()))?;
        let name = field.name().unwrap_or_default().to_string();
        match name.as_str() {
            "replace" => {
                got.replace = crate::web::read_text_field(&mut field, "replace", 2000).await?
            }
            "file" => {
                let sent = field
                    .content_disposition()
                    .and_then(|cd| cd.get_filename())
                    .unwrap_or_default()
                    .to_string();
                match crate::web::receive_file(state, &mut field, MAX_ASSET).await? {
                    Part::File(path) => got.file = Some((path, sent)),
                    // An empty file with a name is refused by name later; no file at all is not.
                    Part::Empty(path) if !sent.is_empty() => got.file = Some((path, sent)),
                    Part::Empty(_) => {}
                    Part::TooLarge => {
                        got.too_large = true;
                        // Dropping the payload ends the request; the scratch file goes too.
                        return Ok(got);
                    }
                }
            }
            _ => crate::web::drain_field(&mut field).await?,
        }
    }
    Ok(got)
}

/// Re-renders the page with one error on the file field.
fn refuse(
    state: &AppState,
    signed: &SignedIn,
    row: &store::CourseRow,
    course: &Course,
    replace: &str,
    message: &'static str,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let mut page = page_of(row, course, signed.1.lang);
    if course.statics.iter().any(|f| f.path == replace) {
        page.replace = replace.to_string();
    }
    page.errors = vec![FieldError {
        field: "file",
        message: state.i18n.t(signed.1.lang, message, &[]),
    }];
    render_page(state, &signed.1, "studio/assets.html", &page, status)
}

/// Upload of a new file or of new content for an existing one (`replace`); a new file with the
/// name of an existing one replaces it, as Open edX's upload does.
async fn upload(
    state: web::Data<AppState>,
    signed: SignedIn,
    course_id: web::Path<String>,
    payload: Multipart,
) -> Result<HttpResponse, AppError> {
    // Access first: another office's author sends nothing into the store.
    let (row, course) = course_current(&state, &signed, course_id.into_inner()).await?;
    let got = receive(&state, payload).await?;
    let replace = got.replace.clone();
    if got.too_large {
        return refuse(
            &state,
            &signed,
            &row,
            &course,
            &replace,
            "studio-assets-error-too-large",
            StatusCode::PAYLOAD_TOO_LARGE,
        );
    }
    let Some((tmp, sent)) = got.file else {
        return refuse(
            &state,
            &signed,
            &row,
            &course,
            &replace,
            "studio-assets-error-no-file",
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    };
    let path = if replace.is_empty() {
        match upload_name(&sent) {
            Ok(p) => p,
            Err(message) => {
                return refuse(
                    &state,
                    &signed,
                    &row,
                    &course,
                    &replace,
                    message,
                    StatusCode::UNPROCESSABLE_ENTITY,
                )
            }
        }
    } else if course.statics.iter().any(|f| f.path == replace) {
        replace.clone()
    } else {
        return Err(AppError::NotFound);
    };
    let existed = course.statics.iter().any(|f| f.path == path);
    let store = BlobStore::new(&state.config.data_dir);
    let tmp_path: PathBuf = tmp.to_path_buf();
    let (sha, size) = web::block(move || -> std::io::Result<(String, u64)> {
        let (sha, size) = xblock_compat::olx::hash_file(&tmp_path)?;
        store.put_file(&tmp_path, &sha, true)?;
        drop(tmp);
        Ok((sha, size))
    })
    .await
    .map_err(AppError::internal)?
    .map_err(AppError::internal)?;
    let (cid, uid) = (row.id.clone(), signed.0.user.id.clone());
    let p = path.clone();
    state
        .db
        .run(move |conn| {
            store::change_current(conn, &cid, Some(&uid), "assets", |course| {
                let file = StaticFile {
                    path: p.clone(),
                    size,
                    sha256: sha.clone(),
                    disk_path: None,
                };
                match course.statics.iter_mut().find(|f| f.path == p) {
                    Some(f) if f.sha256 == sha => false,
                    Some(f) => {
                        *f = file;
                        true
                    }
                    None => {
                        course.statics.push(file);
                        course.statics.sort_by(|a, b| a.path.cmp(&b.path));
                        true
                    }
                }
            })
            .map_err(AppError::from)
        })
        .await?;
    Ok(see_other(
        &state,
        &format!("/studio/kursy/{}/pliki", row.id),
        Some(if existed {
            "flash-assets-replaced"
        } else {
            "flash-assets-uploaded"
        }),
    ))
}

#[derive(serde::Deserialize)]
struct DeleteForm {
    #[serde(default)]
    path: String,
    #[serde(default)]
    confirm: String,
}

/// Deletes a file from the course (a new version without it; the bytes stay for older
/// versions). A file still in use is deleted only after the author confirms on a page that
/// lists its uses.
async fn delete(
    state: web::Data<AppState>,
    signed: SignedIn,
    course_id: web::Path<String>,
    form: web::Form<DeleteForm>,
) -> Result<HttpResponse, AppError> {
    let (row, course) = course_current(&state, &signed, course_id.into_inner()).await?;
    let path = form.path.clone();
    if !course.statics.iter().any(|f| f.path == path) {
        return Err(AppError::NotFound);
    }
    let uses = usage(&course).remove(&path).unwrap_or_default();
    if uses.is_used() && form.confirm != "yes" {
        let mut page = page_of(&row, &course, signed.1.lang);
        page.files.clear();
        page.confirm = Some(Confirm {
            path,
            unit_count: uses.units.len(),
            uses,
        });
        return render(&state, &signed.1, "studio/assets.html", &page);
    }
    let (cid, uid) = (row.id.clone(), signed.0.user.id.clone());
    state
        .db
        .run(move |conn| {
            store::change_current(conn, &cid, Some(&uid), "assets", |course| {
                let before = course.statics.len();
                course.statics.retain(|f| f.path != path);
                course.statics.len() != before
            })
            .map_err(AppError::from)
        })
        .await?;
    Ok(see_other(
        &state,
        &format!("/studio/kursy/{}/pliki", row.id),
        Some("flash-assets-deleted"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn course(files: &[&str]) -> Course {
        let mut c = crate::create::new_course("org", "N1", "2026", "Kurs", "pl").unwrap();
        c.statics = files
            .iter()
            .map(|p| StaticFile {
                path: p.to_string(),
                size: 1,
                sha256: "0".repeat(64),
                disk_path: None,
            })
            .collect();
        c
    }

    #[test]
    fn references_in_every_form() {
        let c = course(&["a b.png", "img/x.png", "ż.pdf", "other.css", "x.png"]);
        let names = name_index(&c.statics);
        let refs = |t: &str| {
            let mut v: Vec<&str> = refs_in(t, &names)
                .into_iter()
                .map(|i| c.statics[i].path.as_str())
                .collect();
            v.sort();
            v
        };
        assert_eq!(refs(r#"<img src="/static/a b.png">"#), ["a b.png"]);
        assert_eq!(refs(r#"<img src="/static/a_b.png">"#), ["a b.png"]);
        assert_eq!(refs(r#"<a href="/static/img/x.png?raw#t">"#), ["img/x.png"]);
        assert_eq!(refs(r#"<a href="/static/%C5%BC.pdf">"#), ["ż.pdf"]);
        assert_eq!(
            refs(r#"<img src="/c4x/Org/N1/asset/img_x.png"> url(/static/other.css)"#),
            ["img/x.png", "other.css"]
        );
        assert_eq!(
            refs(r#"<img src="/asset-v1:O+N+R+type@asset+block@x.png"/>"#),
            ["x.png"]
        );
        assert_eq!(
            refs("html5_sources=\"[&quot;/static/x.png&quot;]\""),
            ["x.png"]
        );
        // Not a file of this course, or a longer name.
        assert!(refs(r#""/static/x.png.bak" "/static/img/" mystatic/x.png"#).is_empty());
    }

    #[test]
    fn usage_by_unit_and_course() {
        let mut c = course(&["obraz.png", "film-pl.srt", "logo.png", "unused.txt"]);
        let ch = c.blocks.len();
        let mk = |t: &str, id: &str, parent: usize, xml: &str| xblock_compat::olx::Block {
            block_type: t.into(),
            id: id.into(),
            parent: Some(parent),
            children: vec![],
            attrs: vec![("display_name".into(), format!("Nazwa {id}"))],
            policy: Default::default(),
            xml: xml.into(),
            body: None,
            extra_xml: vec![],
            inline: false,
            draft: false,
            source: Default::default(),
        };
        let root = c.root;
        c.blocks.push(mk("chapter", "ch", root, "<chapter/>"));
        c.blocks[root].children.push(ch);
        c.blocks.push(mk("sequential", "s", ch, "<sequential/>"));
        c.blocks[ch].children.push(ch + 1);
        for (k, id) in [(ch + 2, "u1"), (ch + 3, "u2")] {
            c.blocks.push(mk("vertical", id, ch + 1, "<vertical/>"));
            c.blocks[ch + 1].children.push(k);
        }
        let mut h = mk("html", "h1", ch + 2, "<html/>");
        h.body = Some("<img src=\"/static/obraz.png\">".into());
        c.blocks.push(h);
        c.blocks[ch + 2].children.push(ch + 4);
        c.blocks.push(mk(
            "video",
            "v1",
            ch + 3,
            "<video><transcript language=\"pl\" src=\"film-pl.srt\"/></video>",
        ));
        c.blocks[ch + 3].children.push(ch + 5);
        c.blocks[root]
            .attrs
            .push(("course_image".into(), "logo.png".into()));
        c.about.insert(
            "overview.html".into(),
            "<img src=\"/static/obraz.png\">".into(),
        );
        let u = usage(&c);
        assert_eq!(
            u["obraz.png"].units,
            [UnitUse {
                name: "Nazwa u1".into(),
                transcript: false
            }]
        );
        assert_eq!(
            u["obraz.png"].other,
            [Use {
                kind: "about",
                name: "overview.html".into()
            }]
        );
        assert_eq!(
            u["film-pl.srt"].units,
            [UnitUse {
                name: "Nazwa u2".into(),
                transcript: true
            }]
        );
        assert_eq!(u["logo.png"].other[0].kind, "course_image");
        assert!(!u["unused.txt"].is_used());
    }

    #[test]
    fn upload_names_are_cleaned_and_hostile_ones_refused() {
        assert_eq!(upload_name("zdjęcie (1).png").unwrap(), "zdjęcie__1_.png");
        assert_eq!(upload_name("plan.pdf").unwrap(), "plan.pdf");
        for bad in [
            "",
            "../x.png",
            "..",
            "a/b.png",
            "C:\\x.png",
            ".htaccess",
            "a\u{0}b",
        ] {
            assert!(upload_name(bad).is_err(), "{bad:?}");
        }
        assert!(upload_name(&"a".repeat(300)).is_err());
    }

    #[test]
    fn sizes_read_naturally() {
        assert_eq!(human_size(12, Lang::Pl), "12 B");
        assert_eq!(human_size(1536, Lang::Pl), "1,5 KB");
        assert_eq!(human_size(1536, Lang::En), "1.5 KB");
        assert_eq!(human_size(3 * 1024 * 1024, Lang::En), "3.0 MB");
    }
}
