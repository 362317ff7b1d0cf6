//! Where the real exports live: `../shared/corpus` beside the repository. Tests that read them
//! skip, saying why, when the folder is absent (a machine with only the repository).

use std::path::PathBuf;

pub fn corpus() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("skipping: ../shared/corpus not found");
        None
    }
}
