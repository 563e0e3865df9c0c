//! The subprocess runner and the PDF image rebuilding, on synthetic input (no tesseract needed).

use std::io::Write;
use std::time::Duration;

use lopdf::{Document, Object, Stream, dictionary};

use super::*;

#[test]
fn run_passes_stdin_and_reports_failures_and_deadlines() {
    let out = run(
        Path::new("cat"),
        &[],
        "图像字节".as_bytes(),
        Duration::from_secs(30),
    )
    .unwrap();
    assert_eq!(out.stdout, "图像字节");
    match run(
        Path::new("sh"),
        &["-c", "echo 坏了 >&2; exit 3"],
        b"",
        Duration::from_secs(30),
    ) {
        Err(RunFailure::Failed(status, err)) => {
            assert_eq!((status.as_str(), err.as_str()), ("3", "坏了"))
        }
        other => panic!("{other:?}"),
    }
    // The child of the shell holds the pipes: only the process-group kill ends this.
    match run(
        Path::new("sh"),
        &["-c", "sleep 600; echo late"],
        b"",
        Duration::from_millis(200),
    ) {
        Err(RunFailure::Timeout(d)) => assert_eq!(d, Duration::from_millis(200)),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        run(
            Path::new("/no/such/tesseract"),
            &[],
            b"",
            Duration::from_secs(1)
        ),
        Err(RunFailure::Spawn(_))
    ));
}

/// A one-page PDF (72 × 72 pt) drawing one image XObject.
fn pdf_with_image(dict: lopdf::Dictionary, data: Vec<u8>) -> Vec<u8> {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let img_id = doc.add_object(Stream::new(dict, data));
    let content_id = doc.add_object(Stream::new(
        dictionary! {},
        b"q 72 0 0 72 0 0 cm /Im0 Do Q".to_vec(),
    ));
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "Contents" => content_id,
        "MediaBox" => vec![0.into(), 0.into(), 72.into(), 72.into()],
        "Resources" => dictionary! { "XObject" => dictionary! { "Im0" => img_id } },
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => vec![page_id.into()],
            "Count" => 1,
        }),
    );
    let catalog = doc.add_object(dictionary! { "Type" => "Catalog", "Pages" => pages_id });
    doc.trailer.set("Root", catalog);
    let mut out = Vec::new();
    doc.save_to(&mut out).unwrap();
    out
}

fn image_dict(w: i64, h: i64, bpc: i64, cs: Object) -> lopdf::Dictionary {
    dictionary! {
        "Type" => "XObject",
        "Subtype" => "Image",
        "Width" => w,
        "Height" => h,
        "BitsPerComponent" => bpc,
        "ColorSpace" => cs,
    }
}

fn jobs(pdf: &[u8]) -> (Vec<Job>, Vec<(u32, String)>) {
    pdf::page_jobs(pdf, &[1], &Limits::default(), 40, 16_000_000)
}

fn decoded(job: &Job) -> image::RgbImage {
    image::load_from_memory(&job.bytes).unwrap().to_rgb8()
}

