// Loading a schema repository allocates hundreds of thousands of small nodes on two threads;
// mimalloc does that markedly faster than the system allocator (see benches/ and the README).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(schemapipe::cli::main());
}
