//! A real DNS server for the doctor tests: Debian's dnsmasq on a free port of 127.0.0.1,
//! answering only for the test zones it is given (no upstream), stopped when dropped.

use std::time::Duration;

pub struct DnsServer {
    child: std::process::Child,
    pub port: u16,
}

/// One record of a test zone.
pub enum Record {
    Txt(&'static str, String),
    Mx(&'static str, &'static str),
}

impl DnsServer {
    /// `None` when dnsmasq is not installed, unless `TIDINGS_DNS_TESTS=required` (CI).
    pub async fn start(zones: &[&str], records: &[Record]) -> Option<DnsServer> {
        let binary = ["/usr/sbin/dnsmasq", "/usr/local/sbin/dnsmasq"]
            .into_iter()
            .find(|p| std::path::Path::new(p).exists());
        let Some(binary) = binary else {
            assert!(
                std::env::var("TIDINGS_DNS_TESTS").as_deref() != Ok("required"),
                "dnsmasq is not installed (apt-get install dnsmasq)"
            );
            eprintln!("dnsmasq not installed: doctor DNS test not run");
            return None;
        };
        // The port is free for UDP when chosen; its TCP twin may not be (a test's connection
        // can hold it), and then dnsmasq exits at once: another port, a few times.
        for _ in 0..5 {
            let port = std::net::UdpSocket::bind("127.0.0.1:0")
                .unwrap()
                .local_addr()
                .unwrap()
                .port();
            let mut command = std::process::Command::new(binary);
            command.args([
                "--keep-in-foreground",
                "--no-resolv",
                "--no-hosts",
                "--conf-file=/dev/null",
                "--pid-file=",
                "--listen-address=127.0.0.1",
                "--bind-interfaces",
                &format!("--port={port}"),
            ]);
            for zone in zones {
                command.arg(format!("--local=/{zone}/"));
            }
            for record in records {
                command.arg(match record {
                    // A TXT record's strings hold at most 255 bytes each.
                    Record::Txt(name, text) => {
                        let chunks: Vec<String> = text
                            .as_bytes()
                            .chunks(250)
                            .map(|c| String::from_utf8_lossy(c).into_owned())
                            .collect();
                        format!("--txt-record={name},{}", chunks.join(","))
                    }
                    Record::Mx(name, host) => format!("--mx-host={name},{host},10"),
                });
            }
            let child = command
                .stdin(std::process::Stdio::null())
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap();
            let mut server = DnsServer { child, port };
            // Ready once it answers on its port; gone if it could not bind.
            for _ in 0..200 {
                if tokio::net::TcpStream::connect(("127.0.0.1", port))
                    .await
                    .is_ok()
                {
                    return Some(server);
                }
                if server.child.try_wait().unwrap().is_some() {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
        panic!("dnsmasq did not start on any of five ports");
    }

    pub fn address(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }
}

impl Drop for DnsServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
