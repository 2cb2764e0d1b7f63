//! A small SMTP server for the tests: it speaks enough SMTP over real TCP for lettre (EHLO,
//! MAIL, RCPT, DATA, RSET, NOOP, QUIT), keeps every accepted message, and can be told to
//! answer the next RCPT commands with an error code.

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;
use tokio::task::JoinHandle;

#[derive(Debug, Clone)]
pub struct ReceivedMail {
    pub from: String,
    pub to: Vec<String>,
    pub data: String,
    /// Which connection brought it: the sink numbers them as they are accepted.
    pub connection: usize,
}

impl ReceivedMail {
    pub fn parsed(&self) -> mail_parser::Message<'_> {
        mail_parser::MessageParser::default()
            .parse(self.data.as_bytes())
            .expect("a parsable message")
    }

    pub fn text(&self) -> String {
        self.parsed()
            .body_text(0)
            .expect("a text part")
            .into_owned()
    }

    pub fn html(&self) -> String {
        self.parsed()
            .body_html(0)
            .expect("an html part")
            .into_owned()
    }
}

#[derive(Default)]
struct Shared {
    messages: Mutex<Vec<ReceivedMail>>,
    rcpt_failures: Mutex<VecDeque<&'static str>>,
    rcpt_attempts: Mutex<usize>,
    arrived: Notify,
    /// How long the answer to each message's data takes: a slow server.
    data_delay: Mutex<std::time::Duration>,
}

pub struct SmtpSink {
    addr: SocketAddr,
    shared: Arc<Shared>,
    task: Mutex<Option<JoinHandle<()>>>,
}

impl SmtpSink {
    pub async fn start() -> SmtpSink {
        Self::start_on(0).await
    }

    pub async fn start_on(port: u16) -> SmtpSink {
        let listener = TcpListener::bind(("127.0.0.1", port))
            .await
            .expect("bind the SMTP sink");
        let addr = listener.local_addr().unwrap();
        let shared = Arc::new(Shared::default());
        let task = tokio::spawn(accept(listener, shared.clone()));
        SmtpSink {
            addr,
            shared,
            task: Mutex::new(Some(task)),
        }
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    pub fn url(&self) -> String {
        format!("smtp://{}", self.addr)
    }

    /// The next RCPT commands are answered with these replies, one each, e.g.
    /// `"451 4.3.0 try again later"`.
    pub fn fail_next_rcpts(&self, replies: &[&'static str]) {
        self.shared.rcpt_failures.lock().unwrap().extend(replies);
    }

    /// Every message from now on is accepted only after `delay`, as by a slow server.
    pub fn answer_data_after(&self, delay: Duration) {
        *self.shared.data_delay.lock().unwrap() = delay;
    }

    /// RCPT commands seen so far, accepted or not.
    pub fn rcpt_attempts(&self) -> usize {
        *self.shared.rcpt_attempts.lock().unwrap()
    }

    pub fn messages(&self) -> Vec<ReceivedMail> {
        self.shared.messages.lock().unwrap().clone()
    }

    /// Waits until `count` messages have arrived (or panics after `timeout`).
    pub async fn wait_for(&self, count: usize, timeout: Duration) -> Vec<ReceivedMail> {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let arrived = self.shared.arrived.notified();
            let messages = self.messages();
            if messages.len() >= count {
                return messages;
            }
            if tokio::time::timeout_at(deadline, arrived).await.is_err() {
                panic!(
                    "expected {count} messages within {timeout:?}, got {}",
                    self.messages().len()
                );
            }
        }
    }

    pub async fn only_message(&self) -> ReceivedMail {
        let messages = self.wait_for(1, Duration::from_secs(10)).await;
        assert_eq!(messages.len(), 1, "expected exactly one message");
        messages.into_iter().next().unwrap()
    }

    /// Stops listening and drops open connections, as a crashed server would; the port
    /// refuses connections once this returns.
    pub async fn stop(&self) {
        let task = self.task.lock().unwrap().take();
        if let Some(task) = task {
            task.abort();
            let _ = task.await;
        }
    }
}

async fn accept(listener: TcpListener, shared: Arc<Shared>) {
    let mut connections = tokio::task::JoinSet::new();
    let mut accepted = 0;
    while let Ok((stream, _)) = listener.accept().await {
        accepted += 1;
        connections.spawn(serve(stream, shared.clone(), accepted));
    }
}

async fn serve(stream: TcpStream, shared: Arc<Shared>, connection: usize) {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    let mut reply = async |text: &str| write.write_all(format!("{text}\r\n").as_bytes()).await;
    if reply("220 sink.test ESMTP ready").await.is_err() {
        return;
    }
    let (mut from, mut to) = (String::new(), Vec::new());
    let mut line = Vec::new();
    loop {
        line.clear();
        match lines.read_until(b'\n', &mut line).await {
            Ok(0) | Err(_) => return,
            Ok(_) => {}
        }
        let command = String::from_utf8_lossy(&line).trim_end().to_string();
        let verb = command
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        let answer = match verb.as_str() {
            "EHLO" => "250-sink.test\r\n250-8BITMIME\r\n250-SMTPUTF8\r\n250 PIPELINING".to_string(),
            "HELO" => "250 sink.test".to_string(),
            "MAIL" => {
                from = address_in(&command);
                to.clear();
                "250 2.1.0 ok".to_string()
            }
            "RCPT" => {
                *shared.rcpt_attempts.lock().unwrap() += 1;
                match shared.rcpt_failures.lock().unwrap().pop_front() {
                    Some(failure) => failure.to_string(),
                    None => {
                        to.push(address_in(&command));
                        "250 2.1.5 ok".to_string()
                    }
                }
            }
            "DATA" if to.is_empty() => "554 5.5.1 no valid recipients".to_string(),
            "DATA" => {
                if reply("354 end with <CRLF>.<CRLF>").await.is_err() {
                    return;
                }
                let Some(data) = read_data(&mut lines).await else {
                    return;
                };
                let delay = *shared.data_delay.lock().unwrap();
                tokio::time::sleep(delay).await;
                let mail = ReceivedMail {
                    from: from.clone(),
                    to: std::mem::take(&mut to),
                    data,
                    connection,
                };
                shared.messages.lock().unwrap().push(mail);
                shared.arrived.notify_waiters();
                "250 2.0.0 queued".to_string()
            }
            "RSET" => {
                to.clear();
                "250 2.0.0 ok".to_string()
            }
            "NOOP" => "250 2.0.0 ok".to_string(),
            "QUIT" => {
                let _ = reply("221 2.0.0 bye").await;
                return;
            }
            _ => "502 5.5.2 command not recognised".to_string(),
        };
        if reply(&answer).await.is_err() {
            return;
        }
    }
}

async fn read_data(lines: &mut BufReader<tokio::net::tcp::OwnedReadHalf>) -> Option<String> {
    let mut data = Vec::new();
    let mut line = Vec::new();
    loop {
        line.clear();
        if lines.read_until(b'\n', &mut line).await.ok()? == 0 {
            return None;
        }
        if line == b".\r\n" {
            return Some(String::from_utf8_lossy(&data).into_owned());
        }
        // RFC 5321 4.5.2: a leading dot was doubled by the sender.
        let unstuffed = if line.starts_with(b"..") {
            &line[1..]
        } else {
            &line[..]
        };
        data.extend_from_slice(unstuffed);
    }
}

fn address_in(command: &str) -> String {
    let start = command.find('<').map_or(0, |i| i + 1);
    let end = command[start..]
        .find('>')
        .map_or(command.len(), |i| start + i);
    command[start..end].to_string()
}
