//! What each command does; `main.rs` only parses the command line and starts.

use std::io::BufRead;
use std::time::Duration;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use tokio_util::sync::CancellationToken;

use super::{
    Command, DigestCommand, EditorCommand, ExportFormat, SubscribersCommand, TokenCommand,
};
use crate::app::{App, build_state};
use crate::config::Settings;
use crate::db::Db;
use crate::subscribers::{self, EmailAddress, StatusFilter};
use crate::{digests, editors, workers};

/// Runs the command (serve when none is given).
pub async fn run(command: Option<Command>, settings: Settings) -> anyhow::Result<()> {
    match command.unwrap_or(Command::Serve) {
        Command::Serve => serve(settings).await,
        Command::Migrate => migrate(settings).await,
        Command::Token { command } => token(settings, command).await,
        Command::Editor { command } => editor(settings, command).await,
        Command::Subscribers { command } => subscribers(settings, command).await,
        Command::Digest { command } => digest(settings, command).await,
        Command::Doctor => doctor(settings).await,
    }
}

async fn serve(settings: Settings) -> anyhow::Result<()> {
    App::build(settings).await?.run_until_stopped().await
}

async fn migrate(settings: Settings) -> anyhow::Result<()> {
    Db::connect_and_migrate(&settings.database).await?;
    tracing::info!("migrations applied");
    Ok(())
}

async fn token(settings: Settings, command: TokenCommand) -> anyhow::Result<()> {
    let db = Db::connect_and_migrate(&settings.database).await?;
    match command {
        TokenCommand::Create { name } => println!("{}", editors::create_token(&db, &name).await?),
        TokenCommand::Revoke { name } => {
            editors::revoke_token(&db, &name).await?;
            eprintln!("token {name:?} revoked");
        }
        TokenCommand::List => {
            for line in editors::list_tokens(&db).await? {
                println!("{line}");
            }
        }
    }
    Ok(())
}

async fn editor(settings: Settings, command: EditorCommand) -> anyhow::Result<()> {
    let db = Db::connect_and_migrate(&settings.database).await?;
    let read_password = || -> anyhow::Result<String> {
        let mut password = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut password)
            .context("reading the password from stdin")?;
        Ok(password.trim_end_matches(['\r', '\n']).to_string())
    };
    match command {
        EditorCommand::Create { email } => {
            editors::create_editor(&db, &email, &read_password()?).await?;
            eprintln!("editor {email} can now log in at /editor/login");
        }
        EditorCommand::Password { email } => {
            let ended = editors::change_password(&db, &email, &read_password()?).await?;
            eprintln!("new password set for {email}; {ended} sessions ended");
        }
    }
    Ok(())
}

async fn subscribers(settings: Settings, command: SubscribersCommand) -> anyhow::Result<()> {
    let db = Db::connect_and_migrate(&settings.database).await?;
    let state = build_state(settings, db).await?;
    match command {
        SubscribersCommand::Import { file, confirmed } => {
            let size = std::fs::metadata(&file).map(|m| m.len()).unwrap_or(0);
            let bar = ProgressBar::new(size).with_style(
                ProgressStyle::with_template("{bar:40} {bytes}/{total_bytes} {eta} left")
                    .expect("a valid template"),
            );
            let report = subscribers::import::import(&state, &file, confirmed, &|bytes| {
                bar.set_position(bytes)
            })
            .await?;
            bar.finish_and_clear();
            print_import_report(&report);
        }
        SubscribersCommand::Export { format, status } => {
            let filter =
                StatusFilter::parse(Some(&status)).map_err(|e| anyhow::anyhow!("--status: {e}"))?;
            let format = match format {
                ExportFormat::Csv => subscribers::export::Format::Csv,
                ExportFormat::Json => subscribers::export::Format::Json,
            };
            let out = std::io::BufWriter::new(std::io::stdout().lock());
            let count = subscribers::export::write_list(&state.db, filter, format, out).await?;
            eprintln!("{count} readers exported");
        }
        SubscribersCommand::Erase { email } => {
            let address =
                EmailAddress::parse(&email, state.settings.signup.case_sensitive_local_part)
                    .map_err(|e| anyhow::anyhow!("{email:?}: {e}"))?;
            if subscribers::erasure::erase_address(&state, &address).await? {
                eprintln!("{email}: erased; the address is suppressed");
            } else {
                eprintln!("{email}: not on the list; the address is suppressed all the same");
            }
        }
        SubscribersCommand::StaleConsent => {
            let policy = &state.settings.policy;
            let stale = crate::consent::stale(
                &state.db.pool,
                &policy.privacy_version,
                &policy.terms_version,
            )
            .await?;
            let mut out = csv::Writer::from_writer(std::io::stdout().lock());
            out.write_record([
                "id",
                "email",
                "privacy_version",
                "terms_version",
                "consented_at",
                "notified_at",
            ])?;
            for reader in &stale {
                out.write_record([
                    reader.subscriber_id.to_string().as_str(),
                    &reader.email,
                    &reader.privacy_version,
                    &reader.terms_version,
                    &reader.consented_at,
                    reader.notified_at.as_deref().unwrap_or(""),
                ])?;
            }
            out.flush()?;
            eprintln!(
                "{} confirmed readers consented to older versions than privacy {} / terms {}; each is told in their next digest",
                stale.len(),
                policy.privacy_version,
                policy.terms_version
            );
        }
    }
    Ok(())
}

