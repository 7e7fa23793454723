//! Demand classification by ADI and CV² (Syntetos–Boylan): smooth, erratic, intermittent,
//! lumpy, with the cut-offs 1.32 (ADI) and 0.49 (CV²).

use serde::{Deserialize, Serialize};

use crate::intermittent::sizes_and_intervals;

/// ADI cut-off.
pub const ADI_CUTOFF: f64 = 1.32;
/// CV² cut-off.
pub const CV2_CUTOFF: f64 = 0.49;

/// A demand class.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum DemandClass {
    /// ADI < 1.32, CV² < 0.49: regular demand of stable size.
    Smooth,
    /// ADI < 1.32, CV² ≥ 0.49: regular demand of varying size.
    Erratic,
    /// ADI ≥ 1.32, CV² < 0.49: sporadic demand of stable size.
    Intermittent,
    /// ADI ≥ 1.32, CV² ≥ 0.49: sporadic demand of varying size.
    Lumpy,
    /// Fewer than two non-zero periods: too little to classify.
    Insufficient,
}

/// A series' classification.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Classification {
    /// The class.
    pub class: DemandClass,
    /// Average inter-demand interval (mean of the intervals, the first counted from the start);
    /// none when there is no demand at all.
    pub adi: Option<f64>,
    /// Squared coefficient of variation of the non-zero demand sizes (population variance).
    pub cv2: f64,
    /// Non-zero periods.
    pub demands: usize,
}

/// Classifies one series (zeros are no demand; the series should be non-negative).
pub fn classify(y: &[f64]) -> Classification {
    let (z, p) = sizes_and_intervals(y);
    if z.len() < 2 {
        return Classification {
            class: DemandClass::Insufficient,
            adi: p.first().copied(),
            cv2: 0.0,
            demands: z.len(),
        };
    }
    let adi = p.iter().sum::<f64>() / p.len() as f64;
    let mean = z.iter().sum::<f64>() / z.len() as f64;
    let var = z.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / z.len() as f64;
    let cv2 = var / (mean * mean);
    let class = match (adi < ADI_CUTOFF, cv2 < CV2_CUTOFF) {
        (true, true) => DemandClass::Smooth,
        (true, false) => DemandClass::Erratic,
        (false, true) => DemandClass::Intermittent,
        (false, false) => DemandClass::Lumpy,
    };
    Classification {
        class,
        adi: Some(adi),
        cv2,
        demands: z.len(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_four_quadrants() {
        assert_eq!(
            classify(&[5.0, 5.0, 6.0, 5.0, 4.0, 5.0]).class,
            DemandClass::Smooth
        );
        assert_eq!(
            classify(&[1.0, 9.0, 2.0, 12.0, 1.0, 8.0]).class,
            DemandClass::Erratic
        );
        assert_eq!(
            classify(&[0.0, 5.0, 0.0, 0.0, 5.0, 0.0, 6.0]).class,
            DemandClass::Intermittent
        );
        assert_eq!(
            classify(&[0.0, 1.0, 0.0, 0.0, 12.0, 0.0, 3.0]).class,
            DemandClass::Lumpy
        );
        assert_eq!(classify(&[0.0, 0.0, 3.0]).class, DemandClass::Insufficient);
        assert_eq!(classify(&[0.0; 5]).class, DemandClass::Insufficient);
    }
}
