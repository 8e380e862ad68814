//! Component editors inside units (issue 6, item 3) on both backends: the unit page, each
//! editor creating and editing its block (HTML sanitised with a report, images into the course
//! files, markdown problems stored as Open edX stores them, OLX validated, video transcripts,
//! poll and survey), move, duplicate and delete, the learner preview, access across offices and
//! CSRF; after publishing, learners answer the problems, see the captions and vote.

use std::time::Duration;

use platform::access::Role;
use platform::models::organisation;
use studio::drafts::{self, Scope};
use studio::store::{self, Visibility};
use xblock_compat::capa::markdown::markdown_to_olx;
use xblock_compat::olx::{Block, Course};

use crate::both_backends;
use crate::helpers::*;
use crate::learning::{install, learning_course, rows_of, KEY};

const PASSWORD: &str = "hasło testowe 1";

both_backends!(
    unit_page_and_html_editor,
    markdown_and_olx_problems,
    video_transcripts,
    polls_and_surveys,
    preview_and_access,
    move_duplicate_delete,
);

/// Offices A and B with an author each; the learning course in A, public.
fn setup(st: &platform::web::AppState) -> String {
    let mut conn = st.db.get().unwrap();
    let a = organisation::create(&mut conn, "urzad-a", "Urząd A", "municipality").unwrap();
    let b = organisation::create(&mut conn, "urzad-b", "Urząd B", "municipality").unwrap();
    drop(conn);
    for (email, org) in [("autor-a@a.pl", &a.id), ("autor-b@b.pl", &b.id)] {
        let id = make_user(st, email, email, PASSWORD, false);
        let mut conn = st.db.get().unwrap();
        organisation::grant_role(&mut conn, org, &id, Role::Author).unwrap();
    }
    install(st, &learning_course(), Some(&a.id), Visibility::Public);
    let mut conn = st.db.get().unwrap();
    store::find_by_key(&mut conn, KEY).unwrap().unwrap().id
}

fn draft(st: &platform::web::AppState, cid: &str) -> Course {
    let mut conn = st.db.get().unwrap();
    drafts::draft(&mut conn, cid, None).unwrap()
}

fn block<'a>(c: &'a Course, t: &str, id: &str) -> &'a Block {
    let i = xblock_compat::olx::edit::find_in_tree(c, t, id).unwrap_or_else(|| panic!("{t}/{id}"));
    &c.blocks[i]
}

/// Ids of a unit's components in the draft, in order.
fn children(st: &platform::web::AppState, cid: &str, unit: &str) -> Vec<String> {
    let c = draft(st, cid);
    let u = block(&c, "vertical", unit);
    u.children.iter().map(|&i| c.blocks[i].id.clone()).collect()
}

fn current(st: &platform::web::AppState, cid: &str) -> Course {
    let mut conn = st.db.get().unwrap();
    store::load_current_by_id(&mut conn, cid)
        .unwrap()
        .unwrap()
        .1
}

fn publish(st: &platform::web::AppState, cid: &str, unit: &str) {
    let mut conn = st.db.get().unwrap();
    drafts::publish(&mut conn, cid, &Scope::Unit(unit.into()), None).unwrap();
}

/// The draft exports as OLX (what Studio's export gives Open edX) that reads back to the same
/// course: what the editors write survives the round trip.
fn exports_and_reads_back(st: &platform::web::AppState, cid: &str) {
    use std::io::Read;
    use xblock_compat::olx::{read_files, FileData, FileSet};
    let d = draft(st, cid);
    let out = st.config.data_dir.join("draft-export.tar.gz");
    let blobs = platform::storage::BlobStore::new(&st.config.data_dir);
    studio::import::export_course(&d, &blobs, &out).unwrap();
    let bytes = std::fs::read(&out).unwrap();
    let mut tar = tar::Archive::new(flate2::read::GzDecoder::new(&bytes[..]));
    let mut set = FileSet::new();
    for e in tar.entries().unwrap() {
        let mut e = e.unwrap();
        let path = e.path().unwrap().to_string_lossy().into_owned();
        let mut data = Vec::new();
        e.read_to_end(&mut data).unwrap();
        set.insert(&path, FileData::Bytes(data));
    }
    let back = read_files(set).unwrap();
    assert_eq!(back.round_trip_view(), d.round_trip_view());
}

/// Past the learner side's course cache (it re-checks the current version every 2 s).
async fn after_cache() {
    tokio::time::sleep(Duration::from_millis(2100)).await;
}

/// Adds a component of `typ` to `unit`; returns its editor's path and the new block id.
macro_rules! add {
    ($c:expr, $cid:expr, $unit:expr, $typ:expr) => {{
        let r = $c
            .post(
                &format!("/studio/kursy/{}/jednostka/{}/dodaj", $cid, $unit),
                &[("typ", $typ)],
            )
            .await;
        r.assert_status(303);
        let to = r.location().to_string();
        let path = to.split('?').next().unwrap().to_string();
        let id = path.rsplit('/').next().unwrap().to_string();
        assert!(
            path.starts_with(&format!("/studio/kursy/{}/komponent/", $cid)),
            "{to}"
        );
        assert_eq!(id.len(), 32, "{id}");
        (path, id)
    }};
}

