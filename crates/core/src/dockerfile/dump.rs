//! BuildKit's `Node.Dump()`: one S-expression per instruction, as in its parser test `result` files.

use super::quote::go_quote;
use super::syntax::{Args, Dockerfile, Instruction, Keyword};

/// Dumps the whole file, one line per instruction, each line ending in a newline.
pub fn dump(syntax: &Dockerfile) -> String {
    let mut out = String::new();
    for ins in &syntax.instructions {
        out.push('(');
        out.push_str(&dump_instruction(ins));
        out.push_str(")\n");
    }
    out
}

/// Dumps one instruction without the surrounding parentheses, e.g. `copy ["--from=a"] "x" "/y"`.
pub fn dump_instruction(ins: &Instruction) -> String {
    let mut s = ins.keyword_word.text.to_lowercase();
    if !ins.flags.is_empty() {
        let flags: Vec<String> = ins.flags.iter().map(|f| go_quote(&f.raw)).collect();
        s.push_str(" [");
        s.push_str(&flags.join(" "));
        s.push(']');
    }
    if ins.keyword == Keyword::Unknown {
        // BuildKit's parser keeps unknown instructions with one empty argument node.
        s.push_str(" \"\"");
        return s.trim().to_string();
    }
    if let Args::Onbuild(inner) = &ins.args {
        s.push_str(" (");
        s.push_str(&dump_instruction(inner));
        s.push(')');
        return s.trim().to_string();
    }
    for value in ins.arg_values() {
        s.push(' ');
        s.push_str(&go_quote(value));
    }
    s.trim().to_string()
}
