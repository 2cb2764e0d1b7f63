//! Bounce and complaint messages as they land in a mailbox: delivery status notifications
//! (RFC 3464, `multipart/report; report-type=delivery-status`), abuse reports (ARF, RFC 5965,
//! `report-type=feedback-report`), and, as a best effort, the plain-text bounces some servers
//! still send. Each is read into `Report`s; the reader is found through the VERP address the
//! bounce came back to, the Message-ID of the returned message, or the address it reports.

use mail_parser::{HeaderValue, Message, MessageParser, MimeHeaders, PartType};
use sha2::{Digest, Sha256};

use super::{Kind, Report, Source, enhanced_status};

/// What a raw message from the bounce mailbox is, read as well as it can be. `is_ours` tells
/// a return path this service signed from any other address (anyone can write to the
/// mailbox; only a signed return path names a reader).
pub fn read(raw: &[u8], is_ours: impl Fn(&str) -> bool) -> Vec<Report> {
    let Some(message) = MessageParser::default().parse(raw) else {
        return Vec::new();
    };
    let key = message
        .message_id()
        .map(str::to_string)
        .unwrap_or_else(|| hex::encode(Sha256::digest(raw)));
    let envelope = Envelope::of(&message, is_ours);
    if envelope.return_path.is_none() {
        // Names no reader this service can vouch for: left for a person.
        return Vec::new();
    }
    let report_type = message
        .content_type()
        .filter(|ct| ct.ctype().eq_ignore_ascii_case("multipart"))
        .and_then(|ct| ct.attribute("report-type"))
        .map(str::to_ascii_lowercase);
    match report_type.as_deref() {
        Some("delivery-status") => delivery_status(&message, &envelope, &key),
        Some("feedback-report") => feedback_report(&message, &envelope, &key),
        _ => plain_bounce(&message, &envelope, &key),
    }
}

/// What the report says of the bounced message itself: where the bounce was sent (our VERP
/// address) and the Message-ID of the returned original.
struct Envelope {
    return_path: Option<String>,
    message_id: Option<String>,
}

impl Envelope {
    fn of(message: &Message<'_>, is_ours: impl Fn(&str) -> bool) -> Envelope {
        // Where the bounce was delivered (the return path it came back to), else the return
        // path the returned message itself carries (feedback loops send reports elsewhere).
        let delivered = ["Delivered-To", "X-Original-To", "Envelope-To", "To"]
            .iter()
            .filter_map(|name| header_text(message, name))
            .flat_map(|text| addresses_in(&text));
        let returned = returned_fields(message, &["return-path", "original-mail-from"])
            .into_iter()
            .flat_map(|text| addresses_in(&text));
        let return_path = delivered.chain(returned).find(|address| is_ours(address));
        Envelope {
            return_path,
            message_id: returned_message_id(message),
        }
    }

    fn report(
        &self,
        kind: Kind,
        address: Option<String>,
        status: Option<String>,
        diagnostic: Option<String>,
        key: String,
    ) -> Report {
        Report {
            source: Source::Imap,
            kind,
            address,
            message_id: self.message_id.clone(),
            return_path: self.return_path.clone(),
            status_code: status,
            diagnostic,
            key,
        }
    }
}

fn header_text(message: &Message<'_>, name: &str) -> Option<String> {
    match message.header(name)? {
        HeaderValue::Text(text) => Some(text.to_string()),
        HeaderValue::TextList(list) => Some(list.join(", ")),
        HeaderValue::Address(address) => Some(
            address
                .iter()
                .filter_map(|a| a.address())
                .collect::<Vec<_>>()
                .join(", "),
        ),
        _ => None,
    }
}

/// Bare addresses in a header or a line of text.
fn addresses_in(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || matches!(c, ',' | '<' | '>' | ';' | '"' | '(' | ')'))
        .filter(|word| word.contains('@') && !word.starts_with('@'))
        .map(|word| word.trim_matches('.').to_string())
        .collect()
}