/// Open edX's attribute escaping, as `olx::edit` writes it.
fn attr(v: &str) -> String {
    v.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\n', "&#10;")
}

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR fake image";

async fn unit_page_and_html_editor(be: Backend) {
    let db = TestDb::new(be);
    let st = state(&db, &[]);
    let cid = setup(&st);
    let mut c = Client::new(spawn_app(st.clone()).await);
    c.login("autor-a@a.pl", PASSWORD).await.assert_status(303);

    // The unit page: components in order with their type, the publish form and the preview.
    let unit = format!("/studio/kursy/{cid}/jednostka/u1");
    let r = c.get(&unit).await;
    r.assert_status(200)
        .assert_contains("<h1>Jednostka: Lekcja 1</h1>")
        .assert_contains("Skrypt")
        .assert_contains("<code>word_cloud</code>")
        .assert_contains("name=\"zakres\" value=\"jednostka\"")
        .assert_contains("name=\"id\" value=\"u1\"")
        .assert_contains(&format!("action=\"/studio/kursy/{cid}/publikuj\""))
        .assert_contains(&format!(
            "&#x2F;studio&#x2F;kursy&#x2F;{cid}&#x2F;podglad&#x2F;u1"
        ))
        .assert_contains(&format!("href=\"/studio/kursy/{cid}/struktura\""));
    assert_eq!(r.body.matches("<h1").count(), 1);
    let pos = |s: &str| r.body.find(s).unwrap();
    assert!(pos("id=\"komponent-h1\"") < pos("id=\"komponent-h2\""));
    c.get(&format!("/studio/kursy/{cid}/jednostka/nie-ma"))
        .await
        .assert_status(404);

    // Add an HTML component: an empty body named "Tekst", then its editor.
    let (editor, id) = add!(c, cid, "u1", "html");
    assert_eq!(*children(&st, &cid, "u1").last().unwrap(), id);
    let b = block(&draft(&st, &cid), "html", &id).clone();
    assert_eq!(b.attr("filename"), Some(id.as_str()));
    assert_eq!(b.body.as_deref(), Some(""));
    let r = c.get(&editor).await;
    r.assert_status(200)
        .assert_contains("Dodano komponent")
        .assert_contains("<textarea id=\"body\" name=\"body\"")
        .assert_contains("role=\"toolbar\"")
        .assert_contains("aria-pressed=\"false\"")
        .assert_contains("/static/js/studio-html-editor.js");
    assert_eq!(r.body.matches("<h1").count(), 1);

    // Save: sanitised, and the author is told what went.
    let dirty = "<h2>Cel</h2><p onclick=\"x()\">Tekst <strong>ważny</strong></p><script>alert(1)</script><img src=\"/static/obraz.png\" onerror=\"alert(2)\" alt=\"Obraz\">";
    let r = c
        .post(&editor, &[("display_name", "Wstęp"), ("body", dirty)])
        .await;
    r.assert_status(303);
    assert!(
        r.location().starts_with(&format!("{editor}?usunieto=")),
        "{}",
        r.location()
    );
    let r = c.get(r.location()).await;
    r.assert_status(200)
        .assert_contains("usunięto elementy niedozwolone")
        .assert_contains("<code>script</code>")
        .assert_contains("<code>onerror</code>")
        .assert_contains("<code>onclick</code>");
    let b = block(&draft(&st, &cid), "html", &id).clone();
    let body = b.body.clone().unwrap();
    assert!(
        !body.contains("script") && !body.contains("onerror") && !body.contains("onclick"),
        "{body}"
    );
    assert!(
        body.contains("<h2>Cel</h2>") && body.contains("<strong>ważny</strong>"),
        "{body}"
    );
    assert!(body.contains("src=\"/static/obraz.png\""), "{body}");
    assert_eq!(b.display_name().as_deref(), Some("Wstęp"));
    assert_eq!(
        b.attr("filename"),
        Some(id.as_str()),
        "the body file keeps its name"
    );

    // Nothing to remove: back to the unit. No name: 422 and nothing stored.
    let r = c
        .post(
            &editor,
            &[("display_name", "Wstęp"), ("body", "<p>Czysty tekst</p>")],
        )
        .await;
    r.assert_status(303);
    assert_eq!(r.location(), format!("{unit}#komponent-{id}"));
    let r = c
        .post(&editor, &[("display_name", "  "), ("body", "<p>Inny</p>")])
        .await;
    r.assert_status(422)
        .assert_contains("error-summary")
        .assert_contains("href=\"#display_name\"");
    assert_eq!(
        block(&draft(&st, &cid), "html", &id).body.as_deref(),
        Some("<p>Czysty tekst</p>")
    );

    // Image upload: a course file (not drafted) and an <img> with its alternative text.
    let image = format!("/studio/kursy/{cid}/komponent/html/{id}/obraz");
    let before = current(&st, &cid).statics.len();
    let r = c
        .post_multipart_with(
            &image,
            &[("image_alt", "Schemat")],
            "schemat.png",
            b"<svg/>",
            true,
        )
        .await;
    r.assert_status(422).assert_contains("nie jest obrazem");
    let r = c
        .post_multipart_with(&image, &[("image_alt", " ")], "schemat.png", PNG, true)
        .await;
    r.assert_status(422)
        .assert_contains("href=\"#image_alt\"")
        .assert_contains("Podaj tekst alternatywny");
    assert_eq!(current(&st, &cid).statics.len(), before, "nothing stored");
    let r = c
        .post_multipart_with(
            &image,
            &[("image_alt", "Schemat \"A\"")],
            "schemat.png",
            PNG,
            true,
        )
        .await;
    r.assert_status(303);
    assert!(current(&st, &cid)
        .statics
        .iter()
        .any(|f| f.path == "schemat.png"));
    let d = draft(&st, &cid);
    assert!(
        d.statics.iter().any(|f| f.path == "schemat.png"),
        "the draft has the file too"
    );
    let body = block(&d, "html", &id).body.clone().unwrap();
    assert!(
        body.ends_with("<p><img src=\"/static/schemat.png\" alt=\"Schemat &quot;A&quot;\"></p>"),
        "{body}"
    );
    assert!(body.starts_with("<p>Czysty tekst</p>"), "{body}");
    // Another file under the same name does not replace the published one.
    let r = c
        .post_multipart_with(
            &image,
            &[("image_alt", "Drugi"), ("body", "<p>Z edytora</p>")],
            "schemat.png",
            b"\x89PNG\r\n\x1a\nother",
            true,
        )
        .await;
    r.assert_status(303);
    let body = block(&draft(&st, &cid), "html", &id).body.clone().unwrap();
    assert!(
        body.starts_with("<p>Z edytora</p>"),
        "the editor's body was used: {body}"
    );
    assert!(body.contains("src=\"/static/schemat-"), "{body}");
    assert_eq!(
        current(&st, &cid)
            .statics
            .iter()
            .filter(|f| f.path.starts_with("schemat"))
            .count(),
        2
    );
    exports_and_reads_back(&st, &cid);

    // Without the CSRF token: refused, nothing stored.
    let r = c
        .post_raw(
            &editor,
            &[("display_name", "Atak"), ("body", "<p>x</p>")],
            &[],
        )
        .await;
    r.assert_status(403);
    assert_eq!(
        block(&draft(&st, &cid), "html", &id)
            .display_name()
            .as_deref(),
        Some("Wstęp")
    );
}

