//! Video: name, the files to play (`html5_sources` and `<source src>`, as Open edX writes
//! both), an optional YouTube id (`youtube="1.00:ID"` and `youtube_id_1_0`; an empty
//! `youtube_id_1_0` when there is none, or Open edX plays its default video), whether learners
//! may download it, and transcripts per language.
//!
//! A transcript is uploaded as SRT or WebVTT, checked (it must have cues), stored as SRT in the
//! course's files (`{block id}-{language}.srt`, or with a content hash when that name holds
//! other text, so the published video keeps its file until the unit is published) and named in
//! both places Open edX reads: the `transcripts` field and a `<transcript language src/>`
//! child. What `courseware::video::VideoInfo` reads is what is written here; other attributes
//! and children of imported videos (edx-val assets, handouts, start and end times) are kept.

use std::collections::BTreeMap;

use actix_multipart::Multipart;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use platform::i18n::Lang;
use platform::web::render::{render_page, see_other, FieldError};
use platform::web::{AppError, AppState, SignedIn};
use serde::Serialize;
use xblock_compat::capa::pyutil::py_json;
use xblock_compat::courseware::video::{parse_srt, Cue, VideoInfo};
use xblock_compat::olx::{edit, Block};

use super::{
    clean_name, edit_component, editor_href, encode_segment, locate, refused_field, saved,
    EditorFrame, Fields, Located, Refused,
};

/// Transcript languages offered (the ones the learner side names).
const LANGUAGES: [(&str, &str); 4] = [
    ("pl", "studio-comp-lang-pl"),
    ("en", "studio-comp-lang-en"),
    ("uk", "studio-comp-lang-uk"),
    ("de", "studio-comp-lang-de"),
];

/// The largest transcript accepted (text; real ones are far smaller).
const MAX_TRANSCRIPT: u64 = 10 * 1024 * 1024;

/// The most sources one video lists.
const MAX_SOURCES: usize = 10;

pub(super) fn new_block(id: &str, name: &str) -> Block {
    let fields = VideoFields {
        display_name: name.to_string(),
        ..Default::default()
    };
    let blank = edit::leaf_from_xml("video", id, "<video/>").expect("static");
    rebuild(&blank, &fields, &BTreeMap::new()).expect("a new video is valid")
}

/// What the form edits.
#[derive(Debug, Clone, Default, Serialize)]
struct VideoFields {
    display_name: String,
    /// One URL per line.
    sources: String,
    youtube_id: String,
    download_video: bool,
}

impl VideoFields {
    fn of(b: &Block) -> VideoFields {
        let info = VideoInfo::from_block(b);
        VideoFields {
            display_name: b.display_name().unwrap_or_default(),
            sources: html5_sources(b).join("\n"),
            youtube_id: info.youtube_id.unwrap_or_default(),
            download_video: info.download_video,
        }
    }

    fn from_form(form: &Fields) -> VideoFields {
        VideoFields {
            display_name: clean_name(form.get("display_name")),
            sources: form.get("sources").chars().take(20_000).collect(),
            youtube_id: form.get("youtube_id").trim().chars().take(200).collect(),
            download_video: form.has("download_video"),
        }
    }

    fn source_list(&self) -> Vec<String> {
        self.sources
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect()
    }

    /// Field errors as (field, Fluent id); the YouTube id is normalised from a link.
    fn check(&mut self) -> Vec<(&'static str, &'static str)> {
        let mut out = Vec::new();
        if self.display_name.is_empty() {
            out.push(("display_name", "studio-comp-error-name"));
        }
        let sources = self.source_list();
        let playable = |s: &str| {
            (s.starts_with("https://") || s.starts_with("http://") || s.starts_with("/static/"))
                && !s.chars().any(|c| c.is_whitespace() || c == '"' || c == '<')
        };
        if sources.len() > MAX_SOURCES || !sources.iter().all(|s| playable(s)) {
            out.push(("sources", "studio-comp-error-sources"));
        }
        match youtube_id(&self.youtube_id) {
            Some(id) => self.youtube_id = id,
            None => out.push(("youtube_id", "studio-comp-error-youtube")),
        }
        out
    }
}

