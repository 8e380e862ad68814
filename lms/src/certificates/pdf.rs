//! The PDF certificate of completion: one A4 landscape page with the learner's name, the course,
//! the organisation's logo and a QR code of the public verification URL.
//!
//! Why it looks the way it does:
//! - DejaVu Sans ships in the repo (`themes/default/fonts`) and is embedded, subset to the glyphs
//!   used, so every Polish letter renders on any reader and copies out as text, and the file stays
//!   small (about 35 KB without a logo; the limit is 100 KB).
//! - Text is measured with the font's own advances and shrunk, then wrapped, then (only for
//!   absurd input) cut with "…", so nothing a learner or an author types can leave the page.
//! - The two 700 KB fonts are parsed once per process ([`OnceLock`]) and only cloned into each
//!   document; subsetting has to be per document, since the glyphs differ. About 320
//!   certificates/s in release on two cores (`examples/certificates_bench.rs`).
//! - printpdf has no setting for the catalog's `/Lang`, which screen readers use to pick a voice;
//!   we take printpdf's lopdf document before it is written and add `/Lang` there.

use std::fmt;
use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};
use platform::i18n::Lang;
use printpdf::{
    Actions, BorderArray, Color, ImageCompression, ImageOptimizationOptions, LinePoint,
    LinkAnnotation, Mm, Op, PaintMode, ParsedFont, PdfDocument, PdfFontHandle, PdfPage,
    PdfSaveOptions, Point, Polygon, PolygonRing, Pt, RawImage, Rect, Rgb, TextItem, WindingOrder,
    XObjectTransform,
};

const REGULAR_TTF: &[u8] = include_bytes!("../../../themes/default/fonts/DejaVuSans.ttf");
const BOLD_TTF: &[u8] = include_bytes!("../../../themes/default/fonts/DejaVuSans-Bold.ttf");

/// Points per millimetre: PDF user space is in points.
const MM: f32 = 72.0 / 25.4;
const PAGE_W: f32 = 297.0 * MM;
const PAGE_H: f32 = 210.0 * MM;
/// The text column: inside the frame with room to breathe.
const BODY_LEFT: f32 = 25.0 * MM;
const BODY_RIGHT: f32 = PAGE_W - 25.0 * MM;
/// The body (title to organisation) must end above the QR code and the date block.
const BODY_BOTTOM: f32 = 72.0 * MM;
const QR_SIZE: f32 = 35.0 * MM;
const QR_BOTTOM: f32 = 30.0 * MM;

const NAVY: (f32, f32, f32) = (0.110, 0.224, 0.384);
const RED: (f32, f32, f32) = (0.769, 0.086, 0.110);
const INK: (f32, f32, f32) = (0.10, 0.10, 0.10);
/// Dark enough grey for WCAG AA contrast on white even at small sizes.
const GREY: (f32, f32, f32) = (0.30, 0.30, 0.30);

/// What a certificate shows. Strings are borrowed: the caller already has them from the database.
pub struct CertificateData<'a> {
    pub learner_name: &'a str,
    pub course_title: &'a str,
    pub organisation: &'a str,
    pub issued_on: NaiveDate,
    /// Shown as "Wynik: 92%" when present.
    pub grade_percent: Option<u32>,
    /// The public page that confirms the certificate; encoded in the QR code and printed under it.
    pub verify_url: &'a str,
    pub verify_uuid: &'a str,
    /// The organisation's logo from its theme. PNG (or JPEG); anything that does not decode is
    /// left out rather than failing the certificate.
    pub logo_svg_or_png: Option<&'a [u8]>,
    pub lang: Lang,
}

#[derive(Debug)]
pub enum CertificateError {
    /// The bundled font did not parse: a broken build, not bad input.
    Font,
    /// The verification URL does not fit in a QR code.
    Qr(String),
    /// Writing the PDF failed.
    Pdf(String),
}

impl fmt::Display for CertificateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CertificateError::Font => f.write_str("the bundled certificate font did not parse"),
            CertificateError::Qr(e) => write!(f, "verification URL cannot be QR-encoded: {e}"),
            CertificateError::Pdf(e) => write!(f, "writing the certificate PDF failed: {e}"),
        }
    }
}

impl std::error::Error for CertificateError {}

struct Fonts {
    regular: ParsedFont,
    bold: ParsedFont,
}

