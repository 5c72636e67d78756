//! The few parts of HTTP/1.1 that `aula serve` needs, on `std::net`, with every cost
//! bounded: at most [`MAX_CONNECTIONS`] connections served at once (one thread each, so a
//! browser's idle preconnections hold up nobody; more are told 503), a request head of at
//! most 16 KiB read within a few seconds, `GET` and `HEAD` only, one request per
//! connection, and only requests
//! addressed to this machine by name (`Host: 127.0.0.1:PORT` or `localhost:PORT`), so
//! that a web page elsewhere cannot read the preview through DNS rebinding.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, SocketAddrV4, TcpListener, TcpStream};
use std::sync::Arc;
use std::time::Duration;

/// Connections served at once.
pub const MAX_CONNECTIONS: usize = 64;
/// The most a request's line and headers may take.
pub const MAX_HEAD: usize = 16 << 10;
const READ_TIMEOUT: Duration = Duration::from_secs(5);
const WRITE_TIMEOUT: Duration = Duration::from_secs(10);

/// One request, read and checked.
pub struct Request {
    pub method: String,
    /// The path and query, as sent (`/es/urban/index.html?x`).
    pub target: String,
    stream: TcpStream,
}

/// A whole response.
pub struct Response {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
}

impl Response {
    pub fn new(status: u16, content_type: &'static str, body: Vec<u8>) -> Response {
        Response {
            status,
            content_type,
            body,
        }
    }

    pub fn text(status: u16, message: &str) -> Response {
        Response::new(
            status,
            "text/plain; charset=utf-8",
            message.as_bytes().to_vec(),
        )
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        421 => "Misdirected Request",
        431 => "Request Header Fields Too Large",
        503 => "Service Unavailable",
        _ => "Error",
    }
}

impl Request {
    /// Sends `response` and closes the connection.
    pub fn respond(mut self, response: Response) {
        let head = format!(
            "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-store\r\nConnection: close\r\n\r\n",
            response.status,
            reason(response.status),
            response.content_type,
            response.body.len()
        );
        let _ = self.stream.write_all(head.as_bytes());
        if self.method != "HEAD" {
            let _ = self.stream.write_all(&response.body);
        }
        let _ = self.stream.flush();
    }

    /// Starts a stream of Server-Sent Events; the caller keeps writing to what is returned.
    pub fn into_event_stream(mut self) -> Option<TcpStream> {
        let head = "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\nConnection: keep-alive\r\n\r\n: aula live reload\n\n";
        self.stream.write_all(head.as_bytes()).ok()?;
        self.stream.flush().ok()?;
        Some(self.stream)
    }
}

/// Listens on 127.0.0.1:`port` (only this machine can connect).
pub fn bind(port: u16) -> io::Result<TcpListener> {
    TcpListener::bind(SocketAddrV4::new(Ipv4Addr::LOCALHOST, port))
}

/// Serves forever; `handle` gets every well-formed request addressed to this server, on
/// the connection's own thread.
pub fn run(listener: TcpListener, handle: Arc<dyn Fn(Request) + Send + Sync>) -> io::Result<()> {
    let port = listener.local_addr()?.port();
    let active = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    for stream in listener.incoming() {
        let Ok(mut stream) = stream else { continue };
        use std::sync::atomic::Ordering;
        if active.fetch_add(1, Ordering::SeqCst) >= MAX_CONNECTIONS {
            active.fetch_sub(1, Ordering::SeqCst);
            refuse(&mut stream, 503, "too many connections at once; try again");
            continue;
        }
        let (handle, count) = (Arc::clone(&handle), Arc::clone(&active));
        let spawned = std::thread::Builder::new()
            .name("aula-http".into())
            .spawn(move || {
                match read(stream, port) {
                    Ok(request) => handle(request),
                    Err((Some(mut stream), status, why)) => refuse(&mut stream, status, why),
                    Err((None, _, _)) => {}
                }
                count.fetch_sub(1, Ordering::SeqCst);
            });
        // No thread to be had: this connection is dropped, the server goes on.
        if spawned.is_err() {
            active.fetch_sub(1, Ordering::SeqCst);
        }
    }
    Ok(())
}

fn refuse(stream: &mut TcpStream, status: u16, why: &str) {
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let _ = write!(
        stream,
        "HTTP/1.1 {status} {}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{why}",
        reason(status),
        why.len()
    );
}

type Refused = (Option<TcpStream>, u16, &'static str);

/// Reads and checks one request's head.
fn read(stream: TcpStream, port: u16) -> Result<Request, Refused> {
    let _ = stream.set_read_timeout(Some(READ_TIMEOUT));
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    let Ok(reader_stream) = stream.try_clone() else {
        return Err((None, 0, ""));
    };
    let mut reader = BufReader::new(reader_stream.take(MAX_HEAD as u64 + 1));
    let mut lines = Vec::new();
    let mut total = 0;
    loop {
        let mut line = Vec::new();
        match reader.read_until(b'\n', &mut line) {
            Ok(0) | Err(_) => {
                return if total > MAX_HEAD {
                    Err((Some(stream), 431, "request head too large"))
                } else {
                    Err((None, 0, ""))
                };
            }
            Ok(n) => total += n,
        }
        if total > MAX_HEAD {
            return Err((Some(stream), 431, "request head too large"));
        }
        if !line.ends_with(b"\n") {
            return Err((None, 0, ""));
        }
        let text = String::from_utf8_lossy(&line).trim_end().to_string();
        if text.is_empty() {
            break;
        }
        lines.push(text);
    }
    let mut first = lines.first().map(|l| l.split(' ')).into_iter().flatten();
    let (Some(method), Some(target)) = (first.next(), first.next()) else {
        return Err((Some(stream), 400, "bad request"));
    };
    if method != "GET" && method != "HEAD" {
        return Err((Some(stream), 405, "only GET and HEAD"));
    }
    let host = lines.iter().skip(1).find_map(|l| {
        let (name, value) = l.split_once(':')?;
        name.trim()
            .eq_ignore_ascii_case("host")
            .then(|| value.trim().to_ascii_lowercase())
    });
    if !host.as_deref().is_some_and(|h| is_local_host(h, port)) {
        return Err((
            Some(stream),
            421,
            "this preview answers only requests to 127.0.0.1 or localhost",
        ));
    }
    Ok(Request {
        method: method.to_string(),
        target: target.to_string(),
        stream,
    })
}

/// Whether a `Host` header names this server on this machine.
fn is_local_host(host: &str, port: u16) -> bool {
    let (name, given) = match host.rsplit_once(':') {
        Some((n, p)) if !n.ends_with(':') && !p.contains(']') => (n, p.parse::<u16>().ok()),
        _ => (host, None),
    };
    matches!(name, "127.0.0.1" | "localhost" | "[::1]") && given.is_none_or(|p| p == port)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_this_machine_by_name_and_port() {
        assert!(is_local_host("127.0.0.1:1111", 1111));
        assert!(is_local_host("localhost:1111", 1111));
        assert!(is_local_host("localhost", 1111));
        assert!(is_local_host("[::1]:1111", 1111));
        assert!(!is_local_host("evil.example:1111", 1111));
        assert!(!is_local_host("127.0.0.1:2222", 1111));
        assert!(!is_local_host("127.0.0.1.evil.example", 1111));
    }
}
