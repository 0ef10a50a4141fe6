//! SIGINT / SIGTERM: stop taking new documents, keep what is finished in the cache,
//! leave the previous outputs in place, and say so.
//!
//! The handler only sets a flag (the one thing a signal handler may safely do);
//! the run checks it between documents. A second signal ends the process at once,
//! which is safe too: outputs are only ever replaced by an atomic rename.

use std::sync::atomic::{AtomicI32, Ordering};

static SIGNAL: AtomicI32 = AtomicI32::new(0);

extern "C" fn on_signal(sig: libc::c_int) {
    if SIGNAL.swap(sig, Ordering::SeqCst) != 0 {
        // SAFETY: _exit is async-signal-safe.
        unsafe { libc::_exit(128 + sig) };
    }
}

/// Route SIGINT and SIGTERM to the flag (called by the command line only).
pub fn install() {
    for sig in [libc::SIGINT, libc::SIGTERM] {
        // SAFETY: installing a handler that only touches an atomic (and _exit).
        unsafe {
            let mut sa: libc::sigaction = std::mem::zeroed();
            sa.sa_sigaction = on_signal as *const () as usize;
            libc::sigemptyset(&mut sa.sa_mask);
            libc::sigaction(sig, &sa, std::ptr::null_mut());
        }
    }
}

/// The signal that asked the run to stop, if any.
pub fn requested() -> Option<i32> {
    match SIGNAL.load(Ordering::SeqCst) {
        0 => None,
        s => Some(s),
    }
}

/// Ask the run to stop, as a signal would (for embedding programs).
pub fn request() {
    SIGNAL.store(libc::SIGINT, Ordering::SeqCst);
}
