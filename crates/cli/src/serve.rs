//! `layerlens serve`: the web app built into this binary, served on the loopback interface only.
//!
//! The files come from `dist/` at build time (see build.rs); a binary built before `cargo xtask dist` has none
//! and says so instead of serving an empty page.

use std::io::{BufRead, BufReader, Write};
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::process::ExitCode;

mod assets {
    include!(concat!(env!("OUT_DIR"), "/web_assets.rs"));
}

/// What to tell someone whose binary has no web app inside.
pub const NOT_BUILT: &str = "this layerlens was built without the web app: run `cargo xtask dist` in the layerlens \
repository, then build layerlens again (`cargo build --release -p layerlens-cli`)";

/// Serve the layerlens web app on 127.0.0.1 (nothing leaves this machine).
#[derive(clap::Args)]
pub struct ServeArgs {
    /// The port to listen on; 0 picks a free one.
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// Open the app in the default browser.
    #[arg(long)]
    pub open: bool,
}

/// A site: file paths relative to its root with their bytes.
pub struct Site {
    files: &'static [(&'static str, &'static [u8])],
}

impl Site {
    /// The web app embedded at build time.
    pub fn embedded() -> Site {
        Site { files: assets::ASSETS }
    }

    /// The file a request path names: `/` and folders give their `index.html`; query and fragment are ignored.
    pub fn lookup(&self, target: &str) -> Option<(&'static str, &'static [u8])> {
        let path = target.split(['?', '#']).next().unwrap_or("/").trim_start_matches('/');
        let path = percent_decode(path)?;
        if path.split('/').any(|part| part == ".." || part == ".") || path.contains('\\') {
            return None;
        }
        let wanted = if path.is_empty() || path.ends_with('/') { format!("{path}index.html") } else { path };
        self.files.iter().find(|(name, _)| *name == wanted).copied()
    }
}

/// Runs `layerlens serve`.
pub fn run(args: ServeArgs) -> ExitCode {
    let site = Site::embedded();
    if site.files.is_empty() {
        eprintln!("layerlens serve: {NOT_BUILT}");
        return ExitCode::from(2);
    }
    let listener = match TcpListener::bind((Ipv4Addr::LOCALHOST, args.port)) {
        Ok(listener) => listener,
        Err(e) => {
            eprintln!("layerlens serve: cannot listen on 127.0.0.1:{}: {e} (try --port 0 for a free port)", args.port);
            return ExitCode::from(2);
        }
    };
    let url = match listener.local_addr() {
        Ok(addr) => format!("http://{addr}/"),
        Err(e) => {
            eprintln!("layerlens serve: {e}");
            return ExitCode::from(2);
        }
    };
    println!("layerlens is served at {url} (loopback only; Ctrl-C stops it)");
    // The line above is what scripts and tests wait for.
    let _ = std::io::stdout().flush();
    if args.open {
        open_browser(&url);
    }
    serve(&listener, site);
    ExitCode::SUCCESS
}

/// Answers connections on `listener` until the process ends, one thread per connection.
pub fn serve(listener: &TcpListener, site: Site) {
    let files = site.files;
    for stream in listener.incoming().flatten() {
        std::thread::spawn(move || {
            // A client that hangs up early is not worth reporting.
            let _ = respond(stream, &Site { files });
        });
    }
}

fn respond(mut stream: TcpStream, site: &Site) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    // Headers are read and ignored; 100 lines bounds a hostile client.
    for _ in 0..100 {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 || header.trim().is_empty() {
            break;
        }
    }
    let mut words = line.split_whitespace();
    let method = words.next().unwrap_or("");
    let target = words.next().unwrap_or("/");
    if method != "GET" && method != "HEAD" {
        return stream.write_all(
            b"HTTP/1.1 405 Method Not Allowed\r\nAllow: GET, HEAD\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        );
    }
    match site.lookup(target) {
        Some((name, body)) => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-cache\r\n\
                 X-Content-Type-Options: nosniff\r\nConnection: close\r\n\r\n",
                mime(name),
                body.len()
            );
            stream.write_all(head.as_bytes())?;
            if method == "GET" {
                stream.write_all(body)?;
            }
            Ok(())
        }
        None => stream.write_all(b"HTTP/1.1 404 Not Found\r\nContent-Type: text/plain\r\nContent-Length: 9\r\nConnection: close\r\n\r\nnot found"),
    }
}

