//! `layerlens serve`: with the web app built in it serves it on loopback; without, it fails with how to build it.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Command, Stdio};

fn get(addr: &str, path: &str) -> String {
    let mut stream = TcpStream::connect(addr).unwrap();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {addr}\r\n\r\n").unwrap();
    let mut out = Vec::new();
    stream.read_to_end(&mut out).unwrap();
    String::from_utf8_lossy(&out).into_owned()
}

#[test]
fn serve_answers_on_loopback_or_says_how_to_build_the_app() {
    let built = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../dist/index.html").is_file()
        || std::env::var_os("LAYERLENS_DIST").is_some();
    let mut child = Command::new(env!("CARGO_BIN_EXE_layerlens"))
        .args(["serve", "--port", "0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    if line.is_empty() {
        let status = child.wait().unwrap();
        let mut err = String::new();
        child.stderr.take().unwrap().read_to_string(&mut err).unwrap();
        assert!(!built, "dist/ is built but serve did not start: {err}");
        assert_eq!(status.code(), Some(2), "{err}");
        assert!(err.contains("built without the web app") && err.contains("cargo xtask dist"), "{err}");
        return;
    }
    let url = line.split_whitespace().find(|w| w.starts_with("http://")).unwrap().to_string();
    let addr = url.trim_start_matches("http://").trim_end_matches('/').to_string();
    assert!(addr.starts_with("127.0.0.1:"), "{line}");
    let index = get(&addr, "/");
    let embed = get(&addr, "/embed.html#df1=x");
    let missing = get(&addr, "/../Cargo.toml");
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(built, "serve started although dist/ was not built at test time");
    assert!(index.starts_with("HTTP/1.1 200 OK") && index.contains("<title>layerlens"), "{index}");
    assert!(embed.contains("layerlens-mode"), "{embed}");
    assert!(missing.starts_with("HTTP/1.1 404"), "{missing}");
}
