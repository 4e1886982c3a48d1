//! BuildKit's build checks (`docker build --check`), reproduced from `frontend/dockerfile/linter`
//! and the places in `dockerfile2llb` and `instructions/parse.go` that call them.

use crate::dockerfile::Expanded;
use crate::dockerfile::{Args, Instruction, Keyword, Scope, Span, Word};
use crate::lint::context::{Context, Stage, PLATFORM_ARGS, PREDEFINED_ARGS};
use crate::lint::dockerignore::Patterns;
use crate::lint::rule::{Category, Equivalent, RuleMeta, Severity};
use crate::lint::{Dockerignore, Emitter};
use std::collections::BTreeSet;

macro_rules! buildkit_rule {
    ($ident:ident, $id:literal, $name:literal, $check:literal, $sev:ident, $cat:ident, $summary:literal, $expl:literal, $fix:literal $(, $extra:expr)*) => {
        #[doc = concat!($id, ": BuildKit's ", $check, ".")]
        pub(crate) const $ident: RuleMeta = RuleMeta {
            id: $id,
            name: $name,
            severity: Severity::$sev,
            category: Category::$cat,
            summary: $summary,
            explanation: $expl,
            fix: $fix,
            same_as: &[Equivalent::Buildkit($check) $(, $extra)*],
        };
    };
}

buildkit_rule!(STAGE_NAME_CASING, "LL2001", "stage-name-casing", "StageNameCasing", Info, Maintainability,
    "stage names should be lowercase",
    "BuildKit compares stage names case-insensitively and normalises them to lower case; a mixed-case name reads as if it were distinct when it is not.",
    "Write the stage name in lower case.");
buildkit_rule!(
    FROM_AS_CASING,
    "LL2002",
    "from-as-casing",
    "FromAsCasing",
    Info,
    Maintainability,
    "the AS keyword should match the case of FROM",
    "Mixing `FROM` with `as` (or `from` with `AS`) is legal but inconsistent; BuildKit warns about it.",
    "Write `FROM … AS name` or `from … as name`."
);
buildkit_rule!(JSON_ARGS, "LL2003", "json-args-recommended", "JSONArgsRecommended", Info, Correctness,
    "CMD/ENTRYPOINT in shell form do not receive OS signals",
    "In shell form the program runs as a child of `/bin/sh -c`, which does not forward SIGTERM: `docker stop` waits for the timeout and then kills the container without a clean shutdown.",
    "Use the exec form, e.g. `CMD [\"my-program\", \"start\"]`, or set an explicit SHELL if a shell is really wanted.");
buildkit_rule!(UNDEFINED_VAR, "LL2004", "undefined-var", "UndefinedVar", Warning, Correctness,
    "a variable is used before it is defined",
    "BuildKit expands variables in ADD, COPY, ENV, EXPOSE, LABEL, STOPSIGNAL, USER, VOLUME and WORKDIR itself. An undefined variable silently becomes an empty string, which usually means a typo or a missing ARG.",
    "Declare it with ARG or ENV before use, or fix the spelling. Variables the base image defines are not known offline: this rule only reports when the stage's environment is fully known (it starts from scratch or from stages that do) or when the name is a near-miss of a defined one.");
buildkit_rule!(UNDEFINED_ARG_IN_FROM, "LL2005", "undefined-arg-in-from", "UndefinedArgInFrom", Warning, Correctness,
    "FROM uses an ARG that is not declared before the first FROM",
    "Only ARGs declared before the first FROM (plus the automatic platform ARGs) can be used in FROM; anything else expands to an empty string.",
    "Declare the ARG before the first FROM, e.g. `ARG BASE=alpine:3.22`.");
buildkit_rule!(INVALID_DEFAULT_ARG_IN_FROM, "LL2006", "invalid-default-arg-in-from", "InvalidDefaultArgInFrom", Warning, Correctness,
    "the ARG defaults make the FROM image name empty or invalid",
    "When a build does not pass --build-arg, the default values are used; if they give an empty or invalid image reference, the build fails.",
    "Give the global ARG a default that makes a valid image reference.");
