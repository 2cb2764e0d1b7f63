//! `tidings subscribers import FILE.csv [--confirmed]`: readers from another tool, streamed
//! row by row (memory holds one batch and an 8-byte fingerprint per address for spotting
//! duplicates, never the file), every row checked by the signup rules, written a batch per
//! transaction. Nobody who unsubscribed, bounced or was erased is brought back. Rows that
//! are skipped go, with their reason, to `FILE.rejected.csv` beside the input.
//!
//! Without `--confirmed` new readers are pending and get a confirmation email (sent by the
//! running service at `mail.rate_per_second`); with it the editor vouches for their earlier
//! consent and they are confirmed at once. Either way the consent log says it was an import.

use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::path::{Path, PathBuf};

use anyhow::Context;
use sha2::{Digest, Sha256};

use super::queries::{self, Existing, Imported};
use super::signup::SignupRequest;
use super::{EmailAddress, SubscriptionStatus, suppression};
use crate::consent::{self, ClientInfo, ConsentEvent, ConsentSource, ConsentStatement, Evidence};
use crate::db::{self, Millis};
use crate::outbox::{self, OutboxKind};
use crate::state::AppState;

/// Rows per transaction: large enough that commits are cheap per row, small enough that the
/// statements stay under every backend's parameter limit and the writer lock is brief.
const BATCH: usize = 500;
/// Skipped rows listed in the summary; all of them are in the rejected file.
const LISTED: usize = 20;

#[derive(Debug, Default)]
pub struct ImportReport {
    pub rows: u64,
    pub imported: u64,
    pub updated: u64,
    pub unchanged: u64,
    pub skipped: u64,
    /// (row number in the file, header being row 1; reason) of the first skipped rows.
    pub first_skipped: Vec<(u64, String)>,
    /// Skipped rows by reason.
    pub reasons: HashMap<String, u64>,
    pub ignored_columns: Vec<String>,
    pub rejected_file: Option<PathBuf>,
}

/// A row that passed the signup rules.
struct Row {
    line: u64,
    record: csv::ByteRecord,
    email: EmailAddress,
    name: Option<String>,
    subscribed_at: Option<Millis>,
}

struct Columns {
    email: usize,
    name: Option<usize>,
    subscribed_at: Option<usize>,
}

pub fn rejected_path(input: &Path) -> PathBuf {
    let stem = input
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "import".to_string());
    input.with_file_name(format!("{stem}.rejected.csv"))
}

/// Imports `path`; `progress` is told how many bytes have been read.
pub async fn import(
    state: &AppState,
    path: &Path,
    confirmed: bool,
    progress: &dyn Fn(u64),
) -> anyhow::Result<ImportReport> {
    let file = std::fs::File::open(path).with_context(|| format!("opening {}", path.display()))?;
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(std::io::BufReader::with_capacity(1 << 16, file));
    let headers = reader
        .byte_headers()
        .with_context(|| format!("reading the header row of {}", path.display()))?
        .clone();
    let mut report = ImportReport::default();
    let columns = find_columns(&headers, &mut report.ignored_columns)
        .with_context(|| format!("{}", path.display()))?;
    let statement = ConsentStatement::for_import(&state.settings.policy, confirmed);
    statement.register(&state.db, db::now()).await?;
    let form = format!(
        "csv:{}",
        path.file_name().unwrap_or_default().to_string_lossy()
    );
    let mut import = Import {
        state,
        confirmed,
        statement,
        form,
        report,
        rejected: Rejected::new(rejected_path(path), &headers),
        seen: HashMap::new(),
    };

    let mut batch = Vec::with_capacity(BATCH);
    let mut record = csv::ByteRecord::new();
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(err) if err.is_io_error() => {
                return Err(err).with_context(|| format!("reading {}", path.display()));
            }
            Err(err) => {
                // A malformed row (bad quoting): skip it, keep going.
                let line = err.position().map_or(0, |p| p.line());
                import.skip(line, &record, &format!("not readable as CSV: {err}"))?;
                continue;
            }
        }
        import.report.rows += 1;
        let line = record.position().map_or(0, |p| p.line());
        match import.check(&columns, line, &record) {
            Ok(row) => batch.push(row),
            Err(reason) => import.skip(line, &record, &reason)?,
        }
        if batch.len() == BATCH {
            import.write_batch(std::mem::take(&mut batch)).await?;
            progress(record.position().map_or(0, |p| p.byte()));
        }
    }
    import.write_batch(batch).await?;
    progress(std::fs::metadata(path).map(|m| m.len()).unwrap_or(0));
    import.finish()
}

