//! `--shard K/N`: a stable split of the inputs over N machines.
//!
//! An input belongs to shard `1 + (h mod N)` where `h` is the first 8 bytes of the
//! SHA-256 of its output `path`. The path (not the content) decides, so a shard
//! only reads its own files, and the split is the same on every machine that sees
//! the inputs under the same names. Skipped entries are split the same way, so
//! every input is listed in exactly one shard's manifest.

use std::fmt;
use std::str::FromStr;

use sha2::{Digest, Sha256};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// 1-based, `1..=count`.
    pub index: u32,
    pub count: u32,
}

impl Shard {
    /// Does the input named `path` belong to this shard?
    pub fn contains(&self, path: &str) -> bool {
        shard_of(path, self.count) == self.index
    }
}

/// The 1-based shard of `path` in a split into `count`.
pub fn shard_of(path: &str, count: u32) -> u32 {
    let d = Sha256::digest(path.as_bytes());
    let mut h = [0u8; 8];
    h.copy_from_slice(&d[..8]);
    (u64::from_be_bytes(h) % u64::from(count.max(1))) as u32 + 1
}

impl FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Shard, String> {
        let bad = || format!("--shard wants K/N with 1 <= K <= N (e.g. 2/8), not {s:?}");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let index: u32 = k.trim().parse().map_err(|_| bad())?;
        let count: u32 = n.trim().parse().map_err(|_| bad())?;
        if count == 0 || index == 0 || index > count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn parses() {
        assert_eq!("2/8".parse(), Ok(Shard { index: 2, count: 8 }));
        for bad in ["0/3", "4/3", "1/0", "x/2", "3", "", "-1/2"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }

    proptest! {
        #[test]
        fn every_path_in_exactly_one_shard(path in ".*", n in 1u32..20) {
            let owners = (1..=n).filter(|&k| Shard { index: k, count: n }.contains(&path)).count();
            prop_assert_eq!(owners, 1);
        }

        #[test]
        fn parse_never_panics(s in ".*") {
            let _ = s.parse::<Shard>();
        }
    }
}