buildkit_rule!(DUPLICATE_STAGE_NAME, "LL2007", "duplicate-stage-name", "DuplicateStageName", Error, Correctness,
    "two stages have the same name",
    "Stage names must be unique (case-insensitively); references to a duplicated name are ambiguous and BuildKit refuses them.",
    "Rename one of the stages.");
buildkit_rule!(RESERVED_STAGE_NAME, "LL2008", "reserved-stage-name", "ReservedStageName", Error, Correctness,
    "a stage uses a reserved name",
    "`scratch` and `context` have special meanings in FROM and COPY --from; a stage with such a name cannot be referenced.",
    "Rename the stage.");
buildkit_rule!(
    WORKDIR_RELATIVE,
    "LL2009",
    "workdir-relative-path",
    "WorkdirRelativePath",
    Warning,
    Correctness,
    "WORKDIR is relative before any absolute WORKDIR in the stage",
    "A relative WORKDIR is resolved against the base image's working directory, which can change with the base image.",
    "Use an absolute path, e.g. `WORKDIR /app`.",
    Equivalent::Hadolint("DL3000")
);
buildkit_rule!(
    MULTIPLE_INSTRUCTIONS,
    "LL2010",
    "multiple-instructions-disallowed",
    "MultipleInstructionsDisallowed",
    Warning,
    Correctness,
    "CMD, ENTRYPOINT or HEALTHCHECK appears more than once in a stage",
    "Only the last CMD, ENTRYPOINT or HEALTHCHECK of a stage takes effect; earlier ones are silently ignored.",
    "Keep only one per stage.",
    Equivalent::Hadolint("DL4003"),
    Equivalent::Hadolint("DL4004"),
    Equivalent::Hadolint("DL3012")
);
buildkit_rule!(LEGACY_KEY_VALUE, "LL2011", "legacy-key-value-format", "LegacyKeyValueFormat", Info, Maintainability,
    "ENV or LABEL uses the legacy `key value` form",
    "The whitespace form sets only one variable and takes the rest of the line as its value, which is easy to misread; it may be removed in a future release.",
    "Write `ENV key=value`.");
buildkit_rule!(
    REDUNDANT_TARGET_PLATFORM,
    "LL2012",
    "redundant-target-platform",
    "RedundantTargetPlatform",
    Info,
    Maintainability,
    "FROM --platform=$TARGETPLATFORM is the default",
    "Stages are built for the target platform unless told otherwise, so the flag does nothing.",
    "Remove the --platform flag."
);
buildkit_rule!(SECRETS_IN_ARG_OR_ENV, "LL2013", "secrets-in-arg-or-env", "SecretsUsedInArgOrEnv", Warning, Security,
    "a secret seems to be passed through ARG or ENV",
    "ARG and ENV values are recorded in the image's history and configuration, where anyone who pulls the image can read them. Unlike BuildKit, this rule does not report public GPG key fingerprints (e.g. `ENV GPG_KEY=7169…`).",
    "Use a secret mount: `RUN --mount=type=secret,id=token …`.");
buildkit_rule!(
    MAINTAINER,
    "LL2014",
    "maintainer-deprecated",
    "MaintainerDeprecated",
    Info,
    Maintainability,
    "MAINTAINER is deprecated",
    "MAINTAINER only sets the obsolete Author field; labels are the standard way to record who maintains an image.",
    "Use `LABEL org.opencontainers.image.authors=\"name@example.com\"`.",
    Equivalent::Hadolint("DL4000")
);
buildkit_rule!(
    EXPOSE_PROTO_CASING,
    "LL2015",
    "expose-proto-casing",
    "ExposeProtoCasing",
    Info,
    Maintainability,
    "the EXPOSE protocol should be lowercase",
    "Protocols are lower case (`tcp`, `udp`, `sctp`); BuildKit warns about other spellings.",
    "Write e.g. `EXPOSE 53/udp`."
);
buildkit_rule!(EXPOSE_INVALID_FORMAT, "LL2016", "expose-invalid-format", "ExposeInvalidFormat", Warning, Correctness,
    "EXPOSE names an IP address or a host port",
    "EXPOSE documents container ports only; an IP or host-port mapping in it is ignored today and will be an error in a future release.",
    "Write only the container port: `EXPOSE 80`; map host ports with `docker run -p`.");
