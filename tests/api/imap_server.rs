//! A real IMAP server for the bounce mailbox tests: Debian's Dovecot, started per test on a
//! free port of 127.0.0.1 with a Maildir in a temporary directory (plain IMAP, one user,
//! password `secret`), and stopped when dropped. Messages are put there with IMAP APPEND, as
//! a mail server's delivery would.

use std::path::PathBuf;
use std::time::Duration;

use futures_util::TryStreamExt;
use tokio::net::TcpStream;

pub const USER: &str = "bounces";
pub const PASSWORD: &str = "secret";

pub struct ImapServer {
    dir: tempfile::TempDir,
    pub port: u16,
}

fn dovecot() -> Option<PathBuf> {
    ["/usr/sbin/dovecot", "/usr/local/sbin/dovecot"]
        .iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

impl ImapServer {
    /// `None` when Dovecot is not installed, unless `TIDINGS_IMAP_TESTS=required` (CI).
    pub async fn start() -> Option<ImapServer> {
        let Some(binary) = dovecot() else {
            assert!(
                std::env::var("TIDINGS_IMAP_TESTS").as_deref() != Ok("required"),
                "Dovecot is not installed (apt-get install dovecot-imapd)"
            );
            eprintln!("dovecot not installed: bounce mailbox test not run");
            return None;
        };
        let dir = tempfile::tempdir().unwrap();
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let root = dir.path();
        let me = String::from_utf8(
            std::process::Command::new("id")
                .arg("-un")
                .output()
                .unwrap()
                .stdout,
        )
        .unwrap();
        // Dovecot runs nothing as root: as root it uses the users its package made.
        let (mail_user, service_users) = if me.trim() == "root" {
            ("dovecot".to_string(), String::new())
        } else {
            let me = me.trim().to_string();
            (
                me.clone(),
                format!("default_internal_user = {me}\ndefault_login_user = {me}\n"),
            )
        };
        std::fs::create_dir_all(root.join("mail")).unwrap();
        if me.trim() == "root" {
            let chown = std::process::Command::new("chown")
                .args(["-R", "dovecot:dovecot"])
                .arg(root.join("mail"))
                .status()
                .unwrap();
            assert!(chown.success());
        }
        let config = format!(
            "protocols = imap\nlisten = 127.0.0.1\nbase_dir = {base}\nstate_dir = {state}\n\
             log_path = {log}\nssl = no\nfirst_valid_uid = 1\ndisable_plaintext_auth = no\nauth_mechanisms = plain login\n\
             mail_location = maildir:{mail}/%u\nmail_uid = {mail_user}\nmail_gid = {mail_user}\n{service_users}\
             passdb {{\n  driver = static\n  args = password={PASSWORD}\n}}\n\
             userdb {{\n  driver = static\n  args = uid={mail_user} gid={mail_user} home={mail}/%u\n}}\n\
             service imap-login {{\n  chroot =\n  inet_listener imap {{\n    address = 127.0.0.1\n    port = {port}\n  }}\n  inet_listener imaps {{\n    port = 0\n  }}\n}}\n\
             service anvil {{\n  chroot =\n}}\n",
            base = root.join("run").display(),
            state = root.join("state").display(),
            log = root.join("dovecot.log").display(),
            mail = root.join("mail").display(),
        );
        std::fs::write(root.join("dovecot.conf"), config).unwrap();
        // It forks into the background: no pipes, or waiting for them would wait for it.
        let started = std::process::Command::new(&binary)
            .arg("-c")
            .arg(root.join("dovecot.conf"))
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .status()
            .unwrap();
        assert!(
            started.success(),
            "dovecot did not start; see {}",
            root.join("dovecot.log").display()
        );
        let server = ImapServer { dir, port };
        for _ in 0..100 {
            if TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
                return Some(server);
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        panic!("dovecot did not listen: {}", server.log());
    }

    pub fn url(&self) -> String {
        format!("imap://{USER}:{PASSWORD}@127.0.0.1:{}/INBOX", self.port)
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("dovecot.log")).unwrap_or_default()
    }

    async fn session(&self) -> async_imap::Session<TcpStream> {
        let tcp = TcpStream::connect(("127.0.0.1", self.port)).await.unwrap();
        let mut client = async_imap::Client::new(tcp);
        client.read_response().await.unwrap();
        let mut session = client
            .login(USER, PASSWORD)
            .await
            .map_err(|(e, _)| e)
            .unwrap();
        session.select("INBOX").await.unwrap();
        session
    }

    /// Puts a message in the mailbox, unseen.
    pub async fn deliver(&self, raw: &str) {
        let mut session = self.session().await;
        session
            .append("INBOX", None, None, raw.as_bytes())
            .await
            .unwrap();
        session.logout().await.unwrap();
    }

    /// Each message's flags, in mailbox order.
    pub async fn flags(&self) -> Vec<String> {
        let mut session = self.session().await;
        let fetched: Vec<_> = session
            .fetch("1:*", "FLAGS")
            .await
            .unwrap()
            .try_collect()
            .await
            .unwrap();
        let flags = fetched
            .iter()
            .map(|m| {
                m.flags()
                    .map(|f| format!("{f:?}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        session.logout().await.unwrap();
        flags
    }
}

impl Drop for ImapServer {
    fn drop(&mut self) {
        let Ok(pid) = std::fs::read_to_string(self.dir.path().join("run").join("master.pid"))
        else {
            return;
        };
        let pid = pid.trim().to_string();
        let _ = std::process::Command::new("kill").arg(&pid).status();
        // Its directory goes next: wait for it to stop using it, then make sure.
        for _ in 0..40 {
            if !std::path::Path::new(&format!("/proc/{pid}")).exists() {
                return;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = std::process::Command::new("kill")
            .args(["-9", &pid])
            .status();
    }
}
