//! The corpus comparison with hadolint, shared by `tests/lint_corpus.rs` and `examples/hadolint_compare.rs`.

use layerlens_core::dockerfile::{self, BuildArgs, Source};
use layerlens_core::lint::{self, Config, Finding};
use std::collections::BTreeSet;
use std::path::Path;

/// Which tool reported a finding the other did not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Side {
    /// Only layerlens reports it.
    OnlyLayerlens,
    /// Only hadolint reports it.
    OnlyHadolint,
}

/// One disagreement.
#[derive(Debug, Clone)]
pub struct Disagreement {
    /// The corpus file name.
    pub file: String,
    /// The instruction's first line.
    pub line: usize,
    /// The hadolint rule.
    pub hadolint: String,
    /// Our rule id.
    pub rule: String,
    /// Who reported it.
    pub side: Side,
    /// Why we differ.
    pub reason: Reason,
}

/// Why layerlens and hadolint differ on one instruction.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Reason {
    /// hadolint could not parse the file (DL1000), so it reported nothing after that point.
    HadolintParseFailure,
    /// The instruction is in a stage whose layers are not part of the final image, so it costs no image bytes.
    NotInFinalImage,
    /// A reviewed case, with the reason from [`REVIEWED`].
    Reviewed(&'static str),
    /// Not yet explained: a disagreement that needs a look.
    Unexplained,
}

impl Reason {
    /// A sentence for the table.
    pub fn text(&self) -> String {
        match self {
            Reason::HadolintParseFailure => "hadolint failed to parse the file (DL1000); the file is valid".to_string(),
            Reason::NotInFinalImage => "the stage is not part of the final image, so no bytes are wasted".to_string(),
            Reason::Reviewed(s) => s.to_string(),
            Reason::Unexplained => "UNEXPLAINED: review this case and add it to REVIEWED".to_string(),
        }
    }
}

/// The whole comparison.
#[derive(Debug, Default)]
pub struct Report {
    /// Files compared.
    pub files: usize,
    /// (file, line, hadolint rule) reported by both.
    pub agreements: usize,
    /// Everything reported by one side only.
    pub disagreements: Vec<Disagreement>,
}

/// A hadolint JSON entry we care about.
struct HadolintEntry {
    code: String,
    line: usize,
}

fn read_hadolint(path: &Path) -> Result<Vec<HadolintEntry>, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let value: serde_json::Value = serde_json::from_str(&text).map_err(|e| e.to_string())?;
    let entries = value.as_array().ok_or("not a JSON array")?;
    Ok(entries
        .iter()
        .filter_map(|e| {
            Some(HadolintEntry { code: e.get("code")?.as_str()?.to_string(), line: e.get("line")?.as_u64()? as usize })
        })
        .collect())
}

/// The first line of the instruction containing byte `offset`.
fn instruction_line(syntax: &dockerfile::Dockerfile, offset: usize) -> usize {
    syntax.instructions.iter().find(|i| i.span.start <= offset && offset <= i.span.end).map_or(0, |i| i.start_line)
}