buildkit_rule!(EMPTY_CONTINUATION, "LL2017", "no-empty-continuation", "NoEmptyContinuation", Warning, Correctness,
    "an empty line inside a line continuation",
    "An empty line inside a continued instruction is skipped today, but will be an error in a future release, and often hides a missing backslash.",
    "Remove the empty line (comment lines are fine).");
buildkit_rule!(
    INSTRUCTION_CASING,
    "LL2018",
    "consistent-instruction-casing",
    "ConsistentInstructionCasing",
    Info,
    Maintainability,
    "instruction keywords are not consistently cased",
    "All instructions should use the same case (all upper or all lower), as the majority of the file does.",
    "Write every keyword in the majority's case."
);

buildkit_rule!(
    FROM_PLATFORM_CONST,
    "LL2019",
    "from-platform-constant",
    "FromPlatformFlagConstDisallowed",
    Warning,
    Maintainability,
    "FROM --platform uses a constant value",
    "A constant `--platform` pins the stage to one platform: the Dockerfile can no longer build a multi-platform image, \
        and on another platform the stage runs under emulation. BuildKit skips the check when the stage name mentions the \
        platform's OS or architecture (`AS build-arm64`), which marks a deliberately platform-specific stage.",
    "Drop `--platform` and choose the platform with `docker build --platform`, or use `--platform=$BUILDPLATFORM` (or \
        `$TARGETPLATFORM`) for stages that cross-compile."
);
buildkit_rule!(
    COPY_IGNORED_FILE,
    "LL2020",
    "copy-ignored-file",
    "CopyIgnoredFile",
    Warning,
    Correctness,
    "COPY or ADD names a file that .dockerignore excludes",
    "Files that .dockerignore excludes are not sent to the builder, so copying one fails the build or silently copies \
        nothing (with a wildcard). Like BuildKit (where the check is experimental), layerlens checks only when the \
        .dockerignore has no `!` exclusions, since an excluded directory may hold re-included files. It needs the \
        .dockerignore text: the CLI reads the one beside the Dockerfile (or `--dockerignore FILE`); the page does not have it.",
    "Remove the path from .dockerignore, or stop copying it."
);

/// The rules of this family.
pub(crate) const RULES: &[&RuleMeta] = &[
    &STAGE_NAME_CASING,
    &FROM_AS_CASING,
    &JSON_ARGS,
    &UNDEFINED_VAR,
    &UNDEFINED_ARG_IN_FROM,
    &INVALID_DEFAULT_ARG_IN_FROM,
    &DUPLICATE_STAGE_NAME,
    &RESERVED_STAGE_NAME,
    &WORKDIR_RELATIVE,
    &MULTIPLE_INSTRUCTIONS,
    &LEGACY_KEY_VALUE,
    &REDUNDANT_TARGET_PLATFORM,
    &SECRETS_IN_ARG_OR_ENV,
    &MAINTAINER,
    &EXPOSE_PROTO_CASING,
    &EXPOSE_INVALID_FORMAT,
    &EMPTY_CONTINUATION,
    &INSTRUCTION_CASING,
    &FROM_PLATFORM_CONST,
    &COPY_IGNORED_FILE,
];

/// Runs BuildKit's checks.
pub(crate) fn check(cx: &Context<'_>, out: &mut Emitter) {
    check_stages(cx, out);
    check_from_args(cx, out);
    check_casing(cx, out);
    for instruction in &cx.syntax.instructions {
        check_instruction(cx, instruction, out);
    }
    for stage in &cx.stages {
        check_stage_body(cx, stage, out);
        check_platform_constant(cx, stage, out);
    }
    check_ignored_copies(cx, out);
}

