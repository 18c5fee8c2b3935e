fn main() {
    std::process::exit(schemapipe::cli::main());
}
