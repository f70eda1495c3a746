//! The real binary with a store of its own, and a small HTTP client for its forms (no
//! redirects followed, cookies kept by hand), for the console and replica tests.

#![allow(dead_code)] // Each test file uses part of it.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// A folder of its own under the temporary directory.
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "madoguchi-{name}-{}-{}",
        std::process::id(),
        jiff::Timestamp::now().as_nanosecond()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn madoguchi(database: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_madoguchi"));
    command
        .env("MADOGUCHI_DATABASE", database)
        .env("RUST_LOG", "warn");
    command
}

/// `madoguchi staff add NAME --role ROLE` with the password on stdin.
pub fn add_staff(database: &str, name: &str, role: &str, password: &str) {
    let mut child = madoguchi(database)
        .args(["staff", "add", name, "--role", role])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    writeln!(child.stdin.take().unwrap(), "{password}").unwrap();
    assert!(child.wait().unwrap().success(), "staff add {name}");
}

/// A running `serve`, killed when dropped.
pub struct Server {
    pub port: u16,
    child: Child,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Server {
    pub fn start(database: &str) -> Server {
        let port = free_port();
        let child = madoguchi(database)
            .args([
                "serve",
                "--listen",
                &format!("127.0.0.1:{port}"),
                "--api-rate",
                "0",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let server = Server { port, child };
        let start = Instant::now();
        while server.get("/readyz", None).status != 200 {
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "the server did not start"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        server
    }

    pub fn get(&self, path: &str, cookie: Option<&str>) -> Response {
        send(self.port, "GET", path, cookie, None)
    }

    pub fn post(&self, path: &str, cookie: Option<&str>, form: &[(String, String)]) -> Response {
        let body = serde_urlencoded::to_string(form).unwrap();
        send(self.port, "POST", path, cookie, Some(&body))
    }

    /// Signs in; the session cookie (`name=value`).
    pub fn login(&self, name: &str, password: &str) -> String {
        let response = self.post(
            "/staff/login",
            None,
            &[
                ("name".into(), name.into()),
                ("password".into(), password.into()),
            ],
        );
        assert_eq!(response.status, 303, "login as {name}: {}", response.body);
        let cookie = response.header("set-cookie").unwrap();
        cookie.split(';').next().unwrap().to_owned()
    }
}

#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub head: String,
    pub body: String,
}

impl Response {
    pub fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.eq_ignore_ascii_case(name)
                .then(|| value.trim().to_owned())
        })
    }

    /// The fields of the form posting to `action`, as a browser would send them unchanged
    /// (inputs and textareas; buttons are left out).
    pub fn form(&self, action: &str) -> Vec<(String, String)> {
        let start = self
            .body
            .find(&format!("action=\"{action}\""))
            .unwrap_or_else(|| panic!("no form for {action} in {}", self.body));
        let form = &self.body[start..];
        let form = &form[..form.find("</form>").unwrap()];
        let mut fields = Vec::new();
        for (tag, textarea) in form.split('<').filter_map(|t| {
            if t.starts_with("input ") {
                Some((t, false))
            } else if t.starts_with("textarea ") {
                Some((t, true))
            } else {
                None
            }
        }) {
            let attribute = |name: &str| {
                let key = format!(" {name}=\"");
                let at = tag.find(&key)? + key.len();
                Some(unescape(&tag[at..at + tag[at..].find('"')?]))
            };
            let Some(name) = attribute("name") else {
                continue;
            };
            let value = if textarea {
                unescape(&tag[tag.find('>').unwrap() + 1..])
            } else {
                attribute("value").unwrap_or_default()
            };
            fields.push((name, value));
        }
        fields
    }
}

fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&#34;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Sets a field of a form (the last one of that name).
pub fn set(form: &mut [(String, String)], name: &str, value: &str) {
    let field = form
        .iter_mut()
        .rev()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no field {name}"));
    field.1 = value.to_owned();
}

pub fn send(
    port: u16,
    method: &str,
    path: &str,
    cookie: Option<&str>,
    body: Option<&str>,
) -> Response {
    let Ok(mut stream) = TcpStream::connect(("127.0.0.1", port)) else {
        return Response {
            status: 0,
            head: String::new(),
            body: String::new(),
        };
    };
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let mut request =
        format!("{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
    if let Some(cookie) = cookie {
        request.push_str(&format!("Cookie: {cookie}\r\n"));
    }
    if let Some(body) = body {
        request.push_str(&format!(
            "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    request.push_str("\r\n");
    request.push_str(body.unwrap_or_default());
    stream.write_all(request.as_bytes()).unwrap();
    let mut raw = Vec::new();
    let _ = stream.read_to_end(&mut raw);
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    Response {
        status,
        head: head.to_owned(),
        body: body.to_owned(),
    }
}

pub fn path_str(path: &Path) -> &str {
    path.to_str().unwrap()
}
