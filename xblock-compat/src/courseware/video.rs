//! The `video` block: what it plays, which transcripts it has and where Open edX keeps them,
//! and transcript conversion to WebVTT (for `<track>`) and plain text (for download).
//!
//! Fields are read as Open edX's `VideoBlock._parse_video_xml` reads them: child elements
//! (`<source src>`, `<track src>`, `<handout src>`, `<transcript language src>`) first, then
//! attributes, then the course policy ([`Block::field`]); `youtube="1.00:ID,0.75:ID2"` sets the
//! per-speed YouTube ids and `from`/`to` are old names of `start_time`/`end_time`.
//! Transcript files live in the course's `static/` folder; see [`transcript_asset_candidates`].

use std::collections::BTreeMap;

use crate::olx::Block;

/// Open edX's default `youtube_id_1_0`: a video block that never sets a YouTube id (and has no
/// `youtube` attribute) plays this edX promotional video in Open edX.
pub const DEFAULT_YOUTUBE_ID: &str = "3_yD_cEKoCk";

/// One playable file (`html5_sources` entry or an encoding from `<video_asset>`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct VideoSource {
    pub url: String,
    /// Guessed from the extension (`video/mp4`, `video/webm`, ...); `None` if unknown, so the
    /// page can leave `type` out and let the browser sniff.
    pub mime: Option<&'static str>,
    /// The edx-val profile (`desktop_mp4`, `hls`, ...) for encodings; `None` for html5 sources.
    pub profile: Option<String>,
}

/// Everything a player page needs from a `video` block.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct VideoInfo {
    pub display_name: String,
    /// The normal-speed YouTube id (`youtube_id_1_0`); `None` when set empty.
    pub youtube_id: Option<String>,
    /// Other speeds' YouTube ids (`"0.75"`, `"1.25"`, `"1.50"` → id), non-empty ones only.
    pub youtube_speeds: BTreeMap<String, String>,
    /// `html5_sources`, then `<video_asset>` encodings, in order, without duplicates.
    pub sources: Vec<VideoSource>,
    pub edx_video_id: Option<String>,
    /// The legacy English transcript id: its file is `subs_{sub}.srt.sjson`.
    pub sub: Option<String>,
    /// Language → transcript file name under `static/`, empty names dropped (as Open edX's
    /// `get_transcripts_info` does).
    pub transcripts: BTreeMap<String, String>,
    /// Languages `<video_asset><transcripts>` declares (edx-val), with their file format.
    pub val_transcripts: BTreeMap<String, String>,
    /// A downloadable transcript URL set by the author (`track`).
    pub track: Option<String>,
    pub handout: Option<String>,
    /// The download URL (`source`); Open edX fills it with the first `<source>` of old XML.
    pub source: Option<String>,
    pub download_video: bool,
    pub download_track: bool,
    pub show_captions: bool,
    /// Play from / to, in seconds (`start_time`/`end_time` "HH:MM:SS"); 0 = unset.
    pub start_seconds: u32,
    pub end_seconds: u32,
    /// Nothing to play but YouTube: the page must embed the YouTube player.
    pub only_youtube: bool,
}

/// The MIME type browsers expect for a video URL's extension (query and fragment ignored).
pub fn guess_video_mime(url: &str) -> Option<&'static str> {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let name = path.rsplit('/').next().unwrap_or("");
    let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
    Some(match ext.as_str() {
        "mp4" | "m4v" => "video/mp4",
        "webm" => "video/webm",
        "ogv" | "ogg" => "video/ogg",
        "mpeg" | "mpg" => "video/mpeg",
        "mov" => "video/quicktime",
        "m3u8" => "application/x-mpegURL",
        "mpd" => "application/dash+xml",
        "mp3" => "audio/mpeg",
        _ => return None,
    })
}

/// A string field that XBlock decodes as JSON when it can (YouTube ids were double-quoted in
/// exports for a while).
fn json_string(value: &str) -> String {
    match serde_json::from_str::<serde_json::Value>(value) {
        Ok(serde_json::Value::String(s)) => s,
        _ => value.to_string(),
    }
}

