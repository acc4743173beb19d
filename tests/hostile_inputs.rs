//! Project files that are not files: every YAML loader refuses a device, a
//! FIFO or an oversized file with an error naming the path, instead of
//! reading `/dev/zero` until memory runs out or blocking on a FIFO; a
//! symlink loop in `schema/` is walked once.

use std::os::unix::fs::symlink;
use std::path::Path;

use strata::model::Database;

fn fifo(path: &Path) {
    let c = std::ffi::CString::new(path.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
}

fn sparse(path: &Path, len: u64) {
    let f = std::fs::File::create(path).unwrap();
    f.set_len(len).unwrap();
}

#[test]
fn schema_files_that_are_not_regular_files_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let schema = dir.path().join("schema");
    std::fs::create_dir(&schema).unwrap();
    std::fs::write(
        schema.join("a.yaml"),
        "tables:\n  t:\n    columns:\n      id: int\n",
    )
    .unwrap();
    // A loop back to the schema directory is walked once: still one table.
    symlink(&schema, schema.join("loop")).unwrap();
    let db = strata::spec::load_dir(&schema).unwrap();
    assert_eq!(db.tables.len(), 1);

    for (name, make) in [
        (
            "zero.yaml",
            &(|p: &Path| symlink("/dev/zero", p).unwrap()) as &dyn Fn(&Path),
        ),
        ("fifo.yaml", &fifo),
        ("huge.yaml", &|p: &Path| {
            sparse(p, strata::files::MAX_TEXT_FILE + 1)
        }),
    ] {
        let p = schema.join(name);
        make(&p);
        let e = strata::spec::load_dir(&schema).unwrap_err().to_string();
        assert!(e.contains(name), "{name}: {e}");
        std::fs::remove_file(&p).unwrap();
    }
}

#[test]
fn config_profile_and_import_spec_refuse_devices() {
    let dir = tempfile::tempdir().unwrap();
    let link = dir.path().join("strata.yaml");
    symlink("/dev/zero", &link).unwrap();
    let e = strata::config::Config::load(&link).unwrap_err().to_string();
    assert!(e.contains("character device"), "{e}");

    let e = strata::seed::profile::load(&link, &Database::default(), dir.path())
        .err()
        .unwrap()
        .to_string();
    assert!(e.contains("character device"), "{e}");

    let fifo_path = dir.path().join("spec.yaml");
    fifo(&fifo_path);
    let e = strata::import::spec::load(&fifo_path).err().unwrap();
    assert!(e[0].message.contains("a FIFO"), "{:?}", e[0].message);
}
