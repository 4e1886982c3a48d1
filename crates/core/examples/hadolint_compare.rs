//! Prints where layerlens and hadolint disagree on the corpus, for every layerlens rule that maps to
//! a hadolint rule. Usage: `cargo run -p layerlens-core --example hadolint_compare [CORPUS_DIR]`
//! (default `../shared/fixtures/dockerfiles/corpus`, relative to the repository root).

#[path = "../tests/support/hadolint_impl.rs"]
mod hadolint;

use hadolint::{compare_corpus, Side};

fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "../shared/fixtures/dockerfiles/corpus".to_string());
    let report = match compare_corpus(std::path::Path::new(&dir)) {
        Ok(report) => report,
        Err(e) => {
            eprintln!("{dir}: {e}");
            std::process::exit(2);
        }
    };
    println!(
        "files: {}  agreements: {}  disagreements: {}",
        report.files,
        report.agreements,
        report.disagreements.len()
    );
    for d in &report.disagreements {
        let side = match d.side {
            Side::OnlyLayerlens => "only layerlens",
            Side::OnlyHadolint => "only hadolint",
        };
        println!("{}:{} {} ({}) {}: {}", d.file, d.line, d.hadolint, d.rule, side, d.reason.text());
    }
}
