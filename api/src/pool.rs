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

    /// The pool and the process that built it.
    static POOL: Mutex<Option<(u32, Arc<rayon::ThreadPool>)>> = Mutex::new(None);

    pub fn pool() -> Result<Arc<rayon::ThreadPool>, String> {
        let pid = std::process::id();
        let mut slot = POOL.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((owner, pool)) = slot.as_ref() {
            if *owner == pid {
                return Ok(pool.clone());
            }
            // Built by the parent: its threads do not exist here. Dropping it would signal
            // threads that are gone, so it is forgotten instead (a few bytes, once per fork).
            if let Some((_, stale)) = slot.take() {
                std::mem::forget(stale);
            }
        }
        let pool = Arc::new(
            rayon::ThreadPoolBuilder::new()
                .thread_name(|i| format!("apotheca-{i}"))
                .build()
                .map_err(|e| e.to_string())?,
        );
        *slot = Some((pid, pool.clone()));
        Ok(pool)
    }
}

/// Runs `f` on the facade's pool (where the build has threads), so that every parallel
/// iterator inside it uses that pool.
pub(crate) fn run<T: Send>(f: impl FnOnce() -> ApiResult<T> + Send) -> ApiResult<T> {
    #[cfg(feature = "parallel")]
    {
        let pool = imp::pool().map_err(|e| {
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
