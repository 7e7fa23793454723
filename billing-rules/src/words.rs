//! Amounts in words, as printed on invoices and cheques: Indian style (lakh, crore) and
//! international style (thousand, million, billion).

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::error::{BillingError, Result};
use crate::money::minor_units;

/// How large numbers are grouped in words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
#[serde(rename_all = "snake_case")]
pub enum WordsStyle {
    /// `Rupees One Lakh Twenty Thousand and Fifty Paise Only`.
    Indian,
    /// `One Hundred Twenty Thousand Dollars and Fifty Cents`.
    International,
}

const ONES: [&str; 20] = [
    "Zero",
    "One",
    "Two",
    "Three",
    "Four",
    "Five",
    "Six",
    "Seven",
    "Eight",
    "Nine",
    "Ten",
    "Eleven",
    "Twelve",
    "Thirteen",
    "Fourteen",
    "Fifteen",
    "Sixteen",
    "Seventeen",
    "Eighteen",
    "Nineteen",
];
const TENS: [&str; 10] = [
    "", "", "Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety",
];

/// 1..=999 in words; `joiner` between tens and ones ("-" or " ").
fn below_thousand(n: u128, joiner: &str, out: &mut Vec<String>) {
    let (h, rest) = (n / 100, n % 100);
    if h > 0 {
        out.push(format!("{} Hundred", ONES[h as usize]));
    }
    if rest >= 20 {
        let (t, o) = (rest / 10, rest % 10);
        out.push(if o == 0 {
            TENS[t as usize].to_string()
        } else {
            format!("{}{joiner}{}", TENS[t as usize], ONES[o as usize])
        });
    } else if rest > 0 {
        out.push(ONES[rest as usize].to_string());
    }
}

fn indian(n: u128, out: &mut Vec<String>) {
    let crore = n / 10_000_000;
    if crore > 0 {
        indian(crore, out);
        out.push("Crore".into());
    }
    let n = n % 10_000_000;
    for (div, name) in [(100_000, "Lakh"), (1_000, "Thousand")] {
        let part = n / div % 100;
        if part > 0 {
            below_thousand(part, " ", out);
            out.push(name.into());
        }
    }
    below_thousand(n % 1000, " ", out);
}

fn international(n: u128, out: &mut Vec<String>) {
    const SCALES: [&str; 7] = [
        "",
        "Thousand",
        "Million",
        "Billion",
        "Trillion",
        "Quadrillion",
        "Quintillion",
    ];
    let mut groups = Vec::new();
    let mut m = n;
    while m > 0 {
        groups.push(m % 1000);
        m /= 1000;
    }
    for (i, g) in groups.iter().enumerate().rev() {
        if *g > 0 {
            below_thousand(*g, "-", out);
            if i > 0 {
                out.push(SCALES[i].into());
            }
        }
    }
}

/// A whole number in words (`0` → `Zero`).
pub fn number_in_words(n: u128, style: WordsStyle) -> String {
    if n == 0 {
        return ONES[0].into();
    }
    let mut out = Vec::new();
    match style {
        WordsStyle::Indian => indian(n, &mut out),
        WordsStyle::International => international(n, &mut out),
    }
    out.join(" ")
}

/// Major and minor unit names, plural and singular.
fn names(currency: &str) -> Option<(&'static str, &'static str, &'static str, &'static str)> {
    Some(match currency {
        "INR" => ("Rupees", "Rupee", "Paise", "Paisa"),
        "USD" | "CAD" | "AUD" | "NZD" | "SGD" | "HKD" => ("Dollars", "Dollar", "Cents", "Cent"),
        "EUR" => ("Euros", "Euro", "Cents", "Cent"),
        "GBP" => ("Pounds", "Pound", "Pence", "Penny"),
        "JPY" => ("Yen", "Yen", "", ""),
        "LKR" | "NPR" | "PKR" => ("Rupees", "Rupee", "Cents", "Cent"),
        "BDT" => ("Taka", "Taka", "Poisha", "Poisha"),
        "AED" => ("Dirhams", "Dirham", "Fils", "Fils"),
        "ZAR" => ("Rand", "Rand", "Cents", "Cent"),
        "CHF" => ("Francs", "Franc", "Centimes", "Centime"),
        _ => return None,
    })
}

