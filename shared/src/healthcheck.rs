//! `<service> --healthcheck`: the container's `HEALTHCHECK` in an image without curl or a
//! shell (distroless). The binary asks the service running beside it for `GET /health` and
//! exits 0 when it answers 200, 1 otherwise, saying why on stderr (kept in the container's
//! health log).
//!
//! It reads the same `HOST` and `PORT` the server does: a server listening on every address
//! (`0.0.0.0`, `::`) is asked on loopback, one bound to an address on that address.

use std::io::{Read, Write};
use std::net::{IpAddr, Ipv4Addr, SocketAddr, TcpStream, ToSocketAddrs};
use std::time::Duration;

use anyhow::{Context, bail};

/// The argument that asks for a health check instead of a server.
pub const FLAG: &str = "--healthcheck";

/// Each of connect, write and read; well inside a `HEALTHCHECK --timeout` of 5 s.
const TIMEOUT: Duration = Duration::from_secs(3);

/// Enough for any status line; the body is not read.
const MAX_RESPONSE: usize = 1024;

/// When the process was started as `<binary> --healthcheck`, checks the service and exits
/// with the result; otherwise returns at once. Call it first in `main`.
pub fn exit_if_requested(default_port: u16) {
    if std::env::args().nth(1).as_deref() != Some(FLAG) {
        return;
    }
    let result = target_from(
        std::env::var("HOST").ok().as_deref(),
        std::env::var("PORT").ok().as_deref(),
        default_port,
    )
    .and_then(|target| check(&target));
    std::process::exit(report(result));
}

/// Where the service listens, as the health check reaches it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub host: String,
    pub port: u16,
}

/// The target for the server's `HOST` and `PORT` (unset: loopback and `default_port`).
pub fn target_from(
    host: Option<&str>,
    port: Option<&str>,
    default_port: u16,
) -> anyhow::Result<Target> {
    let port = match port.map(str::trim) {
        None | Some("") => default_port,
        Some(text) => text
            .parse()
            .with_context(|| format!("PORT: invalid value `{text}`"))?,
    };
    let host = match host.map(str::trim) {
        None | Some("") => Ipv4Addr::LOCALHOST.to_string(),
        Some(text) => {
            let bare = text.trim_start_matches('[').trim_end_matches(']');
            match bare.parse::<IpAddr>() {
                Ok(ip) if ip.is_unspecified() => Ipv4Addr::LOCALHOST.to_string(),
                _ => bare.to_owned(),
            }
        }
    };
    Ok(Target { host, port })
}

/// `GET /health` on the target; `Ok` only for a 200.
pub fn check(target: &Target) -> anyhow::Result<()> {
    let addresses: Vec<SocketAddr> = (target.host.as_str(), target.port)
        .to_socket_addrs()
        .with_context(|| format!("resolve {}", target.host))?
        .collect();
    let mut last_error = None;
    for address in addresses {
        match ask(address) {
            Ok(()) => return Ok(()),
            Err(err) => last_error = Some(err),
        }
    }
    Err(last_error.unwrap_or_else(|| anyhow::anyhow!("{} resolves to no address", target.host)))
}