/// LL2019: BuildKit's `reportConstPlatformDisallowed`.
fn check_platform_constant(cx: &Context<'_>, stage: &Stage<'_>, out: &mut Emitter) {
    let Some(flag) = stage.from.flag("platform") else { return };
    let Some(value) = flag.value.as_deref() else { return };
    let Some(expansion) = cx.expand(value, &cx.global_scope()) else { return };
    if !expansion.matched.is_empty() || !expansion.unmatched.is_empty() {
        return;
    }
    let platform = expansion.result;
    // containerd's `platforms.Parse`: `os[/arch[/variant]]`, lower-cased; anything else fails and is left to the build.
    let mut parts = platform.split('/');
    let os = parts.next().unwrap_or("").to_ascii_lowercase();
    let arch = parts.next().unwrap_or("").to_ascii_lowercase();
    let valid = |p: &str| !p.is_empty() && p.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if !valid(&os) || (!arch.is_empty() && !valid(&arch)) || platform.split('/').count() > 3 {
        return;
    }
    let name = stage.name().unwrap_or("");
    if name.contains(os.as_str()) || (!arch.is_empty() && name.contains(arch.as_str())) {
        return;
    }
    out.emit(
        &FROM_PLATFORM_CONST,
        stage.from,
        flag.span,
        format!("FROM --platform flag should not use constant value \"{platform}\""),
    );
}

/// LL2020: BuildKit's `validateCopySourcePath`, for `COPY`/`ADD` sources from the build context.
fn check_ignored_copies(cx: &Context<'_>, out: &mut Emitter) {
    let Dockerignore::Text(text) = &cx.config.dockerignore else { return };
    let patterns = Patterns::parse(text);
    if patterns.has_exclusions() {
        return;
    }
    for stage in &cx.stages {
        for (offset, ins) in stage.body.iter().enumerate() {
            if !matches!(ins.keyword, Keyword::Copy | Keyword::Add) || ins.flag("from").is_some() {
                continue;
            }
            let Some(crate::dockerfile::Command { expanded: Expanded::Words(words), .. }) =
                stage.model.commands.get(offset)
            else {
                continue;
            };
            let (Args::List(written) | Args::Json(written)) = &ins.args else { continue };
            let sources = words.len().saturating_sub(1);
            let cmd = if ins.keyword == Keyword::Add { "Add" } else { "Copy" };
            for (i, source) in words.iter().take(sources).enumerate() {
                if source.contains("://") || source.starts_with("git@") {
                    continue;
                }
                if patterns.matches_or_parent_matches(source) {
                    let span = written.get(i).map_or(ins.keyword_word.span, |w| w.span);
                    let shown = source.trim_start_matches("./");
                    out.emit(
                        &COPY_IGNORED_FILE,
                        ins,
                        span,
                        format!("Attempting to {cmd} file \"{shown}\" that is excluded by .dockerignore"),
                    );
                }
            }
        }
    }
}

fn is_self_consistent(s: &str) -> bool {
    s == s.to_ascii_lowercase() || s == s.to_ascii_uppercase()
}

fn check_stages(cx: &Context<'_>, out: &mut Emitter) {
    let mut seen: BTreeSet<String> = BTreeSet::new();
    for stage in &cx.stages {
        let from = stage.from;
        if let (Some(as_word), Some(name)) = (stage.as_word, stage.name_word) {
            if name.text != name.text.to_ascii_lowercase() {
                out.emit(
                    &STAGE_NAME_CASING,
                    from,
                    name.span,
                    format!("Stage name '{}' should be lowercase", name.text),
                );
            }
            let keyword = &from.keyword_word.text;
            if is_self_consistent(keyword) {
                let lower = keyword == &keyword.to_ascii_lowercase();
                let matches = if lower {
                    as_word.text == as_word.text.to_ascii_lowercase()
                } else {
                    as_word.text == as_word.text.to_ascii_uppercase()
                };
                if !matches {
                    out.emit(
                        &FROM_AS_CASING,
                        from,
                        as_word.span,
                        format!("'{}' and '{}' keywords' casing do not match", as_word.text, keyword),
                    );
                }
            }
            let lower = name.text.to_ascii_lowercase();
            if lower == "context" || lower == "scratch" {
                out.emit(
                    &RESERVED_STAGE_NAME,
                    from,
                    name.span,
                    format!("Stage name should not use the same name as reserved stage \"{lower}\""),
                );
            }
            if !seen.insert(lower.clone()) {
                out.emit(
                    &DUPLICATE_STAGE_NAME,
                    from,
                    name.span,
                    format!("Duplicate stage name \"{lower}\", stage names should be unique"),
                );
            }
        }
    }
}

