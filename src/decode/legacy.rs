//! Legacy (non-Unicode) encodings: GB18030/GBK, Big5 and friends, guessed by chardetng.

use encoding_rs::{Encoding, GB18030, GBK};

/// The most likely legacy encoding. GBK is reported as its superset GB18030, which
/// decodes every GBK file identically and also the four-byte sequences GBK lacks.
pub fn guess(bytes: &[u8]) -> &'static Encoding {
    let mut det = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    det.feed(bytes, true);
    let enc = det.guess(None, chardetng::Utf8Detection::Deny);
    if enc == GBK {
        GB18030
    } else {
        enc
    }
}