fn fonts() -> Result<&'static Fonts, CertificateError> {
    static FONTS: OnceLock<Option<Fonts>> = OnceLock::new();
    FONTS
        .get_or_init(|| {
            let regular = ParsedFont::from_bytes(REGULAR_TTF, 0, &mut Vec::new())?;
            let bold = ParsedFont::from_bytes(BOLD_TTF, 0, &mut Vec::new())?;
            Some(Fonts { regular, bold })
        })
        .as_ref()
        .ok_or(CertificateError::Font)
}

/// The fixed wording, in the certificate's language.
struct Words {
    title: &'static str,
    completed: &'static str,
    issued: &'static str,
    grade: &'static str,
    verify: &'static str,
    id: &'static str,
    doc_title: &'static str,
}

fn words(lang: Lang) -> Words {
    match lang {
        Lang::Pl => Words {
            title: "Zaświadczenie ukończenia kursu",
            completed: "ukończył(a) kurs",
            issued: "Data wydania:",
            grade: "Wynik:",
            verify: "Zweryfikuj:",
            id: "Identyfikator:",
            doc_title: "Zaświadczenie",
        },
        Lang::En => Words {
            title: "Certificate of completion",
            completed: "has completed the course",
            issued: "Date of issue:",
            grade: "Grade:",
            verify: "Verify:",
            id: "Certificate ID:",
            doc_title: "Certificate",
        },
    }
}

/// "23 listopada 2026" (month in the genitive, as Polish dates are written) or "23 November 2026".
pub fn format_date(date: NaiveDate, lang: Lang) -> String {
    const PL: [&str; 12] = [
        "stycznia",
        "lutego",
        "marca",
        "kwietnia",
        "maja",
        "czerwca",
        "lipca",
        "sierpnia",
        "września",
        "października",
        "listopada",
        "grudnia",
    ];
    const EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let month = date.month0() as usize;
    let name = match lang {
        Lang::Pl => PL[month],
        Lang::En => EN[month],
    };
    format!("{} {} {}", date.day(), name, date.year())
}

/// One line of text placed on the page; `x` is the left edge, `y` the baseline, both in points.
#[derive(Debug, Clone)]
struct Placed {
    text: String,
    x: f32,
    y: f32,
    size: f32,
    bold: bool,
    color: (f32, f32, f32),
}

#[derive(Clone, Copy)]
enum Align {
    Left,
    Center,
    Right,
}

/// How a block of text may be fitted: from `max` down to `min` points, in at most `lines` lines.
#[derive(Clone, Copy)]
struct Fit {
    max: f32,
    min: f32,
    lines: usize,
}

fn text_width(font: &ParsedFont, text: &str, size: f32) -> f32 {
    let upem = f32::from(font.pdf_font_metrics.units_per_em.max(1));
    let units: u32 = text
        .chars()
        .map(|c| {
            font.lookup_glyph_index(c as u32)
                .map_or(0, |g| u32::from(font.get_horizontal_advance(g)))
        })
        .sum();
    units as f32 * size / upem
}

/// Greedy word wrap; `None` when a single word is wider than the line or the lines run out.
fn wrap_words(
    font: &ParsedFont,
    text: &str,
    size: f32,
    width: f32,
    max_lines: usize,
) -> Option<Vec<String>> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split(' ') {
        let candidate = if current.is_empty() {
            word.to_string()
        } else {
            format!("{current} {word}")
        };
        if text_width(font, &candidate, size) <= width {
            current = candidate;
        } else {
            if current.is_empty() || text_width(font, word, size) > width {
                return None;
            }
            lines.push(std::mem::replace(&mut current, word.to_string()));
            if lines.len() >= max_lines {
                return None;
            }
        }
    }
    lines.push(current);
    Some(lines)
}

/// Last resort for text that cannot fit even at the smallest size: break anywhere and end the
/// last line with "…". Only absurd input (a 500-character unbroken word) gets here.
fn wrap_chars(
    font: &ParsedFont,
    text: &str,
    size: f32,
    width: f32,
    max_lines: usize,
) -> Vec<String> {
    let mut lines = vec![String::new()];
    for c in text.chars() {
        let last = lines.last_mut().expect("never empty");
        last.push(c);
        if text_width(font, last, size) > width {
            last.pop();
            if lines.len() == max_lines {
                let last = lines.last_mut().expect("never empty");
                while !last.is_empty() && text_width(font, &format!("{last}…"), size) > width {
                    last.pop();
                }
                last.push('…');
                return lines;
            }
            lines.push(c.to_string());
        }
    }
    lines
}

