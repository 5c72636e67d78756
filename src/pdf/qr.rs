//! QR codes that lead from paper back to the web: a session's page, in the same language
//! and variant, drawn as an SVG image that the typesetter embeds (made here, so no text
//! of the author's is ever in it).

use qrcode::{Color, EcLevel, QrCode};

/// Modules of white around the code, as the standard asks for a reader to find it.
const QUIET: usize = 4;

/// The QR code of `url` as SVG, or `None` if it is too long to encode.
pub fn svg(url: &str) -> Option<String> {
    let (width, dark) = modules(url)?;
    let size = width + 2 * QUIET;
    let mut path = String::with_capacity(dark.len() * 4);
    for (i, is_dark) in dark.iter().enumerate() {
        if *is_dark {
            let (x, y) = (i % width + QUIET, i / width + QUIET);
            path.push_str(&format!("M{x} {y}h1v1h-1z"));
        }
    }
    Some(format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {size} {size}\" shape-rendering=\"crispEdges\"><rect width=\"{size}\" height=\"{size}\" fill=\"#fff\"/><path d=\"{path}\" fill=\"#000\"/></svg>"
    ))
}

/// The code's width in modules and whether each module, row by row, is dark. Medium
/// error correction: a code survives a smudge or a fold of a photocopy.
fn modules(url: &str) -> Option<(usize, Vec<bool>)> {
    let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M).ok()?;
    let dark = code
        .to_colors()
        .into_iter()
        .map(|c| c == Color::Dark)
        .collect();
    Some((code.width(), dark))
}

/// An address as a person types it: without the scheme and the trailing slash.
pub fn address(url: &str) -> &str {
    let url = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .unwrap_or(url);
    url.strip_suffix('/').unwrap_or(url)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads the code back with an independent decoder, from the modules drawn as
    /// pixels (4 per module, with the quiet zone), as a phone's camera would see them.
    fn decode(url: &str) -> String {
        let (width, dark) = modules(url).unwrap();
        let scale = 4;
        let size = (width + 2 * QUIET) * scale;
        let mut image = rqrr::PreparedImage::prepare_from_greyscale(size, size, |x, y| {
            let (mx, my) = (x / scale, y / scale);
            let inside =
                (QUIET..QUIET + width).contains(&mx) && (QUIET..QUIET + width).contains(&my);
            if inside && dark[(my - QUIET) * width + (mx - QUIET)] {
                0
            } else {
                255
            }
        });
        let grids = image.detect_grids();
        assert_eq!(grids.len(), 1);
        grids[0].decode().unwrap().1
    }

    #[test]
    fn codes_decode_to_the_page_s_address() {
        for url in [
            "https://micromba.example.org/es/altiplano/costos-precios/costos/",
            "https://example.org/fr/urban/emprendimiento/mi-negocio/index.html",
        ] {
            assert_eq!(decode(url), url);
            let svg = svg(url).unwrap();
            assert!(svg.starts_with("<svg ") && svg.contains("<path d=\"M"));
        }
        assert_eq!(
            address("https://micromba.example.org/es/urban/m/s/"),
            "micromba.example.org/es/urban/m/s"
        );
    }
}