fn check_from_args(cx: &Context<'_>, out: &mut Emitter) {
    let declared: BTreeSet<&str> = cx.model.global_args.iter().map(|a| a.name.as_str()).collect();
    let env = cx.global_scope();
    let defaults = global_defaults(cx);
    for stage in &cx.stages {
        let from = stage.from;
        let platform = from.flag("platform");
        let mut words: Vec<(&str, Span)> = stage.image.map(|w| (w.text.as_str(), w.span)).into_iter().collect();
        if let Some(flag) = platform {
            if let Some(value) = &flag.value {
                words.push((value.as_str(), flag.value_span.unwrap_or(flag.span)));
            }
        }
        for (word, span) in &words {
            let Some(expansion) = cx.expand(word, &env) else { continue };
            for name in &expansion.unmatched {
                if !declared.contains(name.as_str()) {
                    let suggestion = suggest(name, declared.iter().copied());
                    let hint = suggestion.map(|s| format!(" (did you mean {s}?)")).unwrap_or_default();
                    out.emit(
                        &UNDEFINED_ARG_IN_FROM,
                        from,
                        *span,
                        format!("FROM argument '{name}' is not declared{hint}"),
                    );
                }
            }
        }
        if let Some(flag) = platform {
            if let Some(expansion) = flag.value.as_deref().and_then(|v| cx.expand(v, &env)) {
                let only_target = expansion.matched.len() == 1
                    && expansion.unmatched.is_empty()
                    && expansion.matched.contains("TARGETPLATFORM")
                    && expansion.result == "linux/amd64";
                if only_target {
                    out.emit(
                        &REDUNDANT_TARGET_PLATFORM,
                        from,
                        flag.span,
                        format!(
                            "Setting platform to predefined {} in FROM is redundant as this is the default behavior",
                            flag.value.as_deref().unwrap_or("")
                        ),
                    );
                }
            }
        }
        if let Some(image) = stage.image {
            if image.text.contains('$') {
                if let Some(expansion) = cx.expand(&image.text, &defaults) {
                    let name = expansion.result;
                    let is_stage = cx.stage_named(&name, stage.index).is_some();
                    if !is_stage && !valid_reference(&name) {
                        out.emit(
                            &INVALID_DEFAULT_ARG_IN_FROM,
                            from,
                            image.span,
                            format!("Default value for ARG {} results in empty or invalid base image name", image.text),
                        );
                    }
                }
            }
        }
    }
}

/// The automatic platform arguments and the global `ARG`s with their defaults as written (build-argument
/// overrides left out), as BuildKit checks `FROM` defaults.
fn global_defaults(cx: &Context<'_>) -> Vec<(String, String)> {
    let mut defaults: Vec<(String, String)> = cx
        .model
        .global_args
        .iter()
        .filter(|a| PLATFORM_ARGS.contains(&a.name.as_str()))
        .filter_map(|a| Some((a.name.clone(), a.value.clone()?)))
        .collect();
    let first_from = cx.stages.first().map_or(cx.syntax.instructions.len(), |s| s.model.from);
    for ins in cx.syntax.instructions.iter().take(first_from).filter(|i| i.keyword == Keyword::Arg) {
        let Args::List(words) = &ins.args else { continue };
        for (name, default) in words.iter().filter_map(|w| w.text.split_once('=')) {
            let expanded = cx.literal(default).unwrap_or_else(|| default.to_string());
            defaults.push((name.to_string(), expanded));
        }
    }
    defaults
}

/// A close spelling among `candidates` (edit distance at most 2, and less than half the length).
fn suggest<'a>(name: &str, candidates: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .filter(|c| *c != name && c.len().abs_diff(name.len()) <= 2)
        .map(|c| (distance(name, c), c))
        .filter(|(d, c)| *d <= 2 && *d * 2 < name.len().max(c.len()))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance, case-insensitive, bounded by the (short) names it compares.
