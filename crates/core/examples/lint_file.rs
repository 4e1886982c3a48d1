//! Prints the lint findings of the Dockerfiles named on the command line (a developer aid).

use layerlens_core::{dockerfile, lint};

fn main() {
    for path in std::env::args().skip(1) {
        let Ok(text) = std::fs::read_to_string(&path) else {
            eprintln!("{path}: cannot read");
            continue;
        };
        let parsed = dockerfile::parse(&text);
        for finding in lint::lint(&text, &parsed.syntax, &lint::Config::default()) {
            println!(
                "{path}:{}:{} {} {} {}",
                finding.start.line,
                finding.start.column,
                finding.rule,
                finding.severity.as_str(),
                finding.message
            );
        }
    }
}