/// Values of `names` in the parts that return the original message (its headers, attached
/// whole or alone) and in the machine-readable report.
fn returned_fields(message: &Message<'_>, names: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for part in message.parts.iter().skip(1) {
        let text = match &part.body {
            PartType::Message(original) => {
                for name in names {
                    if let Some(value) = header_text(original, name) {
                        found.push(value);
                    }
                }
                continue;
            }
            PartType::Text(text) => text.to_string(),
            _ => String::from_utf8_lossy(part.contents()).into_owned(),
        };
        for name in names {
            if let Some(value) = field_in(&text, name) {
                found.push(value);
            }
        }
    }
    found
}

/// The Message-ID of the original message a report returns, whether attached whole
/// (`message/rfc822`) or as headers only (`text/rfc822-headers`), or quoted in plain text.
fn returned_message_id(message: &Message<'_>) -> Option<String> {
    for part in message.parts.iter().skip(1) {
        match &part.body {
            PartType::Message(original) => {
                if let Some(id) = original.message_id() {
                    return Some(id.to_string());
                }
            }
            PartType::Text(text) if is(part.content_type(), "text", "rfc822-headers") => {
                if let Some(id) = field_in(text, "message-id") {
                    return Some(id);
                }
            }
            _ => {}
        }
    }
    // Quoted headers in a plain bounce.
    message
        .parts
        .iter()
        .filter_map(|part| match &part.body {
            PartType::Text(text) => field_in(text, "message-id"),
            _ => None,
        })
        .find(|id| super::from_message_id(id).is_some())
}

fn is(content_type: Option<&mail_parser::ContentType<'_>>, ctype: &str, subtype: &str) -> bool {
    content_type.is_some_and(|ct| {
        ct.ctype().eq_ignore_ascii_case(ctype)
            && ct
                .subtype()
                .is_some_and(|s| s.eq_ignore_ascii_case(subtype))
    })
}

/// The value of `name:` on a line of `text` (case-insensitive), angle brackets kept.
fn field_in(text: &str, name: &str) -> Option<String> {
    text.lines().find_map(|line| {
        let (field, value) = line.split_once(':')?;
        field
            .trim()
            .eq_ignore_ascii_case(name)
            .then(|| value.trim().to_string())
            .filter(|v| !v.is_empty())
    })
}

/// The machine-readable part of a report (`message/delivery-status`,
/// `message/feedback-report`): blocks of header-like fields, folded lines unfolded.
fn field_blocks(message: &Message<'_>, subtype: &str) -> Vec<Vec<(String, String)>> {
    let Some(part) = message
        .parts
        .iter()
        .find(|part| is(part.content_type(), "message", subtype))
    else {
        return Vec::new();
    };
    let text = String::from_utf8_lossy(part.contents()).replace("\r\n", "\n");
    text.split("\n\n")
        .map(|block| {
            let mut fields: Vec<(String, String)> = Vec::new();
            for line in block.lines() {
                if line.starts_with([' ', '\t']) {
                    if let Some((_, value)) = fields.last_mut() {
                        value.push(' ');
                        value.push_str(line.trim());
                    }
                } else if let Some((name, value)) = line.split_once(':') {
                    fields.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
                }
            }
            fields
        })
        .filter(|fields| !fields.is_empty())
        .collect()
}

fn field<'a>(fields: &'a [(String, String)], name: &str) -> Option<&'a str> {
    fields
        .iter()
        .find(|(n, _)| n == name)
        .map(|(_, value)| value.as_str())
}

/// `rfc822; ada@example.com` → `ada@example.com`.
fn typed_address(value: &str) -> String {
    value
        .split_once(';')
        .map_or(value, |(_, address)| address)
        .trim()
        .trim_matches(['<', '>'])
        .to_string()
}