#[test]
fn raw_samples_are_rebuilt_as_png() {
    // 8-bit grey, no filter: the page is 1 inch wide, so 200 px is 200 dpi.
    let pdf = pdf_with_image(
        image_dict(200, 100, 8, "DeviceGray".into()),
        vec![0x40; 200 * 100],
    );
    let (jobs_, skipped) = jobs(&pdf);
    assert!(skipped.is_empty(), "{skipped:?}");
    assert_eq!(jobs_.len(), 1);
    assert_eq!(jobs_[0].page, Some(1));
    assert_eq!(jobs_[0].dpi, Some(200));
    let img = decoded(&jobs_[0]);
    assert_eq!(img.dimensions(), (200, 100));
    assert_eq!(img.get_pixel(5, 5).0, [0x40; 3]);

    // 1 bit per pixel with /Decode [1 0]: all-zero bits are white.
    let mut dict = image_dict(200, 100, 1, "DeviceGray".into());
    dict.set("Decode", vec![1.into(), 0.into()]);
    let (j, _) = jobs(&pdf_with_image(dict, vec![0; 25 * 100]));
    assert_eq!(decoded(&j[0]).get_pixel(199, 99).0, [255; 3]);

    // Indexed RGB palette, Flate-compressed indices.
    let cs = Object::Array(vec![
        "Indexed".into(),
        "DeviceRGB".into(),
        1.into(),
        Object::string_literal(vec![0xFF, 0, 0, 0, 0xFF, 0]),
    ]);
    let mut dict = image_dict(200, 100, 8, cs);
    dict.set("Filter", "FlateDecode");
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    z.write_all(&[1u8; 200 * 100]).unwrap();
    let (j, s) = jobs(&pdf_with_image(dict, z.finish().unwrap()));
    assert!(s.is_empty(), "{s:?}");
    assert_eq!(decoded(&j[0]).get_pixel(0, 0).0, [0, 0xFF, 0]);

    // CMYK: pure cyan.
    let pixel = [0xFF, 0, 0, 0];
    let (j, _) = jobs(&pdf_with_image(
        image_dict(200, 100, 8, "DeviceCMYK".into()),
        pixel.repeat(200 * 100),
    ));
    assert_eq!(decoded(&j[0]).get_pixel(0, 0).0, [0, 0xFF, 0xFF]);

    // A truncated stream gives the rows it has.
    let (j, _) = jobs(&pdf_with_image(
        image_dict(200, 100, 8, "DeviceGray".into()),
        vec![0x80; 200 * 60 + 7],
    ));
    assert_eq!(decoded(&j[0]).dimensions(), (200, 60));
}

#[test]
fn codec_streams_pass_through_or_are_reported() {
    let mut dict = image_dict(200, 100, 8, "DeviceRGB".into());
    dict.set("Filter", "DCTDecode");
    let jpeg = b"\xFF\xD8\xFF\xE0 not really a jpeg".to_vec();
    let (j, s) = jobs(&pdf_with_image(dict, jpeg.clone()));
    assert!(s.is_empty());
    assert_eq!(j[0].bytes, jpeg);

    let mut dict = image_dict(200, 100, 1, "DeviceGray".into());
    dict.set("Filter", "JBIG2Decode");
    let (j, s) = jobs(&pdf_with_image(dict, vec![0; 64]));
    assert!(j.is_empty());
    assert_eq!(s.len(), 1);
    assert!(s[0].1.contains("JBIG2"), "{s:?}");

    // CCITT: wrapped in a TIFF (little-endian, one strip holding the stream as it is).
    let fax = vec![0x26, 0xA0, 0x77, 0x03];
    let cases: &[(lopdf::Dictionary, Option<Object>, u16, u16)] = &[
        // K -1 → Group 4; BlackIs1 true → BlackIsZero (1).
        (
            dictionary! { "K" => -1, "BlackIs1" => true, "Columns" => 200 },
            None,
            4,
            1,
        ),
        // K 0 (default) → Group 3; default polarity → WhiteIsZero (0).
        (dictionary! {}, None, 3, 0),
        // /Decode [1 0] turns the polarity around.
        (
            dictionary! { "K" => -1 },
            Some(vec![1.into(), 0.into()].into()),
            4,
            1,
        ),
    ];
    for (parms, decode, compression, photometric) in cases {
        let mut dict = image_dict(200, 100, 1, "DeviceGray".into());
        dict.set("Filter", "CCITTFaxDecode");
        dict.set("DecodeParms", Object::Array(vec![parms.clone().into()]));
        if let Some(d) = decode {
            dict.set("Decode", d.clone());
        }
        let (j, s) = jobs(&pdf_with_image(dict, fax.clone()));
        assert!(s.is_empty(), "{s:?}");
        let tiff = &j[0].bytes;
        assert_eq!(&tiff[..4], b"II*\0");
        assert!(tiff.ends_with(&fax));
        let tag = |t: u16| -> u16 {
            let n = u16::from_le_bytes([tiff[8], tiff[9]]) as usize;
            (0..n)
                .map(|i| 10 + i * 12)
                .find(|&at| u16::from_le_bytes([tiff[at], tiff[at + 1]]) == t)
                .map(|at| u16::from_le_bytes([tiff[at + 8], tiff[at + 9]]))
                .unwrap()
        };
        assert_eq!(
            (tag(259), tag(262)),
            (*compression, *photometric),
            "{parms:?}"
        );
        assert_eq!(tag(256), 200);
    }
    // Another filter in front of the fax codec: reported.
    let mut dict = image_dict(200, 100, 1, "DeviceGray".into());
    dict.set(
        "Filter",
        Object::Array(vec!["FlateDecode".into(), "CCITTFaxDecode".into()]),
    );
    let (j, s) = jobs(&pdf_with_image(dict, vec![0; 64]));
    assert!(j.is_empty());
    assert!(s[0].1.contains("CCITT"), "{s:?}");

    // A logo-sized image is not a scan.
    let (j, s) = jobs(&pdf_with_image(
        image_dict(10, 10, 8, "DeviceGray".into()),
        vec![0; 100],
    ));
    assert!(j.is_empty());
    assert!(s[0].1.contains("没有可识别的图像"), "{s:?}");

    // Claimed pixels beyond the limit are never decoded.
    let (j, s) = jobs(&pdf_with_image(
        image_dict(100_000, 100_000, 8, "DeviceGray".into()),
        vec![0; 16],
    ));
    assert!(j.is_empty());
    assert!(s[0].1.contains("图像过大"), "{s:?}");

    // Not a PDF at all: every page skipped with the reason.
    let (j, s) = pdf::page_jobs(b"%PDF-1.4 garbage", &[1, 2], &Limits::default(), 40, 1000);
    assert!(j.is_empty());
    assert_eq!(s.iter().map(|x| x.0).collect::<Vec<_>>(), vec![1, 2]);
}