fn ask(address: SocketAddr) -> anyhow::Result<()> {
    let mut stream = TcpStream::connect_timeout(&address, TIMEOUT)
        .with_context(|| format!("connect to {address}"))?;
    stream
        .set_read_timeout(Some(TIMEOUT))
        .context("set the read timeout")?;
    stream
        .set_write_timeout(Some(TIMEOUT))
        .context("set the write timeout")?;
    stream
        .write_all(b"GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
        .with_context(|| format!("send the request to {address}"))?;
    let mut response = Vec::new();
    stream
        .take(MAX_RESPONSE as u64)
        .read_to_end(&mut response)
        .with_context(|| format!("read the answer from {address}"))?;
    match status_code(&response) {
        Some(200) => Ok(()),
        Some(status) => bail!("GET http://{address}/health answered {status}"),
        None => bail!("GET http://{address}/health answered something that is not HTTP"),
    }
}

/// The status code of an HTTP/1.x response's status line.
pub fn status_code(response: &[u8]) -> Option<u16> {
    let line = response.split(|&byte| byte == b'\n').next()?;
    let line = std::str::from_utf8(line).ok()?;
    let mut parts = line.split_whitespace();
    if !parts.next()?.starts_with("HTTP/1.") {
        return None;
    }
    let code = parts.next()?;
    if code.len() != 3 {
        return None;
    }
    code.parse().ok()
}

#[expect(
    clippy::print_stderr,
    reason = "the health check's only output, kept in the container's health log; no logger is set up for it"
)]
fn report(result: anyhow::Result<()>) -> i32 {
    match result {
        Ok(()) => 0,
        Err(err) => {
            eprintln!("unhealthy: {err:#}");
            1
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::TcpListener;
    use std::thread;

    /// A one-shot server on a free loopback port that answers `response` to one request.
    fn serve_once(response: &'static str) -> Target {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("address").port();
        thread::spawn(move || {
            let (mut stream, _) = listener.accept().expect("accept");
            let mut request = [0u8; 512];
            let read = stream.read(&mut request).expect("read the request");
            assert!(request[..read].starts_with(b"GET /health HTTP/1.1\r\n"));
            stream.write_all(response.as_bytes()).expect("answer");
        });
        Target {
            host: "127.0.0.1".into(),
            port,
        }
    }

    #[test]
    fn a_service_answering_200_is_healthy() {
        let target = serve_once("HTTP/1.1 200 OK\r\ncontent-length: 15\r\n\r\n{\"status\":\"ok\"}");
        check(&target).expect("healthy");
    }

    #[test]
    fn a_service_answering_503_is_unhealthy_and_the_status_is_said() {
        let target = serve_once("HTTP/1.1 503 Service Unavailable\r\ncontent-length: 0\r\n\r\n");
        let err = check(&target).expect_err("unhealthy");
        assert!(format!("{err:#}").contains("answered 503"), "{err:#}");
    }

    #[test]
    fn nothing_listening_is_unhealthy() {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let port = listener.local_addr().expect("address").port();
        drop(listener);
        let err = check(&Target {
            host: "127.0.0.1".into(),
            port,
        })
        .expect_err("unhealthy");
        assert!(format!("{err:#}").contains("connect to"), "{err:#}");
    }

    #[test]
    fn a_server_on_every_address_is_asked_on_loopback() {
        for host in [None, Some(""), Some("0.0.0.0"), Some("::"), Some("[::]")] {
            let target = target_from(host, Some("8000"), 8001).expect("target");
            assert_eq!(
                target,
                Target {
                    host: "127.0.0.1".into(),
                    port: 8000
                },
                "{host:?}"
            );
        }
    }

    #[test]
    fn a_server_on_one_address_is_asked_there_and_port_defaults() {
        let target = target_from(Some("10.0.0.7"), None, 8004).expect("target");
        assert_eq!(
            target,
            Target {
                host: "10.0.0.7".into(),
                port: 8004
            }
        );
        let target = target_from(Some("[::1]"), Some(" "), 8004).expect("target");
        assert_eq!(
            target,
            Target {
                host: "::1".into(),
                port: 8004
            }
        );
    }

    #[test]
    fn a_bad_port_is_named() {
        let err = target_from(None, Some("eighty"), 8001).expect_err("bad port");
        assert!(
            err.to_string().contains("PORT: invalid value `eighty`"),
            "{err}"
        );
    }

    #[test]
    fn status_codes_are_read_from_the_status_line_only() {
        assert_eq!(status_code(b"HTTP/1.1 200 OK\r\n\r\n"), Some(200));
        assert_eq!(status_code(b"HTTP/1.0 404 Not Found\r\n"), Some(404));
        assert_eq!(status_code(b"HTTP/1.1 200"), Some(200));
        assert_eq!(status_code(b""), None);
        assert_eq!(status_code(b"SSH-2.0-OpenSSH\r\n"), None);
        assert_eq!(status_code(b"HTTP/1.1 2000 OK\r\n"), None);
        assert_eq!(status_code(b"\r\nHTTP/1.1 200 OK\r\n"), None);
    }
}
