//! The readers chart, drawn on the server as SVG with plotters: no script, nothing loaded
//! from elsewhere, and nothing the page's content security policy refuses (plotters writes
//! presentation attributes, never `style`). Without a font feature plotters only estimates
//! the size of text, and the SVG names a font family for the browser to draw it with.
//! For screen readers the SVG is an image with a title and a description that sums up the
//! numbers; the page puts the same numbers in a table beside it.

use plotters::prelude::*;

use super::Day;

const SIZE: (u32, u32) = (720, 300);
const SIGNED_UP: RGBColor = RGBColor(0x1f, 0x5f, 0xbf);
const CONFIRMED: RGBColor = RGBColor(0x1a, 0x7f, 0x37);
const LEFT: RGBColor = RGBColor(0xb3, 0x26, 0x1e);
const INK: RGBColor = RGBColor(0x33, 0x33, 0x33);

/// The SVG element, ready to sit inline in a page.
pub fn readers_svg(days: &[Day]) -> anyhow::Result<String> {
    let mut svg = String::new();
    draw(days, &mut svg)?;
    Ok(accessible(svg, &title(days), &description(days)))
}

fn draw(days: &[Day], svg: &mut String) -> anyhow::Result<()> {
    let root = SVGBackend::with_string(svg, SIZE).into_drawing_area();
    root.fill(&WHITE)?;
    let last = i32::try_from(days.len()).unwrap_or(i32::MAX).max(2) - 1;
    let highest = days
        .iter()
        .map(|d| d.signed_up.max(d.confirmed).max(d.left))
        .max()
        .unwrap_or(0);
    // Headroom for the legend, and a scale of at least 0 to 5 when nothing happened.
    let top = (highest + highest / 4).max(5);
    let label = |i: &i32| {
        usize::try_from(*i)
            .ok()
            .and_then(|i| days.get(i))
            .map(|d| short_date(&d.date))
            .unwrap_or_default()
    };
    let mut chart = ChartBuilder::on(&root)
        .margin(12)
        .x_label_area_size(28)
        .y_label_area_size(48)
        .build_cartesian_2d(0..last, 0..top)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(TRANSPARENT)
        .bold_line_style(RGBColor(0xdd, 0xdd, 0xdd))
        .axis_style(INK)
        // plotters writes text at 1/1.24 of the size asked for: 16 comes out at 13 px.
        .label_style(("sans-serif", 16).into_font().color(&INK))
        .x_labels(7)
        .x_label_formatter(&label)
        .y_labels(6)
        .draw()?;
    for (name, color, value) in [
        (
            "Signed up",
            SIGNED_UP,
            (|d: &Day| d.signed_up) as fn(&Day) -> i64,
        ),
        ("Confirmed", CONFIRMED, |d: &Day| d.confirmed),
        ("Left", LEFT, |d: &Day| d.left),
    ] {
        let points = (0..).zip(days).map(|(i, d)| (i, value(d)));
        chart
            .draw_series(LineSeries::new(points, color.stroke_width(2)))?
            .label(name)
            .legend(move |(x, y)| PathElement::new([(x, y), (x + 18, y)], color.stroke_width(2)));
    }
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .label_font(("sans-serif", 16).into_font().color(&INK))
        .background_style(WHITE)
        .border_style(RGBColor(0xcc, 0xcc, 0xcc))
        .draw()?;
    root.present()?;
    Ok(())
}

/// "2026-03-09" as "9 Mar".
fn short_date(date: &str) -> String {
    chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d")
        .map(|d| d.format("%-d %b").to_string())
        .unwrap_or_else(|_| date.to_string())
}

fn title(days: &[Day]) -> String {
    format!("Readers over the last {} days", days.len())
}

