//! Throughput of the PDF certificate renderer, the figure the issue asks for (≥ 200/s):
//! `cargo run --release -p lms --example certificates_bench [N]`.
//!
//! Each certificate has a different learner, so font subsetting and the QR code are redone every
//! time, as they are when a course's certificates are issued in bulk. Two runs: without a logo and
//! with an office logo the size `pdf::prepared_logo` produces (472 × 158 px).

use std::time::Instant;

use chrono::NaiveDate;
use lms::certificates::pdf::{render, CertificateData};
use platform::i18n::Lang;

fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(2000);
    let first = [
        "Zofia",
        "Łukasz",
        "Małgorzata",
        "Jędrzej",
        "Żaneta",
        "Ścibor",
    ];
    let last = [
        "Kowalska",
        "Wiśniewski",
        "Gołębiowska",
        "Żółkiewski",
        "Dąbrowska",
    ];

    let logo = office_logo();
    for (label, logo) in [("no logo", None), ("with logo", Some(logo.as_slice()))] {
        // Warm-up: the first call parses the fonts (once per process).
        let warm = render(&certificate("Jan Kowalski", 0, logo)).expect("renders");
        let started = Instant::now();
        let mut bytes = 0usize;
        for i in 0..n {
            let name = format!("{} {}", first[i % first.len()], last[i % last.len()]);
            bytes += render(&certificate(&name, i, logo)).expect("renders").len();
        }
        let secs = started.elapsed().as_secs_f64();
        println!(
            "{label}: {n} certificates in {secs:.2} s: {:.0} certificates/s, mean size {:.1} KB (first {:.1} KB)",
            n as f64 / secs,
            bytes as f64 / n as f64 / 1024.0,
            warm.len() as f64 / 1024.0,
        );
    }
}

/// A flat-colour logo with an emblem and bands, as office logos are.
fn office_logo() -> Vec<u8> {
    let img = image::RgbaImage::from_fn(472, 158, |x, y| {
        let (dx, dy) = (x as i32 - 79, y as i32 - 79);
        if dx * dx + dy * dy < 70 * 70 {
            image::Rgba([220, 20, 60, 255])
        } else if x > 170 && (y / 26) % 2 == 0 {
            image::Rgba([30, 30, 120, 255])
        } else {
            image::Rgba([0, 0, 0, 0])
        }
    });
    let mut out = std::io::Cursor::new(Vec::new());
    img.write_to(&mut out, image::ImageFormat::Png)
        .expect("encodes");
    out.into_inner()
}

fn certificate<'a>(name: &'a str, i: usize, logo: Option<&'a [u8]>) -> CertificateData<'a> {
    CertificateData {
        learner_name: name,
        course_title: "Ochrona danych osobowych w urzędzie gminy – poziom podstawowy",
        organisation: "Krajowa Szkoła Administracji Publicznej",
        issued_on: NaiveDate::from_ymd_opt(2026, 11, 23).expect("valid date"),
        grade_percent: Some(70 + (i % 31) as u32),
        verify_url:
            "https://szpon.example.gov.pl/zaswiadczenia/0b7f6c1e-2d4a-4c7e-9a51-3f2e8d9c1a77",
        verify_uuid: "0b7f6c1e-2d4a-4c7e-9a51-3f2e8d9c1a77",
        logo_svg_or_png: logo,
        lang: Lang::Pl,
    }
}
