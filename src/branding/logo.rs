//! An uploaded logo: what kind of image it is, told from its first bytes rather than from
//! the name or type the browser sent, and refused when it is none we serve.

use std::fmt;

/// Uploads above this are refused: a masthead logo needs far less, and every email open
/// may fetch it.
pub const MAX_LOGO_BYTES: usize = 512 * 1024;

/// The image kinds served as logos. SVG is refused: it can carry script, and many mail
/// clients do not show it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    Png,
    Jpeg,
    Gif,
    Webp,
}

impl ImageKind {
    /// The kind `bytes` start like, if any.
    pub fn sniff(bytes: &[u8]) -> Option<ImageKind> {
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(ImageKind::Png)
        } else if bytes.starts_with(&[0xff, 0xd8, 0xff]) {
            Some(ImageKind::Jpeg)
        } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
            Some(ImageKind::Gif)
        } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            Some(ImageKind::Webp)
        } else {
            None
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            ImageKind::Png => "image/png",
            ImageKind::Jpeg => "image/jpeg",
            ImageKind::Gif => "image/gif",
            ImageKind::Webp => "image/webp",
        }
    }

    /// The stored form is the content type.
    pub fn from_content_type(text: &str) -> Option<ImageKind> {
        [
            ImageKind::Png,
            ImageKind::Jpeg,
            ImageKind::Gif,
            ImageKind::Webp,
        ]
        .into_iter()
        .find(|kind| kind.content_type() == text)
    }
}

/// An uploaded logo, as stored and served.
#[derive(Clone, PartialEq, Eq)]
pub struct Logo {
    pub kind: ImageKind,
    pub bytes: Vec<u8>,
}

impl fmt::Debug for Logo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Logo({}, {} bytes)",
            self.kind.content_type(),
            self.bytes.len()
        )
    }
}

impl Logo {
    /// An upload as a logo, or why not (for the form's `logo` field).
    pub fn from_upload(bytes: Vec<u8>) -> Result<Logo, String> {
        if bytes.len() > MAX_LOGO_BYTES {
            return Err(format!(
                "the logo is {} KB; it can be at most {} KB",
                bytes.len().div_ceil(1024),
                MAX_LOGO_BYTES / 1024
            ));
        }
        let kind = ImageKind::sniff(&bytes).ok_or_else(|| {
            "the logo must be a PNG, JPEG, GIF or WebP image (SVG is not accepted)".to_string()
        })?;
        Ok(Logo { kind, bytes })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_are_told_by_their_first_bytes() {
        assert_eq!(
            ImageKind::sniff(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
            Some(ImageKind::Png)
        );
        assert_eq!(
            ImageKind::sniff(&[0xff, 0xd8, 0xff, 0xe0]),
            Some(ImageKind::Jpeg)
        );
        assert_eq!(ImageKind::sniff(b"GIF89a\x01\0"), Some(ImageKind::Gif));
        assert_eq!(
            ImageKind::sniff(b"RIFF\x10\0\0\0WEBPVP8 "),
            Some(ImageKind::Webp)
        );
        assert_eq!(
            ImageKind::sniff(b"<svg xmlns=\"http://www.w3.org/2000/svg\">"),
            None
        );
        assert_eq!(ImageKind::sniff(b"RIFF\x10\0\0\0WAVE"), None);
    }

    #[test]
    fn uploads_too_large_or_not_images_are_refused() {
        let mut big = b"\x89PNG\r\n\x1a\n".to_vec();
        big.resize(MAX_LOGO_BYTES + 1, 0);
        assert!(
            Logo::from_upload(big)
                .unwrap_err()
                .contains("at most 512 KB")
        );
        assert!(
            Logo::from_upload(b"hello".to_vec())
                .unwrap_err()
                .contains("PNG")
        );
        let logo = Logo::from_upload(b"GIF87a....".to_vec()).unwrap();
        assert_eq!(logo.kind.content_type(), "image/gif");
        assert_eq!(
            ImageKind::from_content_type("image/gif"),
            Some(ImageKind::Gif)
        );
    }
}