fn delivery_status(message: &Message<'_>, envelope: &Envelope, key: &str) -> Vec<Report> {
    let blocks = field_blocks(message, "delivery-status");
    // The first block is about the message; each later one about one recipient.
    blocks
        .iter()
        .skip(1)
        .filter_map(|fields| {
            let action = field(fields, "action")?.to_ascii_lowercase();
            let status = field(fields, "status").map(str::to_string);
            let kind = match (
                action.as_str(),
                status.as_deref().and_then(|s| s.chars().next()),
            ) {
                ("failed", Some('4')) => Kind::Soft,
                ("failed", _) => Kind::Hard,
                // `delayed`: the server keeps trying; `delivered`, `relayed`, `expanded`: fine.
                _ => return None,
            };
            let recipient = field(fields, "final-recipient")
                .or_else(|| field(fields, "original-recipient"))
                .map(typed_address);
            let diagnostic = field(fields, "diagnostic-code").map(without_type);
            let event_key = format!(
                "{key}:{}",
                recipient
                    .as_deref()
                    .unwrap_or_default()
                    .to_ascii_lowercase()
            );
            Some(envelope.report(kind, recipient, status, diagnostic, event_key))
        })
        .collect()
}

/// `smtp; 550 5.1.1 user unknown` → `550 5.1.1 user unknown`.
fn without_type(value: &str) -> String {
    value
        .split_once(';')
        .map_or(value, |(_, rest)| rest)
        .trim()
        .to_string()
}

fn feedback_report(message: &Message<'_>, envelope: &Envelope, key: &str) -> Vec<Report> {
    let blocks = field_blocks(message, "feedback-report");
    let Some(fields) = blocks.first() else {
        return Vec::new();
    };
    let feedback_type = field(fields, "feedback-type")
        .unwrap_or("abuse")
        .to_ascii_lowercase();
    // `abuse` and `fraud` are complaints; `not-spam`, `virus`, `other` are not about the reader.
    if !matches!(feedback_type.as_str(), "abuse" | "fraud") {
        return Vec::new();
    }
    let recipient = field(fields, "original-rcpt-to")
        .map(typed_address)
        .or_else(|| {
            message.parts.iter().find_map(|part| match &part.body {
                PartType::Message(original) => original
                    .to()
                    .and_then(|to| to.first())
                    .and_then(|a| a.address())
                    .map(str::to_string),
                PartType::Text(text) if is(part.content_type(), "text", "rfc822-headers") => {
                    field_in(text, "to").and_then(|to| addresses_in(&to).into_iter().next())
                }
                _ => None,
            })
        });
    let event_key = format!(
        "{key}:{}",
        recipient
            .as_deref()
            .unwrap_or_default()
            .to_ascii_lowercase()
    );
    vec![envelope.report(
        Kind::Complaint,
        recipient,
        None,
        Some(format!("feedback type {feedback_type}")),
        event_key,
    )]
}

/// A bounce in prose: believed only when it names a reader through our VERP address or our
/// Message-ID, and carries a status code that says how bad it is.
fn plain_bounce(message: &Message<'_>, envelope: &Envelope, key: &str) -> Vec<Report> {
    if envelope.return_path.is_none()
        && envelope
            .message_id
            .as_deref()
            .and_then(super::from_message_id)
            .is_none()
    {
        return Vec::new();
    }
    let Some(text) = message.body_text(0) else {
        return Vec::new();
    };
    let Some(status) = text.lines().find_map(enhanced_status).map(str::to_string) else {
        return Vec::new();
    };
    let kind = match status.chars().next() {
        Some('5') => Kind::Hard,
        Some('4') => Kind::Soft,
        _ => return Vec::new(),
    };
    let diagnostic = text
        .lines()
        .find(|line| enhanced_status(line).is_some())
        .map(|line| line.trim().to_string());
    vec![envelope.report(kind, None, Some(status), diagnostic, format!("{key}:plain"))]
}
