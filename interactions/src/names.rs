//! Name normalisation and fuzzy matching: case- and accent-insensitive, punctuation-blind, and
//! tolerant of a few typing mistakes (optimal string alignment distance: insertions, deletions,
//! substitutions and swaps of neighbours).

/// Lowercase, accents folded (`é` → `e`), anything but letters and digits becomes one space.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    normalize_into(s, &mut out);
    out
}

/// [`normalize`] into `out` (cleared first), reusing its buffer.
pub fn normalize_into(s: &str, out: &mut String) {
    out.clear();
    if s.is_ascii() {
        // The same steps on bytes: an ASCII letter lowercases to one ASCII letter that `fold`
        // keeps, and ASCII alphanumerics are exactly the alphanumeric ASCII characters.
        let mut space = false;
        for &b in s.as_bytes() {
            if b.is_ascii_alphanumeric() {
                if space && !out.is_empty() {
                    out.push(' ');
                }
                space = false;
                out.push(char::from(b.to_ascii_lowercase()));
            } else {
                space = true;
            }
        }
        return;
    }
    by_chars(s, out);
}

/// [`normalize`] character by character (Unicode lowercase, accents folded).
fn by_chars(s: &str, out: &mut String) {
    let mut space = false;
    for c in s.chars().flat_map(char::to_lowercase) {
        let c = fold(c);
        if c.is_alphanumeric() {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        } else {
            space = true;
        }
    }
}

/// The unaccented letter of a lowercase Latin letter with a diacritic.
fn fold(c: char) -> char {
    match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => 'a',
        'ç' | 'ć' | 'č' => 'c',
        'ď' => 'd',
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => 'e',
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' => 'i',
        'ñ' | 'ń' | 'ň' => 'n',
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => 'o',
        'ř' => 'r',
        'ś' | 'š' | 'ş' => 's',
        'ť' | 'ţ' => 't',
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => 'u',
        'ý' | 'ÿ' => 'y',
        'ź' | 'ż' | 'ž' => 'z',
        'ß' => 's',
        other => other,
    }
}

/// Optimal string alignment distance between two strings (by characters), or `None` once it
/// exceeds `max`.
pub fn distance(a: &str, b: &str, max: usize) -> Option<usize> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let w = b.len() + 1;
    let mut prev2 = vec![0usize; w];
    let mut prev: Vec<usize> = (0..w).collect();
    let mut cur = vec![0usize; w];
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(prev2[j - 2] + 1);
            }
            cur[j] = d;
            row_min = row_min.min(d);
        }
        if row_min > max {
            return None;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    Some(prev[b.len()]).filter(|d| *d <= max)
}

/// The distinct character bigrams of a string, in first-seen order.
pub fn bigrams(s: &str) -> Vec<(char, char)> {
    let chars: Vec<char> = s.chars().collect();
    let mut out: Vec<(char, char)> = Vec::with_capacity(chars.len());
    for w in chars.windows(2) {
        let g = (w[0], w[1]);
        if !out.contains(&g) {
            out.push(g);
        }
    }
    out
}

/// Similarity in [0, 1]: `1 - distance / longer length`.
pub fn similarity(a: &str, b: &str, max: usize) -> Option<f64> {
    let d = distance(a, b, max)?;
    let n = a.chars().count().max(b.chars().count()).max(1);
    Some(1.0 - d as f64 / n as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_case_accents_and_punctuation() {
        assert_eq!(normalize("  Paracétamol-500  mg "), "paracetamol 500 mg");
        assert_eq!(normalize("CO-AMOXICLAV"), "co amoxiclav");
    }

    #[test]
    fn ascii_fast_path_equals_the_character_path() {
        // Every string of up to three ASCII characters: each transition between letters,
        // digits, separators and the start.
        let mut s = String::new();
        for a in 0u8..128 {
            for b in 0u8..128 {
                for c in 0u8..128 {
                    s.clear();
                    s.extend([a, b, c].map(char::from));
                    for n in 0..=3 {
                        let t = &s[..n];
                        let mut slow = String::new();
                        by_chars(t, &mut slow);
                        assert_eq!(normalize(t), slow, "{t:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn distance_counts_edits_and_swaps() {
        assert_eq!(distance("paracetmol", "paracetamol", 3), Some(1));
        assert_eq!(distance("amoxycillin", "amoxicillin", 3), Some(1));
        assert_eq!(distance("ibuprofin", "ibuprofen", 3), Some(1));
        assert_eq!(distance("warfrain", "warfarin", 3), Some(1)); // a swap
        assert_eq!(distance("aspirin", "warfarin", 2), None);
    }
}
