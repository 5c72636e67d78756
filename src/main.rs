use clap::Parser;

fn main() {
    let cli = aula::cli::Cli::parse();
    std::process::exit(aula::cli::run(cli));
}
