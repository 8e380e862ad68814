//! Outgoing mail. With SMTP configured mail goes to the server; without it every message is written
//! as an `.eml` file into `data/outbox/`, so nothing is ever lost and tests can read what was sent.

use std::path::PathBuf;

use lettre::message::{header::ContentType, Mailbox, Message, MultiPart, SinglePart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{FileTransport, SmtpTransport, Transport};

use crate::config::{Config, SmtpTls};

#[derive(Debug, thiserror::Error)]
pub enum MailError {
    #[error("invalid address {0:?}")]
    Address(String),
    #[error("cannot build message: {0}")]
    Build(String),
    #[error("cannot send: {0}")]
    Send(String),
}

#[derive(Clone)]
enum Transport_ {
    Smtp(SmtpTransport),
    Outbox(PathBuf),
}

#[derive(Clone)]
pub struct Mailer {
    from: Mailbox,
    transport: Transport_,
}

/// One email ready to send: a plain-text body and an optional HTML alternative.
pub struct Email {
    pub to: String,
    pub to_name: Option<String>,
    pub subject: String,
    pub text: String,
    pub html: Option<String>,
}

impl Mailer {
    pub fn from_config(config: &Config) -> Result<Mailer, MailError> {
        let from: Mailbox = config
            .mail_from
            .parse()
            .map_err(|_| MailError::Address(config.mail_from.clone()))?;
        let transport = match &config.smtp {
            Some(smtp) => {
                let builder = match smtp.tls {
                    SmtpTls::Tls => SmtpTransport::relay(&smtp.host),
                    SmtpTls::StartTls => SmtpTransport::starttls_relay(&smtp.host),
                    SmtpTls::None => Ok(SmtpTransport::builder_dangerous(&smtp.host)),
                }
                .map_err(|e| MailError::Send(e.to_string()))?;
                let mut builder = builder.port(smtp.port);
                if let (Some(u), Some(p)) = (&smtp.username, &smtp.password) {
                    builder = builder.credentials(Credentials::new(u.clone(), p.clone()));
                }
                Transport_::Smtp(builder.build())
            }
            None => Transport_::Outbox(config.outbox_dir()),
        };
        Ok(Mailer { from, transport })
    }

    /// Sends one email. Blocking: call it from a blocking task.
    pub fn send(&self, email: &Email) -> Result<(), MailError> {
        let to = Mailbox::new(
            email.to_name.clone(),
            email
                .to
                .parse()
                .map_err(|_| MailError::Address(email.to.clone()))?,
        );
        let text = SinglePart::builder()
            .header(ContentType::TEXT_PLAIN)
            .body(email.text.clone());
        let builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(&email.subject);
        let msg = match &email.html {
            Some(html) => builder.multipart(
                MultiPart::alternative()
                    .singlepart(text)
                    .singlepart(SinglePart::html(html.clone())),
            ),
            None => builder.singlepart(text),
        }
        .map_err(|e| MailError::Build(e.to_string()))?;
        self.deliver(&msg)
    }

    /// The portal's sender, for messages built elsewhere (an iMIP invitation).
    pub fn from(&self) -> &Mailbox {
        &self.from
    }

    /// Sends a message built by the caller, e.g. an invitation with a `text/calendar` part.
    /// Blocking: call it from a blocking task.
    pub fn send_message(&self, msg: &Message) -> Result<(), MailError> {
        self.deliver(msg)
    }

    fn deliver(&self, msg: &Message) -> Result<(), MailError> {
        match &self.transport {
            Transport_::Smtp(t) => t
                .send(msg)
                .map(drop)
                .map_err(|e| MailError::Send(e.to_string())),
            Transport_::Outbox(dir) => {
                std::fs::create_dir_all(dir).map_err(|e| MailError::Send(e.to_string()))?;
                FileTransport::new(dir)
                    .send(msg)
                    .map(drop)
                    .map_err(|e| MailError::Send(e.to_string()))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outbox_keeps_a_readable_eml() {
        let dir = tempfile::tempdir().unwrap();
        let mut env = std::collections::HashMap::new();
        env.insert(
            "SZPON_DATA_DIR".to_string(),
            dir.path().display().to_string(),
        );
        let config = Config::load(&env).unwrap();
        let m = Mailer::from_config(&config).unwrap();
        m.send(&Email {
            to: "jan@example.pl".into(),
            to_name: Some("Jan Kowalski".into()),
            subject: "Zażółć gęślą jaźń".into(),
            text: "Treść wiadomości".into(),
            html: None,
        })
        .unwrap();
        let files: Vec<_> = std::fs::read_dir(config.outbox_dir())
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        assert_eq!(files.len(), 1);
        assert_eq!(files[0].extension().unwrap(), "eml");
        let raw = std::fs::read_to_string(&files[0]).unwrap();
        assert!(
            raw.contains("To: \"Jan Kowalski\" <jan@example.pl>"),
            "{raw}"
        );
        assert!(raw.contains("Subject: =?utf-8?"), "{raw}");
    }

    #[test]
    fn bad_recipient_is_an_error_not_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let mut env = std::collections::HashMap::new();
        env.insert(
            "SZPON_DATA_DIR".to_string(),
            dir.path().display().to_string(),
        );
        let m = Mailer::from_config(&Config::load(&env).unwrap()).unwrap();
        let e = m
            .send(&Email {
                to: "not an address".into(),
                to_name: None,
                subject: "x".into(),
                text: "x".into(),
                html: None,
            })
            .unwrap_err();
        assert!(matches!(e, MailError::Address(_)));
    }
}
