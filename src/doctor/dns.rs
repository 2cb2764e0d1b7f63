//! The lookups the doctor makes, through hickory's resolver: `dns.nameservers` when set
//! (each `ip` or `ip:port`), else the system's.

use std::net::SocketAddr;
use std::time::Duration;

use hickory_resolver::config::{NameServerConfig, ResolverConfig};
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::proto::rr::{RData, RecordType};
use hickory_resolver::{Resolver, TokioResolver};

pub struct Dns {
    resolver: TokioResolver,
}

impl Dns {
    pub fn new(nameservers: &[SocketAddr]) -> anyhow::Result<Dns> {
        let mut builder = if nameservers.is_empty() {
            TokioResolver::builder_tokio()?
        } else {
            let servers = nameservers
                .iter()
                .map(|address| {
                    let mut server = NameServerConfig::udp_and_tcp(address.ip());
                    for connection in &mut server.connections {
                        connection.port = address.port();
                    }
                    server
                })
                .collect();
            Resolver::builder_with_config(
                ResolverConfig::from_name_servers(servers),
                TokioRuntimeProvider::default(),
            )
        };
        let options = builder.options_mut();
        options.timeout = Duration::from_secs(3);
        options.attempts = 2;
        Ok(Dns {
            resolver: builder.build()?,
        })
    }

    /// The records of `kind` at `name`; none when the name has none.
    async fn records(&self, name: &str, kind: RecordType) -> anyhow::Result<Vec<RData>> {
        match self.resolver.lookup(fqdn(name), kind).await {
            Ok(lookup) => Ok(lookup.answers().iter().map(|r| r.data.clone()).collect()),
            Err(err) if err.is_no_records_found() || err.is_nx_domain() => Ok(Vec::new()),
            Err(err) => Err(err.into()),
        }
    }

    /// The TXT records at `name`, each one's strings joined.
    pub async fn txt(&self, name: &str) -> anyhow::Result<Vec<String>> {
        let records = self.records(name, RecordType::TXT).await?;
        Ok(records
            .iter()
            .filter_map(|data| match data {
                RData::TXT(txt) => Some(
                    txt.txt_data
                        .iter()
                        .map(|part| String::from_utf8_lossy(part).into_owned())
                        .collect::<String>(),
                ),
                _ => None,
            })
            .collect())
    }

    /// The mail exchangers of `name`.
    pub async fn mx(&self, name: &str) -> anyhow::Result<Vec<String>> {
        let records = self.records(name, RecordType::MX).await?;
        Ok(records
            .iter()
            .filter_map(|data| match data {
                RData::MX(mx) => Some(mx.exchange.to_string()),
                _ => None,
            })
            .collect())
    }
}

/// A fully qualified name, so no search domain is tried.
fn fqdn(name: &str) -> String {
    format!("{}.", name.trim_end_matches('.'))
}
