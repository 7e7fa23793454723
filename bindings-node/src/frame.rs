//! Long frames over Arrow IPC: `forecastFrameAsync`, `crossValidationFrameAsync` and
//! `fittedFrameAsync` take the table as Arrow IPC stream bytes (what `tableToIPC(table,
//! 'stream')` of the `apache-arrow` package writes, or any Arrow writer) and resolve to the
//! result as IPC stream bytes (`tableFromIPC(bytes)`). No JS object is made per row.
//!
//! The work runs on the libuv pool. `progress(done, total)` is called on the event loop between
//! chunks of series; an aborted `signal` stops the call at the next chunk, rejecting with
//! `CANCELLED`. No rule lives here.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use apotheca::frame::{self, FrameSpec, RecordBatch};
use apotheca::{ApiError, ApiResult, ErrorCode};
use napi::bindgen_prelude::*;
use napi::threadsafe_function::{ThreadsafeFunction, ThreadsafeFunctionCallMode};
use napi_derive::napi;

use crate::conv::{arg, opt};
use crate::error;

/// `(done, total)` on the event loop; what it returns is ignored.
type ProgressFn = ThreadsafeFunction<FnArgs<(u32, u32)>, (), FnArgs<(u32, u32)>, Status, false>;

type Work = Box<dyn FnOnce(Option<frame::Progress<'_>>) -> ApiResult<Vec<u8>> + Send>;

/// A frame call on the libuv pool: IPC bytes in, IPC bytes out.
pub struct FrameJob {
    work: Option<Work>,
    progress: Option<Arc<ProgressFn>>,
    aborted: Arc<AtomicBool>,
}

impl<'task> napi::ScopedTask<'task> for FrameJob {
    type Output = ApiResult<Vec<u8>>;
    type JsValue = Buffer;

    fn compute(&mut self) -> Result<Self::Output> {
        let Some(work) = self.work.take() else {
            return Ok(Err(ApiError::new(ErrorCode::Internal, "job ran twice")));
        };
        let progress = self.progress.clone();
        let aborted = Arc::clone(&self.aborted);
        let mut report = move |done: usize, total: usize| -> ApiResult<()> {
            if aborted.load(Ordering::Relaxed) {
                return Err(ApiError::new(
                    ErrorCode::Cancelled,
                    "stopped: the AbortSignal was aborted",
                ));
            }
            if let Some(p) = &progress {
                let clamp = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
                p.call(
                    FnArgs::from((clamp(done), clamp(total))),
                    ThreadsafeFunctionCallMode::NonBlocking,
                );
            }
            Ok(())
        };
        Ok(apotheca::guard(|| work(Some(&mut report))))
    }

    fn resolve(&mut self, env: &'task Env, output: Self::Output) -> Result<Self::JsValue> {
        match output {
            Ok(bytes) => Ok(Buffer::from(bytes)),
            Err(e) => Err(error::to_js(env, e)),
        }
    }
}

/// Reads the arguments on the event loop and schedules `f`; a bad argument rejects the Promise.
fn schedule(
    env: &Env,
    table: &[u8],
    spec: Unknown<'_>,
    progress: Option<ProgressFn>,
    signal: Option<AbortSignal>,
    f: impl FnOnce(&RecordBatch, &FrameSpec, Option<frame::Progress<'_>>) -> ApiResult<RecordBatch>
    + Send
    + 'static,
) -> AsyncTask<FrameJob> {
    // The bytes are copied (one memcpy) and decoded on the pool, off the event loop.
    let spec = arg::<FrameSpec>(env, spec);
    let bytes = table.to_vec();
    let aborted = Arc::new(AtomicBool::new(false));
    if let Some(s) = &signal {
        let flag = Arc::clone(&aborted);
        s.on_abort(move || flag.store(true, Ordering::Relaxed));
    }
    let work: Work = Box::new(move |p| {
        let spec = spec?;
        let batch = frame::read_ipc(&bytes)?;
        frame::write_ipc(&f(&batch, &spec, p)?)
    });
    AsyncTask::with_optional_signal(
        FrameJob {
            work: Some(work),
            progress: progress.map(Arc::new),
            aborted,
        },
        signal,
    )
}

/// Forecasts every series of a long table (Arrow IPC stream bytes) with every model, shaped as
/// statsforecast's `forecast`: `unique_id, ds, <Model>, <Model>-lo-80, …` (IPC stream bytes).
#[napi(
    ts_args_type = "table: Uint8Array, spec: FrameSpec, progress?: ((done: number, total: number) => void) | null, signal?: AbortSignalLike | null",
    ts_return_type = "Promise<Uint8Array>"
)]
pub fn forecast_frame_async(
    env: &Env,
    table: &[u8],
    spec: Unknown<'_>,
    progress: Option<ProgressFn>,
    signal: Option<AbortSignal>,
) -> AsyncTask<FrameJob> {
    schedule(env, table, spec, progress, signal, frame::forecast_frame)
}

/// Rolling-origin forecasts shaped as statsforecast's `cross_validation`: `unique_id, ds,
/// cutoff, y, <Model>, …` for the last `windows` origins, `step` apart (default: the horizon).
#[napi(
    ts_args_type = "table: Uint8Array, spec: FrameSpec, windows: number, step?: number | null, progress?: ((done: number, total: number) => void) | null, signal?: AbortSignalLike | null",
    ts_return_type = "Promise<Uint8Array>"
)]
pub fn cross_validation_frame_async(
    env: &Env,
    table: &[u8],
    spec: Unknown<'_>,
    windows: Unknown<'_>,
    step: Option<Unknown<'_>>,
    progress: Option<ProgressFn>,
    signal: Option<AbortSignal>,
) -> AsyncTask<FrameJob> {
    let counts = crate::conv::param::<u32>(env, "windows", windows)
        .and_then(|w| Ok((w, opt::<u32>(env, "step", step)?)));
    schedule(env, table, spec, progress, signal, move |b, s, p| {
        let (windows, step) = counts?;
        frame::cross_validation_frame(b, s, windows, step, p)
    })
}

/// In-sample one-step forecasts shaped as statsforecast's `forecast_fitted_values`:
/// `unique_id, ds, y, <Model>, …` (IPC stream bytes).
#[napi(
    ts_args_type = "table: Uint8Array, spec: FrameSpec, progress?: ((done: number, total: number) => void) | null, signal?: AbortSignalLike | null",
    ts_return_type = "Promise<Uint8Array>"
)]
pub fn fitted_frame_async(
    env: &Env,
    table: &[u8],
    spec: Unknown<'_>,
    progress: Option<ProgressFn>,
    signal: Option<AbortSignal>,
) -> AsyncTask<FrameJob> {
    schedule(env, table, spec, progress, signal, frame::fitted_frame)
}