/// The numbers in a sentence or two: the totals, and the busiest day.
fn description(days: &[Day]) -> String {
    let (Some(first), Some(last)) = (days.first(), days.last()) else {
        return "No days to show.".into();
    };
    let sum = |value: fn(&Day) -> i64| days.iter().map(value).sum::<i64>();
    let mut text = format!(
        "Daily, from {} to {}: {} signed up, {} confirmed and {} left ({} unsubscribed, {} \
         bounced, {} erased).",
        short_date(&first.date),
        short_date(&last.date),
        sum(|d| d.signed_up),
        sum(|d| d.confirmed),
        sum(|d| d.left),
        sum(|d| d.unsubscribed),
        sum(|d| d.bounced),
        sum(|d| d.erased),
    );
    // The first of the busiest days, if anyone signed up at all.
    if let Some(busiest) = days.iter().filter(|d| d.signed_up > 0).reduce(|best, d| {
        if d.signed_up > best.signed_up {
            d
        } else {
            best
        }
    }) {
        text.push_str(&format!(
            " Most signups in a day: {}, on {}.",
            busiest.signed_up,
            short_date(&busiest.date)
        ));
    }
    text.push_str(" The table below gives every day's numbers.");
    text
}

/// Makes the SVG an image with a name and a description, and lets it scale to its box.
fn accessible(svg: String, title: &str, description: &str) -> String {
    let Some(open_end) = svg.find('>') else {
        return svg;
    };
    let (open, rest) = svg.split_at(open_end + 1);
    // plotters writes `<svg width=".." height=".." viewBox=..>`: the viewBox alone keeps the
    // shape while the page's width sets the size.
    let open = open
        .replacen(&format!("width=\"{}\"", SIZE.0), "width=\"100%\"", 1)
        .replacen(&format!(" height=\"{}\"", SIZE.1), "", 1)
        .replacen(
            "<svg ",
            "<svg class=\"chart\" role=\"img\" aria-labelledby=\"readers-chart-title readers-chart-desc\" ",
            1,
        );
    format!(
        "{open}\n<title id=\"readers-chart-title\">{}</title>\n<desc id=\"readers-chart-desc\">{}</desc>\n{rest}",
        escape(title),
        escape(description)
    )
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(date: &str, signed_up: i64, confirmed: i64, unsubscribed: i64) -> Day {
        Day {
            date: date.into(),
            signed_up,
            confirmed,
            left: unsubscribed,
            unsubscribed,
            ..Day::default()
        }
    }

    #[test]
    fn the_chart_is_an_image_named_and_described_with_its_numbers() {
        let days = [
            day("2026-03-08", 2, 1, 0),
            day("2026-03-09", 5, 3, 1),
            day("2026-03-10", 1, 0, 0),
        ];

        let svg = readers_svg(&days).unwrap();

        assert!(svg.starts_with("<svg class=\"chart\" role=\"img\" aria-labelledby=\"readers-chart-title readers-chart-desc\" width=\"100%\" viewBox=\"0 0 720 300\""), "{svg}");
        assert!(
            svg.contains("<title id=\"readers-chart-title\">Readers over the last 3 days</title>"),
            "{svg}"
        );
        assert!(svg.contains("from 8 Mar to 10 Mar: 8 signed up, 4 confirmed and 1 left (1 unsubscribed, 0 bounced, 0 erased). Most signups in a day: 5, on 9 Mar."), "{svg}");
        assert!(
            svg.contains("\nSigned up\n</text>") && svg.contains("\nLeft\n</text>"),
            "{svg}"
        );
        assert!(svg.contains("<polyline"), "{svg}");
        assert!(
            !svg.contains("style="),
            "the CSP refuses inline styles: {svg}"
        );
        assert!(svg.trim_end().ends_with("</svg>"), "{svg}");
    }

    #[test]
    fn an_empty_list_still_draws() {
        let days = [day("2026-03-09", 0, 0, 0), day("2026-03-10", 0, 0, 0)];

        let svg = readers_svg(&days).unwrap();

        assert!(
            svg.contains("0 signed up, 0 confirmed and 0 left") && !svg.contains("Most signups"),
            "{svg}"
        );
    }
}
