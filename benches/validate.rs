//! Timing of `load` and of `load` + Parsing Canonical Form over a real-sized schema repo.
//!
//! A plain `harness = false` bench (std only). It reads every `.avsc` file under the directory
//! named by `SCHEMAPIPE_BENCH_REPO` into memory once, then times `ITERATIONS` runs of each
//! benchmark (after one untimed warm-up run) and prints min / median / max in milliseconds.
//!
//! ```sh
//! python3 ../shared/bench/gen_schema_repo.py --out /tmp/schemapipe-bench/repo --breaking 8
//! SCHEMAPIPE_BENCH_REPO=/tmp/schemapipe-bench/repo cargo bench --bench validate [-- FILTER...]
//! ```
//!
//! `scripts/bench.sh` does all of this. A FILTER keeps the benchmarks whose name contains it
//! (`load`, `load+canonical`); options such as `--bench` that cargo passes are ignored.

use schemapipe::core::canonical::parsing_canonical_form;
use schemapipe::core::json::Limits;
use schemapipe::core::load::{load, Input};
use schemapipe::core::source::SourceMap;
use std::hint::black_box;
use std::path::{Path, PathBuf};

// The same allocator as the schemapipe binary, so the figures match what users run.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
use std::process::ExitCode;
use std::time::{Duration, Instant};

const ITERATIONS: usize = 15;
const ENV_REPO: &str = "SCHEMAPIPE_BENCH_REPO";

struct Bench {
    name: &'static str,
    about: &'static str,
    run: fn(Vec<Input>, &Limits) -> usize,
}

const BENCHES: &[Bench] = &[
    Bench { name: "load", about: "load() of every file", run: bench_load },
    Bench {
        name: "load+canonical",
        about: "load() + Parsing Canonical Form of every file root",
        run: bench_load_canonical,
    },
];

/// `load` alone. Returns the number of findings, so the work cannot be optimised away.
fn bench_load(inputs: Vec<Input>, limits: &Limits) -> usize {
    let mut sources = SourceMap::new();
    let set = load(inputs, limits, &mut sources);
    let n = set.findings.len();
    // Dropping the set is part of a real run too, and cheap next to loading it.
    drop(black_box((set, sources)));
    n
}

/// `load`, then the canonical form of every file that has a root. Returns total PCF bytes.
fn bench_load_canonical(inputs: Vec<Input>, limits: &Limits) -> usize {
    let mut sources = SourceMap::new();
    let set = load(inputs, limits, &mut sources);
    let mut bytes = 0;
    for file in &set.files {
        if let Some(root) = file.root {
            bytes += black_box(parsing_canonical_form(&set, root)).len();
        }
    }
    drop(black_box((set, sources)));
    bytes
}

fn main() -> ExitCode {
    // `cargo bench -- FILTER` passes the filters, plus `--bench` (and maybe other options).
    let filters: Vec<String> = std::env::args().skip(1).filter(|a| !a.starts_with('-')).collect();
    let selected: Vec<&Bench> =
        BENCHES.iter().filter(|b| filters.is_empty() || filters.iter().any(|f| b.name.contains(f.as_str()))).collect();
    if selected.is_empty() {
        println!("no benchmark matches {filters:?}; the benchmarks are: load, load+canonical");
        return ExitCode::SUCCESS;
    }

    let repo = match std::env::var_os(ENV_REPO) {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => {
            println!(
                "{ENV_REPO} is not set: nothing to benchmark.\n\
                 Generate the reference workload and point the bench at it:\n\
                 \n    python3 ../shared/bench/gen_schema_repo.py --out /tmp/schemapipe-bench/repo --breaking 8\n    \
                 {ENV_REPO}=/tmp/schemapipe-bench/repo cargo bench --bench validate\n\
                 \n(or run scripts/bench.sh, which does both and also times the binary)"
            );
            return ExitCode::SUCCESS;
        }
    };
    if !repo.is_dir() {
        eprintln!(
            "error: {ENV_REPO}={} is not a directory\n\
             help: create it with `python3 ../shared/bench/gen_schema_repo.py --out {} --breaking 8`",
            repo.display(),
            repo.display()
        );
        return ExitCode::FAILURE;
    }

    let inputs = match read_avsc_files(&repo) {
        Ok(v) => v,
        Err(e) => {
            eprintln!("error: cannot read {}: {e}", repo.display());
            return ExitCode::FAILURE;
        }
    };
    if inputs.is_empty() {
        eprintln!("error: no .avsc file under {}", repo.display());
        return ExitCode::FAILURE;
    }
    let total_bytes: usize = inputs.iter().map(|i| i.bytes.len()).sum();
    let limits = Limits::default();
    {
        // Sanity line: what the workload is and what a run finds in it.
        let mut sources = SourceMap::new();
        let set = load(inputs.clone(), &limits, &mut sources);
        let roots = set.files.iter().filter(|f| f.root.is_some()).count();
        println!(
            "workload: {} .avsc files, {:.1} MB, under {}; {} roots, {} findings ({} errors)",
            inputs.len(),
            total_bytes as f64 / 1e6,
            repo.display(),
            roots,
            set.findings.len(),
            if set.has_errors() { "has" } else { "no" },
        );
    }
    println!("{ITERATIONS} iterations each, after 1 warm-up; times in ms\n");
    println!("{:<16} {:>9} {:>9} {:>9}  what", "bench", "min", "median", "max");

    for bench in selected {
        let _ = black_box((bench.run)(inputs.clone(), &limits)); // warm-up
        let mut times = Vec::with_capacity(ITERATIONS);
        for _ in 0..ITERATIONS {
            let batch = inputs.clone(); // copying the bytes is not part of the timing
            let start = Instant::now();
            let out = (bench.run)(batch, &limits);
            times.push(start.elapsed());
            black_box(out);
        }
        times.sort();
        println!(
            "{:<16} {:>9.2} {:>9.2} {:>9.2}  {}",
            bench.name,
            ms(times[0]),
            ms(median(&times)),
            ms(times[times.len() - 1]),
            bench.about
        );
    }
    ExitCode::SUCCESS
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

/// Median of sorted durations (mean of the middle two for an even count).
fn median(sorted: &[Duration]) -> Duration {
    let n = sorted.len();
    if n % 2 == 1 {
        sorted[n / 2]
    } else {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2
    }
}

/// Every `.avsc` file under `root`, sorted by path, named by its path relative to `root`.
/// Hidden directories (`.git`) and `target/` are skipped.
fn read_avsc_files(root: &Path) -> std::io::Result<Vec<Input>> {
    let mut paths = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir)? {
            let entry = entry?;
            let path = entry.path();
            let name = entry.file_name();
            let name = name.to_string_lossy();
            let ty = entry.file_type()?;
            if ty.is_dir() {
                if !name.starts_with('.') && name != "target" {
                    stack.push(path);
                }
            } else if ty.is_file() && name.ends_with(".avsc") {
                paths.push(path);
            }
        }
    }
    paths.sort();
    paths
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(&p)?;
            let name = p.strip_prefix(root).unwrap_or(&p).to_string_lossy().into_owned();
            Ok(Input::new(name, bytes))
        })
        .collect()
}