#[test]
fn big_images_are_downscaled() {
    let (j, _) = pdf::page_jobs(
        &pdf_with_image(
            image_dict(400, 300, 8, "DeviceGray".into()),
            vec![0x20; 400 * 300],
        ),
        &[1],
        &Limits::default(),
        40,
        30_000,
    );
    let img = decoded(&j[0]);
    assert!(u64::from(img.width()) * u64::from(img.height()) <= 30_000);
    assert_eq!(img.width(), 200);
}

#[test]
fn cache_ids_tell_engines_apart() {
    let a = Ocr::with_program("/x/tesseract", "tesseract 5.3.0");
    let b = Ocr::with_program("/x/tesseract", "tesseract 5.5.1");
    assert_eq!(cache_id(None), "ocr:off");
    assert_ne!(cache_id(Some(&a)), cache_id(Some(&b)));
    assert_ne!(cache_id(Some(&a)), cache_id(None));
}

#[test]
fn small_images_are_upscaled_within_the_pixel_bound() {
    use super::picture::upscale_factor;
    let m = 16_000_000;
    let table: &[(u64, u64, u64, u32)] = &[
        (480, 300, m, 3),
        (799, 799, m, 3),
        (800, 600, m, 2),
        (1280, 720, m, 2),
        (1920, 1080, m, 1),
        (4000, 3000, m, 1),
        (480, 300, 480 * 300 * 5, 2), // 3× would pass the bound, 2× does not
        (480, 300, 480 * 300, 1),
        (0, 0, m, 1),
    ];
    for &(w, h, max, want) in table {
        assert_eq!(upscale_factor(w, h, max), want, "{w}×{h} ≤ {max}");
    }
    // The photo job of a 480×300 JPEG: the JPEG as it is, and a 1440×900 PNG.
    let bytes = std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/wild/ocr/small-label-8px.jpg"),
    )
    .unwrap();
    let job = super::picture::job(&bytes, Format::Jpeg, &Limits::default(), m).unwrap();
    assert_eq!(job.bytes, bytes);
    let big = job.enlarged.expect("enlarged");
    let size = imagesize::blob_size(&big).unwrap();
    assert_eq!((size.width, size.height), (1440, 900));
    assert!(big.starts_with(b"\x89PNG"));
}

#[test]
fn the_richer_reading_is_kept() {
    let table: &[(&str, &str, bool)] = &[
        ("bznps年各贡昌", "自治区科协2025年度学会重点资助项目", true),
        (
            "自治区科协2025年度学会重点资助项目全疆学术交流年会",
            "目治区科协2025年全疆学术交流年会",
            false,
        ),
        ("", "", false),
        ("同样", "相同", false),
    ];
    for (a, b, second) in table {
        let got = richer(a.to_string(), b.to_string());
        assert_eq!(got, if *second { *b } else { *a }, "{a} / {b}");
    }
}
