//! The native `layerlens` command line.

fn main() {
    println!("layerlens");
}