fn percent_decode(path: &str) -> Option<String> {
    let bytes = path.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            let hex = std::str::from_utf8(bytes.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The Content-Type of a served file.
pub fn mime(name: &str) -> &'static str {
    match name.rsplit('.').next().unwrap_or("") {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "wasm" => "application/wasm",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "json" => "application/json",
        "webmanifest" => "application/manifest+json",
        "tar" => "application/x-tar",
        _ => "application/octet-stream",
    }
}

fn open_browser(url: &str) {
    let (program, args): (&str, Vec<&str>) = if cfg!(target_os = "macos") {
        ("open", vec![url])
    } else if cfg!(windows) {
        ("cmd", vec!["/C", "start", "", url])
    } else {
        ("xdg-open", vec![url])
    };
    if let Err(e) = std::process::Command::new(program).args(&args).spawn() {
        eprintln!("layerlens serve: could not open a browser ({program}: {e}); open {url} yourself");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    const FILES: &[(&str, &[u8])] = &[
        ("index.html", b"<title>layerlens</title>"),
        ("app-1.wasm", b"\0asm"),
        ("samples/sample.tar", b"tar"),
        ("samples/index.html", b"inner"),
    ];

    fn get(site: &'static [(&'static str, &'static [u8])], request: &str) -> String {
        let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let addr = listener.local_addr().unwrap();
        std::thread::spawn(move || serve(&listener, Site { files: site }));
        let mut stream = TcpStream::connect(addr).unwrap();
        stream.write_all(request.as_bytes()).unwrap();
        let mut out = String::new();
        stream.read_to_string(&mut out).unwrap();
        out
    }

    #[test]
    fn paths_map_to_files_and_folders_to_their_index() {
        let site = Site { files: FILES };
        assert_eq!(site.lookup("/").map(|f| f.0), Some("index.html"));
        assert_eq!(site.lookup("/?x=1#y").map(|f| f.0), Some("index.html"));
        assert_eq!(site.lookup("/samples/").map(|f| f.0), Some("samples/index.html"));
        assert_eq!(site.lookup("/samples/sample%2Etar").map(|f| f.0), Some("samples/sample.tar"));
        for bad in ["/../index.html", "/samples/../index.html", "/%2e%2e/index.html", "/nope", "/samples", "/%zz"] {
            assert_eq!(site.lookup(bad), None, "{bad}");
        }
    }

    #[test]
    fn the_server_answers_with_type_and_length() {
        let index = get(FILES, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
        assert!(index.starts_with("HTTP/1.1 200 OK\r\n"), "{index}");
        assert!(index.contains("Content-Type: text/html; charset=utf-8\r\n"), "{index}");
        assert!(index.ends_with("\r\n\r\n<title>layerlens</title>"), "{index}");
        let wasm = get(FILES, "GET /app-1.wasm HTTP/1.1\r\n\r\n");
        assert!(wasm.contains("Content-Type: application/wasm\r\nContent-Length: 4\r\n"), "{wasm}");
        let head = get(FILES, "HEAD / HTTP/1.1\r\n\r\n");
        assert!(head.ends_with("\r\n\r\n"), "{head}");
        assert!(get(FILES, "GET /missing HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 404"));
        assert!(get(FILES, "POST / HTTP/1.1\r\n\r\n").starts_with("HTTP/1.1 405"));
    }

    #[test]
    fn manifests_and_modules_get_types_browsers_accept() {
        assert_eq!(mime("sw.js"), "text/javascript; charset=utf-8");
        assert_eq!(mime("manifest.webmanifest"), "application/manifest+json");
        assert_eq!(mime("layerlens-embed-1.css"), "text/css; charset=utf-8");
    }
}
