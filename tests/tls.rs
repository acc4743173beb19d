//! TLS against a real server: a throwaway cluster listening on 127.0.0.1
//! with `ssl = on`, a private CA (made with the `openssl` command) and a
//! pg_hba.conf that refuses unencrypted TCP. Checks libpq's sslmode
//! semantics as strata implements them with rustls.

use std::path::{Path, PathBuf};
use std::process::Command;

use strata::db::Target;

/// Run as the unprivileged `postgres` user when we are root (initdb
/// refuses root), as ourselves otherwise.
fn as_pg_user(cmd: &mut Command) -> &mut Command {
    if unsafe { libc::geteuid() } == 0 {
        use std::os::unix::process::CommandExt;
        let pw = unsafe { libc::getpwnam(c"postgres".as_ptr()) };
        assert!(!pw.is_null(), "no postgres user to run the server as");
        let (uid, gid) = unsafe { ((*pw).pw_uid, (*pw).pw_gid) };
        cmd.uid(uid).gid(gid);
    }
    cmd
}

fn chown_pg(path: &Path) {
    if unsafe { libc::geteuid() } == 0 {
        let pw = unsafe { libc::getpwnam(c"postgres".as_ptr()) };
        let (uid, gid) = unsafe { ((*pw).pw_uid, (*pw).pw_gid) };
        std::os::unix::fs::chown(path, Some(uid), Some(gid)).unwrap();
    }
}

fn openssl(dir: &Path, args: &[&str]) {
    let out = Command::new("openssl")
        .current_dir(dir)
        .args(args)
        .output()
        .expect("the openssl command (install the openssl package)");
    assert!(
        out.status.success(),
        "openssl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A CA, and a server certificate it signed for localhost / 127.0.0.1.
fn make_certs(dir: &Path) {
    openssl(
        dir,
        &[
            "req",
            "-x509",
            "-new",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=strata test CA",
            "-keyout",
            "ca.key",
            "-out",
            "ca.crt",
        ],
    );
    openssl(
        dir,
        &[
            "req",
            "-new",
            "-nodes",
            "-subj",
            "/CN=localhost",
            "-keyout",
            "server.key",
            "-out",
            "server.csr",
        ],
    );
    std::fs::write(
        dir.join("ext.cnf"),
        "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n",
    )
    .unwrap();
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            "server.csr",
            "-CA",
            "ca.crt",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-days",
            "2",
            "-extfile",
            "ext.cnf",
            "-out",
            "server.crt",
        ],
    );
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

struct Server {
    dir: tempfile::TempDir,
    bindir: PathBuf,
    port: u16,
}

impl Drop for Server {
    fn drop(&mut self) {
        let data = self.dir.path().join("data");
        let _ = as_pg_user(
            Command::new(self.bindir.join("pg_ctl"))
                .args(["-D"])
                .arg(&data)
                .args(["-m", "immediate", "-w", "stop"]),
        )
        .output();
    }
}

fn start_tls_server() -> Server {
    let bindir = strata::embedded::find_bindir(&Default::default()).expect("PostgreSQL binaries");
    let dir = tempfile::Builder::new()
        .prefix("strata-tls")
        .tempdir_in("/tmp")
        .unwrap();
    chown_pg(dir.path());
    make_certs(dir.path());
    let data = dir.path().join("data");
    let out = as_pg_user(
        Command::new(bindir.join("initdb"))
            .args(["-A", "trust", "-U", "postgres", "--no-sync", "-D"])
            .arg(&data),
    )
    .output()
    .unwrap();
    assert!(
        out.status.success(),
        "initdb: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    for f in ["server.crt", "server.key"] {
        std::fs::copy(dir.path().join(f), data.join(f)).unwrap();
        chown_pg(&data.join(f));
    }
    std::fs::set_permissions(
        data.join("server.key"),
        std::os::unix::fs::PermissionsExt::from_mode(0o600),
    )
    .unwrap();
    std::fs::write(
        data.join("pg_hba.conf"),
        "local all all trust\nhostssl all all 127.0.0.1/32 trust\nhostnossl all all 127.0.0.1/32 reject\n",
    )
    .unwrap();
    let port = free_port();
    let opts = format!(
        "-p {port} -k {} -c listen_addresses=127.0.0.1 -c ssl=on -c fsync=off",
        dir.path().display()
    );
    let out = as_pg_user(
        Command::new(bindir.join("pg_ctl"))
            .arg("-D")
            .arg(&data)
            .args(["-o", &opts, "-l"])
            .arg(dir.path().join("log"))
            .args(["-w", "start"]),
    )
    .output()
    .unwrap();
    assert!(
        out.status.success(),
        "pg_ctl start: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    Server { dir, bindir, port }
}

async fn connects(url: &str) -> Result<(), String> {
    let target = Target::parse(url).map_err(|e| e.to_string())?;
    let client = target.connect().await.map_err(|e| e.to_string())?;
    let row = client
        .query_one(
            "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
            &[],
        )
        .await
        .map_err(|e| e.to_string())?;
    let ssl: bool = row.get(0);
    assert!(ssl, "connected without TLS: {url}");
    Ok(())
}

#[tokio::test]
async fn sslmodes_follow_libpq() {
    let s = start_tls_server();
    let ca = s.dir.path().join("ca.crt");
    let base = |host: &str, mode: &str| {
        format!(
            "postgresql://postgres@{host}:{}/postgres?sslmode={mode}",
            s.port
        )
    };
    // Encrypt without verifying, as psql does.
    connects(&base("127.0.0.1", "require")).await.unwrap();
    connects(&base("127.0.0.1", "prefer")).await.unwrap();
    // Unencrypted TCP is refused by this server.
    let err = connects(&base("127.0.0.1", "disable")).await.unwrap_err();
    assert!(err.contains("pg_hba.conf rejects"), "{err}");
    // Verification against the private CA, host name included.
    let with_ca =
        |host: &str, mode: &str| format!("{}&sslrootcert={}", base(host, mode), ca.display());
    connects(&with_ca("localhost", "verify-full"))
        .await
        .unwrap();
    connects(&with_ca("127.0.0.1", "verify-ca")).await.unwrap();
    // Without the CA the public roots do not know it.
    let err = connects(&base("localhost", "verify-full"))
        .await
        .unwrap_err();
    assert!(err.contains("UnknownIssuer"), "{err}");
}