/// A YouTube id from what an author pastes: the id, or a watch, short or embed link. `Some("")`
/// for nothing.
fn youtube_id(s: &str) -> Option<String> {
    let s = s.trim();
    if s.is_empty() {
        return Some(String::new());
    }
    let id = if let Some(i) = s.find("v=") {
        &s[i + 2..]
    } else if let Some(i) = s.find("youtu.be/") {
        &s[i + 9..]
    } else if let Some(i) = s.find("/embed/") {
        &s[i + 7..]
    } else {
        s
    };
    let id = id.split(['&', '?', '#', '/']).next().unwrap_or("");
    (!id.is_empty()
        && id.len() <= 64
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'))
    .then(|| id.to_string())
}

/// The `html5_sources` as authored (not the edx-val encodings).
fn html5_sources(b: &Block) -> Vec<String> {
    VideoInfo::from_block(b)
        .sources
        .into_iter()
        .filter(|s| s.profile.is_none())
        .map(|s| s.url)
        .collect()
}

fn escape_attr(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    for c in v.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("&#10;"),
            c => out.push(c),
        }
    }
    out
}

fn json_text(v: &serde_json::Value) -> String {
    let mut out = String::new();
    py_json(v, &mut out);
    out
}

/// The video's definition with these fields and transcripts: attributes set in place (others
/// kept), `<source>` and `<transcript>` children rewritten, other children kept verbatim.
fn rebuild(
    b: &Block,
    f: &VideoFields,
    transcripts: &BTreeMap<String, String>,
) -> Result<Block, String> {
    let sources = f.source_list();
    let mut attrs = b.attrs.clone();
    let mut set =
        |name: &str, v: Option<String>| match (attrs.iter().position(|(k, _)| k == name), v) {
            (Some(i), Some(v)) => attrs[i].1 = v,
            (Some(i), None) => {
                attrs.remove(i);
            }
            (None, Some(v)) => attrs.push((name.to_string(), v)),
            (None, None) => {}
        };
    set("display_name", Some(f.display_name.clone()));
    set(
        "youtube",
        (!f.youtube_id.is_empty()).then(|| format!("1.00:{}", f.youtube_id)),
    );
    set("youtube_id_1_0", Some(f.youtube_id.clone()));
    set(
        "html5_sources",
        Some(json_text(&serde_json::json!(sources))),
    );
    set(
        "download_video",
        Some(if f.download_video { "true" } else { "false" }.to_string()),
    );
    set(
        "transcripts",
        (!transcripts.is_empty()).then(|| json_text(&serde_json::json!(transcripts))),
    );
    // Children other than sources and transcripts, verbatim.
    let opts = roxmltree::ParsingOptions {
        allow_dtd: false,
        ..Default::default()
    };
    let mut kept = Vec::new();
    if let Ok(doc) = roxmltree::Document::parse_with_options(&b.xml, opts) {
        for c in doc.root_element().children().filter(|c| c.is_element()) {
            if !matches!(c.tag_name().name(), "source" | "transcript") {
                kept.push(b.xml[c.range()].to_string());
            }
        }
    }
    let mut children = String::new();
    for k in &kept {
        children.push_str("\n  ");
        children.push_str(k);
    }
    for s in &sources {
        children.push_str(&format!("\n  <source src=\"{}\"/>", escape_attr(s)));
    }
    for (lang, src) in transcripts {
        children.push_str(&format!(
            "\n  <transcript language=\"{}\" src=\"{}\"/>",
            escape_attr(lang),
            escape_attr(src)
        ));
    }
    let mut xml = String::from("<video");
    for (k, v) in &attrs {
        xml.push_str(&format!(" {k}=\"{}\"", escape_attr(v)));
    }
    if children.is_empty() {
        xml.push_str("/>");
    } else {
        xml.push('>');
        xml.push_str(&children);
        xml.push_str("\n</video>");
    }
    edit::leaf_from_xml("video", &b.id, &xml).map_err(|e| e.to_string())
}

/// Puts a rebuilt definition in place; the policy no longer overrides what the form set.
fn apply(b: &mut Block, fresh: Block) {
    for name in [
        "display_name",
        "youtube",
        "youtube_id_1_0",
        "html5_sources",
        "download_video",
        "transcripts",
    ] {
        b.policy.remove(name);
    }
    b.xml = fresh.xml;
    b.attrs = fresh.attrs;
}