fn distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.to_ascii_lowercase().chars().take(64).collect();
    let b: Vec<char> = b.to_ascii_lowercase().chars().take(64).collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            let best = prev.get(j).map_or(usize::MAX, |p| p + cost);
            let best = best.min(prev.get(j + 1).map_or(usize::MAX, |p| p + 1));
            let best = best.min(cur.get(j).map_or(usize::MAX, |p| p + 1));
            if let Some(slot) = cur.get_mut(j + 1) {
                *slot = best;
            }
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}

/// Whether `reference` is a valid image reference (docker/distribution's grammar, simplified to its checks).
fn valid_reference(reference: &str) -> bool {
    if reference.is_empty() {
        return false;
    }
    let (name, digest) = match reference.split_once('@') {
        Some((n, d)) => (n, Some(d)),
        None => (reference, None),
    };
    if let Some(d) = digest {
        let Some((algo, hex)) = d.split_once(':') else { return false };
        if algo.is_empty() || hex.len() < 32 || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return false;
        }
    }
    let slash = name.rfind('/').map_or(0, |i| i + 1);
    let (path, tag) = match name.get(slash..).and_then(|last| last.rfind(':')) {
        Some(colon) => (name.get(..slash + colon).unwrap_or(""), name.get(slash + colon + 1..)),
        None => (name, None),
    };
    if let Some(tag) = tag {
        let mut chars = tag.chars();
        let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
        if !first_ok
            || tag.len() > 128
            || !tag.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'))
        {
            return false;
        }
    }
    let mut components: Vec<&str> = path.split('/').collect();
    if components.len() > 1 {
        let first = components.first().copied().unwrap_or("");
        let is_domain =
            first.contains(['.', ':']) || first == "localhost" || first.chars().any(|c| c.is_ascii_uppercase());
        if is_domain {
            if !first.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']')) {
                return false;
            }
            components.remove(0);
        }
    }
    !components.is_empty()
        && components.iter().all(|c| {
            !c.is_empty()
                && c.chars().all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || matches!(ch, '.' | '_' | '-'))
                && c.chars().next().is_some_and(|ch| ch.is_ascii_alphanumeric())
                && c.chars().last().is_some_and(|ch| ch.is_ascii_alphanumeric())
        })
}

fn check_casing(cx: &Context<'_>, out: &mut Emitter) {
    let staged: Vec<&Instruction> =
        cx.stages.iter().flat_map(|s| std::iter::once(s.from).chain(s.body.iter())).collect();
    let (mut lower, mut upper) = (0usize, 0usize);
    for ins in &staged {
        let kw = &ins.keyword_word.text;
        if is_self_consistent(kw) {
            if kw == &kw.to_ascii_lowercase() {
                lower += 1;
            } else {
                upper += 1;
            }
        }
    }
    let majority_lower = lower > upper;
    for ins in staged {
        let kw = &ins.keyword_word.text;
        let wrong = if majority_lower { kw != &kw.to_ascii_lowercase() } else { kw != &kw.to_ascii_uppercase() };
        if wrong {
            let case = if majority_lower { "lowercase" } else { "uppercase" };
            out.emit(
                &INSTRUCTION_CASING,
                ins,
                ins.keyword_word.span,
                format!("Command '{kw}' should match the case of the command majority ({case})"),
            );
        }
    }
}

/// Whether a word that looks like a secret name holds a public value (a GPG fingerprint or key ID list).
fn public_key_value(value: &str) -> bool {
    let value = value.trim_matches(['"', '\'']);
    let parts: Vec<&str> = value.split_whitespace().collect();
    !parts.is_empty()
        && parts.iter().all(|p| {
            let p = p.strip_prefix("0x").unwrap_or(p);
            matches!(p.len(), 8 | 16 | 32 | 40) && p.chars().all(|c| c.is_ascii_hexdigit())
        })
}