async fn markdown_and_olx_problems(be: Backend) {
    let db = TestDb::new(be);
    let st = state(&db, &[]);
    let cid = setup(&st);
    let mut c = Client::new(spawn_app(st.clone()).await);
    c.login("autor-a@a.pl", PASSWORD).await.assert_status(303);

    // A markdown multiple choice: stored as Open edX stores it, re-opened in the markdown editor.
    let (mc_editor, mc) = add!(c, cid, "u2", "problem");
    let r = c.get(&mc_editor).await;
    r.assert_status(200)
        .assert_contains("name=\"tryb\" value=\"markdown\"")
        .assert_contains("Składnia Markdown")
        .assert_contains("?tryb=olx");
    let md = ">>Jaka jest stolica Polski?<<\n\n( ) Kraków\n(x) Warszawa\n\n[explanation]\nOd 1596 roku.\n[explanation]\n";
    let crlf = md.replace('\n', "\r\n");
    let r = c
        .post(
            &mc_editor,
            &[
                ("tryb", "markdown"),
                ("source", crlf.as_str()),
                ("display_name", "Stolica"),
                ("weight", ""),
                ("max_attempts", "2"),
                ("showanswer", "finished"),
                ("rerandomize", ""),
            ],
        )
        .await;
    r.assert_status(303);
    let b = block(&draft(&st, &cid), "problem", &mc).clone();
    let olx = markdown_to_olx(md).unwrap();
    assert_eq!(
        b.xml,
        format!(
            "<problem display_name=\"Stolica\" markdown=\"{}\" max_attempts=\"2\" showanswer=\"finished\">{}",
            attr(md),
            olx.strip_prefix("<problem>").unwrap()
        )
    );
    assert_eq!(b.field("markdown").as_deref(), Some(md));
    c.get(&mc_editor)
        .await
        .assert_status(200)
        .assert_contains("name=\"tryb\" value=\"markdown\"")
        .assert_contains("(x) Warszawa")
        .assert_contains("value=\"finished\" selected");

    // A numerical one.
    let (num_editor, num) = add!(c, cid, "u2", "problem");
    c.post(
        &num_editor,
        &[
            ("tryb", "markdown"),
            ("source", ">>Ile to 2+2?<<\n\n= 4 +- 0.01\n"),
            ("display_name", "Rachunek"),
            ("weight", "2"),
        ],
    )
    .await
    .assert_status(303);
    let b = block(&draft(&st, &cid), "problem", &num).clone();
    assert!(
        b.xml.contains("<numericalresponse answer=\"4\">"),
        "{}",
        b.xml
    );
    assert_eq!(b.field("weight").as_deref(), Some("2"));

    // Conversion errors: 422 with Open edX's message, nothing stored.
    let r = c
        .post(
            &num_editor,
            &[
                ("tryb", "markdown"),
                ("source", ">>Pytanie<<\n( ) \n(x) b\n"),
                ("display_name", "Rachunek"),
            ],
        )
        .await;
    r.assert_status(422)
        .assert_contains("An answer option has been left blank")
        .assert_contains("href=\"#source\"");
    assert_eq!(block(&draft(&st, &cid), "problem", &num).xml, b.xml);

    // The advanced editor: OLX checked by the reader and the CAPA engine.
    let (olx_editor, adv) = add!(c, cid, "u2", "problem_olx");
    let r = c.get(&format!("{olx_editor}?tryb=olx")).await;
    r.assert_status(200)
        .assert_contains("name=\"tryb\" value=\"olx\"")
        .assert_contains("&lt;problem&gt;");
    let before = block(&draft(&st, &cid), "problem", &adv).xml.clone();
    for (bad, says) in [
        ("<problem><p>a</problem>", "OLX jest niepoprawny"),
        (
            "<problem><p>a</p></problem>\n<extra/>",
            "OLX jest niepoprawny",
        ),
        ("<video/>", "&lt;video&gt;"),
        (
            "<problem><numericalresponse><formulaequationinput/></numericalresponse></problem>",
            "missing required attribute answer",
        ),
    ] {
        let r = c
            .post(
                &olx_editor,
                &[
                    ("tryb", "olx"),
                    ("source", bad),
                    ("display_name", "Zaawansowany"),
                ],
            )
            .await;
        r.assert_status(422).assert_contains(says);
        assert_eq!(
            block(&draft(&st, &cid), "problem", &adv).xml,
            before,
            "{bad}"
        );
    }
    let r = c
        .post(
            &olx_editor,
            &[
                ("tryb", "olx"),
                ("source", "<problem><p>a</problem>"),
                ("display_name", "Zaawansowany"),
            ],
        )
        .await;
    assert!(
        r.body.contains("1:") || r.body.contains("line"),
        "position in the message"
    );
    c.post(
        &olx_editor,
        &[
            ("tryb", "olx"),
            (
                "source",
                "<problem show_reset_button=\"true\"><stringresponse answer=\"Wisła\"><label>Najdłuższa rzeka?</label><textline/></stringresponse></problem>",
            ),
            ("display_name", "Rzeka"),
            ("max_attempts", ""),
            ("weight", "1"),
        ],
    )
    .await
    .assert_status(303);
    let b = block(&draft(&st, &cid), "problem", &adv).clone();
    assert_eq!(
        b.xml,
        "<problem show_reset_button=\"true\" display_name=\"Rzeka\" weight=\"1\"><stringresponse answer=\"Wisła\"><label>Najdłuższa rzeka?</label><textline/></stringresponse></problem>"
    );
    // It re-opens as OLX, settings in their own fields.
    c.get(&olx_editor)
        .await
        .assert_contains("name=\"tryb\" value=\"olx\"")
        .assert_contains("&lt;problem show_reset_button=&quot;true&quot;&gt;");

    // Saving the markdown problem in the advanced editor drops its markdown (as Open edX does).
    let r = c.get(&format!("{mc_editor}?tryb=olx")).await;
    r.assert_status(200)
        .assert_contains("usunie źródło Markdown")
        .assert_contains("&lt;multiplechoiceresponse&gt;");
    c.post(
        &mc_editor,
        &[
            ("tryb", "olx"),
            ("source", olx.as_str()),
            ("display_name", "Stolica"),
            ("max_attempts", "2"),
        ],
    )
    .await
    .assert_status(303);
    let b = block(&draft(&st, &cid), "problem", &mc).clone();
    assert!(b.field("markdown").is_none(), "{}", b.xml);
    assert_eq!(
        b.xml,
        format!(
            "<problem display_name=\"Stolica\" max_attempts=\"2\">{}",
            olx.strip_prefix("<problem>").unwrap()
        )
    );
    c.get(&mc_editor)
        .await
        .assert_contains("name=\"tryb\" value=\"olx\"");
    c.post(
        &format!("{mc_editor}-nie-ma"),
        &[
            ("tryb", "olx"),
            ("source", "<problem/>"),
            ("display_name", "x"),
        ],
    )
    .await
    .assert_status(404);

    exports_and_reads_back(&st, &cid);

    // Learners see nothing of it until the unit is published; then they are graded.
    let mut learner = Client::new(spawn_app(st.clone()).await);
    learner.post(&format!("/kursy/{KEY}/bez-konta"), &[]).await;
    let page = learner.get(&format!("/kursy/{KEY}/nauka/u2")).await;
    page.assert_status(200);
    assert!(!page.body.contains("Jaka jest stolica Polski?"));
    publish(&st, &cid, "u2");
    after_cache().await;
    let page = learner.get(&format!("/kursy/{KEY}/nauka/u2")).await;
    page.assert_status(200)
        .assert_contains("Jaka jest stolica Polski?")
        .assert_contains(&format!("name=\"input_{mc}_2_1\""))
        .assert_contains(&format!("name=\"input_{num}_2_1\""));
    let grade = |r: Resp| {
        r.assert_status(200);
        let j: serde_json::Value = serde_json::from_str(&r.body).unwrap();
        assert_eq!(j["result"], "graded", "{j}");
        (
            j["earned"].as_f64().unwrap(),
            j["possible"].as_f64().unwrap(),
        )
    };
    let mc_path = format!("/kursy/{KEY}/problem/{mc}");
    let num_path = format!("/kursy/{KEY}/problem/{num}");
    let (mc_in, num_in) = (format!("input_{mc}_2_1"), format!("input_{num}_2_1"));
    let (mc_in, num_in) = (mc_in.as_str(), num_in.as_str());
    let (e, p) = grade(
        learner
            .post_json(&mc_path, &[("action", "check"), (mc_in, "choice_0")])
            .await,
    );
    assert_eq!((e, p), (0.0, 1.0), "Kraków is wrong");
    let (e, _) = grade(
        learner
            .post_json(&mc_path, &[("action", "check"), (mc_in, "choice_1")])
            .await,
    );
    assert_eq!(e, 1.0, "Warszawa is right");
    let (e, _) = grade(
        learner
            .post_json(&num_path, &[("action", "check"), (num_in, "5")])
            .await,
    );
    assert_eq!(e, 0.0);
    let (e, _) = grade(
        learner
            .post_json(&num_path, &[("action", "check"), (num_in, "4.005")])
            .await,
    );
    assert_eq!(e, 1.0, "within the tolerance");
    let lid = crate::learning::learner_ids(&st)[0].clone();
    let rows = rows_of(&st, &lid);
    assert!(
        rows.iter()
            .any(|(k, a, e)| *k == format!("problem/{mc}") && *a == 2 && *e == Some(1.0)),
        "{rows:?}"
    );
}

