fn main() {
    std::process::exit(baogao::cli::main());
}