fn find_columns(headers: &csv::ByteRecord, ignored: &mut Vec<String>) -> anyhow::Result<Columns> {
    let mut email = None;
    let mut name = None;
    let mut subscribed_at = None;
    for (index, header) in headers.iter().enumerate() {
        let header = String::from_utf8_lossy(header);
        // Spreadsheets like to start a file with a byte-order mark.
        let header = header.trim_start_matches('\u{feff}').trim().to_lowercase();
        match header.as_str() {
            "email" if email.is_none() => email = Some(index),
            "name" if name.is_none() => name = Some(index),
            "subscribed_at" if subscribed_at.is_none() => subscribed_at = Some(index),
            _ => ignored.push(header),
        }
    }
    let email = email.ok_or_else(|| {
        anyhow::anyhow!(
            "the header row has no `email` column (columns: {}); expected email, and optionally name and subscribed_at",
            ignored.join(", ")
        )
    })?;
    Ok(Columns {
        email,
        name,
        subscribed_at,
    })
}

/// RFC 3339 (`2024-05-01T09:30:00Z`), `2024-05-01 09:30:00` (UTC) or a date (`2024-05-01`).
fn parse_subscribed_at(text: &str) -> Option<Millis> {
    if let Ok(time) = chrono::DateTime::parse_from_rfc3339(text) {
        return Some(time.timestamp_millis());
    }
    if let Ok(time) = chrono::NaiveDateTime::parse_from_str(text, "%Y-%m-%d %H:%M:%S") {
        return Some(time.and_utc().timestamp_millis());
    }
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|t| t.and_utc().timestamp_millis())
}

struct Import<'a> {
    state: &'a AppState,
    confirmed: bool,
    statement: ConsentStatement,
    form: String,
    report: ImportReport,
    rejected: Rejected,
    /// Fingerprint of each address seen -> its row, to name the first in a duplicate. 64
    /// bits: two of a million addresses share one with odds of about 1 in 37 million, and
    /// then the second is skipped as a duplicate and kept in the rejected file, not lost.
    seen: HashMap<u64, u64>,
}

