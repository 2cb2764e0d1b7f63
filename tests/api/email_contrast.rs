//! Email text is readable: every text colour in the email templates reaches WCAG AA's 4.5:1
//! against the backgrounds the emails use (white cards on a light beige page).

fn luminance(hex: &str) -> f64 {
    let channel = |i: usize| {
        let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
        if c <= 0.03928 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(0) + 0.7152 * channel(2) + 0.0722 * channel(4)
}

fn contrast(a: &str, b: &str) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

#[test]
fn every_text_colour_in_the_emails_meets_wcag_aa() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/email");
    // After `style="`, a `;`, a space, or a quote: also the link styles templates pass to
    // messages ("color:#666666;").
    let colour = regex::Regex::new(r#"(?:^|[;\s"'])color:\s*#([0-9a-fA-F]{6})"#).unwrap();
    let mut checked = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let html = std::fs::read_to_string(&path).unwrap();
        for found in colour.captures_iter(&html) {
            let text = &found[1];
            if text.eq_ignore_ascii_case("ffffff") {
                // White only on the red button.
                assert!(contrast(text, "b3261e") >= 4.5);
                continue;
            }
            for background in ["ffffff", "f4f1ea", "fbf7f2"] {
                let ratio = contrast(text, background);
                assert!(
                    ratio >= 4.5,
                    "#{text} on #{background} is {ratio:.2}:1 in {}",
                    path.display()
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 10, "the pattern found the colours");
    assert!(
        contrast("777777", "ffffff") < 4.5,
        "the old footer grey would fail"
    );
}
