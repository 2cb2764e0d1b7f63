//! The accent colour: a `#rrggbb` hex colour, and how well text in it (links) or on it (the
//! white label of buttons) reads against white, as WCAG 2.x measures contrast.

use std::fmt;

/// The red Tidings ships with.
pub const DEFAULT_ACCENT: Accent = Accent([0xb3, 0x26, 0x1e]);

/// WCAG 2.x level AA for normal-size text.
pub const AA_CONTRAST: f64 = 4.5;

/// A colour as `#rrggbb`; parsing accepts upper or lower case and writes lower case.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Accent([u8; 3]);

impl Accent {
    pub fn parse(text: &str) -> Result<Accent, String> {
        let hex = text.trim();
        let digits = hex
            .strip_prefix('#')
            .filter(|d| d.len() == 6 && d.chars().all(|c| c.is_ascii_hexdigit()))
            .ok_or_else(|| {
                format!("{hex:?} is not a colour like #b3261e (# and six hex digits)")
            })?;
        let channel = |i: usize| u8::from_str_radix(&digits[i..i + 2], 16).expect("hex digits");
        Ok(Accent([channel(0), channel(2), channel(4)]))
    }

    /// Relative luminance, 0 (black) to 1 (white), as WCAG 2.x defines it.
    fn luminance(self) -> f64 {
        let linear = |channel: u8| {
            let c = f64::from(channel) / 255.0;
            if c <= 0.04045 {
                c / 12.92
            } else {
                ((c + 0.055) / 1.055).powf(2.4)
            }
        };
        let [r, g, b] = self.0;
        0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b)
    }

    /// The contrast ratio between two colours, 1:1 to 21:1 (returned as the first number).
    pub fn contrast(self, other: Accent) -> f64 {
        let (a, b) = (self.luminance(), other.luminance());
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }

    /// Against white: both the accent as text on the white card (links) and white text on
    /// the accent (buttons) have this contrast.
    pub fn contrast_with_white(self) -> f64 {
        self.contrast(Accent([0xff, 0xff, 0xff]))
    }

    pub fn meets_aa(self) -> bool {
        self.contrast_with_white() >= AA_CONTRAST
    }
}

impl Default for Accent {
    fn default() -> Accent {
        DEFAULT_ACCENT
    }
}

impl fmt::Display for Accent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [r, g, b] = self.0;
        write!(f, "#{r:02x}{g:02x}{b:02x}")
    }
}

impl TryFrom<String> for Accent {
    type Error = String;
    fn try_from(text: String) -> Result<Accent, String> {
        Accent::parse(&text)
    }
}

impl<'de> serde::Deserialize<'de> for Accent {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Accent, D::Error> {
        let text = String::deserialize(deserializer)?;
        Accent::parse(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_hex_colours_and_writes_them_in_lower_case() {
        assert_eq!(Accent::parse("#B3261E").unwrap().to_string(), "#b3261e");
        assert_eq!(Accent::parse(" #00ff7f ").unwrap().to_string(), "#00ff7f");
        for bad in ["b3261e", "#b3261", "#b3261ef", "#gg0000", "red", ""] {
            assert!(Accent::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn contrast_ratios_match_the_wcag_formula() {
        let black = Accent::parse("#000000").unwrap();
        let white = Accent::parse("#ffffff").unwrap();
        assert!((black.contrast(white) - 21.0).abs() < 1e-9);
        assert!((white.contrast_with_white() - 1.0).abs() < 1e-9);
        // Values as WebAIM's contrast checker gives them.
        let grey = Accent::parse("#767676").unwrap().contrast_with_white();
        assert!((grey - 4.54).abs() < 0.01, "{grey}");
        let red = DEFAULT_ACCENT.contrast_with_white();
        assert!((red - 6.54).abs() < 0.01, "{red}");
    }

    #[test]
    fn the_default_red_passes_aa_and_a_light_yellow_does_not() {
        assert!(DEFAULT_ACCENT.meets_aa());
        assert!(!Accent::parse("#ffd700").unwrap().meets_aa());
        assert!(!Accent::parse("#777777").unwrap().meets_aa());
    }
}