/// `"HH:MM:SS"` (or seconds as a float, which old databases stored) → whole seconds.
fn relative_time(value: &str) -> u32 {
    let v = value.trim().trim_matches('"');
    if let Ok(f) = v.parse::<f64>() {
        return if f.is_finite() && f > 0.0 {
            f.min(86_400.0) as u32
        } else {
            0
        };
    }
    let parts: Vec<&str> = v.split(':').collect();
    if let [h, m, s] = parts[..] {
        if let (Ok(h), Ok(m), Ok(s)) = (h.parse::<u32>(), m.parse::<u32>(), s.parse::<u32>()) {
            if h < 24 && m < 60 && s < 62 {
                return h * 3600 + m * 60 + s;
            }
        }
    }
    0
}

/// `VideoBlock._parse_youtube`: `"1.00:ID,0.75:ID2"` → speed (`"%.2f"`) → id. Bad entries are
/// skipped, as Open edX skips them with a warning.
pub fn parse_youtube_attr(value: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for video in value.split(',') {
        let mut pieces = video.split(':');
        let (Some(speed), Some(id)) = (pieces.next(), pieces.next()) else {
            continue;
        };
        let Ok(speed) = speed.trim().parse::<f64>() else {
            continue;
        };
        if !speed.is_finite() {
            continue;
        }
        out.insert(format!("{speed:.2}"), json_string(id));
    }
    out
}

