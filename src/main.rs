// The pipeline makes many small, short-lived allocations (cells, labels, JSON
// lines); mimalloc serves them faster than the system allocator.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// `mi_option_purge_delay` in mimalloc v3's `mi_option_e` (include/mimalloc.h).
const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
/// Its default there: freed pages go back to the OS after a second.
const PURGE_DELAY_DEFAULT_MS: std::ffi::c_long = 1000;
/// Ours: a long batch run's resident memory then follows what is live instead of
/// drifting up with the run's length, for about 1% of speed.
const PURGE_DELAY_MS: std::ffi::c_long = 10;

fn tune_allocator() {
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
        return; // the user's setting wins
    }
    // SAFETY: mimalloc's option accessors take any option number and are safe
    // to call at any time. Only set when the number still names the option we
    // mean (its default is the documented one).
    unsafe {
        if libmimalloc_sys::mi_option_get(PURGE_DELAY) == PURGE_DELAY_DEFAULT_MS {
            libmimalloc_sys::mi_option_set(PURGE_DELAY, PURGE_DELAY_MS);
        }
    }
}

fn main() {
    tune_allocator();
    std::process::exit(baogao::cli::main());
}

#[cfg(test)]
mod tests {
    /// A mimalloc update that renumbers its options shows here, not as a
    /// silently untuned allocator.
    #[test]
    fn purge_delay_option_is_where_we_set_it() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            let got = unsafe { libmimalloc_sys::mi_option_get(super::PURGE_DELAY) };
            assert!(
                got == super::PURGE_DELAY_DEFAULT_MS || got == super::PURGE_DELAY_MS,
                "{got}"
            );
        }
    }
}
