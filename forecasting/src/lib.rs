#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

pub mod intermittent;
pub mod ses;

pub use intermittent::{
    adida, croston_classic, croston_optimized, croston_sba, imapa, sizes_and_intervals, tsb,
};