fn print_import_report(report: &subscribers::import::ImportReport) {
    println!(
        "{} rows: {} imported, {} updated, {} unchanged, {} skipped",
        report.rows, report.imported, report.updated, report.unchanged, report.skipped
    );
    for column in &report.ignored_columns {
        eprintln!("warning: column {column:?} ignored");
    }
    let mut reasons: Vec<_> = report.reasons.iter().collect();
    reasons.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    for (reason, count) in reasons {
        println!("  skipped {count}: {reason}");
    }
    for (row, reason) in &report.first_skipped {
        println!("  row {row}: {reason}");
    }
    if report.skipped > report.first_skipped.len() as u64 {
        println!("  ...");
    }
    if let Some(path) = &report.rejected_file {
        println!("skipped rows, with reasons: {}", path.display());
    }
}

async fn digest(settings: Settings, command: DigestCommand) -> anyhow::Result<()> {
    let db = Db::connect_and_migrate(&settings.database).await?;
    let state = build_state(settings, db).await?;
    match command {
        DigestCommand::Preview { html, newsletter } => {
            let audience = audience(&state, newsletter.as_deref()).await?;
            match digests::preview(&state, &audience.newsletter).await? {
                Some(preview) => {
                    println!("Subject: {}", preview.subject);
                    println!("Recipients: {}\n", preview.recipients);
                    println!("{}", if html { &preview.html } else { &preview.text });
                }
                None => anyhow::bail!("{}", digests::NOTHING_NEW),
            }
        }
        DigestCommand::Send { newsletter } => {
            let audience = audience(&state, newsletter.as_deref()).await?;
            send_digest(state, &audience).await?
        }
    }
    Ok(())
}

/// The readers of the newsletter named (the default one when none is) on its own schedule.
async fn audience(
    state: &crate::state::AppState,
    slug: Option<&str>,
) -> anyhow::Result<digests::Audience> {
    let newsletter = crate::newsletters::queries::find_named(&state.db.pool, slug)
        .await?
        .with_context(|| format!("there is no newsletter {:?}", slug.unwrap_or_default()))?;
    Ok(digests::Audience {
        newsletter,
        cadence: crate::newsletters::Cadence::Scheduled,
    })
}

async fn doctor(settings: Settings) -> anyhow::Result<()> {
    let db = Db::connect_and_migrate(&settings.database).await?;
    let state = build_state(settings, db).await?;
    let checks = crate::doctor::run(&state).await;
    let width = checks.iter().map(|c| c.name.len()).max().unwrap_or(0);
    for check in &checks {
        println!(
            "{:<4}  {:<width$}  {}",
            check.verdict.as_str(),
            check.name,
            check.found
        );
        if !check.fix.is_empty() {
            println!("{:<4}  {:<width$}  fix: {}", "", "", check.fix);
        }
    }
    let failed = checks
        .iter()
        .filter(|c| c.verdict == crate::doctor::Verdict::Fail)
        .count();
    if failed > 0 {
        anyhow::bail!("{failed} check(s) failed");
    }
    Ok(())
}

/// Creates the digests and runs delivery workers here until they are done.
async fn send_digest(
    state: crate::state::AppState,
    audience: &digests::Audience,
) -> anyhow::Result<()> {
    let created = digests::create(
        &state,
        audience,
        None,
        digests::Composition::default(),
        "cli",
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    let shutdown = CancellationToken::new();
    let workers = tokio::spawn(workers::run(state.clone(), shutdown.clone()));
    let status = total_status(&state, &created.ids).await?;
    let bar = ProgressBar::new(status.total as u64).with_style(
        ProgressStyle::with_template(
            "{bar:40} {pos}/{len} sent or failed, {per_sec}, {eta} left {msg}",
        )
        .expect("a valid template"),
    );
    let last = loop {
        let status = total_status(&state, &created.ids).await?;
        bar.set_position((status.total - status.pending) as u64);
        bar.set_message(format!("({} failed)", status.failed));
        if status.status.is_finished() {
            break status;
        }
        tokio::select! {
            // Counting is a pass over the digest's rows: often enough for a person to watch.
            _ = tokio::time::sleep(Duration::from_millis(500)) => {}
            _ = tokio::signal::ctrl_c() => {
                bar.abandon_with_message("stopped; the rest goes out with the next `serve` or `digest send`");
                break status;
            }
        }
    };
    bar.finish();
    shutdown.cancel();
    workers.await?;
    let ids: Vec<String> = created.ids.iter().map(i64::to_string).collect();
    println!(
        "digest {} {}: {} sent, {} failed, {} cancelled, {} pending of {}{}",
        ids.join(", "),
        last.status,
        last.sent,
        last.failed,
        last.cancelled,
        last.pending,
        last.total,
        match created.skipped {
            0 => String::new(),
            n => format!(" ({n} readers had nothing new)"),
        }
    );
    Ok(())
}

/// The digests of one send counted together: sent when every one is.
async fn total_status(
    state: &crate::state::AppState,
    ids: &[i64],
) -> anyhow::Result<digests::DigestStatus> {
    let mut total: Option<digests::DigestStatus> = None;
    for id in ids {
        let status = state
            .progress
            .status(&state.db.pool, *id)
            .await?
            .context("the new digest")?;
        total = Some(match total {
            None => status,
            Some(mut sum) => {
                sum.total += status.total;
                sum.sent += status.sent;
                sum.failed += status.failed;
                sum.pending += status.pending;
                sum.cancelled += status.cancelled;
                if !status.status.is_finished() {
                    sum.status = status.status;
                }
                sum
            }
        });
    }
    total.context("no digest was made")
}