async fn video_transcripts(be: Backend) {
    let db = TestDb::new(be);
    let st = state(&db, &[]);
    let cid = setup(&st);
    let mut c = Client::new(spawn_app(st.clone()).await);
    c.login("autor-a@a.pl", PASSWORD).await.assert_status(303);
    let (editor, id) = add!(c, cid, "u1", "video");
    let b = block(&draft(&st, &cid), "video", &id).clone();
    assert!(
        b.xml.contains("youtube_id_1_0=\"\""),
        "no default YouTube video: {}",
        b.xml
    );
    c.get(&editor)
        .await
        .assert_status(200)
        .assert_contains("Film nie ma jeszcze napisów");

    let r = c
        .post(
            &editor,
            &[
                ("display_name", "Film o urzędzie"),
                (
                    "sources",
                    "https://cdn.example.org/film.mp4\r\n/static/film.mp4",
                ),
                ("youtube_id", "https://youtu.be/AbC_12-3"),
                ("download_video", "yes"),
            ],
        )
        .await;
    r.assert_status(303);
    let b = block(&draft(&st, &cid), "video", &id).clone();
    for part in [
        "display_name=\"Film o urzędzie\"",
        "youtube=\"1.00:AbC_12-3\"",
        "youtube_id_1_0=\"AbC_12-3\"",
        "html5_sources=\"[&quot;https://cdn.example.org/film.mp4&quot;, &quot;/static/film.mp4&quot;]\"",
        "download_video=\"true\"",
        "<source src=\"https://cdn.example.org/film.mp4\"/>",
    ] {
        assert!(b.xml.contains(part), "{part} in {}", b.xml);
    }
    let r = c
        .post(
            &editor,
            &[("display_name", "Film"), ("sources", "javascript:alert(1)")],
        )
        .await;
    r.assert_status(422).assert_contains("href=\"#sources\"");

    // Transcripts: a file without cues is refused; SRT and WebVTT are stored as SRT.
    let upload = format!("/studio/kursy/{cid}/komponent/video/{id}/transkrypcja");
    let r = c
        .post_multipart_with(
            &upload,
            &[("language", "pl")],
            "napisy.srt",
            b"to nie napisy",
            true,
        )
        .await;
    r.assert_status(422)
        .assert_contains("nie znaleziono napisów");
    let r = c
        .post_multipart_with(
            &upload,
            &[("language", "xx")],
            "napisy.srt",
            b"1\n00:00:01,000 --> 00:00:02,000\nA\n",
            true,
        )
        .await;
    r.assert_status(422);
    let r = c
        .post_multipart_with(
            &upload,
            &[("language", "pl")],
            "napisy.vtt",
            "WEBVTT\n\n00:00:01.000 --> 00:00:02.500\nDzień dobry w urzędzie\n".as_bytes(),
            true,
        )
        .await;
    r.assert_status(303);
    let file = format!("{id}-pl.srt");
    let b = block(&draft(&st, &cid), "video", &id).clone();
    assert!(
        b.xml
            .contains(&format!("<transcript language=\"pl\" src=\"{file}\"/>")),
        "{}",
        b.xml
    );
    assert!(b.xml.contains(&format!(
        "transcripts=\"{{&quot;pl&quot;: &quot;{file}&quot;}}\""
    )));
    assert!(current(&st, &cid).statics.iter().any(|f| f.path == file));
    c.get(&editor)
        .await
        .assert_contains(&file)
        .assert_contains("Usuń napisy");

    exports_and_reads_back(&st, &cid);

    // Published: the learner's player has the track, served as WebVTT.
    publish(&st, &cid, "u1");
    let mut learner = Client::new(spawn_app(st.clone()).await);
    learner.post(&format!("/kursy/{KEY}/bez-konta"), &[]).await;
    let page = learner.get(&format!("/kursy/{KEY}/nauka/u1")).await;
    page.assert_status(200).assert_contains(&format!(
        "<track kind=\"captions\" src=\"/kursy/{KEY}/transkrypcja/{id}/pl.vtt\""
    ));
    let vtt = learner
        .get(&format!("/kursy/{KEY}/transkrypcja/{id}/pl.vtt"))
        .await;
    vtt.assert_status(200)
        .assert_contains("WEBVTT")
        .assert_contains("00:00:01.000 --> 00:00:02.500")
        .assert_contains("Dzień dobry w urzędzie");

    // Removing the transcript changes the draft only.
    c.post(&format!("{upload}/usun"), &[("language", "pl")])
        .await
        .assert_status(303);
    let b = block(&draft(&st, &cid), "video", &id).clone();
    assert!(!b.xml.contains("<transcript"), "{}", b.xml);
    assert!(block(&current(&st, &cid), "video", &id)
        .xml
        .contains("<transcript"));
}