/// Picks the largest size at which `text` fits. One line is preferred down to 70 % of the
/// maximum size (a name split in two reads worse than a slightly smaller one), then more lines.
fn fit_text(font: &ParsedFont, text: &str, width: f32, fit: Fit) -> (f32, Vec<String>) {
    for lines in 1..=fit.lines {
        let floor = if lines < fit.lines {
            (fit.max * 0.7).max(fit.min)
        } else {
            fit.min
        };
        let mut size = fit.max;
        while size >= floor - 0.01 {
            if let Some(wrapped) = wrap_words(font, text, size, width, lines) {
                return (size, wrapped);
            }
            size -= 0.5;
        }
    }
    (fit.min, wrap_chars(font, text, fit.min, width, fit.lines))
}

/// Collapses whitespace (including newlines an author may paste into a title) to single spaces.
fn clean(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

struct Layout {
    lines: Vec<Placed>,
    logo_box: (f32, f32, f32, f32),
}

/// Places a block of lines starting with the first baseline at `y`; returns the last baseline.
#[allow(clippy::too_many_arguments)]
fn place_block(
    out: &mut Vec<Placed>,
    fonts: &Fonts,
    text: &str,
    fit: Fit,
    bold: bool,
    color: (f32, f32, f32),
    (left, right): (f32, f32),
    align: Align,
    y: f32,
    line_gap: f32,
) -> (f32, f32) {
    let font = if bold { &fonts.bold } else { &fonts.regular };
    let (size, lines) = fit_text(font, text, right - left, fit);
    let mut baseline = y;
    for (i, line) in lines.into_iter().enumerate() {
        if i > 0 {
            baseline -= size * line_gap;
        }
        let width = text_width(font, &line, size);
        let x = match align {
            Align::Left => left,
            Align::Center => (left + right - width) / 2.0,
            Align::Right => right - width,
        };
        out.push(Placed {
            text: line,
            x,
            y: baseline,
            size,
            bold,
            color,
        });
    }
    (baseline, size)
}

/// Lays out every text line. The body flows down from the title; if a long name and title push
/// it into the QR code's band, every size in the body is scaled down and the flow is redone.
fn layout(data: &CertificateData, fonts: &Fonts) -> Layout {
    let w = words(data.lang);
    let name = clean(data.learner_name);
    let course = clean(data.course_title);
    let organisation = clean(data.organisation);
    let body = (BODY_LEFT, BODY_RIGHT);

    let mut scale = 1.0f32;
    let mut lines = Vec::new();
    for _ in 0..8 {
        lines.clear();
        let s = |f: Fit| Fit {
            max: f.max * scale,
            min: f.min * scale,
            lines: f.lines,
        };
        // Gap between the last baseline of one block and the first of the next: the previous
        // block's descent, a fixed space, the next block's ascent.
        let next = |(baseline, size): (f32, f32), space_mm: f32, next_size: f32| {
            baseline - size * 0.3 - space_mm * MM * scale - next_size * scale * 0.75
        };
        let title = place_block(
            &mut lines,
            fonts,
            w.title,
            s(Fit {
                max: 26.0,
                min: 14.0,
                lines: 2,
            }),
            true,
            NAVY,
            body,
            Align::Center,
            158.0 * MM,
            1.2,
        );
        let after_title = next(title, 16.0, 30.0);
        let body_start = lines.len();
        let name_block = place_block(
            &mut lines,
            fonts,
            &name,
            s(Fit {
                max: 30.0,
                min: 14.0,
                lines: 2,
            }),
            true,
            INK,
            body,
            Align::Center,
            after_title,
            1.15,
        );
        let completed = place_block(
            &mut lines,
            fonts,
            w.completed,
            s(Fit {
                max: 13.0,
                min: 9.0,
                lines: 1,
            }),
            false,
            GREY,
            body,
            Align::Center,
            next(name_block, 6.0, 13.0),
            1.2,
        );
        let course_block = place_block(
            &mut lines,
            fonts,
            &course,
            s(Fit {
                max: 20.0,
                min: 10.0,
                lines: 3,
            }),
            true,
            NAVY,
            body,
            Align::Center,
            next(completed, 5.0, 20.0),
            1.2,
        );
        let (org_last, org_size) = place_block(
            &mut lines,
            fonts,
            &organisation,
            s(Fit {
                max: 13.0,
                min: 8.0,
                lines: 2,
            }),
            false,
            GREY,
            body,
            Align::Center,
            next(course_block, 6.0, 13.0),
            1.2,
        );
        let slack = org_last - org_size * 0.3 - BODY_BOTTOM;
        if slack >= 0.0 {
            // A short name and title would leave a hole above the QR code: move the body down
            // into part of it so the page looks balanced.
            for line in &mut lines[body_start..] {
                line.y -= slack * 0.4;
            }
            break;
        }
        scale *= 0.9;
    }

    // Bottom left: date, grade; at the very bottom the certificate id.
    let left = (BODY_LEFT, BODY_LEFT + 110.0 * MM);
    let date = format!("{} {}", w.issued, format_date(data.issued_on, data.lang));
    place_block(
        &mut lines,
        fonts,
        &date,
        Fit {
            max: 11.0,
            min: 11.0,
            lines: 1,
        },
        false,
        INK,
        left,
        Align::Left,
        52.0 * MM,
        1.2,
    );
    if let Some(grade) = data.grade_percent {
        place_block(
            &mut lines,
            fonts,
            &format!("{} {grade}%", w.grade),
            Fit {
                max: 11.0,
                min: 11.0,
                lines: 1,
            },
            false,
            INK,
            left,
            Align::Left,
            46.0 * MM,
            1.2,
        );
    }
    place_block(
        &mut lines,
        fonts,
        &format!("{} {}", w.id, clean(data.verify_uuid)),
        Fit {
            max: 7.0,
            min: 5.0,
            lines: 1,
        },
        false,
        GREY,
        left,
        Align::Left,
        16.0 * MM,
        1.2,
    );

    // Under the QR code, right-aligned with it so a long URL grows to the left.
    place_block(
        &mut lines,
        fonts,
        &format!("{} {}", w.verify, clean(data.verify_url)),
        Fit {
            max: 8.0,
            min: 5.0,
            lines: 2,
        },
        false,
        INK,
        (BODY_RIGHT - 140.0 * MM, BODY_RIGHT),
        Align::Right,
        QR_BOTTOM - 5.0 * MM,
        1.2,
    );

    Layout {
        lines,
        logo_box: (20.0 * MM, 175.0 * MM, 60.0 * MM, 20.0 * MM),
    }
}

fn rgb((r, g, b): (f32, f32, f32)) -> Color {
    Color::Rgb(Rgb {
        r,
        g,
        b,
        icc_profile: None,
    })
}

fn point(x: f32, y: f32) -> LinePoint {
    LinePoint {
        p: Point { x: Pt(x), y: Pt(y) },
        bezier: false,
    }
}

fn rect_ring(x: f32, y: f32, w: f32, h: f32) -> PolygonRing {
    PolygonRing {
        points: vec![
            point(x, y),
            point(x + w, y),
            point(x + w, y + h),
            point(x, y + h),
        ],
    }
}

fn stroke_rect(ops: &mut Vec<Op>, inset: f32, thickness: f32) {
    ops.push(Op::SetOutlineThickness { pt: Pt(thickness) });
    ops.push(Op::DrawRectangle {
        rectangle: Rect {
            x: Pt(inset),
            y: Pt(inset),
            width: Pt(PAGE_W - 2.0 * inset),
            height: Pt(PAGE_H - 2.0 * inset),
            mode: Some(PaintMode::Stroke),
            winding_order: None,
        },
    });
}

/// The QR code as one filled path: each row's runs of dark modules become one rectangle, so a
/// version-4 code is ~150 rectangles instead of ~500 and rasterisers leave no seams inside runs.
fn qr_ops(url: &str, x: f32, y: f32, size: f32) -> Result<Vec<Op>, CertificateError> {
    let code = qrcode::QrCode::with_error_correction_level(url.as_bytes(), qrcode::EcLevel::M)
        .map_err(|e| CertificateError::Qr(e.to_string()))?;
    let n = code.width();
    let colors = code.to_colors();
    let module = size / n as f32;
    let mut rings = Vec::new();
    for row in 0..n {
        let mut col = 0;
        while col < n {
            if colors[row * n + col] == qrcode::Color::Dark {
                let start = col;
                while col < n && colors[row * n + col] == qrcode::Color::Dark {
                    col += 1;
                }
                // Row 0 is the top of the code; PDF's y grows upwards.
                let top = y + size - row as f32 * module;
                rings.push(rect_ring(
                    x + start as f32 * module,
                    top - module,
                    (col - start) as f32 * module,
                    module,
                ));
            } else {
                col += 1;
            }
        }
    }
    Ok(vec![
        Op::SetFillColor { col: rgb(INK) },
        Op::DrawPolygon {
            polygon: Polygon {
                rings,
                mode: PaintMode::Fill,
                winding_order: WindingOrder::NonZero,
            },
        },
    ])
}

/// Renders the certificate as a PDF file.
pub fn render(data: &CertificateData) -> Result<Vec<u8>, CertificateError> {
    let fonts = fonts()?;
    let w = words(data.lang);
    let course = clean(data.course_title);

    let mut doc = PdfDocument::new(&format!("{} – {course}", w.doc_title));
    let info = &mut doc.metadata.info;
    info.author = clean(data.organisation);
    info.subject = format!("{} – {}", w.title, clean(data.learner_name));
    info.creator = "SZPoN".to_string();
    info.producer = "SZPoN (printpdf)".to_string();
    let now = printpdf::DateTime::now_utc();
    info.creation_date = now;
    info.modification_date = now;
    info.metadata_date = now;

    let regular = doc.add_font(&fonts.regular);
    let bold = doc.add_font(&fonts.bold);
    let placed = layout(data, fonts);

    let mut ops = Vec::with_capacity(placed.lines.len() * 6 + 32);

    // Frame: a strong outer line and a hairline inside it.
    ops.push(Op::SetOutlineColor { col: rgb(NAVY) });
    stroke_rect(&mut ops, 8.0 * MM, 2.0);
    stroke_rect(&mut ops, 10.5 * MM, 0.5);

    // A short red rule under the title.
    if let Some(title) = placed.lines.first() {
        let y = title.y - 7.0 * MM;
        ops.push(Op::SetFillColor { col: rgb(RED) });
        ops.push(Op::DrawPolygon {
            polygon: Polygon {
                rings: vec![rect_ring(PAGE_W / 2.0 - 25.0 * MM, y, 50.0 * MM, 1.2)],
                mode: PaintMode::Fill,
                winding_order: WindingOrder::NonZero,
            },
        });
    }

    if let Some(logo) = data.logo_svg_or_png {
        if let Ok(image) = RawImage::decode_from_bytes(logo, &mut Vec::new()) {
            if image.width > 0 && image.height > 0 {
                let (bx, by, bw, bh) = placed.logo_box;
                let (iw, ih) = (image.width as f32, image.height as f32);
                // At 72 dpi one pixel is one point, so the scale is simply points per pixel.
                let scale = (bw / iw).min(bh / ih);
                let id = doc.add_image(&image);
                ops.push(Op::UseXobject {
                    id,
                    transform: XObjectTransform {
                        translate_x: Some(Pt(bx)),
                        translate_y: Some(Pt(by + bh - ih * scale)),
                        scale_x: Some(scale),
                        scale_y: Some(scale),
                        dpi: Some(72.0),
                        ..Default::default()
                    },
                });
            }
        }
    }

    let mut color = None;
    for line in &placed.lines {
        if color != Some(line.color) {
            ops.push(Op::SetFillColor {
                col: rgb(line.color),
            });
            color = Some(line.color);
        }
        let font = if line.bold { &bold } else { &regular };
        ops.extend([
            Op::StartTextSection,
            Op::SetFont {
                font: PdfFontHandle::External(font.clone()),
                size: Pt(line.size),
            },
            Op::SetTextCursor {
                pos: Point {
                    x: Pt(line.x),
                    y: Pt(line.y),
                },
            },
            Op::ShowText {
                items: vec![TextItem::Text(line.text.clone())],
            },
            Op::EndTextSection,
        ]);
    }

    let qr_x = BODY_RIGHT - QR_SIZE;
    ops.extend(qr_ops(data.verify_url, qr_x, QR_BOTTOM, QR_SIZE)?);
    // The QR code and the printed URL are also a link, for those reading on screen.
    ops.push(Op::LinkAnnotation {
        link: LinkAnnotation::new(
            Rect {
                x: Pt(qr_x),
                y: Pt(QR_BOTTOM),
                width: Pt(QR_SIZE),
                height: Pt(QR_SIZE),
                mode: None,
                winding_order: None,
            },
            Actions::Uri(data.verify_url.to_string()),
            Some(BorderArray::Solid([0.0, 0.0, 0.0])),
            None,
            None,
        ),
    });

    doc.with_pages(vec![PdfPage::new(Mm(297.0), Mm(210.0), ops)]);
    let options = PdfSaveOptions {
        optimize: true,
        subset_fonts: true,
        secure: true,
        // Lossless: logos are flat colour and text, which JPEG smears.
        image_optimization: Some(ImageOptimizationOptions {
            format: Some(ImageCompression::Flate),
            auto_optimize: Some(false),
            ..Default::default()
        }),
    };
    let mut warnings = Vec::new();
    let mut pdf = printpdf::to_lopdf_doc(&doc, &options, &mut warnings);
    // printpdf writes 1.3; `/Lang` is a PDF 1.4 key.
    pdf.version = "1.4".to_string();
    set_language(&mut pdf, data.lang)?;
    pdf.compress();
    let mut out = Vec::with_capacity(64 * 1024);
    pdf.save_to(&mut out)
        .map_err(|e| CertificateError::Pdf(e.to_string()))?;
    Ok(out)
}

/// Sets the catalog's `/Lang` (PDF 1.4+, what screen readers and PDF/UA look at), asks viewers
/// to show the document title rather than the file name, and tidies the document information.
fn set_language(pdf: &mut lopdf::Document, lang: Lang) -> Result<(), CertificateError> {
    let err = |e: lopdf::Error| CertificateError::Pdf(e.to_string());
    let root = pdf
        .trailer
        .get(b"Root")
        .and_then(lopdf::Object::as_reference)
        .map_err(err)?;
    let catalog = pdf
        .get_object_mut(root)
        .and_then(lopdf::Object::as_dict_mut)
        .map_err(err)?;
    catalog.set("Lang", lopdf::Object::string_literal(lang.code()));
    catalog.set(
        "ViewerPreferences",
        lopdf::Dictionary::from_iter([("DisplayDocTitle", lopdf::Object::Boolean(true))]),
    );
    // printpdf always writes a `GTS_PDFXVersion`, a claim of PDF/X conformance (prepress) that
    // this file does not meet and that readers such as pdfinfo report; drop it and the empties.
    let info = pdf
        .trailer
        .get(b"Info")
        .and_then(lopdf::Object::as_reference)
        .map_err(err)?;
    let info = pdf
        .get_object_mut(info)
        .and_then(lopdf::Object::as_dict_mut)
        .map_err(err)?;
    for key in ["GTS_PDFXVersion", "Identifier", "Keywords", "Trapped"] {
        info.remove(key.as_bytes());
    }
    Ok(())
}

/// An office's logo made ready for certificates: decoded, scaled down to fit the logo box at
/// about 200 dpi and re-encoded as PNG, so a large upload cannot push the PDF over its 100 KB
/// budget or slow rendering. Kept in memory by SHA-256 (logos change rarely); `None` when the
/// blob is missing or does not decode, and the certificate is then printed without it.
pub fn prepared_logo(
    blobs: &platform::storage::BlobStore,
    sha256: &str,
) -> Option<std::sync::Arc<Vec<u8>>> {
    use std::collections::HashMap;
    use std::sync::{Arc, Mutex, OnceLock};
    type Prepared = Option<Arc<Vec<u8>>>;
    static CACHE: OnceLock<Mutex<HashMap<String, Prepared>>> = OnceLock::new();
    let cache = CACHE.get_or_init(Default::default);
    if let Some(hit) = cache.lock().expect("logo cache").get(sha256) {
        return hit.clone();
    }
    let prepared = (|| {
        use std::io::Read;
        let mut raw = Vec::new();
        blobs.open(sha256).ok()?.read_to_end(&mut raw).ok()?;
        let img = image::load_from_memory(&raw).ok()?;
        // 60 × 20 mm at 200 dpi.
        let img = img.thumbnail(472, 158);
        let mut out = std::io::Cursor::new(Vec::new());
        img.write_to(&mut out, image::ImageFormat::Png).ok()?;
        Some(Arc::new(out.into_inner()))
    })();
    let mut map = cache.lock().expect("logo cache");
    if map.len() > 256 {
        map.clear();
    }
    map.insert(sha256.to_string(), prepared.clone());
    prepared
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::process::Command;

    use super::*;

    const NAME: &str = "Zażółć Gęślą Jaźń Łukasiewicz-Ćwik";
    /// Every Polish letter, both cases, in a real-looking title.
    const COURSE: &str = "Ochrona danych w urzędzie: ąćęłńóśźż ĄĆĘŁŃÓŚŹŻ";
    const URL: &str =
        "https://szpon.example.gov.pl/zaswiadczenia/0b7f6c1e-2d4a-4c7e-9a51-3f2e8d9c1a77";
    const UUID: &str = "0b7f6c1e-2d4a-4c7e-9a51-3f2e8d9c1a77";

    fn data<'a>(name: &'a str, course: &'a str, logo: Option<&'a [u8]>) -> CertificateData<'a> {
        CertificateData {
            learner_name: name,
            course_title: course,
            organisation: "Ministerstwo Cyfryzacji",
            issued_on: NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            grade_percent: Some(92),
            verify_url: URL,
            verify_uuid: UUID,
            logo_svg_or_png: logo,
            lang: Lang::Pl,
        }
    }

    /// A small two-colour PNG, written by hand so the test needs no image encoder.
    fn png_logo() -> Vec<u8> {
        fn chunk(out: &mut Vec<u8>, kind: &[u8; 4], body: &[u8]) {
            out.extend((body.len() as u32).to_be_bytes());
            let mut crc_input = kind.to_vec();
            crc_input.extend_from_slice(body);
            out.extend_from_slice(&crc_input);
            out.extend(crc32(&crc_input).to_be_bytes());
        }
        fn crc32(bytes: &[u8]) -> u32 {
            let mut crc = 0xffff_ffffu32;
            for &b in bytes {
                crc ^= u32::from(b);
                for _ in 0..8 {
                    crc = if crc & 1 == 1 {
                        (crc >> 1) ^ 0xedb8_8320
                    } else {
                        crc >> 1
                    };
                }
            }
            !crc
        }
        let (w, h) = (120u32, 40u32);
        let mut raw = Vec::new();
        for y in 0..h {
            raw.push(0); // filter: none
            for x in 0..w {
                let navy = (x / 20 + y / 20) % 2 == 0;
                raw.extend(if navy { [28, 57, 98] } else { [196, 22, 28] });
            }
        }
        let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
        std::io::Write::write_all(&mut z, &raw).unwrap();
        let idat = z.finish().unwrap();
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut ihdr = Vec::new();
        ihdr.extend(w.to_be_bytes());
        ihdr.extend(h.to_be_bytes());
        ihdr.extend([8, 2, 0, 0, 0]); // 8-bit RGB
        chunk(&mut png, b"IHDR", &ihdr);
        chunk(&mut png, b"IDAT", &idat);
        chunk(&mut png, b"IEND", &[]);
        png
    }

    /// The PDF readers are the point of these tests, so their absence is a failure, not a skip.
    fn tool(name: &str) -> Command {
        let found = std::env::var_os("PATH")
            .map(|p| std::env::split_paths(&p).any(|d| d.join(name).is_file()))
            .unwrap_or(false);
        assert!(
            found,
            "`{name}` is missing: install Debian's poppler-utils and zbar-tools \
             (apt-get install -y poppler-utils zbar-tools); .ci/run does this"
        );
        Command::new(name)
    }

    fn run(mut cmd: Command) -> String {
        let out = cmd.output().expect("tool runs");
        assert!(
            out.status.success(),
            "{cmd:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8 output")
    }

    fn write_pdf(dir: &Path, bytes: &[u8]) -> std::path::PathBuf {
        let path = dir.join("certificate.pdf");
        std::fs::write(&path, bytes).unwrap();
        path
    }

    #[test]
    fn polish_certificate_reads_back_with_real_tools() {
        let logo = png_logo();
        let pdf = render(&data(NAME, COURSE, Some(&logo))).unwrap();
        assert!(pdf.len() < 100 * 1024, "{} bytes", pdf.len());
        let dir = tempfile::tempdir().unwrap();
        let path = write_pdf(dir.path(), &pdf);

        let mut cmd = tool("pdftotext");
        cmd.arg("-enc").arg("UTF-8").arg(&path).arg("-");
        let text = run(cmd);
        for needle in [
            NAME,
            COURSE,
            "Zaświadczenie ukończenia kursu",
            "23 listopada 2026",
        ] {
            assert!(text.contains(needle), "{needle:?} not in:\n{text}");
        }
        assert!(text.contains("Wynik: 92%"), "{text}");
        assert!(text.contains(URL), "{text}");
        assert!(text.contains(UUID), "{text}");
        for c in "ąćęłńóśźżĄĆĘŁŃÓŚŹŻ".chars() {
            assert!(text.contains(c), "{c} not extracted:\n{text}");
        }

        let mut cmd = tool("pdfinfo");
        cmd.arg(&path);
        let info = run(cmd);
        assert!(info.contains("Zaświadczenie – Ochrona danych"), "{info}");
        assert!(info.contains("Ministerstwo Cyfryzacji"), "{info}");
        assert!(info.contains("841.89 x 595.2"), "landscape A4: {info}");
        assert!(info.contains("(A4)"), "{info}");
        assert!(!info.contains("PDF/X"), "must not claim PDF/X: {info}");

        let mut cmd = tool("pdffonts");
        cmd.arg(&path);
        let fonts = run(cmd);
        let rows: Vec<&str> = fonts.lines().skip(2).collect();
        assert!(rows.len() == 2, "{fonts}");
        for row in rows {
            let cols: Vec<&str> = row.split_whitespace().collect();
            assert!(row.contains("DejaVuSans"), "{fonts}");
            // Columns: name type encoding emb sub uni object-id gen.
            let n = cols.len();
            assert_eq!(&cols[n - 5..n - 2], ["yes", "yes", "yes"], "{fonts}");
        }

        let mut cmd = tool("pdftoppm");
        cmd.args(["-png", "-r", "150", "-singlefile"])
            .arg(&path)
            .arg(dir.path().join("page"));
        run(cmd);
        let mut cmd = tool("zbarimg");
        cmd.args(["--quiet", "--raw"])
            .arg(dir.path().join("page.png"));
        assert_eq!(run(cmd).trim_end(), URL);
    }

    #[test]
    fn document_language_and_english_wording() {
        let pl = render(&data(NAME, COURSE, None)).unwrap();
        let doc = lopdf::Document::load_mem(&pl).unwrap();
        let root = doc.trailer.get(b"Root").unwrap().as_reference().unwrap();
        let catalog = doc.get_dictionary(root).unwrap();
        assert_eq!(catalog.get(b"Lang").unwrap().as_str().unwrap(), b"pl");

        let mut en = data("Jane Doe", "Records management", None);
        en.lang = Lang::En;
        en.grade_percent = None;
        let fonts = fonts().unwrap();
        let text: Vec<String> = layout(&en, fonts)
            .lines
            .into_iter()
            .map(|l| l.text)
            .collect();
        assert!(text.contains(&"Certificate of completion".to_string()));
        assert!(text.contains(&"has completed the course".to_string()));
        assert!(text.contains(&"Date of issue: 23 November 2026".to_string()));
        assert!(!text.iter().any(|t| t.starts_with("Grade")));
        let pdf = render(&en).unwrap();
        let doc = lopdf::Document::load_mem(&pdf).unwrap();
        let root = doc.trailer.get(b"Root").unwrap().as_reference().unwrap();
        let catalog = doc.get_dictionary(root).unwrap();
        assert_eq!(catalog.get(b"Lang").unwrap().as_str().unwrap(), b"en");
    }

    /// Asserts every line lies inside the frame and body lines stay clear of the QR code.
    fn assert_inside(l: &Layout) {
        let fonts = fonts().unwrap();
        let frame = 11.0 * MM;
        for line in &l.lines {
            let font = if line.bold {
                &fonts.bold
            } else {
                &fonts.regular
            };
            let width = text_width(font, &line.text, line.size);
            assert!(
                line.x >= frame && line.x + width <= PAGE_W - frame,
                "{line:?}"
            );
            assert!(
                line.y >= frame && line.y + line.size <= PAGE_H - frame,
                "{line:?}"
            );
            let beside_qr = line.x + width > BODY_RIGHT - QR_SIZE;
            let in_qr_band = line.y < QR_BOTTOM + QR_SIZE && line.y + line.size > QR_BOTTOM;
            assert!(!(beside_qr && in_qr_band), "overlaps the QR code: {line:?}");
        }
    }

    #[test]
    fn long_title_and_name_stay_on_the_page() {
        let long_title: String = "Zarządzanie dokumentacją elektroniczną w administracji "
            .repeat(4)
            .chars()
            .take(200)
            .collect();
        assert_eq!(long_title.chars().count(), 200);
        let long_name = "Maria-Magdalena Konstantynopolitańczykiewiczówna-Brzęczyszczykiewicz";
        let fonts = fonts().unwrap();
        let d = data(long_name, &long_title, None);
        let l = layout(&d, fonts);
        assert_inside(&l);
        // Nothing was cut: the title's words all made it onto the page.
        let shown: String = l
            .lines
            .iter()
            .map(|l| l.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        assert!(shown.contains(long_title.trim_end()), "{shown}");
        let pdf = render(&d).unwrap();
        assert!(pdf.len() < 100 * 1024);

        // Absurd input is cut with an ellipsis rather than overflowing.
        let word = "Ą".repeat(600);
        let l = layout(&data(&word, &word, None), fonts);
        assert_inside(&l);
        assert!(l.lines.iter().any(|l| l.text.ends_with('…')));
    }

    #[test]
    fn dates_in_both_languages() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(format_date(d, Lang::Pl), "23 listopada 2026");
        assert_eq!(format_date(d, Lang::En), "23 November 2026");
        let d = NaiveDate::from_ymd_opt(2025, 9, 1).unwrap();
        assert_eq!(format_date(d, Lang::Pl), "1 września 2025");
    }

    #[test]
    fn an_undecodable_logo_is_left_out() {
        let pdf = render(&data(NAME, COURSE, Some(b"<svg>not a png</svg>"))).unwrap();
        assert!(pdf.starts_with(b"%PDF-1.4"));
    }
}