/// An amount in words: `amount_in_words(1234.50, "INR", Indian)` →
/// `Rupees One Thousand Two Hundred Thirty Four and Fifty Paise Only`. The amount is rounded
/// half-up to the currency's minor units first; a negative amount starts with `Minus`.
pub fn amount_in_words(amount: Decimal, currency: &str, style: WordsStyle) -> Result<String> {
    let dp = minor_units(currency).unwrap_or(2);
    let rounded = amount.round_dp(dp).abs();
    let whole = rounded.trunc();
    let minor = ((rounded - whole) * Decimal::from(10u64.pow(dp))).trunc();
    let to_u128 = |d: Decimal| -> Result<u128> {
        u128::try_from(d).map_err(|_| BillingError::InvalidAmount {
            field: "amount".into(),
            value: amount,
            why: "is too large to write in words".into(),
        })
    };
    let (whole, minor) = (to_u128(whole)?, to_u128(minor)?);
    let sign = if amount.is_sign_negative() && !rounded.is_zero() {
        "Minus "
    } else {
        ""
    };
    let w = number_in_words(whole, style);
    let m = number_in_words(minor, style);
    let text = match (names(currency), style) {
        (Some((major, major1, minor_n, minor1)), WordsStyle::Indian) => {
            let major = if whole == 1 { major1 } else { major };
            let minor_n = if minor == 1 { minor1 } else { minor_n };
            if minor > 0 {
                format!("{sign}{major} {w} and {m} {minor_n} Only")
            } else {
                format!("{sign}{major} {w} Only")
            }
        }
        (Some((major, major1, minor_n, minor1)), WordsStyle::International) => {
            let major = if whole == 1 { major1 } else { major };
            let minor_n = if minor == 1 { minor1 } else { minor_n };
            if minor > 0 {
                format!("{sign}{w} {major} and {m} {minor_n}")
            } else {
                format!("{sign}{w} {major}")
            }
        }
        (None, _) if minor > 0 => {
            format!("{sign}{currency} {w} and {minor}/{}", 10u64.pow(dp))
        }
        (None, _) => format!("{sign}{currency} {w}"),
    };
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn indian_grouping() {
        assert_eq!(
            amount_in_words(dec!(123456.78), "INR", WordsStyle::Indian).unwrap(),
            "Rupees One Lakh Twenty Three Thousand Four Hundred Fifty Six and Seventy Eight Paise Only"
        );
        assert_eq!(
            number_in_words(1_234_567_890, WordsStyle::Indian),
            "One Hundred Twenty Three Crore Forty Five Lakh Sixty Seven Thousand Eight Hundred Ninety"
        );
        assert_eq!(
            amount_in_words(dec!(1.01), "INR", WordsStyle::Indian).unwrap(),
            "Rupee One and One Paisa Only"
        );
        assert_eq!(
            amount_in_words(dec!(100000), "INR", WordsStyle::Indian).unwrap(),
            "Rupees One Lakh Only"
        );
    }

    #[test]
    fn international_grouping() {
        assert_eq!(
            amount_in_words(dec!(1234567.05), "USD", WordsStyle::International).unwrap(),
            "One Million Two Hundred Thirty-Four Thousand Five Hundred Sixty-Seven Dollars and Five Cents"
        );
        assert_eq!(
            amount_in_words(dec!(-0.5), "EUR", WordsStyle::International).unwrap(),
            "Minus Zero Euros and Fifty Cents"
        );
        assert_eq!(
            amount_in_words(dec!(1500), "JPY", WordsStyle::International).unwrap(),
            "One Thousand Five Hundred Yen"
        );
        assert_eq!(
            amount_in_words(dec!(12.5), "XTS", WordsStyle::International).unwrap(),
            "XTS Twelve and 50/100"
        );
    }
}