impl VideoInfo {
    /// Reads a `video` block. Never fails: a broken `xml` leaves only attributes and policy.
    pub fn from_block(block: &Block) -> Self {
        let opts = roxmltree::ParsingOptions {
            allow_dtd: false,
            nodes_limit: 100_000,
        };
        let doc = roxmltree::Document::parse_with_options(&block.xml, opts).ok();
        let root = doc.as_ref().map(|d| d.root_element());
        let children: Vec<roxmltree::Node> = root
            .map(|r| r.children().filter(|c| c.is_element()).collect())
            .unwrap_or_default();
        let child_srcs = |tag: &str| -> Vec<String> {
            children
                .iter()
                .filter(|c| c.tag_name().name() == tag)
                .filter_map(|c| c.attribute("src").map(str::to_string))
                .collect()
        };
        let field = |name: &str| block.field(name);

        // html5_sources: <source> children, overridden by the attribute / policy (a JSON list).
        let source_children = child_srcs("source");
        let html5: Vec<String> = match field("html5_sources") {
            Some(v) => serde_json::from_str::<Vec<serde_json::Value>>(&v)
                .map(|l| {
                    l.into_iter()
                        .filter_map(|x| x.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default(),
            None => source_children.clone(),
        };
        let html5: Vec<String> = html5.into_iter().filter(|s| !s.trim().is_empty()).collect();

        // YouTube: the `youtube` attribute sets per-speed ids (an empty id only when html5
        // sources exist), then explicit youtube_id_* fields win.
        let mut speeds: BTreeMap<String, Option<String>> = BTreeMap::new();
        if let Some(yt) = block.attr("youtube") {
            for (speed, id) in parse_youtube_attr(yt) {
                if !id.is_empty() || !html5.is_empty() || !source_children.is_empty() {
                    speeds.insert(speed, Some(id));
                }
            }
        }
        for (speed, name) in [
            ("0.75", "youtube_id_0_75"),
            ("1.00", "youtube_id_1_0"),
            ("1.25", "youtube_id_1_25"),
            ("1.50", "youtube_id_1_5"),
        ] {
            if let Some(v) = field(name) {
                speeds.insert(speed.to_string(), Some(json_string(&v)));
            }
        }
        let youtube_id = match speeds.remove("1.00") {
            Some(id) => id.filter(|s| !s.trim().is_empty()),
            None => Some(DEFAULT_YOUTUBE_ID.to_string()),
        };
        let youtube_speeds = speeds
            .into_iter()
            .filter_map(|(k, v)| v.filter(|s| !s.is_empty()).map(|v| (k, v)))
            .collect();

        let mut sources: Vec<VideoSource> = Vec::new();
        let mut push = |url: String, profile: Option<String>| {
            if !sources.iter().any(|s| s.url == url) {
                sources.push(VideoSource {
                    mime: guess_video_mime(&url),
                    url,
                    profile,
                });
            }
        };
        for url in &html5 {
            push(url.clone(), None);
        }
        // edx-val's export: <video_asset><encoded_video profile url/>...<transcripts>...
        let mut val_transcripts = BTreeMap::new();
        for asset in children.iter().filter(|c| c.has_tag_name("video_asset")) {
            for enc in asset
                .descendants()
                .filter(|c| c.has_tag_name("encoded_video"))
            {
                if let Some(url) = enc.attribute("url").filter(|u| !u.trim().is_empty()) {
                    push(
                        url.to_string(),
                        enc.attribute("profile").map(str::to_string),
                    );
                }
            }
            for tr in asset.descendants().filter(|c| c.has_tag_name("transcript")) {
                if let Some(lang) = tr.attribute("language_code") {
                    let fmt = tr.attribute("file_format").unwrap_or("srt");
                    val_transcripts.insert(lang.to_string(), fmt.to_string());
                }
            }
        }

        // transcripts: <transcript language src> children, overridden by the JSON field.
        let mut transcripts: BTreeMap<String, String> = BTreeMap::new();
        for c in children.iter().filter(|c| c.has_tag_name("transcript")) {
            if let (Some(l), Some(s)) = (c.attribute("language"), c.attribute("src")) {
                transcripts.insert(l.to_string(), s.to_string());
            }
        }
        if let Some(v) = field("transcripts") {
            if let Ok(map) = serde_json::from_str::<BTreeMap<String, serde_json::Value>>(&v) {
                transcripts = map
                    .into_iter()
                    .filter_map(|(k, v)| v.as_str().map(|s| (k, s.to_string())))
                    .collect();
            }
        }
        transcripts.retain(|_, v| !v.trim().is_empty());

        let track_child = child_srcs("track").into_iter().next();
        let track = field("track").or(track_child.clone());
        let download_track = match field("download_track") {
            Some(v) => super::parse_bool(&v),
            None => track_child.is_some(),
        };
        let download_video_field = field("download_video");
        let source = field("source").or_else(|| {
            download_video_field
                .is_none()
                .then(|| source_children.first().cloned())
                .flatten()
        });
        let handout = field("handout").or_else(|| child_srcs("handout").into_iter().next());
        let time = |new: &str, old: &str| {
            field(new)
                .or_else(|| field(old))
                .map(|v| relative_time(&v))
                .unwrap_or(0)
        };
        let nonempty = |v: Option<String>| v.filter(|s| !s.trim().is_empty());
        let only_youtube = youtube_id.is_some() && sources.is_empty();
        VideoInfo {
            display_name: field("display_name").unwrap_or_else(|| "Video".to_string()),
            youtube_id,
            youtube_speeds,
            only_youtube,
            sources,
            edx_video_id: nonempty(field("edx_video_id")).map(|s| s.trim().to_string()),
            sub: nonempty(field("sub")),
            transcripts,
            val_transcripts,
            track: nonempty(track),
            handout: nonempty(handout),
            source: nonempty(source),
            download_video: download_video_field.is_some_and(|v| super::parse_bool(&v)),
            download_track,
            show_captions: field("show_captions").is_none_or(|v| super::parse_bool(&v)),
            start_seconds: time("start_time", "from"),
            end_seconds: time("end_time", "to"),
        }
    }

    /// The ids Open edX tries for legacy `subs_*.srt.sjson` files, in its order: `sub`, the
    /// YouTube id, then each html5 source's file name without extension (`get_html5_ids`).
    pub fn subs_ids(&self) -> Vec<String> {
        let mut ids: Vec<String> = Vec::new();
        let html5 = self
            .sources
            .iter()
            .filter(|s| s.profile.is_none())
            .map(|s| {
                let last = s.url.rsplit('/').next().unwrap_or("");
                last.rsplit_once('.')
                    .map_or(last, |(stem, _)| stem)
                    .to_string()
            });
        for id in self
            .sub
            .iter()
            .cloned()
            .chain(self.youtube_id.iter().cloned())
            .chain(html5)
        {
            if !id.is_empty() && !ids.contains(&id) {
                ids.push(id);
            }
        }
        ids
    }

    /// `available_translations(verify_assets=False)`: the `transcripts` languages, plus `en`
    /// when there is a `sub` or no other language; sorted. The caller may drop languages whose
    /// [`transcript_asset_candidates`] all miss (Open edX's `verify_assets=True`).
    pub fn transcript_languages(&self) -> Vec<String> {
        let mut langs: Vec<String> = self.transcripts.keys().cloned().collect();
        for l in self.val_transcripts.keys() {
            if !langs.contains(l) {
                langs.push(l.clone());
            }
        }
        if (langs.is_empty() || self.sub.is_some()) && !langs.iter().any(|l| l == "en") {
            langs.push("en".to_string());
        }
        langs.sort();
        langs
    }

    /// `get_default_transcript_language`: the preferred language if the video has it, else
    /// `en` if there is a `sub`, else the first language alphabetically, else `en`.
    pub fn default_transcript_language(&self, preferred: &str) -> String {
        if self.transcripts.contains_key(preferred) || self.val_transcripts.contains_key(preferred)
        {
            return preferred.to_string();
        }
        if self.sub.is_some() {
            return "en".to_string();
        }
        self.transcripts
            .keys()
            .chain(self.val_transcripts.keys())
            .min()
            .cloned()
            .unwrap_or_else(|| "en".to_string())
    }
}

/// Open edX's `subs_filename`: `subs_{id}.srt.sjson` for English, `{lang}_subs_{id}.srt.sjson`
/// otherwise.
pub fn subs_filename(subs_id: &str, lang: &str) -> String {
    if lang == "en" {
        format!("subs_{subs_id}.srt.sjson")
    } else {
        format!("{lang}_subs_{subs_id}.srt.sjson")
    }
}

/// Where a transcript for `lang` may be, as paths relative to `static/`, best first. The caller
/// serves the first that exists ([`TranscriptFormat::from_path`] says how to convert it):
///
/// 1. with an `edx_video_id`, the file edx-val imports and exports: `{edx_video_id}-{lang}.srt`
///    (Open edX reads edx-val before the course's files);
/// 2. `transcripts[lang]`, the uploaded file (SRT);
/// 3. for each of [`VideoInfo::subs_ids`], the SJSON file Studio generated:
///    [`subs_filename`]`(id, lang)` (Open edX tries these before 2 in its content-store path;
///    they are generated from the same upload, so the order only matters when they disagree,
///    and the uploaded file is the author's).
///
/// A leading `/static/` in a `transcripts` value is dropped (Studio strips it on save).
pub fn transcript_asset_candidates(video: &VideoInfo, lang: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |p: String| {
        let p = p.trim().trim_start_matches("/static/").to_string();
        if !p.is_empty() && !p.contains("..") && !out.contains(&p) {
            out.push(p);
        }
    };
    if let Some(id) = &video.edx_video_id {
        let fmt = video
            .val_transcripts
            .get(lang)
            .map_or("srt", String::as_str);
        add(format!("{id}-{lang}.{fmt}"));
    }
    if let Some(f) = video.transcripts.get(lang) {
        add(f.clone());
    }
    for id in video.subs_ids() {
        add(subs_filename(&id, lang));
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Transcript formats
// ---------------------------------------------------------------------------------------------

/// A transcript file's format, from its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TranscriptFormat {
    Srt,
    /// Open edX's `{"start": [ms...], "end": [ms...], "text": [...]}`.
    Sjson,
    Vtt,
}

impl TranscriptFormat {
    /// `.sjson` → SJSON, `.vtt` → WebVTT, anything else SRT (Open edX's default).
    pub fn from_path(path: &str) -> Self {
        let lower = path.to_ascii_lowercase();
        if lower.ends_with(".sjson") {
            TranscriptFormat::Sjson
        } else if lower.ends_with(".vtt") {
            TranscriptFormat::Vtt
        } else {
            TranscriptFormat::Srt
        }
    }
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TranscriptError {
    #[error("not an SJSON transcript: {0}")]
    Sjson(String),
    #[error("no subtitle found in the SRT file")]
    NoCues,
}

/// One timed line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cue {
    pub start_ms: u64,
    pub end_ms: u64,
    pub text: String,
}

/// Text without a byte-order mark and with `\n` line ends.
fn normalize(text: &str) -> String {
    text.trim_start_matches('\u{feff}')
        .replace("\r\n", "\n")
        .replace('\r', "\n")
}

/// `[H:]MM:SS[,.]mmm` → milliseconds. Hours may have any number of digits; the fraction is a
/// decimal fraction (`,5` = 500 ms).
fn parse_timestamp(s: &str) -> Option<u64> {
    let s = s.trim();
    let (clock, frac) = match s.find([',', '.']) {
        Some(i) => (&s[..i], &s[i + 1..]),
        None => (s, ""),
    };
    let parts: Vec<&str> = clock.split(':').collect();
    let num = |p: &str| -> Option<u64> {
        (!p.is_empty() && p.len() <= 10 && p.bytes().all(|c| c.is_ascii_digit()))
            .then(|| p.parse().ok())
            .flatten()
    };
    let (h, m, sec) = match parts[..] {
        [h, m, s] => (num(h)?, num(m)?, num(s)?),
        [m, s] => (0, num(m)?, num(s)?),
        _ => return None,
    };
    let ms = if frac.is_empty() {
        0
    } else {
        if !frac.bytes().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let mut f: String = frac.chars().take(3).collect();
        while f.len() < 3 {
            f.push('0');
        }
        f.parse::<u64>().ok()?
    };
    h.checked_mul(3_600_000)?
        .checked_add(m.checked_mul(60_000)?)?
        .checked_add(sec.checked_mul(1000)?)?
        .checked_add(ms)
}

/// A `start --> end [settings]` line.
fn parse_timing(line: &str) -> Option<(u64, u64)> {
    let (a, b) = line.split_once("-->")?;
    let end = b.split_whitespace().next()?;
    Some((parse_timestamp(a)?, parse_timestamp(end)?))
}

/// Parses SRT leniently: BOM, CRLF, `,` or `.` before milliseconds, missing or wrong cue
/// numbers, missing blank lines between cues; cues without a timing line are skipped.
pub fn parse_srt(text: &str) -> Vec<Cue> {
    let text = normalize(text);
    let lines: Vec<&str> = text.lines().collect();
    let mut cues: Vec<Cue> = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let Some((start_ms, end_ms)) = parse_timing(lines[i]) else {
            i += 1;
            continue;
        };
        i += 1;
        let mut body: Vec<&str> = Vec::new();
        while i < lines.len() && !lines[i].trim().is_empty() {
            // A cue number followed by a timing line starts the next cue even without a blank.
            if parse_timing(lines[i]).is_some() {
                break;
            }
            if lines.get(i + 1).is_some_and(|n| parse_timing(n).is_some())
                && lines[i].trim().bytes().all(|c| c.is_ascii_digit())
            {
                break;
            }
            body.push(lines[i]);
            i += 1;
        }
        cues.push(Cue {
            start_ms,
            end_ms,
            text: body.join("\n"),
        });
    }
    cues
}

/// Parses Open edX's SJSON. `start`/`end` may be floats; a `null` text is empty; an `end`
/// missing for some cue becomes the next cue's start (or start + 2 s for the last one), where
/// Open edX would give up and produce an empty SRT.
pub fn parse_sjson(text: &str) -> Result<Vec<Cue>, TranscriptError> {
    let text = normalize(text);
    let v: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| TranscriptError::Sjson(e.to_string()))?;
    let list = |k: &str| -> Vec<serde_json::Value> {
        v.get(k)
            .and_then(|x| x.as_array())
            .cloned()
            .unwrap_or_default()
    };
    if v.get("start").and_then(|x| x.as_array()).is_none() {
        return Err(TranscriptError::Sjson("no \"start\" list".into()));
    }
    let ms = |x: &serde_json::Value| -> Option<u64> {
        let f = x.as_f64()?;
        (f.is_finite() && f < 1e15).then(|| f.max(0.0).round() as u64)
    };
    let (starts, ends, texts) = (list("start"), list("end"), list("text"));
    let starts: Vec<u64> = starts.iter().map(|x| ms(x).unwrap_or(0)).collect();
    let mut cues = Vec::with_capacity(starts.len());
    for (i, &start_ms) in starts.iter().enumerate() {
        let end_ms = ends.get(i).and_then(ms).unwrap_or_else(|| {
            starts
                .get(i + 1)
                .copied()
                .filter(|&n| n > start_ms)
                .unwrap_or(start_ms + 2000)
        });
        let text = match texts.get(i) {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Null) | None => String::new(),
            Some(other) => other.to_string(),
        };
        cues.push(Cue {
            start_ms,
            end_ms,
            text,
        });
    }
    Ok(cues)
}

/// Parses WebVTT cues (header, `NOTE`, `STYLE` and `REGION` blocks and cue ids skipped).
pub fn parse_vtt(text: &str) -> Vec<Cue> {
    // The same line scan as SRT finds every `-->` line; the rest is cue text until a blank.
    parse_srt(text)
}

fn vtt_timestamp(ms: u64) -> String {
    format!(
        "{:02}:{:02}:{:02}.{:03}",
        ms / 3_600_000,
        ms / 60_000 % 60,
        ms / 1000 % 60,
        ms % 1000
    )
}

/// Writes cues as WebVTT. Blank lines inside a cue would end it and `-->` would start a new
/// one, so both are neutralised; an end before the start is clamped to the start.
pub fn cues_to_vtt(cues: &[Cue]) -> String {
    let mut out = String::from("WEBVTT\n\n");
    for c in cues {
        let text: Vec<String> = normalize(&c.text)
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| l.replace("-->", "--&gt;"))
            .collect();
        out.push_str(&vtt_timestamp(c.start_ms));
        out.push_str(" --> ");
        out.push_str(&vtt_timestamp(c.end_ms.max(c.start_ms)));
        out.push('\n');
        out.push_str(&text.join("\n"));
        out.push_str("\n\n");
    }
    out
}

