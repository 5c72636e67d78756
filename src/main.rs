//! The `aula` command: parse the arguments, run, exit with the code `cli::run` chose.

use clap::Parser;

fn main() {
    let cli = aula::cli::Cli::parse();
    std::process::exit(aula::cli::run(cli));
}
