mod commands;

use std::path::PathBuf;

use clap::{Parser, Subcommand};

pub use commands::run;

/// Tidings: newsletter signup with recorded consent, double opt-in and digests.
///
/// Configuration comes from config/default.toml, then config/local.toml, then
/// TIDINGS_<SECTION>__<KEY> environment variables (e.g. TIDINGS_DATABASE__URL).
#[derive(Debug, Parser)]
#[command(name = "tidings", version, about, long_about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the web server and the background workers (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// API tokens for scripts calling /api/v1/.
    Token {
        #[command(subcommand)]
        command: TokenCommand,
    },
    /// Editor logins for the editors' pages (/editor).
    Editor {
        #[command(subcommand)]
        command: EditorCommand,
    },
    /// Readers: import, export, erasure, consent to older policy versions.
    Subscribers {
        #[command(subcommand)]
        command: SubscribersCommand,
    },
    /// The next digest.
    Digest {
        #[command(subcommand)]
        command: DigestCommand,
    },
    /// Deliverability checks (SPF, DKIM, DMARC, MX, https, one-click unsubscribe, signed
    /// List-Unsubscribe, postal address): ok, warn or fail, each with a fix. Exits 1 when a
    /// check fails.
    Doctor,
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Print a new token, alone on stdout. It is shown once; only its hash is kept.
    Create {
        #[arg(long)]
        name: String,
    },
    /// Revoke the token with this name.
    Revoke { name: String },
    /// List tokens (names and dates, never the tokens).
    List,
}

#[derive(Debug, Subcommand)]
pub enum EditorCommand {
    /// Create an editor; the password is read from stdin. An existing editor is refused:
    /// use `editor password` to change theirs.
    Create {
        #[arg(long)]
        email: String,
    },
    /// Set a new password for an editor (read from stdin) and end all of their sessions.
    Password {
        #[arg(long)]
        email: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum SubscribersCommand {
    /// Import readers from a CSV file with a header row: `email`, optionally `name` and
    /// `subscribed_at` (other columns are ignored). Rows that cannot be imported are
    /// written, with the reason, to FILE.rejected.csv beside it. Readers who unsubscribed,
    /// bounced or were erased are never brought back.
    Import {
        file: PathBuf,
        /// The readers already confirmed their address elsewhere and you vouch for their
        /// consent: they are confirmed at once. Without it they are pending and get a
        /// confirmation email (sent by the running service at mail.rate_per_second).
        #[arg(long)]
        confirmed: bool,
    },
    /// Write every reader to stdout (the CSV imports back).
    Export {
        #[arg(long, value_enum, default_value_t = ExportFormat::Csv)]
        format: ExportFormat,
        /// Only readers in this state: pending, confirmed, unsubscribed, bounced, all.
        #[arg(long, default_value = "all")]
        status: String,
    },
    /// Erase a reader: their data leaves every table and only a keyed hash of the address
    /// stays, so that no import brings them back. An address not on the list is
    /// suppressed all the same.
    Erase { email: String },
    /// List confirmed readers whose latest consent is for older policy versions than
    /// policy.privacy_version / policy.terms_version, and whether a digest has told them.
    StaleConsent,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub enum ExportFormat {
    Csv,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum DigestCommand {
    /// Print the next digest (subject, then the plain-text part; --html for the HTML part).
    Preview {
        #[arg(long)]
        html: bool,
        /// The newsletter (its slug); absent: the default one.
        #[arg(long)]
        newsletter: Option<String>,
    },
    /// Create the next digest now and deliver it, with a progress bar, until every reader
    /// has an outcome. Running servers share the work.
    Send {
        /// The newsletter (its slug); absent: the default one.
        #[arg(long)]
        newsletter: Option<String>,
    },
}