/// SRT → WebVTT. Errors only when a non-empty file has no cue at all.
pub fn srt_to_vtt(srt: &str) -> Result<String, TranscriptError> {
    let cues = parse_srt(srt);
    if cues.is_empty() && !normalize(srt).trim().is_empty() {
        return Err(TranscriptError::NoCues);
    }
    Ok(cues_to_vtt(&cues))
}

/// Open edX SJSON (`.srt.sjson`) → WebVTT.
pub fn sjson_to_vtt(sjson: &str) -> Result<String, TranscriptError> {
    Ok(cues_to_vtt(&parse_sjson(sjson)?))
}

/// Any transcript file → WebVTT (a `.vtt` file is re-written, which also repairs it).
pub fn transcript_to_vtt(
    content: &str,
    format: TranscriptFormat,
) -> Result<String, TranscriptError> {
    match format {
        TranscriptFormat::Srt => srt_to_vtt(content),
        TranscriptFormat::Sjson => sjson_to_vtt(content),
        TranscriptFormat::Vtt => Ok(cues_to_vtt(&parse_vtt(content))),
    }
}

/// The downloadable `.txt` transcript of an SRT file, as Open edX makes it: every cue's text,
/// one per line, HTML entities decoded (`html.unescape`). Tags are kept, as Open edX keeps
/// them.
pub fn srt_to_plain_text(srt: &str) -> String {
    let cues = parse_srt(srt);
    html_unescape(
        &cues
            .iter()
            .map(|c| c.text.as_str())
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

/// The `.txt` transcript of an SJSON file: texts joined by newlines, entities decoded.
pub fn sjson_to_plain_text(sjson: &str) -> Result<String, TranscriptError> {
    let cues = parse_sjson(sjson)?;
    Ok(html_unescape(
        &cues
            .iter()
            .map(|c| c.text.as_str())
            .collect::<Vec<_>>()
            .join("\n"),
    ))
}

/// The `.txt` transcript of a WebVTT file: cue texts without markup (`<v Speaker>`, `<i>`,
/// timestamps), entities decoded.
pub fn vtt_to_plain_text(vtt: &str) -> String {
    parse_vtt(vtt)
        .iter()
        .map(|c| html_unescape(&strip_tags(&c.text)))
        .collect::<Vec<_>>()
        .join("\n")
}

fn strip_tags(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut in_tag = false;
    for ch in s.chars() {
        match ch {
            '<' => in_tag = true,
            '>' if in_tag => in_tag = false,
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// Decodes numeric character references and the named ones transcripts use (`&amp;`, `&lt;`,
/// `&gt;`, `&quot;`, `&apos;`, `&nbsp;`). Python's `html.unescape` knows every HTML5 name; the
/// rest pass through unchanged here.
pub fn html_unescape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest[1..].find(';').map(|j| j + 1).filter(|&j| j <= 12);
        let decoded = end.and_then(|j| {
            let name = &rest[1..j];
            let ch = if let Some(num) = name.strip_prefix('#') {
                let code = match num.strip_prefix(['x', 'X']) {
                    Some(h) => u32::from_str_radix(h, 16).ok(),
                    None => num.parse::<u32>().ok(),
                }?;
                // Python maps 0 and surrogates to U+FFFD.
                Some(
                    char::from_u32(code)
                        .filter(|&c| c != '\0')
                        .unwrap_or('\u{fffd}'),
                )
            } else {
                match name {
                    "amp" => Some('&'),
                    "lt" => Some('<'),
                    "gt" => Some('>'),
                    "quot" => Some('"'),
                    "apos" => Some('\''),
                    "nbsp" => Some('\u{a0}'),
                    _ => None,
                }
            }?;
            Some((ch, j + 1))
        });
        match decoded {
            Some((ch, len)) => {
                out.push(ch);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn block(xml: &str) -> Block {
        let doc = roxmltree::Document::parse(xml).unwrap();
        let root = doc.root_element();
        Block {
            block_type: "video".into(),
            id: root.attribute("url_name").unwrap_or("v").into(),
            parent: None,
            children: vec![],
            attrs: root
                .attributes()
                .filter(|a| a.name() != "url_name")
                .map(|a| (a.name().to_string(), a.value().to_string()))
                .collect(),
            policy: Default::default(),
            xml: xml.to_string(),
            body: None,
            extra_xml: vec![],
            inline: false,
            draft: false,
            source: Default::default(),
        }
    }

    #[test]
    fn demo_video_with_val_transcripts() {
        let v = VideoInfo::from_block(&block(
            r#"<video youtube="1.00:AOUEsgFrYeg" url_name="x" sub="" transcripts="{&quot;en&quot;: &quot;48c9-en.srt&quot;, &quot;es&quot;: &quot;48c9-es.srt&quot;}" display_name="Reach" download_track="true" edx_video_id="48c9" end_time="00:12:57" html5_sources="[]" start_time="00:11:39" track="/static/T.pdf" youtube_id_1_0="AOUEsgFrYeg">
  <track src="/static/T.pdf"/>
  <video_asset client_video_id="external video" duration="0.0" image="">
    <transcripts><transcript language_code="en" file_format="srt" provider="Custom"/></transcripts>
  </video_asset>
  <transcript language="en" src="48c9-en.srt"/>
</video>"#,
        ));
        assert_eq!(v.youtube_id.as_deref(), Some("AOUEsgFrYeg"));
        assert!(v.only_youtube);
        assert_eq!(v.sub, None);
        assert_eq!(v.start_seconds, 11 * 60 + 39);
        assert_eq!(v.end_seconds, 12 * 60 + 57);
        assert_eq!(v.transcripts.len(), 2);
        assert_eq!(v.transcript_languages(), ["en", "es"]);
        assert_eq!(
            transcript_asset_candidates(&v, "en"),
            ["48c9-en.srt", "subs_AOUEsgFrYeg.srt.sjson"]
        );
        assert_eq!(
            transcript_asset_candidates(&v, "es"),
            ["48c9-es.srt", "es_subs_AOUEsgFrYeg.srt.sjson"]
        );
        assert!(v.download_track && !v.download_video);
    }

    #[test]
    fn html5_video_and_old_xml() {
        let v = VideoInfo::from_block(&block(
            r#"<video url_name="j" youtube="1.00:" from="00:00:05" to="00:00:15">
                 <source src="https://x.org/v/Jelly.mp4?sig=1"/>
                 <source src="/static/jelly.webm"/>
                 <track src="/static/jelly.srt"/>
                 <transcript language="fr" src="/static/jelly_fr.srt"/>
               </video>"#,
        ));
        assert_eq!(
            v.youtube_id, None,
            "empty id kept because html5 sources exist"
        );
        assert!(!v.only_youtube);
        assert_eq!(v.sources.len(), 2);
        assert_eq!(v.sources[0].mime, Some("video/mp4"));
        assert_eq!(v.sources[1].mime, Some("video/webm"));
        assert_eq!(v.source.as_deref(), Some("https://x.org/v/Jelly.mp4?sig=1"));
        assert!(
            v.download_track,
            "a <track> without download_track means true"
        );
        assert_eq!((v.start_seconds, v.end_seconds), (5, 15));
        assert_eq!(v.subs_ids(), ["Jelly", "jelly"]);
        assert_eq!(
            transcript_asset_candidates(&v, "fr"),
            [
                "jelly_fr.srt",
                "fr_subs_Jelly.srt.sjson",
                "fr_subs_jelly.srt.sjson"
            ]
        );
        assert_eq!(v.transcript_languages(), ["fr"]);
        assert_eq!(v.default_transcript_language("de"), "fr");
    }

    #[test]
    fn bare_video_plays_the_open_edx_default() {
        let v = VideoInfo::from_block(&block(r#"<video url_name="k" download_video="false"/>"#));
        assert_eq!(v.youtube_id.as_deref(), Some(DEFAULT_YOUTUBE_ID));
        assert_eq!(v.transcript_languages(), ["en"]);
        assert_eq!(v.display_name, "Video");
        let q = VideoInfo::from_block(&block(
            r#"<video url_name="q" youtube="1.00:&quot;abc&quot;,0.75:slow,bogus"/>"#,
        ));
        assert_eq!(q.youtube_id.as_deref(), Some("abc"));
        assert_eq!(
            q.youtube_speeds.get("0.75").map(String::as_str),
            Some("slow")
        );
    }

    #[test]
    fn policy_wins_and_broken_xml_is_tolerated() {
        let mut b = block(r#"<video url_name="p" youtube_id_1_0="aaa"/>"#);
        b.policy
            .insert("youtube_id_1_0".into(), serde_json::json!("bbb"));
        b.xml = "<video".into();
        let v = VideoInfo::from_block(&b);
        assert_eq!(v.youtube_id.as_deref(), Some("bbb"));
    }

    #[test]
    fn srt_to_vtt_tolerates_real_world_files() {
        let srt = "\u{feff}1\r\n00:00:01,199 --> 00:00:04,380\r\num next up we&#39;re\r\n\r\n\
                   00:00:04.5 --> 00:00:06,000 X1:0 Y1:0\r\nno index, period, settings\r\n\
                   3\r\n00:01:02,003 --> 00:01:03,000\r\nno blank line before\r\n\r\n\r\n\
                   garbage\n";
        let vtt = srt_to_vtt(srt).unwrap();
        assert_eq!(
            vtt,
            "WEBVTT\n\n00:00:01.199 --> 00:00:04.380\num next up we&#39;re\n\n\
             00:00:04.500 --> 00:00:06.000\nno index, period, settings\n\n\
             00:01:02.003 --> 00:01:03.000\nno blank line before\n\n"
        );
        assert_eq!(srt_to_vtt("").unwrap(), "WEBVTT\n\n");
        assert_eq!(srt_to_vtt("just text"), Err(TranscriptError::NoCues));
        assert_eq!(
            srt_to_plain_text(srt),
            "um next up we're\nno index, period, settings\nno blank line before"
        );
    }

    #[test]
    fn sjson_to_vtt_and_text() {
        let sj = r#"{"start": [0, 1500.4, 70000], "end": [1000, 2000], "text": ["A &amp; B", null, "x\n\ny --> z"]}"#;
        assert_eq!(
            sjson_to_vtt(sj).unwrap(),
            "WEBVTT\n\n00:00:00.000 --> 00:00:01.000\nA &amp; B\n\n\
             00:00:01.500 --> 00:00:02.000\n\n\n\
             00:01:10.000 --> 00:01:12.000\nx\ny --&gt; z\n\n"
        );
        assert_eq!(sjson_to_plain_text(sj).unwrap(), "A & B\n\nx\n\ny --> z");
        assert!(sjson_to_vtt("{").is_err());
        assert!(sjson_to_vtt("{\"text\": []}").is_err());
        assert_eq!(
            sjson_to_vtt("\u{feff}{\"start\": []}").unwrap(),
            "WEBVTT\n\n"
        );
    }

    #[test]
    fn vtt_plain_text() {
        let vtt = "\u{feff}WEBVTT\n\nNOTE recognizability 0.929\n\n00:00:06.050 --> 00:00:08.630\n\
                   <v Sam>Welcome</v> to &lt;campus&gt;\n\nid-2\n00:08.630 --> 00:12.080 align:start\nbye\n";
        assert_eq!(vtt_to_plain_text(vtt), "Welcome to <campus>\nbye");
        assert_eq!(
            transcript_to_vtt(vtt, TranscriptFormat::Vtt).unwrap(),
            "WEBVTT\n\n00:00:06.050 --> 00:00:08.630\n<v Sam>Welcome</v> to &lt;campus&gt;\n\n\
             00:00:08.630 --> 00:00:12.080\nbye\n\n"
        );
    }

    #[test]
    fn unescape() {
        assert_eq!(
            html_unescape("a &amp;&#39;&#x41;&bogus; &"),
            "a &'A&bogus; &"
        );
        assert_eq!(html_unescape("&#0;&#xD800;"), "\u{fffd}\u{fffd}");
    }

    #[test]
    fn formats_and_mimes() {
        assert_eq!(
            TranscriptFormat::from_path("subs_x.srt.sjson"),
            TranscriptFormat::Sjson
        );
        assert_eq!(TranscriptFormat::from_path("a.VTT"), TranscriptFormat::Vtt);
        assert_eq!(TranscriptFormat::from_path("a.srt"), TranscriptFormat::Srt);
        assert_eq!(guess_video_mime("a.OGV"), Some("video/ogg"));
        assert_eq!(guess_video_mime("https://youtube.com/watch?v=x"), None);
        assert_eq!(subs_filename("abc", "en"), "subs_abc.srt.sjson");
        assert_eq!(subs_filename("abc", "uk"), "uk_subs_abc.srt.sjson");
    }
}