async fn polls_and_surveys(be: Backend) {
    let db = TestDb::new(be);
    let st = state(&db, &[]);
    let cid = setup(&st);
    let mut c = Client::new(spawn_app(st.clone()).await);
    c.login("autor-a@a.pl", PASSWORD).await.assert_status(303);

    let (poll_editor, poll) = add!(c, cid, "u1", "poll");
    let r = c.get(&poll_editor).await;
    r.assert_status(200)
        .assert_contains("name=\"answer_key_0\" value=\"A\"")
        .assert_contains("id=\"answer_label_2\"");
    let r = c
        .post(
            &poll_editor,
            &[
                ("display_name", "Dojazd"),
                ("question", "Jak dojeżdżasz do pracy?"),
                ("answer_key_0", "A"),
                ("answer_label_0", "Rowerem"),
                ("answer_key_1", "B"),
                ("answer_label_1", ""),
                ("answer_key_2", ""),
                ("answer_label_2", ""),
                ("max_submissions", "1"),
            ],
        )
        .await;
    r.assert_status(422)
        .assert_contains("co najmniej dwie odpowiedzi")
        .assert_contains("href=\"#answer_label_0\"");
    c.post(
        &poll_editor,
        &[
            ("display_name", "Dojazd"),
            ("question", "Jak dojeżdżasz do pracy?"),
            ("answer_key_0", "A"),
            ("answer_label_0", "Rowerem"),
            ("answer_key_1", "B"),
            ("answer_label_1", "Autobusem"),
            ("answer_key_2", ""),
            ("answer_label_2", "Pieszo"),
            ("answer_key_3", ""),
            ("answer_label_3", ""),
            ("feedback", "Dziękujemy!"),
            ("private_results", "yes"),
            ("max_submissions", "1"),
        ],
    )
    .await
    .assert_status(303);
    let b = block(&draft(&st, &cid), "poll", &poll).clone();
    assert!(
        b.xml
            .starts_with("<poll xblock-family=\"xblock.v1\" display_name=\"Dojazd\""),
        "{}",
        b.xml
    );
    let answers: serde_json::Value = serde_json::from_str(&b.field("answers").unwrap()).unwrap();
    assert_eq!(answers[0][0], "A");
    assert_eq!(answers[0][1]["label"], "Rowerem");
    assert_eq!(answers[1][1]["label"], "Autobusem");
    assert_eq!(answers[2][1]["label"], "Pieszo");
    assert_eq!(answers.as_array().unwrap().len(), 3);
    assert!(
        b.field("answers")
            .unwrap()
            .starts_with("[\n  [\n    \"A\","),
        "indent=2 as Open edX"
    );
    assert_eq!(b.field("private_results").as_deref(), Some("true"));

    let (survey_editor, survey) = add!(c, cid, "u1", "survey");
    c.post(
        &survey_editor,
        &[
            ("display_name", "Ocena szkolenia"),
            ("question_key_0", "q1"),
            ("question_label_0", "Czy szkolenie było przydatne?"),
            ("question_key_1", "q2"),
            ("question_label_1", "Czy polecisz je innym?"),
            ("answer_key_0", "Y"),
            ("answer_label_0", "Tak"),
            ("answer_key_1", "N"),
            ("answer_label_1", "Nie"),
            ("feedback", ""),
            ("max_submissions", "1"),
        ],
    )
    .await
    .assert_status(303);
    let b = block(&draft(&st, &cid), "survey", &survey).clone();
    assert!(
        b.xml.contains("block_name=\"Ocena szkolenia\""),
        "{}",
        b.xml
    );
    let answers: serde_json::Value = serde_json::from_str(&b.field("answers").unwrap()).unwrap();
    assert_eq!(answers, serde_json::json!([["Y", "Tak"], ["N", "Nie"]]));

    exports_and_reads_back(&st, &cid);

    // Published: both render and take a vote.
    publish(&st, &cid, "u1");
    let mut learner = Client::new(spawn_app(st.clone()).await);
    learner.post(&format!("/kursy/{KEY}/bez-konta"), &[]).await;
    let page = learner.get(&format!("/kursy/{KEY}/nauka/u1")).await;
    page.assert_status(200)
        .assert_contains("Jak dojeżdżasz do pracy?")
        .assert_contains("Czy polecisz je innym?")
        .assert_contains(&format!("/kursy/{KEY}/glosuj/{poll}"));
    learner
        .post(&format!("/kursy/{KEY}/glosuj/{poll}"), &[("choice_", "B")])
        .await
        .assert_status(303);
    learner
        .post(
            &format!("/kursy/{KEY}/glosuj/{survey}"),
            &[("choice_q1", "Y"), ("choice_q2", "N")],
        )
        .await
        .assert_status(303);
    let lid = crate::learning::learner_ids(&st)[0].clone();
    let rows = rows_of(&st, &lid);
    for key in [format!("poll/{poll}"), format!("survey/{survey}")] {
        assert!(
            rows.iter().any(|(k, a, _)| *k == key && *a == 1),
            "{key} in {rows:?}"
        );
    }
    let page = learner.get(&format!("/kursy/{KEY}/nauka/u1")).await;
    page.assert_contains("Dziękujemy!");
}