/// BuildKit's secret-name test: a token from the deny list delimited by `_` or the ends, and no allow-list token.
fn secret_name(name: &str) -> bool {
    const DENY: &[&str] =
        &["apikey", "auth", "credential", "credentials", "key", "password", "pword", "passwd", "secret", "token"];
    const ALLOW: &[&str] = &["public", "file", "version"];
    let tokens: Vec<String> = name.split('_').map(str::to_ascii_lowercase).collect();
    tokens.iter().any(|t| DENY.contains(&t.as_str())) && !tokens.iter().any(|t| ALLOW.contains(&t.as_str()))
}

fn check_instruction(cx: &Context<'_>, ins: &Instruction, out: &mut Emitter) {
    if let Some(&line) = ins.empty_continuation_lines.first() {
        let start = cx.syntax.lines.line_start(line).unwrap_or(ins.span.start);
        out.emit(&EMPTY_CONTINUATION, ins, Span::new(start, start), "Empty continuation line".to_string());
    }
    match (ins.keyword, &ins.args) {
        (Keyword::Maintainer, _) => {
            out.emit(
                &MAINTAINER,
                ins,
                ins.keyword_word.span,
                "Maintainer instruction is deprecated in favor of using label".to_string(),
            );
        }
        (Keyword::Env | Keyword::Label, Args::Pairs(pairs)) => {
            if pairs.iter().any(|p| p.legacy) {
                let name = ins.keyword.as_str();
                out.emit(
                    &LEGACY_KEY_VALUE,
                    ins,
                    ins.keyword_word.span,
                    format!("\"{name} key=value\" should be used instead of legacy \"{name} key value\" format"),
                );
            }
            if ins.keyword == Keyword::Env {
                for pair in pairs {
                    if secret_name(&pair.key.text) && !public_key_value(&pair.value.text) {
                        out.emit(
                            &SECRETS_IN_ARG_OR_ENV,
                            ins,
                            pair.key.span,
                            format!(
                                "Do not use ARG or ENV instructions for sensitive data (ENV \"{}\")",
                                pair.key.text
                            ),
                        );
                    }
                }
            }
        }
        (Keyword::Arg, Args::List(words)) => {
            for word in words {
                let (name, value) = word.text.split_once('=').map_or((word.text.as_str(), None), |(n, v)| (n, Some(v)));
                if secret_name(name) && !value.is_some_and(public_key_value) {
                    out.emit(
                        &SECRETS_IN_ARG_OR_ENV,
                        ins,
                        word.span,
                        format!("Do not use ARG or ENV instructions for sensitive data (ARG \"{name}\")"),
                    );
                }
            }
        }
        (Keyword::Expose, Args::List(words)) => {
            for word in words {
                let port = word.text.as_str();
                let container = port.rsplit(':').next().unwrap_or(port);
                if let Some((_, proto)) = container.split_once('/') {
                    if proto != proto.to_ascii_lowercase() {
                        out.emit(
                            &EXPOSE_PROTO_CASING,
                            ins,
                            word.span,
                            format!("Defined protocol '{port}' in EXPOSE instruction should be lowercase"),
                        );
                    }
                }
                if port.contains(':') {
                    out.emit(
                        &EXPOSE_INVALID_FORMAT,
                        ins,
                        word.span,
                        format!(
                            "EXPOSE instruction should not define an IP address or host-port mapping, found '{port}'"
                        ),
                    );
                }
            }
        }
        _ => {}
    }
}

/// Environment variable names official base images commonly set (never reported as undefined).
const COMMON_IMAGE_ENV: &[&str] = &["PATH", "HOME", "HOSTNAME", "LANG", "LC_ALL", "TERM", "USER", "PWD", "SHELL"];

