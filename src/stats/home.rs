//! The editors' home page: the figures, the latest digests, and a first-run checklist of
//! what still holds an example value or keeps mail from reaching inboxes, each with its fix.

use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

use super::Stats;
use crate::config::{Settings, Transport};
use crate::doctor::EXAMPLE_POSTAL_ADDRESS;
use crate::editors::{self, EditorSession};
use crate::error::AppResult;
use crate::state::AppState;
use crate::web::page::Page;

/// One thing to set up: what, whether it is done, and how.
pub struct Step {
    pub what: &'static str,
    pub done: bool,
    pub how: String,
}

#[derive(Template)]
#[template(path = "editor/home.html")]
struct HomePage<'a> {
    newsletter: &'a str,
    editor: &'a str,
    csrf: &'a str,
    stats: &'a Stats,
    /// The readers chart, an inline SVG element.
    chart: &'a str,
    /// The next send, in the newsletter's time zone.
    next_send: Option<String>,
    steps: &'a [Step],
    steps_left: usize,
}

fn steps(settings: &Settings, has_token: bool) -> Vec<Step> {
    let from_domain = settings.mail.from.email.domain().to_ascii_lowercase();
    let example_domain =
        |d: &str| d == "localhost" || d == "example.com" || d.ends_with(".example");
    let policy_hosts = [&settings.policy.privacy_url, &settings.policy.terms_url]
        .iter()
        .filter_map(|u| u.host_str())
        .any(example_domain);
    vec![
        Step {
            what: "A real postal address in every digest",
            done: settings.newsletter.postal_address.trim() != EXAMPLE_POSTAL_ADDRESS,
            how: "Set newsletter.postal_address (CAN-SPAM asks for it).".into(),
        },
        Step {
            what: "Your own privacy policy and terms of use",
            done: !policy_hosts,
            how: "Set policy.privacy_url and policy.terms_url; readers agree to them when they sign up.".into(),
        },
        Step {
            what: "A From address on your domain",
            done: !example_domain(&from_domain),
            how: format!("Set mail.from (now at {from_domain})."),
        },
        Step {
            what: "Mail sent by SMTP",
            done: settings.mail.transport == Transport::Smtp,
            how: "Set mail.transport = \"smtp\" and mail.smtp_url; until then emails are only written to files.".into(),
        },
        Step {
            what: "Links over https",
            done: settings.server.public_url.scheme() == "https",
            how: "Serve Tidings over https and set server.public_url: one-click unsubscribe needs it.".into(),
        },
        Step {
            what: "Signed mail (DKIM)",
            done: settings.dkim.is_enabled(),
            how: "Set dkim.domain, dkim.selector and dkim.private_key_path; Deliverability checks the published key.".into(),
        },
        Step {
            what: "An API token for your site or scripts",
            done: has_token,
            how: "Run `tidings token create --name <name>`.".into(),
        },
    ]
}

pub async fn page(State(state): State<AppState>, session: EditorSession) -> AppResult<Response> {
    let stats = super::gather(&state).await?;
    let next_send = super::next_send(&state).await?.map(|at| {
        chrono::DateTime::from_timestamp_millis(at)
            .unwrap_or_default()
            .with_timezone(&state.settings.digest.zone())
            .format("%a %-d %b %Y, %H:%M")
            .to_string()
    });
    let chart = super::chart::readers_svg(&stats.daily)?;
    let has_token = editors::has_live_token(&state.db)
        .await
        .map_err(anyhow::Error::from)?;
    let steps = steps(&state.settings, has_token);
    let page = HomePage {
        newsletter: &state.settings.newsletter.name,
        editor: &session.email,
        csrf: &session.csrf,
        stats: &stats,
        chart: &chart,
        next_send,
        steps_left: steps.iter().filter(|s| !s.done).count(),
        steps: &steps,
    };
    Ok(Page(page).into_response())
}
