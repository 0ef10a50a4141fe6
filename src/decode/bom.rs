//! Byte-order marks: the one unambiguous statement a file makes about its encoding.

use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8};

/// The encoding a BOM announces and the BOM's length.
pub fn sniff(bytes: &[u8]) -> Option<(&'static Encoding, usize)> {
    Encoding::for_bom(bytes).map(|(e, n)| {
        // for_bom only returns these three.
        debug_assert!(e == UTF_8 || e == UTF_16LE || e == UTF_16BE);
        (e, n)
    })
}
