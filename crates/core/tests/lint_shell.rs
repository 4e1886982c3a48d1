//! The shell-word model on its own: splitting, quote removal, programs, options and package managers.

use layerlens_core::lint::shell::pkg::{self, Action, Manager};
use layerlens_core::lint::shell::{Joiner, LexOptions, Script};

fn script(text: &str) -> Script {
    Script::parse(text, LexOptions::default())
}

fn programs(text: &str) -> Vec<String> {
    script(text).commands.iter().map(|c| c.program().unwrap_or("").to_string()).collect()
}

#[test]
fn splits_on_every_operator() {
    assert_eq!(
        programs("apt-get update && apt-get install -y curl || true; echo a | tee b & wait\nls"),
        ["apt-get", "apt-get", "true", "echo", "tee", "wait", "ls"]
    );
    let joiners: Vec<Joiner> = script("a && b || c | d ; e").commands.iter().map(|c| c.joiner).collect();
    assert_eq!(joiners, [Joiner::And, Joiner::Or, Joiner::Pipe, Joiner::Sequence, Joiner::Sequence]);
}

#[test]
fn removes_quotes_and_keeps_ranges() {
    let text = r#"echo "a b" 'c d' e\ f"#;
    let s = script(text);
    let words: Vec<&str> = s.commands[0].words.iter().map(|w| w.text.as_str()).collect();
    assert_eq!(words, ["echo", "a b", "c d", "e f"]);
    let second = &s.commands[0].words[1];
    assert_eq!(&text[second.range.clone()], "\"a b\"");
    assert!(second.quoted);
}