async fn preview_and_access(be: Backend) {
    let db = TestDb::new(be);
    let st = state(&db, &[]);
    let cid = setup(&st);
    let mut c = Client::new(spawn_app(st.clone()).await);
    c.login("autor-a@a.pl", PASSWORD).await.assert_status(303);
    let mut learner = Client::new(spawn_app(st.clone()).await);
    learner.post(&format!("/kursy/{KEY}/bez-konta"), &[]).await;
    learner
        .get(&format!("/kursy/{KEY}/nauka/u1"))
        .await
        .assert_contains("Zażółć gęślą jaźń");

    let editor = format!("/studio/kursy/{cid}/komponent/html/h1");
    c.get(&editor)
        .await
        .assert_status(200)
        .assert_contains("Zażółć gęślą jaźń");
    c.post(
        &editor,
        &[
            ("display_name", "Tekst"),
            (
                "body",
                "<p>Nowa treść w wersji roboczej <img src=\"/static/obraz.png\" alt=\"Obraz\"></p>",
            ),
        ],
    )
    .await
    .assert_status(303);

    // The preview shows the draft as learners will see it, forms inactive.
    let preview = format!("/studio/kursy/{cid}/podglad/u1");
    let r = c.get(&preview).await;
    r.assert_status(200)
        .assert_contains("Podgląd wersji roboczej")
        .assert_contains("Nowa treść w wersji roboczej")
        .assert_contains(&format!("src=\"/kursy/{KEY}/static/obraz.png\""))
        .assert_contains("Jak pracujesz?")
        .assert_contains("<fieldset class=\"preview-blocks\" disabled>")
        .assert_contains("<h1>Lekcja 1</h1>");
    assert_eq!(r.body.matches("<h1").count(), 1);
    let csp = r
        .headers
        .get("content-security-policy")
        .unwrap()
        .to_str()
        .unwrap();
    assert!(csp.contains("media-src 'self' https:"), "{csp}");
    c.get(&format!("/studio/kursy/{cid}/podglad/nie-ma"))
        .await
        .assert_status(404);
    c.get("/studio/kursy/nie-ma/podglad/u1")
        .await
        .assert_status(404);

    // Learners still see the published text, also after the cache re-checks.
    after_cache().await;
    let page = learner.get(&format!("/kursy/{KEY}/nauka/u1")).await;
    assert!(page.body.contains("Zażółć gęślą jaźń"));
    assert!(!page.body.contains("Nowa treść w wersji roboczej"));
    // Anonymous visitors are sent to sign in.
    learner.get(&preview).await.assert_status(303);

    // Another office's author: 403 everywhere, nothing changes.
    let mut other = Client::new(spawn_app(st.clone()).await);
    other
        .login("autor-b@b.pl", PASSWORD)
        .await
        .assert_status(303);
    let before = draft(&st, &cid).round_trip_view();
    for path in [
        preview.clone(),
        format!("/studio/kursy/{cid}/jednostka/u1"),
        editor.clone(),
        format!("{editor}/usun"),
    ] {
        other.get(&path).await.assert_status(403);
    }
    for (path, fields) in [
        (
            format!("/studio/kursy/{cid}/jednostka/u1/dodaj"),
            vec![("typ", "html")],
        ),
        (
            editor.clone(),
            vec![("display_name", "Obcy"), ("body", "<p>obcy</p>")],
        ),
        (format!("{editor}/przesun"), vec![("kierunek", "dol")]),
        (format!("{editor}/duplikuj"), vec![]),
        (format!("{editor}/usun"), vec![]),
    ] {
        other.post(&path, &fields).await.assert_status(403);
    }
    other
        .post_multipart_with(
            &format!("{editor}/obraz"),
            &[("image_alt", "x")],
            "x.png",
            PNG,
            true,
        )
        .await
        .assert_status(403);
    assert_eq!(draft(&st, &cid).round_trip_view(), before);

    // Published: learners see it.
    publish(&st, &cid, "u1");
    after_cache().await;
    learner
        .get(&format!("/kursy/{KEY}/nauka/u1"))
        .await
        .assert_contains("Nowa treść w wersji roboczej");
}

