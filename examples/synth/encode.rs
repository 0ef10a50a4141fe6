//! The bytes a generated document is written in: the encodings and line endings
//! county portals actually serve (UTF-8 with and without BOM, GB18030 from older
//! Windows tools, UTF-16 in either byte order with and without BOM from Word's
//! "Unicode text" export), in rough proportion to how often each turns up.

use encoding_rs::GB18030;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    Utf8Bom,
    Gb18030,
    Utf16LeBom,
    Utf16Le,
    Utf16BeBom,
    Utf16Be,
}

impl Encoding {
    pub const ALL: [Encoding; 7] = [
        Encoding::Utf8,
        Encoding::Utf8Bom,
        Encoding::Gb18030,
        Encoding::Utf16LeBom,
        Encoding::Utf16Le,
        Encoding::Utf16BeBom,
        Encoding::Utf16Be,
    ];
    /// Relative frequency of each of [`Encoding::ALL`].
    pub const WEIGHTS: [u32; 7] = [50, 10, 24, 6, 4, 3, 3];

    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8+BOM",
            Encoding::Gb18030 => "GB18030",
            Encoding::Utf16LeBom => "UTF-16LE+BOM",
            Encoding::Utf16Le => "UTF-16LE",
            Encoding::Utf16BeBom => "UTF-16BE+BOM",
            Encoding::Utf16Be => "UTF-16BE",
        }
    }

    pub fn encode(self, text: &str) -> Vec<u8> {
        match self {
            Encoding::Utf8 => text.as_bytes().to_vec(),
            Encoding::Utf8Bom => [&[0xEF, 0xBB, 0xBF][..], text.as_bytes()].concat(),
            Encoding::Gb18030 => GB18030.encode(text).0.into_owned(),
            Encoding::Utf16LeBom | Encoding::Utf16Le | Encoding::Utf16BeBom | Encoding::Utf16Be => {
                let le = matches!(self, Encoding::Utf16LeBom | Encoding::Utf16Le);
                let bom = matches!(self, Encoding::Utf16LeBom | Encoding::Utf16BeBom);
                let mut out = Vec::with_capacity(text.len() * 2 / 3 * 2 + 2);
                let units = bom.then_some(0xFEFF).into_iter().chain(text.encode_utf16());
                for u in units {
                    out.extend_from_slice(&if le { u.to_le_bytes() } else { u.to_be_bytes() });
                }
                out
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineEnding {
    Lf,
    CrLf,
}

impl LineEnding {
    pub const ALL: [LineEnding; 2] = [LineEnding::Lf, LineEnding::CrLf];
    pub const WEIGHTS: [u32; 2] = [60, 40];

    pub fn as_str(self) -> &'static str {
        match self {
            LineEnding::Lf => "\n",
            LineEnding::CrLf => "\r\n",
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            LineEnding::Lf => "LF",
            LineEnding::CrLf => "CRLF",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_encoding_decodes_back_through_baogao() {
        let text = "2023年度部门决算\r\n一、收入支出决算总表\r\n合计\t1,960.73\r\n";
        for e in Encoding::ALL {
            let d = baogao::decode::decode(&e.encode(text)).unwrap();
            assert_eq!(d.text, text, "{}", e.name());
        }
    }
}