#[derive(Serialize)]
struct TranscriptRow {
    language: String,
    label: String,
    file: String,
}

#[derive(Serialize)]
struct LanguageOption {
    code: &'static str,
    label: String,
}

#[derive(Serialize)]
struct VideoPage {
    #[serde(flatten)]
    frame: EditorFrame,
    video: VideoFields,
    transcripts: Vec<TranscriptRow>,
    languages: Vec<LanguageOption>,
    transcript_action: String,
    remove_action: String,
    errors: Vec<FieldError>,
    language: String,
    max_mb: u64,
}

fn language_label(state: &AppState, lang: Lang, code: &str) -> String {
    LANGUAGES
        .iter()
        .find(|(c, _)| *c == code)
        .map_or_else(|| code.to_string(), |(_, k)| state.i18n.t(lang, k, &[]))
}

fn page(state: &AppState, signed: &SignedIn, at: &Located) -> VideoPage {
    let lang = signed.1.lang;
    let b = at.block();
    let base = format!(
        "/studio/kursy/{}/komponent/video/{}/transkrypcja",
        at.row.id,
        encode_segment(&b.id)
    );
    VideoPage {
        frame: at.frame(lang, state),
        video: VideoFields::of(b),
        transcripts: VideoInfo::from_block(b)
            .transcripts
            .into_iter()
            .map(|(code, file)| TranscriptRow {
                label: language_label(state, lang, &code),
                language: code,
                file,
            })
            .collect(),
        languages: LANGUAGES
            .iter()
            .map(|(code, k)| LanguageOption {
                code,
                label: state.i18n.t(lang, k, &[]),
            })
            .collect(),
        remove_action: format!("{base}/usun"),
        transcript_action: base,
        errors: vec![],
        language: "pl".into(),
        max_mb: MAX_TRANSCRIPT >> 20,
    }
}

fn show(
    state: &AppState,
    signed: &SignedIn,
    p: &VideoPage,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    render_page(state, &signed.1, "studio/component_video.html", p, status)
}

pub(super) fn form(
    state: &AppState,
    signed: &SignedIn,
    at: &Located,
) -> Result<HttpResponse, AppError> {
    show(state, signed, &page(state, signed, at), StatusCode::OK)
}