async fn move_duplicate_delete(be: Backend) {
    let db = TestDb::new(be);
    let st = state(&db, &[]);
    let cid = setup(&st);
    let mut c = Client::new(spawn_app(st.clone()).await);
    c.login("autor-a@a.pl", PASSWORD).await.assert_status(303);
    let unit = format!("/studio/kursy/{cid}/jednostka/u1");
    let comp = |t: &str, id: &str| format!("/studio/kursy/{cid}/komponent/{t}/{id}");
    assert_eq!(
        children(&st, &cid, "u1"),
        ["h1", "h2", "v1", "poll1", "wc1"]
    );

    // Without the script: a redirect back to the component, which gets the focus.
    let r = c
        .post(
            &format!("{}/przesun", comp("html", "h2")),
            &[("kierunek", "gora")],
        )
        .await;
    r.assert_status(303);
    assert_eq!(
        r.location(),
        format!("{unit}?przesuniety=h2&kierunek=gora#komponent-h2")
    );
    assert_eq!(
        children(&st, &cid, "u1"),
        ["h2", "h1", "v1", "poll1", "wc1"]
    );
    c.get(r.location())
        .await
        .assert_contains("Przesunięto komponent.")
        .assert_contains("data-id=\"h2\" data-moved=\"true\"");
    // With the script: where it is now, for the live region.
    let r = c
        .post_json(
            &format!("{}/przesun", comp("video", "v1")),
            &[("kierunek", "dol")],
        )
        .await;
    r.assert_status(200);
    let j: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(j["moved"], true);
    assert_eq!(j["position"], 4);
    assert_eq!(j["count"], 5);
    assert_eq!(j["message"], "Przesunięto „Film” na pozycję 4 z 5.");
    assert_eq!(
        children(&st, &cid, "u1"),
        ["h2", "h1", "poll1", "v1", "wc1"]
    );
    // At the edge nothing moves (not into another unit).
    let r = c
        .post_json(
            &format!("{}/przesun", comp("html", "h2")),
            &[("kierunek", "gora")],
        )
        .await;
    let j: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(j["moved"], false);
    assert_eq!(j["message"], "„Skrypt” jest już na pierwszej pozycji.");
    let r = c
        .post_json(
            &format!("{}/przesun", comp("word_cloud", "wc1")),
            &[("kierunek", "dol")],
        )
        .await;
    let j: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(j["moved"], false);
    assert_eq!(
        children(&st, &cid, "u1"),
        ["h2", "h1", "poll1", "v1", "wc1"]
    );
    c.post(
        &format!("{}/przesun", comp("html", "h2")),
        &[("kierunek", "w-bok")],
    )
    .await
    .assert_status(400);
    c.post(
        &format!("{}/przesun", comp("html", "nie-ma")),
        &[("kierunek", "dol")],
    )
    .await
    .assert_status(404);
    // Not a component of a unit.
    c.post(
        &format!("{}/przesun", comp("vertical", "u1")),
        &[("kierunek", "dol")],
    )
    .await
    .assert_status(404);

    // Duplicate: a copy with a new id right after it, its body file named by the new id.
    let r = c
        .post(&format!("{}/duplikuj", comp("html", "h1")), &[])
        .await;
    r.assert_status(303);
    let ids = children(&st, &cid, "u1");
    assert_eq!(ids.len(), 6);
    let copy = ids[2].clone();
    assert_eq!(&ids[..2], ["h2", "h1"]);
    assert_eq!(r.location(), format!("{unit}#komponent-{copy}"));
    let d = draft(&st, &cid);
    let (orig, dup) = (block(&d, "html", "h1"), block(&d, "html", &copy));
    assert_eq!(dup.body, orig.body);
    assert_eq!(dup.attr("filename"), Some(copy.as_str()));

    // Delete: a confirmation page first.
    let del = format!("{}/usun", comp("html", &copy));
    c.get(&del)
        .await
        .assert_status(200)
        .assert_contains("Usunąć komponent „Tekst”?")
        .assert_contains("Usuń komponent");
    // CSRF refused.
    c.post_raw(&del, &[], &[]).await.assert_status(403);
    assert_eq!(children(&st, &cid, "u1").len(), 6);
    let r = c.post(&del, &[]).await;
    r.assert_status(303);
    assert_eq!(r.location(), unit);
    assert_eq!(
        children(&st, &cid, "u1"),
        ["h2", "h1", "poll1", "v1", "wc1"]
    );
    c.post(&del, &[]).await.assert_status(404);

    // Learners keep the published order until the unit is published.
    let mut learner = Client::new(spawn_app(st.clone()).await);
    learner.post(&format!("/kursy/{KEY}/bez-konta"), &[]).await;
    let page = learner.get(&format!("/kursy/{KEY}/nauka/u1")).await;
    assert!(
        page.body.find("id=\"block-h1\"").unwrap() < page.body.find("id=\"block-h2\"").unwrap()
    );
    publish(&st, &cid, "u1");
    after_cache().await;
    let page = learner.get(&format!("/kursy/{KEY}/nauka/u1")).await;
    assert!(
        page.body.find("id=\"block-h2\"").unwrap() < page.body.find("id=\"block-h1\"").unwrap()
    );
}
