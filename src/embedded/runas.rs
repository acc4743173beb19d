//! Which OS user runs `initdb` and the server. PostgreSQL refuses to run as
//! root, so when strata is root the cluster runs as an unprivileged user
//! (`EmbeddedOptions::run_as`, then `STRATA_PG_USER`, then `postgres`).

use std::ffi::{CStr, CString};

use super::EmbeddedError;

/// An unprivileged account to switch to (only when strata is root).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunAs {
    pub name: String,
    pub uid: u32,
    pub gid: u32,
}

/// `None` when strata is not root: then everything runs as ourselves.
pub fn resolve(requested: Option<&str>) -> Result<Option<RunAs>, EmbeddedError> {
    // SAFETY: geteuid has no preconditions and cannot fail.
    if unsafe { libc::geteuid() } != 0 {
        return Ok(None);
    }
    let name = requested
        .map(str::to_string)
        .or_else(|| {
            std::env::var("STRATA_PG_USER")
                .ok()
                .filter(|s| !s.is_empty())
        })
        .unwrap_or_else(|| "postgres".into());
    let user = lookup(&name)?.ok_or_else(|| EmbeddedError::NoSuchUser { user: name.clone() })?;
    if user.uid == 0 {
        return Err(EmbeddedError::Other(format!(
            "STRATA_PG_USER `{name}` is root (uid 0); PostgreSQL refuses to run as root: \
             name an unprivileged user"
        )));
    }
    Ok(Some(user))
}

/// `getpwnam_r`, retrying with a bigger buffer when the entry is large.
fn lookup(name: &str) -> Result<Option<RunAs>, EmbeddedError> {
    let cname = CString::new(name)
        .map_err(|_| EmbeddedError::Other(format!("invalid user name {name:?}")))?;
    let mut buf = vec![0u8; 1024];
    loop {
        // SAFETY: passwd is plain old data; all pointers we pass are valid
        // for the call and `buf` outlives every use of the result.
        let mut pwd: libc::passwd = unsafe { std::mem::zeroed() };
        let mut result: *mut libc::passwd = std::ptr::null_mut();
        let rc = unsafe {
            libc::getpwnam_r(
                cname.as_ptr(),
                &mut pwd,
                buf.as_mut_ptr().cast(),
                buf.len(),
                &mut result,
            )
        };
        if rc == libc::ERANGE && buf.len() < 1 << 20 {
            buf.resize(buf.len() * 4, 0);
            continue;
        }
        if rc != 0 {
            return Err(EmbeddedError::io(
                format!("looking up user `{name}`"),
                std::io::Error::from_raw_os_error(rc),
            ));
        }
        if result.is_null() {
            return Ok(None);
        }
        // SAFETY: on success pw_name points into `buf`, NUL-terminated.
        let found = unsafe { CStr::from_ptr(pwd.pw_name) }
            .to_string_lossy()
            .into_owned();
        return Ok(Some(RunAs {
            name: found,
            uid: pwd.pw_uid,
            gid: pwd.pw_gid,
        }));
    }
}