impl Import<'_> {
    fn check(
        &mut self,
        columns: &Columns,
        line: u64,
        record: &csv::ByteRecord,
    ) -> Result<Row, String> {
        let field = |index: Option<usize>| -> Result<Option<String>, String> {
            match index.and_then(|i| record.get(i)) {
                None => Ok(None),
                Some(bytes) => std::str::from_utf8(bytes)
                    .map(|s| Some(s.trim().to_string()).filter(|s| !s.is_empty()))
                    .map_err(|_| "the row is not valid UTF-8 text".to_string()),
            }
        };
        let email = field(Some(columns.email))?.unwrap_or_default();
        let name = field(columns.name)?;
        let subscribed_at = match field(columns.subscribed_at)? {
            None => None,
            Some(text) => match parse_subscribed_at(&text) {
                Some(at) if at <= db::now() => Some(at),
                Some(_) => return Err("subscribed_at: is in the future".to_string()),
                None => {
                    return Err(format!(
                        "subscribed_at: {text:?} is not a date like 2024-05-01 or 2024-05-01T09:30:00Z"
                    ));
                }
            },
        };
        // The signup rules, consent aside: the editor vouches for it.
        let request = SignupRequest {
            email,
            name,
            consent: true,
            source: None,
            website: None,
            ..Default::default()
        };
        let new = request
            .parse(
                self.state.settings.signup.case_sensitive_local_part,
                &self
                    .state
                    .words(self.state.settings.newsletter.default_locale),
            )
            .map_err(|fields| {
                fields
                    .iter()
                    .map(|(field, message)| format!("{field}: {message}"))
                    .collect::<Vec<_>>()
                    .join("; ")
            })?;
        let digest = Sha256::digest(new.email.key().as_bytes());
        let fingerprint = u64::from_le_bytes(digest[..8].try_into().expect("8 of 32 bytes"));
        match self.seen.entry(fingerprint) {
            Entry::Occupied(first) => return Err(format!("duplicate of row {}", first.get())),
            Entry::Vacant(slot) => {
                slot.insert(line);
            }
        }
        Ok(Row {
            line,
            record: record.clone(),
            email: new.email,
            name: new.name,
            subscribed_at,
        })
    }

    fn skip(&mut self, line: u64, record: &csv::ByteRecord, reason: &str) -> anyhow::Result<()> {
        self.report.skipped += 1;
        if self.report.first_skipped.len() < LISTED {
            self.report.first_skipped.push((line, reason.to_string()));
        }
        // Grouped by kind: the part before any row-specific detail.
        let kind = reason.split(['"', '(']).next().unwrap_or(reason).trim();
        let kind = if kind.starts_with("duplicate of row") {
            "duplicate in the file"
        } else {
            kind
        };
        *self.report.reasons.entry(kind.to_string()).or_default() += 1;
        self.rejected.write(line, record, reason)
    }

    async fn write_batch(&mut self, rows: Vec<Row>) -> anyhow::Result<()> {
        if rows.is_empty() {
            return Ok(());
        }
        let state = self.state;
        let now = db::now();
        let key = &state.keys.suppression;
        let hashes: Vec<String> = rows
            .iter()
            .map(|r| suppression::address_hash(key, &r.email))
            .collect();
        let mut tx = state.db.begin().await?;
        let keys: Vec<&str> = rows.iter().map(|r| r.email.key()).collect();
        let existing = queries::existing_among(&mut tx, &keys).await?;
        let suppressed = suppression::suppressed_among(&mut tx, &hashes).await?;

        let mut new_rows = Vec::new();
        let mut promoted = Vec::new();
        let mut skips = Vec::new();
        for (row, hash) in rows.iter().zip(&hashes) {
            if suppressed.contains(hash) {
                skips.push((
                    row,
                    "erased at the reader's request; only they can sign up again",
                ));
                continue;
            }
            match existing.get(row.email.key()) {
                None => new_rows.push(row),
                Some(reader) => match self.update(&mut tx, row, reader, now).await? {
                    Change::Skip(reason) => skips.push((row, reason)),
                    Change::Updated { promoted: true } => {
                        self.report.updated += 1;
                        promoted.push(reader.id);
                    }
                    Change::Updated { promoted: false } => self.report.updated += 1,
                    Change::Unchanged => self.report.unchanged += 1,
                },
            }
        }

        let status = if self.confirmed {
            SubscriptionStatus::Confirmed
        } else {
            SubscriptionStatus::Pending
        };
        let imported: Vec<Imported> = new_rows
            .iter()
            .map(|row| Imported {
                email: row.email.as_str(),
                email_key: row.email.key(),
                name: row.name.as_deref(),
                subscribed_at: row.subscribed_at.unwrap_or(now),
            })
            .collect();
        let ids = queries::insert_imported(
            &mut tx,
            &imported,
            status,
            self.state.settings.newsletter.default_locale,
            now,
        )
        .await?;
        let mut new_ids = Vec::with_capacity(ids.len());
        for row in &new_rows {
            match ids.get(row.email.key()) {
                Some(id) => new_ids.push(*id),
                None => skips.push((row, "signed up while the import ran; left as they are")),
            }
        }
        self.report.imported += new_ids.len() as u64;

        let client = ClientInfo {
            ip: None,
            user_agent: Some("tidings subscribers import".to_string()),
        };
        // Imports join the default newsletter.
        let newsletter = crate::newsletters::queries::find_default(&mut *tx).await?;
        let evidence = Evidence {
            statement: &self.statement,
            source: ConsentSource::Import,
            form: Some(&self.form),
            client: &client,
            newsletters: Some(&newsletter.slug),
        };
        let granted: Vec<i64> = new_ids.iter().chain(&promoted).copied().collect();
        super::subscriptions::add_imported(&mut tx, &granted, self.confirmed, now).await?;
        consent::insert_events_bulk(&mut tx, &granted, ConsentEvent::Granted, &evidence, now)
            .await?;
        if self.confirmed {
            consent::insert_events_bulk(&mut tx, &granted, ConsentEvent::Confirmed, &evidence, now)
                .await?;
        } else {
            outbox::enqueue_many(&mut tx, OutboxKind::Confirmation, &new_ids, now).await?;
        }
        tx.commit().await?;
        for (row, reason) in skips {
            let (line, record) = (row.line, row.record.clone());
            self.skip(line, &record, reason)?;
        }
        Ok(())
    }

    async fn update(
        &self,
        tx: &mut db::Tx<'_>,
        row: &Row,
        reader: &Existing,
        now: Millis,
    ) -> sqlx::Result<Change> {
        if reader.status == SubscriptionStatus::Unsubscribed {
            return Ok(Change::Skip(
                "unsubscribed; an import never resubscribes a reader",
            ));
        }
        if reader.bounced {
            return Ok(Change::Skip("mail to this address bounced"));
        }
        let rename = row.name.is_some() && row.name != reader.name;
        let promote = self.confirmed && reader.status == SubscriptionStatus::Pending;
        if !rename && !promote {
            return Ok(Change::Unchanged);
        }
        queries::update_imported(
            tx,
            reader.id,
            row.name.as_deref().filter(|_| rename),
            promote,
            now,
        )
        .await?;
        Ok(Change::Updated { promoted: promote })
    }

    fn finish(mut self) -> anyhow::Result<ImportReport> {
        self.report.rejected_file = self.rejected.finish()?;
        tracing::info!(
            imported = self.report.imported,
            updated = self.report.updated,
            unchanged = self.report.unchanged,
            skipped = self.report.skipped,
            "import finished"
        );
        Ok(self.report)
    }
}

