//! The rule reference (`docs/rules.md`), generated from the rules' metadata so the two cannot drift.

use super::rule::{Equivalent, RuleMeta};
use std::fmt::Write;

fn equivalents(rule: &RuleMeta) -> String {
    let names: Vec<String> = rule
        .same_as
        .iter()
        .map(|e| match e {
            Equivalent::Hadolint(id) => format!("[hadolint {id}]({})", e.url()),
            Equivalent::Buildkit(name) => format!("[BuildKit {name}]({})", e.url()),
        })
        .collect();
    if names.is_empty() {
        "-".to_string()
    } else {
        names.join(", ")
    }
}

/// The Markdown rule reference for `rules`.
pub fn reference_markdown(rules: &[&RuleMeta]) -> String {
    let mut out = String::new();
    out.push_str(
        "# Dockerfile lint rules\n\n\
         <!-- Generated from the rule metadata in crates/core/src/lint/rules/ by \
         `UPDATE_EXPECT=1 cargo test -p layerlens-core --test lint_docs`; do not edit by hand. -->\n\n\
         Every finding names a rule by its stable id. Size rules only look at the stages whose layers end up in \
         the final image (the built stage and the stages it is `FROM`), and a `RUN --mount=type=cache` (or a tmpfs or bind mount) \
         over a cache makes the cache rules moot.\n\n\
         ## Suppressing a finding\n\n\
         - `# layerlens ignore=LL1001,apt-install-recommends` on the lines just above an instruction (ids or names; \
         anything after the list is a free-text reason); `# layerlens global ignore=…` anywhere for the whole file.\n\
         - hadolint's `# hadolint ignore=DL3009,DL3015` (and `# hadolint global ignore=…`) silence the rules listed as \
         the same as those hadolint rules.\n\
         - BuildKit's `# check=skip=StageNameCasing,…` directive (or `skip=all`) silences the rules listed as the same \
         as those BuildKit checks, and `# check=error=true` makes their findings errors. The build argument \
         `BUILDKIT_DOCKERFILE_CHECK` replaces the directive, as in BuildKit.\n\n\
         ## Agreement with hadolint\n\n\
         `scripts/hadolint-compare.sh` (`--live` runs the installed hadolint instead of reading its recorded \
         output; both call `cargo run -p layerlens-core --example hadolint_compare`) prints, for every rule below \
         that is the same as a hadolint rule, where layerlens and hadolint 2.15.1 disagree on the corpus in \
         `../shared/fixtures/dockerfiles/corpus`: 592 findings agree and 56 differ. The test `crates/core/tests/lint_corpus.rs` fails on any \
         disagreement without a reason; the reasons are: hadolint could not parse the file (DL1000 on valid files); \
         the stage is not part of the final image, so a size rule does not apply; and a short list of reviewed cases \
         (`REVIEWED` in `crates/core/tests/support/hadolint_impl.rs`): `apt-get dist-clean` removes the apt lists, \
         `apt install` is as unpinned as `apt-get install`, `COPY --from=` an image reference is valid.\n\n\
         ## BuildKit checks left out\n\n\
         `InvalidBaseImagePlatform` compares the platform of the pulled base image with the one the stage asked for. \
         The platform of an image is only known from its manifest in the registry, and layerlens makes no network \
         requests (the page analyses everything in the browser), so this check cannot be made. \
         `CopyIgnoredFile` (LL2020) needs the `.dockerignore` text: the CLI reads it, the page does not have it.\n\n\
         ## Rules\n\n\
         | id | name | severity | category | same as | summary |\n\
         |---|---|---|---|---|---|\n",
    );
    for rule in rules {
        let _ = writeln!(
            out,
            "| [{}](#{}) | {} | {} | {} | {} | {} |",
            rule.id,
            rule.id.to_ascii_lowercase(),
            rule.name,
            rule.severity.as_str(),
            rule.category.as_str(),
            equivalents(rule),
            rule.summary
        );
    }
    for rule in rules {
        let _ = write!(
            out,
            "\n<a id=\"{}\"></a>\n### {} {}\n\n{}. Severity: {}. Category: {}. Same as: {}.\n\n{}\n\n**Fix:** {}\n",
            rule.id.to_ascii_lowercase(),
            rule.id,
            rule.name,
            capitalise(rule.summary),
            rule.severity.as_str(),
            rule.category.as_str(),
            equivalents(rule),
            rule.explanation,
            rule.fix
        );
    }
    out
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