#[test]
fn operators_inside_quotes_and_substitutions_do_not_split() {
    // The outer script has three commands; the commands inside substitutions follow the one holding them.
    assert_eq!(
        programs(r#"echo "a && b"; x=$(cat f | wc -l) && echo `a;b`"#),
        ["echo", "", "cat", "wc", "echo", "a", "b"]
    );
    let s = script("x=$(cat f | wc -l)");
    assert_eq!(s.commands[1].joiner, Joiner::Pipe);
    assert_eq!(s.commands[1].range, s.commands[0].words[0].range);
    let s = script("x=$(cat f | wc -l) && echo $x");
    assert_eq!(s.commands[0].assignments, [("x".to_string(), "$(cat f | wc -l)".to_string())]);
    assert!(s.commands.last().unwrap().words[1].expands);
}

#[test]
fn dockerfile_continuations_and_comment_lines_are_skipped() {
    let text = "apt-get update \\\n    # a comment inside the continuation\n\n    && apt-get install -y \\\n  curl";
    let s = script(text);
    assert_eq!(programs(text), ["apt-get", "apt-get"]);
    let curl = s.commands[1].words.last().unwrap();
    assert_eq!(curl.text, "curl");
    assert_eq!(&text[curl.range.clone()], "curl");
}

#[test]
fn backtick_escape_directive() {
    let text = "apt-get update `\n && apt-get install -y curl";
    let s = Script::parse(text, LexOptions { dockerfile_escape: Some('`') });
    assert_eq!(s.commands.len(), 2);
    assert_eq!(s.commands[1].words.last().unwrap().text, "curl");
}

#[test]
fn redirections_are_not_arguments() {
    let s = script("curl -fsSL https://x/y.tgz > /tmp/y.tgz 2>/dev/null; cat < in.txt 2>&1 | grep a");
    let curl = &s.commands[0];
    assert_eq!(curl.args().iter().map(|w| w.text.as_str()).collect::<Vec<_>>(), ["-fsSL", "https://x/y.tgz"]);
    assert_eq!(curl.redirect_targets.iter().map(|w| w.text.as_str()).collect::<Vec<_>>(), ["/tmp/y.tgz", "/dev/null"]);
    assert_eq!(s.commands[1].args().len(), 0);
    assert!(s.commands[1].redirect_targets.is_empty());
}

#[test]
fn control_structures_and_wrappers_are_seen_through() {
    assert_eq!(
        programs("set -eux; if [ -f x ]; then sudo -u root apt-get install -y a; else DEBIAN_FRONTEND=noninteractive env -i apk add b; fi"),
        ["set", "[", "apt-get", "apk", ""]
    );
    let s = script("sudo apt-get install x");
    assert!(s.commands[0].sudo.is_some());
}

#[test]
fn sh_dash_c_scripts_are_followed() {
    let s = script(r#"bash -o pipefail -c "apt-get update && rm -rf /var/lib/apt/lists/*""#);
    assert_eq!(s.commands.iter().filter_map(|c| c.program()).collect::<Vec<_>>(), ["bash", "apt-get", "rm"]);
}

#[test]
fn shell_heredocs_inside_a_script_are_skipped() {
    let s = script("cat <<'EOT' > /etc/x.conf\napt-get install nothing\nEOT\necho done");
    assert_eq!(s.commands.iter().filter_map(|c| c.program()).collect::<Vec<_>>(), ["cat", "echo"]);
    assert_eq!(s.commands[0].redirect_targets[0].text, "/etc/x.conf");
}

#[test]
fn unterminated_quotes_do_not_panic() {
    for text in ["echo \"abc", "echo 'abc", "echo $(abc", "echo ${abc", "echo `abc", "\\", "a &&", "|| b", ">", "2>"] {
        let _ = script(text);
    }
}

#[test]
fn recognises_apt() {
    let s = script("apt-get -qq update && apt-get install -y --no-install-recommends curl=7.88 ca-certificates");
    let update = pkg::recognise(&s.commands[0]).unwrap();
    assert_eq!((update.manager, update.action), (Manager::Apt, Action::Update));
    let install = pkg::recognise(&s.commands[1]).unwrap();
    assert_eq!(install.action, Action::Install);
    assert!(install.assume_yes());
    assert!(install.no_install_recommends());
    let names: Vec<&str> = install.packages.iter().map(|w| w.text.as_str()).collect();
    assert_eq!(names, ["curl=7.88", "ca-certificates"]);
    let opt = script("apt-get -o APT::Install-Recommends=false install -qqy x");
    let opt = pkg::recognise(&opt.commands[0]).unwrap();
    assert!(opt.no_install_recommends() && opt.assume_yes());
    assert_eq!(opt.packages.len(), 1);
}

#[test]
fn recognises_apk_pip_npm_go() {
    let s = script("apk add --no-cache --virtual .build-deps gcc musl-dev");
    let apk = pkg::recognise(&s.commands[0]).unwrap();
    assert!(apk.has(None, &["no-cache"]));
    assert_eq!(apk.parsed.values(Some('t'), &["virtual"]).collect::<Vec<_>>(), [".build-deps"]);
    assert_eq!(apk.packages.iter().map(|w| w.text.as_str()).collect::<Vec<_>>(), ["gcc", "musl-dev"]);

    let s = script("python3 -m pip install --no-cache-dir -r requirements.txt flask==3.0");
    let pip = pkg::recognise(&s.commands[0]).unwrap();
    assert_eq!((pip.manager, pip.action), (Manager::Pip, Action::Install));
    assert!(pip.has(None, &["no-cache-dir"]));
    assert_eq!(pip.packages.iter().map(|w| w.text.as_str()).collect::<Vec<_>>(), ["flask==3.0"]);

    let s = script("npm ci --omit dev && npm cache clean --force");
    assert_eq!(pkg::recognise(&s.commands[0]).unwrap().action, Action::Install);
    assert_eq!(pkg::recognise(&s.commands[1]).unwrap().action, Action::Clean);

    let s = script("go install -ldflags '-s -w' -tags netgo example.com/x@v1.2.3");
    let go = pkg::recognise(&s.commands[0]).unwrap();
    assert_eq!(go.packages.iter().map(|w| w.text.as_str()).collect::<Vec<_>>(), ["example.com/x@v1.2.3"]);
}

proptest::proptest! {
    #[test]
    fn lexing_never_panics_and_ranges_stay_in_bounds(text in "[ -~\\n\\t]{0,200}") {
        let s = script(&text);
        for c in &s.commands {
            for w in &c.words {
                proptest::prop_assert!(w.range.end <= text.len());
                proptest::prop_assert!(text.get(w.range.clone()).is_some());
            }
        }
    }
}

#[test]
fn shell_line_continuations_do_not_make_empty_words() {
    let s = Script::parse("apt-get install -y \\\n  git \\\n  make", LexOptions { dockerfile_escape: None });
    let words: Vec<&str> = s.commands[0].words.iter().map(|w| w.text.as_str()).collect();
    assert_eq!(words, ["apt-get", "install", "-y", "git", "make"]);
}

#[test]
fn xargs_runs_the_command_after_it() {
    let s = script("apt-mark showmanual | xargs -r apt-mark auto > /dev/null");
    assert_eq!(s.commands[1].program(), Some("apt-mark"));
    assert_eq!(s.commands[1].args()[0].text, "auto");
}
