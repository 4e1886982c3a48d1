//! Option parsing for the arguments of one command, the way getopt-style tools read them.

use super::lex::Word;

/// Which options of a program take a value (so the next word is not an operand).
#[derive(Debug, Clone, Copy, Default)]
pub struct OptSpec {
    /// Short option letters that take a value, e.g. `"ot"` for `-o X` and `-t X`.
    pub short_with_value: &'static str,
    /// Long option names (without `--`) that take a value when written without `=`.
    pub long_with_value: &'static [&'static str],
    /// Whether `-name` is a long option, as in Go's tools (`-ldflags`, `-tags`).
    pub single_dash_long: bool,
}

/// One option as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OptName {
    /// A short option letter (`-y`, or one letter of `-qy`).
    Short(char),
    /// A long option name without the leading dashes (`no-cache`).
    Long(String),
}

/// An option and its value, if it takes one.
#[derive(Debug, Clone)]
pub struct Opt<'a> {
    /// The option.
    pub name: OptName,
    /// Its value, from `--opt=value`, `-ovalue` or the next word.
    pub value: Option<String>,
    /// The word the option was written in.
    pub word: &'a Word,
}

/// A command's arguments split into options and operands.
#[derive(Debug, Clone, Default)]
pub struct Parsed<'a> {
    /// Options in order.
    pub opts: Vec<Opt<'a>>,
    /// Non-option words in order.
    pub operands: Vec<&'a Word>,
}

impl Parsed<'_> {
    /// Whether the short option `short` or any long option in `long` is present.
    pub fn has(&self, short: Option<char>, long: &[&str]) -> bool {
        self.opts.iter().any(|o| match &o.name {
            OptName::Short(c) => Some(*c) == short,
            OptName::Long(l) => long.contains(&l.as_str()),
        })
    }

    /// The values given to the short option `short` or any long option in `long`.
    pub fn values<'s>(&'s self, short: Option<char>, long: &'s [&'s str]) -> impl Iterator<Item = &'s str> + 's {
        self.opts
            .iter()
            .filter(move |o| match &o.name {
                OptName::Short(c) => Some(*c) == short,
                OptName::Long(l) => long.contains(&l.as_str()),
            })
            .filter_map(|o| o.value.as_deref())
    }
}

/// Splits `args` (the words after the program name) into options and operands.
pub fn parse<'a>(args: &'a [Word], spec: OptSpec) -> Parsed<'a> {
    let mut parsed = Parsed::default();
    let mut iter = args.iter();
    let mut only_operands = false;
    while let Some(word) = iter.next() {
        let text = word.text.as_str();
        if only_operands || text == "-" || !text.starts_with('-') {
            parsed.operands.push(word);
            continue;
        }
        if text == "--" {
            only_operands = true;
            continue;
        }
        let long = text.strip_prefix("--").or_else(|| text.strip_prefix('-').filter(|_| spec.single_dash_long));
        if let Some(long) = long {
            let (name, value) = match long.split_once('=') {
                Some((n, v)) => (n.to_string(), Some(v.to_string())),
                None if spec.long_with_value.contains(&long) => (long.to_string(), iter.next().map(|w| w.text.clone())),
                None => (long.to_string(), None),
            };
            parsed.opts.push(Opt { name: OptName::Long(name), value, word });
            continue;
        }
        let letters = text.get(1..).unwrap_or("");
        for (i, c) in letters.char_indices() {
            if spec.short_with_value.contains(c) {
                let rest = letters.get(i + c.len_utf8()..).unwrap_or("");
                let value = if rest.is_empty() { iter.next().map(|w| w.text.clone()) } else { Some(rest.to_string()) };
                parsed.opts.push(Opt { name: OptName::Short(c), value, word });
                break;
            }
            parsed.opts.push(Opt { name: OptName::Short(c), value: None, word });
        }
    }
    parsed
}