/// Compares every file of `corpus/files` with `corpus/hadolint/<name>.json`.
pub fn compare_corpus(corpus: &Path) -> Result<Report, String> {
    let mut names: Vec<String> = std::fs::read_dir(corpus.join("files"))
        .map_err(|e| e.to_string())?
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect();
    names.sort();
    let mapped: BTreeSet<&'static str> = lint::all_rules().iter().flat_map(|r| r.hadolint()).collect();
    let mut report = Report::default();
    for name in names {
        let text = std::fs::read_to_string(corpus.join("files").join(&name)).map_err(|e| e.to_string())?;
        let hadolint = read_hadolint(&corpus.join("hadolint").join(format!("{name}.json")))?;
        report.files += 1;
        let parsed = dockerfile::parse(&text);
        let findings = lint::lint(&text, &parsed.syntax, &Config::default());
        let model = dockerfile::model(&parsed, &BuildArgs::default());
        let final_lineage = final_lineage(&model);
        let parse_failed = hadolint.iter().find(|e| e.code == "DL1000").map(|e| e.line);
        let ours: BTreeSet<(usize, String)> = findings
            .iter()
            .filter(|f: &&Finding| f.meta().is_some_and(|m| m.hadolint().next().is_some()))
            .map(|f| (instruction_line(&parsed.syntax, f.span.start), f.rule.to_string()))
            .collect();
        let mut codes: std::collections::BTreeMap<(usize, String), String> = std::collections::BTreeMap::new();
        for entry in hadolint.iter().filter(|e| mapped.contains(e.code.as_str())) {
            let Some(rule) = lint::all_rules().into_iter().find(|r| r.hadolint().any(|h| h == entry.code)) else {
                continue;
            };
            codes.entry((entry.line, rule.id.to_string())).or_insert_with(|| entry.code.clone());
        }
        for (line, rule) in &ours {
            if codes.contains_key(&(*line, rule.clone())) {
                report.agreements += 1;
                continue;
            }
            let meta = lint::rule_by_id(rule);
            let code = meta.and_then(|m| m.hadolint().next()).unwrap_or("").to_string();
            let reason = match parse_failed {
                Some(_) => Reason::HadolintParseFailure,
                _ => known_reason(&name, *line, rule, Side::OnlyLayerlens),
            };
            report.disagreements.push(Disagreement {
                file: name.clone(),
                line: *line,
                hadolint: code,
                rule: rule.clone(),
                side: Side::OnlyLayerlens,
                reason,
            });
        }
        for ((line, rule), code) in &codes {
            if ours.contains(&(*line, rule.clone())) {
                continue;
            }
            let stage =
                parsed.syntax.instructions.iter().position(|i| i.start_line == *line).and_then(|i| model.stage_of(i));
            let in_final = stage.is_some_and(|s| final_lineage.contains(&s.index));
            let size_rule = lint::rule_by_id(rule).is_some_and(|r| r.category == lint::Category::Size);
            let reason = if size_rule && !in_final {
                Reason::NotInFinalImage
            } else {
                known_reason(&name, *line, rule, Side::OnlyHadolint)
            };
            report.disagreements.push(Disagreement {
                file: name.clone(),
                line: *line,
                hadolint: code.clone(),
                rule: rule.clone(),
                side: Side::OnlyHadolint,
                reason,
            });
        }
    }
    Ok(report)
}

/// The target stage and the stages it is built FROM.
fn final_lineage(model: &dockerfile::Model) -> Vec<usize> {
    let mut chain = Vec::new();
    let mut current = model.target;
    while let Some(index) = current {
        if chain.contains(&index) {
            break;
        }
        chain.push(index);
        current = model.stages.get(index).and_then(|s| match s.base.source {
            Source::Stage(j) => Some(j),
            _ => None,
        });
    }
    chain
}

/// Disagreements reviewed by hand: (file prefix, line (0: any line of those files), our rule, side, why
/// layerlens is right).
pub const REVIEWED: &[(&str, usize, &str, Side, &str)] = &[
    (
        "docker+awesome-compose__nginx-",
        0,
        "LL3009",
        Side::OnlyHadolint,
        "`COPY --from=gloursdocker/docker` names an image, which BuildKit pulls: a valid reference, not a missing stage",
    ),
    (
        "docker-library+python__",
        0,
        "LL1001",
        Side::OnlyHadolint,
        "the RUN ends with `apt-get dist-clean` (apt 2.7+), which deletes /var/lib/apt/lists; hadolint only knows `rm -rf /var/lib/apt/lists/*`",
    ),
    (
        "jessfraz+dockerfiles__wireguard__tools__Dockerfile",
        5,
        "LL3003",
        Side::OnlyLayerlens,
        "`apt install` leaves versions as unpinned as `apt-get install`; hadolint's DL3008 only looks at apt-get",
    ),
];

fn known_reason(file: &str, line: usize, rule: &str, side: Side) -> Reason {
    REVIEWED
        .iter()
        .find(|(f, l, r, s, _)| file.starts_with(f) && (*l == 0 || *l == line) && *r == rule && *s == side)
        .map_or(Reason::Unexplained, |(_, _, _, _, why)| Reason::Reviewed(why))
}
