use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// One of the languages Tidings ships. A closed set: each has a full set of messages (a test
/// checks), a date format and a writing direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Locale(u8);

struct Shipped {
    tag: &'static str,
    /// The language's name in itself, as a reader looks for it in a list.
    native_name: &'static str,
    right_to_left: bool,
    /// Month and day names for dates.
    dates: chrono::Locale,
}

const SHIPPED: [Shipped; 6] = [
    Shipped {
        tag: "en",
        native_name: "English",
        right_to_left: false,
        dates: chrono::Locale::en_GB,
    },
    Shipped {
        tag: "de",
        native_name: "Deutsch",
        right_to_left: false,
        dates: chrono::Locale::de_DE,
    },
    Shipped {
        tag: "fr",
        native_name: "Français",
        right_to_left: false,
        dates: chrono::Locale::fr_FR,
    },
    Shipped {
        tag: "es",
        native_name: "Español",
        right_to_left: false,
        dates: chrono::Locale::es_ES,
    },
    Shipped {
        tag: "pt-BR",
        native_name: "Português (Brasil)",
        right_to_left: false,
        dates: chrono::Locale::pt_BR,
    },
    Shipped {
        tag: "ar",
        native_name: "العربية",
        right_to_left: true,
        dates: chrono::Locale::ar_EG,
    },
];

#[derive(Debug, thiserror::Error)]
#[error("unknown locale {0:?}; Tidings ships en, de, fr, es, pt-BR and ar")]
pub struct UnknownLocale(pub String);

impl Locale {
    pub const ENGLISH: Locale = Locale(0);
    pub const SHIPPED: [Locale; 6] = [
        Locale(0),
        Locale(1),
        Locale(2),
        Locale(3),
        Locale(4),
        Locale(5),
    ];

    fn shipped(self) -> &'static Shipped {
        &SHIPPED[usize::from(self.0)]
    }

    /// The BCP 47 tag: `lang` attributes, the database, the API.
    pub fn tag(self) -> &'static str {
        self.shipped().tag
    }

    pub fn native_name(self) -> &'static str {
        self.shipped().native_name
    }

    /// `rtl` or `ltr`, for `dir` attributes.
    pub fn dir(self) -> &'static str {
        if self.shipped().right_to_left {
            "rtl"
        } else {
            "ltr"
        }
    }

    pub(super) fn dates(self) -> chrono::Locale {
        self.shipped().dates
    }

    pub(super) fn langid(self) -> unic_langid::LanguageIdentifier {
        self.tag().parse().expect("shipped tags are valid")
    }

    /// A stored tag back as a locale; one no longer shipped reads as English rather than
    /// failing a send.
    pub fn from_stored(tag: &str) -> Locale {
        tag.parse().unwrap_or(Locale::ENGLISH)
    }
}

impl Default for Locale {
    fn default() -> Locale {
        Locale::ENGLISH
    }
}

impl FromStr for Locale {
    type Err = UnknownLocale;

    /// An exact shipped tag, in any case and with `_` or `-`.
    fn from_str(tag: &str) -> Result<Locale, UnknownLocale> {
        let wanted = tag.trim().replace('_', "-");
        Locale::SHIPPED
            .into_iter()
            .find(|l| l.tag().eq_ignore_ascii_case(&wanted))
            .ok_or_else(|| UnknownLocale(tag.to_string()))
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.tag())
    }
}

impl Serialize for Locale {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.tag())
    }
}

impl<'de> Deserialize<'de> for Locale {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Locale, D::Error> {
        let tag = String::deserialize(deserializer)?;
        tag.parse().map_err(serde::de::Error::custom)
    }
}