enum Change {
    Skip(&'static str),
    Updated { promoted: bool },
    Unchanged,
}

/// `FILE.rejected.csv`: the skipped rows as they were, with their row number and reason;
/// created at the first skipped row. An older one is removed when nothing is skipped, so
/// that it never describes another run.
struct Rejected {
    path: PathBuf,
    headers: csv::ByteRecord,
    writer: Option<csv::Writer<std::fs::File>>,
}

impl Rejected {
    fn new(path: PathBuf, headers: &csv::ByteRecord) -> Rejected {
        Rejected {
            path,
            headers: headers.clone(),
            writer: None,
        }
    }

    fn write(&mut self, line: u64, record: &csv::ByteRecord, reason: &str) -> anyhow::Result<()> {
        if self.writer.is_none() {
            let mut writer = csv::WriterBuilder::new()
                .flexible(true)
                .from_path(&self.path)
                .with_context(|| format!("creating {}", self.path.display()))?;
            let mut headers = csv::ByteRecord::new();
            headers.push_field(b"row");
            headers.push_field(b"reason");
            headers.extend(self.headers.iter());
            writer.write_byte_record(&headers)?;
            self.writer = Some(writer);
        }
        let writer = self.writer.as_mut().expect("created above");
        let mut out = csv::ByteRecord::new();
        out.push_field(line.to_string().as_bytes());
        out.push_field(reason.as_bytes());
        out.extend(record.iter());
        writer.write_byte_record(&out)?;
        Ok(())
    }

    fn finish(self) -> anyhow::Result<Option<PathBuf>> {
        match self.writer {
            Some(mut writer) => {
                writer.flush()?;
                Ok(Some(self.path))
            }
            None => {
                if self.path.exists() {
                    std::fs::remove_file(&self.path)
                        .with_context(|| format!("removing the old {}", self.path.display()))?;
                }
                Ok(None)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subscribed_at_takes_the_usual_spellings() {
        let day = parse_subscribed_at("2024-05-01").unwrap();
        assert_eq!(parse_subscribed_at("2024-05-01T00:00:00Z"), Some(day));
        assert_eq!(parse_subscribed_at("2024-05-01 00:00:00"), Some(day));
        assert_eq!(parse_subscribed_at("2024-05-01T02:00:00+02:00"), Some(day));
        assert_eq!(parse_subscribed_at("May 1st"), None);
    }

    #[test]
    fn the_rejected_file_sits_beside_the_input() {
        assert_eq!(
            rejected_path(Path::new("/data/list.csv")),
            PathBuf::from("/data/list.rejected.csv")
        );
    }
}