fn check_stage_body(cx: &Context<'_>, stage: &Stage<'_>, out: &mut Emitter) {
    let mut workdir_set = false;
    let mut seen: Vec<(Keyword, &Instruction)> = Vec::new();
    // A SHELL in a stage this one is built on carries over.
    let mut shell_seen = stage.inherits_shell;
    // Every name in scope so far, grown as the scope grows (the model's scopes only append).
    let mut declared: BTreeSet<&str> = BTreeSet::new();
    let mut scanned = 0;
    for (offset, ins) in stage.body.iter().enumerate() {
        let scope = stage.scope_before(offset);
        for var in scope.vars.get(scanned..).unwrap_or(&[]) {
            declared.insert(var.name.as_str());
        }
        scanned = scanned.max(scope.vars.len());
        match ins.keyword {
            Keyword::Shell => shell_seen = true,
            Keyword::Workdir => {
                if let Args::Text(word) = &ins.args {
                    let literal = cx.literal(&word.text).unwrap_or_else(|| word.text.clone());
                    let path = literal.as_str();
                    let absolute = path.starts_with('/') || path.starts_with('$') || is_windows_absolute(path);
                    if !workdir_set && !absolute {
                        out.emit(
                            &WORKDIR_RELATIVE,
                            ins,
                            word.span,
                            format!(
                                "Relative workdir \"{path}\" can have unexpected results if the base image changes"
                            ),
                        );
                    }
                    workdir_set = true;
                }
            }
            Keyword::Cmd | Keyword::Entrypoint | Keyword::Healthcheck => {
                if let Some((_, earlier)) = seen.iter().rev().find(|(k, _)| *k == ins.keyword) {
                    out.emit(&MULTIPLE_INSTRUCTIONS, earlier, earlier.keyword_word.span, format!(
                        "Multiple {} instructions should not be used in the same stage because only the last one will be used",
                        ins.keyword.as_str()
                    ));
                }
                seen.push((ins.keyword, ins));
                let shell_form = matches!(ins.args, Args::Text(_));
                if shell_form && ins.keyword != Keyword::Healthcheck && !shell_seen {
                    out.emit(
                        &JSON_ARGS,
                        ins,
                        ins.keyword_word.span,
                        format!(
                            "JSON arguments recommended for {} to prevent unintended behavior related to OS signals",
                            ins.keyword.as_str()
                        ),
                    );
                }
            }
            _ => {}
        }
        check_undefined(cx, ins, &scope, &declared, stage.env_known, out);
    }
}

fn is_windows_absolute(path: &str) -> bool {
    let mut chars = path.chars();
    matches!((chars.next(), chars.next()), (Some(c), Some(':')) if c.is_ascii_alphabetic()) || path.starts_with('\\')
}

/// The words of an instruction that BuildKit expands.
fn expanded_words(ins: &Instruction) -> Vec<&Word> {
    match (&ins.keyword, &ins.args) {
        (Keyword::Add | Keyword::Copy | Keyword::Expose | Keyword::Volume, Args::List(words) | Args::Json(words)) => {
            words.iter().collect()
        }
        (Keyword::User | Keyword::Workdir | Keyword::Stopsignal, Args::Text(word)) => vec![word],
        (Keyword::Env | Keyword::Label, Args::Pairs(pairs)) => pairs.iter().flat_map(|p| [&p.key, &p.value]).collect(),
        (Keyword::Arg, Args::List(words)) => words.iter().collect(),
        _ => Vec::new(),
    }
}

fn check_undefined(
    cx: &Context<'_>,
    ins: &Instruction,
    env: &Scope<'_>,
    declared: &BTreeSet<&str>,
    env_known: bool,
    out: &mut Emitter,
) {
    for word in expanded_words(ins) {
        if !word.text.contains('$') {
            continue;
        }
        let text = match (ins.keyword, word.text.split_once('=')) {
            (Keyword::Arg, Some((_, default))) => default,
            (Keyword::Arg, None) => continue,
            _ => word.text.as_str(),
        };
        let Some(expansion) = cx.expand(text, env) else { continue };
        for name in &expansion.unmatched {
            let name = name.as_str();
            let exempt = declared.contains(name)
                || PLATFORM_ARGS.contains(&name)
                || PREDEFINED_ARGS.contains(&name)
                || COMMON_IMAGE_ENV.contains(&name);
            if exempt {
                continue;
            }
            let suggestion = suggest(name, declared.iter().copied());
            if !env_known && suggestion.is_none() {
                continue;
            }
            let hint = suggestion.map(|s| format!(" (did you mean ${s}?)")).unwrap_or_default();
            out.emit(&UNDEFINED_VAR, ins, word.span, format!("Usage of undefined variable '${name}'{hint}"));
        }
    }
}
