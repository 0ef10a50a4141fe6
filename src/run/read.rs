//! Reading one input's bytes, whatever the file turned into since the walk.
//!
//! The file is opened without blocking (a FIFO put where a file was must not hang
//! the run), checked on the open handle (so a swap between check and read cannot
//! fool it), and read through a limit (so a file that grows after the size check
//! still cannot exceed `--max-bytes` in memory).

use std::fs::OpenOptions;
use std::io::Read;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;

use crate::error::DecodeError;

/// The file's bytes, or the message for a failed document.
pub fn read_input(fs_path: &Path, max_bytes: u64) -> Result<Vec<u8>, String> {
    let file = OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY)
        .open(fs_path)
        .map_err(|e| format!("cannot read: {e}"))?;
    let meta = file.metadata().map_err(|e| format!("cannot read: {e}"))?;
    if !meta.is_file() {
        return Err("cannot read: not a regular file (a directory, FIFO, socket or device)".into());
    }
    let too_large = |size| DecodeError::TooLarge {
        size,
        limit: max_bytes,
    };
    if meta.len() > max_bytes {
        return Err(too_large(meta.len()).to_string());
    }
    let cap = usize::try_from(meta.len()).unwrap_or(0);
    let mut bytes = Vec::with_capacity(cap);
    file.take(max_bytes.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read: {e}"))?;
    if bytes.len() as u64 > max_bytes {
        return Err(format!(
            "{} (it grew while being read)",
            too_large(bytes.len() as u64)
        ));
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_is_not_a_small_regular_file() {
        let d = tempfile::tempdir().unwrap();
        let f = d.path().join("a.txt");
        std::fs::write(&f, b"12345").unwrap();
        assert_eq!(read_input(&f, 5).unwrap(), b"12345");
        assert!(read_input(&f, 4).unwrap_err().contains("over the limit"));
        assert!(read_input(d.path(), 100)
            .unwrap_err()
            .contains("not a regular file"));
        assert!(read_input(&d.path().join("gone.txt"), 100)
            .unwrap_err()
            .contains("cannot read"));
        let fifo = d.path().join("fifo.txt");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid C string path.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
        assert!(read_input(&fifo, 100)
            .unwrap_err()
            .contains("not a regular file"));
    }
}
