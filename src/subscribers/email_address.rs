//! `EmailAddress`: an address that passed our rules, kept as typed, with the normalised key
//! used for uniqueness and the ASCII form used on the wire.

use validator::ValidateEmail;

/// RFC 5321 limits: 254 for the whole path, 64 for the local part.
const MAX_LEN: usize = 254;
const MAX_LOCAL_LEN: usize = 64;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EmailAddress {
    typed: String,
    key: String,
    ascii: String,
}

/// Why a typed address is not one Tidings can mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailProblem {
    ControlChars,
    Empty,
    TooLong,
    NoAt,
    Incomplete,
    LocalTooLong,
    Invalid,
    BadDomain,
    NoFullDomain,
}

impl EmailProblem {
    pub fn message(self) -> &'static str {
        match self {
            EmailProblem::ControlChars => {
                "an email address cannot contain line breaks or control characters"
            }
            EmailProblem::Empty => "please enter your email address",
            EmailProblem::TooLong => "this email address is too long (at most 254 characters)",
            EmailProblem::NoAt => "an email address needs an @, like name@example.com",
            EmailProblem::Incomplete => "please enter a full address, like name@example.com",
            EmailProblem::LocalTooLong => {
                "the part before the @ is too long (at most 64 characters)"
            }
            EmailProblem::Invalid => "this does not look like an email address",
            EmailProblem::BadDomain => "the domain of this address is not valid",
            EmailProblem::NoFullDomain => {
                "please use an address with a full domain name, like name@example.com"
            }
        }
    }

    /// Its message's id in the readers' words (errors.ftl).
    pub fn id(self) -> &'static str {
        match self {
            EmailProblem::ControlChars => "error-email-control-chars",
            EmailProblem::Empty => "error-email-empty",
            EmailProblem::TooLong => "error-email-too-long",
            EmailProblem::NoAt => "error-email-no-at",
            EmailProblem::Incomplete => "error-email-incomplete",
            EmailProblem::LocalTooLong => "error-email-local-too-long",
            EmailProblem::Invalid => "error-email-invalid",
            EmailProblem::BadDomain => "error-email-bad-domain",
            EmailProblem::NoFullDomain => "error-email-no-full-domain",
        }
    }
}

impl EmailAddress {
    /// Trims, checks and normalises. The error is the (English) message shown beside the field.
    pub fn parse(
        input: &str,
        case_sensitive_local_part: bool,
    ) -> Result<EmailAddress, &'static str> {
        EmailAddress::check(input, case_sensitive_local_part).map_err(EmailProblem::message)
    }

    /// `parse`, telling what is wrong so that a reader can be told in their language.
    pub fn check(
        input: &str,
        case_sensitive_local_part: bool,
    ) -> Result<EmailAddress, EmailProblem> {
        // Checked before anything else, trimming included: a CR or LF that reached a header
        // would let a client add headers or recipients of its own.
        if input.chars().any(char::is_control) {
            return Err(EmailProblem::ControlChars);
        }
        let typed = input.trim();
        if typed.is_empty() {
            return Err(EmailProblem::Empty);
        }
        if typed.len() > MAX_LEN {
            return Err(EmailProblem::TooLong);
        }
        let Some((local, domain)) = typed.rsplit_once('@') else {
            return Err(EmailProblem::NoAt);
        };
        if local.is_empty() || domain.is_empty() {
            return Err(EmailProblem::Incomplete);
        }
        if local.len() > MAX_LOCAL_LEN {
            return Err(EmailProblem::LocalTooLong);
        }
        let quoted = local.len() >= 2 && local.starts_with('"') && local.ends_with('"');
        // validator covers the common grammar; quoted local parts ("john smith"@example.com)
        // are valid RFC 5322 that it does not know, so lettre's stricter parser judges those.
        if !quoted && !typed.validate_email() {
            return Err(EmailProblem::Invalid);
        }
        let ascii_domain = idna::domain_to_ascii(domain).map_err(|_| EmailProblem::BadDomain)?;
        let top_label = ascii_domain.rsplit('.').next().unwrap_or("");
        if domain.starts_with('[')
            || !ascii_domain.contains('.')
            || top_label.chars().all(|c| c.is_ascii_digit())
        {
            return Err(EmailProblem::NoFullDomain);
        }
        let ascii = format!("{local}@{ascii_domain}");
        if ascii.parse::<lettre::Address>().is_err() {
            return Err(EmailProblem::Invalid);
        }
        let key_local = if case_sensitive_local_part {
            local.to_string()
        } else {
            local.to_lowercase()
        };
        Ok(EmailAddress {
            typed: typed.to_string(),
            key: format!("{key_local}@{ascii_domain}"),
            ascii,
        })
    }

    pub fn as_str(&self) -> &str {
        &self.typed
    }

    /// The form compared for uniqueness.
    pub fn key(&self) -> &str {
        &self.key
    }

    /// The key with the local part folded too, whatever `case_sensitive_local_part` says:
    /// suppression errs on the side of leaving a reader alone.
    pub fn folded_key(&self) -> String {
        self.key.to_lowercase()
    }

    /// The address with its domain in punycode, as SMTP servers without SMTPUTF8 accept it.
    pub fn ascii(&self) -> &str {
        &self.ascii
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> Result<EmailAddress, &'static str> {
        EmailAddress::parse(s, false)
    }

    #[test]
    fn keeps_the_address_as_typed_and_keys_it_case_insensitively() {
        let address = parse("  Ada.Lovelace+news@Example.COM ").unwrap();
        assert_eq!(address.as_str(), "Ada.Lovelace+news@Example.COM");
        assert_eq!(address.key(), "ada.lovelace+news@example.com");
    }

    #[test]
    fn case_sensitive_local_parts_still_fold_the_domain() {
        let address = EmailAddress::parse("Ada@Example.com", true).unwrap();
        assert_eq!(address.key(), "Ada@example.com");
    }

    #[test]
    fn idn_domains_are_keyed_and_sent_in_punycode() {
        let address = parse("jörg@bücher.example").unwrap_err();
        assert!(
            address.contains("email"),
            "non-ASCII local parts need SMTPUTF8: {address}"
        );
        let address = parse("joerg@Bücher.example").unwrap();
        assert_eq!(address.ascii(), "joerg@xn--bcher-kva.example");
        assert_eq!(
            address.key(),
            parse("JOERG@xn--bcher-kva.example").unwrap().key()
        );
    }

    #[test]
    fn rejects_control_characters_before_anything_else() {
        assert!(
            parse("ada@example.com\r\nBcc: x@evil.test")
                .unwrap_err()
                .contains("line breaks")
        );
        assert!(parse("ada\t@example.com").unwrap_err().contains("control"));
    }

    #[test]
    fn enforces_the_length_limits() {
        let local = "a".repeat(65);
        assert!(
            parse(&format!("{local}@example.com"))
                .unwrap_err()
                .contains("64")
        );
        let domain = format!("{}.example.com", ["abcdefghij"; 24].join("."));
        assert!(parse(&format!("ada@{domain}")).unwrap_err().contains("254"));
    }
}