pub(super) async fn save(
    state: &AppState,
    signed: &SignedIn,
    at: Located,
    form: &Fields,
) -> Result<HttpResponse, AppError> {
    let lang = signed.1.lang;
    let mut fields = VideoFields::from_form(form);
    let problems = fields.check();
    if !problems.is_empty() {
        let mut p = page(state, signed, &at);
        p.video = fields;
        p.errors = problems
            .into_iter()
            .map(|(field, k)| FieldError {
                field,
                message: state.i18n.t(lang, k, &[]),
            })
            .collect();
        return show(state, signed, &p, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let r = edit_component(
        state,
        signed,
        &at.row.id,
        "video",
        &at.block().id,
        move |course, idx| {
            let b = &course.blocks[idx];
            let transcripts = VideoInfo::from_block(b).transcripts;
            let fresh =
                rebuild(b, &fields, &transcripts).map_err(|m| Refused::Invalid("sources", m))?;
            apply(&mut course.blocks[idx], fresh);
            Ok(())
        },
    )
    .await?;
    if let Some((field, message)) = refused_field(r)? {
        let mut p = page(state, signed, &at);
        p.errors = vec![FieldError { field, message }];
        return show(state, signed, &p, StatusCode::UNPROCESSABLE_ENTITY);
    }
    Ok(saved(state, &at))
}

fn srt_time(ms: u64) -> String {
    format!(
        "{:02}:{:02}:{:02},{:03}",
        ms / 3_600_000,
        ms / 60_000 % 60,
        ms / 1000 % 60,
        ms % 1000
    )
}

/// Cues as SRT, numbered from 1 (blank lines inside a cue would end it, so they go).
pub(crate) fn cues_to_srt(cues: &[Cue]) -> String {
    let mut out = String::new();
    for (i, c) in cues.iter().enumerate() {
        let text: Vec<&str> = c.text.lines().filter(|l| !l.trim().is_empty()).collect();
        out.push_str(&format!(
            "{}\n{} --> {}\n{}\n\n",
            i + 1,
            srt_time(c.start_ms),
            srt_time(c.end_ms.max(c.start_ms)),
            text.join("\n")
        ));
    }
    out
}

/// Uploads a transcript (SRT or WebVTT) for one language: stored as SRT among the course's
/// files and named in the draft's video.
pub(super) async fn upload_transcript(
    state: web::Data<AppState>,
    signed: SignedIn,
    path: web::Path<(String, String)>,
    payload: Multipart,
) -> Result<HttpResponse, AppError> {
    let (course_id, block_id) = path.into_inner();
    // Access first: another office's author sends nothing into the store.
    let at = locate(&state, &signed, course_id, "video", &block_id).await?;
    let mut up =
        super::receive_upload(&state, payload, &[("language", 40)], MAX_TRANSCRIPT).await?;
    let lang = signed.1.lang;
    let language = up.field("language").trim().to_string();
    let mut errors = Vec::new();
    let t = |k: &str| state.i18n.t(lang, k, &[]);
    if !LANGUAGES.iter().any(|(c, _)| *c == language) {
        errors.push(FieldError {
            field: "language",
            message: t("studio-comp-error-choice"),
        });
    }
    let mut srt = None;
    if up.too_large {
        errors.push(FieldError {
            field: "transcript",
            message: t("studio-comp-error-transcript-large"),
        });
    } else {
        match up.file.take() {
            None => errors.push(FieldError {
                field: "transcript",
                message: t("studio-comp-error-transcript-none"),
            }),
            Some((tmp, _)) => {
                let bytes = std::fs::read(&tmp).map_err(AppError::internal)?;
                let cues = parse_srt(&String::from_utf8_lossy(&bytes));
                if cues.is_empty() {
                    errors.push(FieldError {
                        field: "transcript",
                        message: t("studio-comp-error-transcript-cues"),
                    });
                } else {
                    srt = Some(cues_to_srt(&cues));
                }
            }
        }
    }
    let (Some(srt), true) = (srt, errors.is_empty()) else {
        let mut p = page(&state, &signed, &at);
        p.errors = errors;
        if LANGUAGES.iter().any(|(c, _)| *c == language) {
            p.language = language;
        }
        let status = if up.too_large {
            StatusCode::PAYLOAD_TOO_LARGE
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        };
        return show(&state, &signed, &p, status);
    };
    let blob = super::html::put_blob(&state, super::BlobSource::Bytes(srt.into_bytes())).await?;
    let wanted = crate::assets::upload_name(&format!("{}-{language}.srt", at.block().id))
        .unwrap_or_else(|_| format!("video-{language}.srt"));
    let stored = super::html::add_static(&state, &signed, &at.row.id, wanted, blob).await?;
    let r = edit_component(
        &state,
        &signed,
        &at.row.id,
        "video",
        &at.block().id,
        move |course, idx| {
            let b = &course.blocks[idx];
            let mut transcripts = VideoInfo::from_block(b).transcripts;
            transcripts.insert(language, stored);
            let fresh = rebuild(b, &VideoFields::of(b), &transcripts)
                .map_err(|m| Refused::Invalid("transcript", m))?;
            apply(&mut course.blocks[idx], fresh);
            Ok(())
        },
    )
    .await?;
    refused_field(r)?;
    Ok(see_other(
        &state,
        &format!(
            "{}#transcripts-heading",
            editor_href(&at.row.id, "video", &at.block().id)
        ),
        Some("flash-comp-transcript-added"),
    ))
}

#[derive(serde::Deserialize)]
pub(super) struct RemoveForm {
    #[serde(default)]
    language: String,
}

/// Drops a language's transcript from the draft's video (the file stays among the course's
/// files, where the published version may still use it).
pub(super) async fn remove_transcript(
    state: web::Data<AppState>,
    signed: SignedIn,
    path: web::Path<(String, String)>,
    form: web::Form<RemoveForm>,
) -> Result<HttpResponse, AppError> {
    let (course_id, block_id) = path.into_inner();
    let at = locate(&state, &signed, course_id, "video", &block_id).await?;
    let language = form.into_inner().language;
    let r = edit_component(
        &state,
        &signed,
        &at.row.id,
        "video",
        &at.block().id,
        move |course, idx| {
            let b = &course.blocks[idx];
            let mut transcripts = VideoInfo::from_block(b).transcripts;
            if transcripts.remove(&language).is_none() {
                return Err(Refused::Gone);
            }
            let fresh = rebuild(b, &VideoFields::of(b), &transcripts)
                .map_err(|m| Refused::Invalid("transcript", m))?;
            apply(&mut course.blocks[idx], fresh);
            Ok(())
        },
    )
    .await?;
    refused_field(r)?;
    Ok(see_other(
        &state,
        &format!(
            "{}#transcripts-heading",
            editor_href(&at.row.id, "video", &at.block().id)
        ),
        Some("flash-comp-transcript-removed"),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_as_open_edx_writes_it_and_read_back() {
        let b = new_block("v1", "Film");
        assert_eq!(
            b.xml,
            "<video display_name=\"Film\" youtube_id_1_0=\"\" html5_sources=\"[]\" download_video=\"false\"/>"
        );
        let info = VideoInfo::from_block(&b);
        assert_eq!(info.youtube_id, None, "no default YouTube video");
        let mut f = VideoFields {
            display_name: "Film".into(),
            sources: "https://cdn.example.org/a.mp4\n\n/static/b.webm\n".into(),
            youtube_id: "https://www.youtube.com/watch?v=abc_DEF-123&t=3".into(),
            download_video: true,
        };
        assert!(f.check().is_empty());
        let mut tr = BTreeMap::new();
        tr.insert("pl".to_string(), "v1-pl.srt".to_string());
        let v = rebuild(&b, &f, &tr).unwrap();
        let info = VideoInfo::from_block(&v);
        assert_eq!(info.youtube_id.as_deref(), Some("abc_DEF-123"));
        assert_eq!(
            info.sources
                .iter()
                .map(|s| s.url.as_str())
                .collect::<Vec<_>>(),
            ["https://cdn.example.org/a.mp4", "/static/b.webm"]
        );
        assert!(info.download_video);
        assert_eq!(info.transcripts["pl"], "v1-pl.srt");
        assert!(v
            .xml
            .contains("transcripts=\"{&quot;pl&quot;: &quot;v1-pl.srt&quot;}\""));
        assert!(v
            .xml
            .contains("<transcript language=\"pl\" src=\"v1-pl.srt\"/>"));
        assert!(v.xml.contains("<source src=\"/static/b.webm\"/>"));
        assert!(v.xml.contains("youtube=\"1.00:abc_DEF-123\""));
    }

    #[test]
    fn imported_children_are_kept() {
        let b = edit::leaf_from_xml(
            "video",
            "v",
            "<video edx_video_id=\"x\" youtube_id_1_0=\"\"><video_asset client_video_id=\"c\"/><source src=\"/static/old.mp4\"/><handout src=\"/static/h.pdf\"/></video>",
        )
        .unwrap();
        let f = VideoFields {
            display_name: "N".into(),
            sources: "/static/new.mp4".into(),
            ..Default::default()
        };
        let v = rebuild(&b, &f, &BTreeMap::new()).unwrap();
        assert!(v.xml.contains("<video_asset client_video_id=\"c\"/>"));
        assert!(v.xml.contains("<handout src=\"/static/h.pdf\"/>"));
        assert!(!v.xml.contains("old.mp4"));
        assert!(v.xml.contains("edx_video_id=\"x\""));
    }

    #[test]
    fn bad_input_is_refused() {
        let mut f = VideoFields {
            display_name: "x".into(),
            sources: "javascript:alert(1)".into(),
            youtube_id: "not an id!".into(),
            download_video: false,
        };
        let fields: Vec<&str> = f.check().into_iter().map(|(f, _)| f).collect();
        assert_eq!(fields, ["sources", "youtube_id"]);
        assert_eq!(
            youtube_id("https://youtu.be/AbC123").as_deref(),
            Some("AbC123")
        );
    }

    #[test]
    fn transcripts_become_srt() {
        let cues = parse_srt("WEBVTT\n\n00:00:01.000 --> 00:00:02.500\nDzień dobry\n");
        assert_eq!(
            cues_to_srt(&cues),
            "1\n00:00:01,000 --> 00:00:02,500\nDzień dobry\n\n"
        );
    }
}
