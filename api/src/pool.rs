//! The thread pool batch forecasts run on: the facade's own rayon pool, rebuilt in a process
//! that was forked from the one that built it. A forked child inherits the pool's memory but
//! not its threads, so rayon's global pool would wait for them forever (a Python
//! `multiprocessing` worker started with `fork` hung that way).

use crate::error::ApiResult;
#[cfg(feature = "parallel")]
use crate::error::{ApiError, ErrorCode};

#[cfg(feature = "parallel")]
mod imp {
    use std::sync::{Arc, Mutex};

    /// The pools by thread count (0: rayon's default, `RAYON_NUM_THREADS` or one per core),
    /// each with the process that built it.
    type Pools = Vec<(usize, u32, Arc<rayon::ThreadPool>)>;
    static POOLS: Mutex<Pools> = Mutex::new(Vec::new());

    pub fn pool(threads: usize) -> Result<Arc<rayon::ThreadPool>, String> {
        let pid = std::process::id();
        let mut pools = POOLS.lock().unwrap_or_else(|p| p.into_inner());
        // Built by the parent: their threads do not exist here. Dropping them would signal
        // threads that are gone, so they are forgotten instead (a few bytes, once per fork).
        for (_, _, stale) in pools.extract_if(.., |(_, owner, _)| *owner != pid) {
            std::mem::forget(stale);
        }
        if let Some((_, _, pool)) = pools.iter().find(|(n, _, _)| *n == threads) {
            return Ok(pool.clone());
        }
        let pool = Arc::new(
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .thread_name(|i| format!("apotheca-{i}"))
                .build()
                .map_err(|e| e.to_string())?,
        );
        pools.push((threads, pid, pool.clone()));
        Ok(pool)
    }
}

/// Most threads one call may ask for.
pub const MAX_THREADS: u32 = 256;

/// Runs `f` on the facade's pool (where the build has threads), so that every parallel
/// iterator inside it uses that pool.
pub(crate) fn run<T: Send>(f: impl FnOnce() -> ApiResult<T> + Send) -> ApiResult<T> {
    run_with(None, f)
}

/// [`run`] on a pool of `threads` threads (none: the default pool). Pools are kept per count.
pub(crate) fn run_with<T: Send>(
    threads: Option<u32>,
    f: impl FnOnce() -> ApiResult<T> + Send,
) -> ApiResult<T> {
    if let Some(n) = threads
        && (n == 0 || n > MAX_THREADS)
    {
        {
            return Err(crate::error::ApiError::new(
                crate::error::ErrorCode::InvalidInput,
                format!("threads {n} must be 1 to {MAX_THREADS}"),
            )
            .at("threads"));
        }
    }
    #[cfg(feature = "parallel")]
    {
        let pool = imp::pool(threads.unwrap_or(0) as usize).map_err(|e| {
            ApiError::new(
                ErrorCode::Internal,
                format!("cannot start forecasting threads: {e}"),
            )
        })?;
        pool.install(f)
    }
    #[cfg(not(feature = "parallel"))]
    {
        f()
    }
}
