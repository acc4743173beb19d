//! Connection strings taken apart by strata before tokio-postgres sees
//! them, so that nothing the user wrote is ever echoed raw.
//!
//! A connection string carries a password in many spellings: URL userinfo
//! (`postgres://u:pw@h`, percent-encoded or not, with `@`, `/`, `?` in it),
//! `?password=`, `?sslpassword=`, key=value `password='with spaces'`, an
//! upper-case key, or a password pasted where a URL was expected. Messages
//! therefore never format the raw string: they are built from the parsed
//! parts by [`redact`], which shows only values of options known not to be
//! secret and names only keys that look like option names.
//!
//! Taking the string apart here also extracts `sslmode` / `sslrootcert`
//! (which strata handles itself) token by token, so a quoted value that
//! merely contains `sslmode=` is left alone, and rejects an unencoded `@`
//! in the password (tokio-postgres, like libpq, would take the part after
//! it for the host name and show it in its messages).

use std::fmt;

/// Every option tokio-postgres understands, plus `sslrootcert`, which
/// strata handles itself.
const KNOWN: &[&str] = &[
    "user",
    "password",
    "dbname",
    "options",
    "application_name",
    "sslmode",
    "sslnegotiation",
    "sslrootcert",
    "host",
    "hostaddr",
    "port",
    "connect_timeout",
    "tcp_user_timeout",
    "keepalives",
    "keepalives_idle",
    "keepalives_interval",
    "keepalives_retries",
    "target_session_attrs",
    "channel_binding",
    "load_balance_hosts",
];

/// Options whose values may be shown in messages; every other value
/// (`password`, unknown keys such as a misspelt `pasword`, `options`) is
/// shown as `***`.
const SHOWN: &[&str] = &[
    "user",
    "dbname",
    "application_name",
    "sslmode",
    "sslnegotiation",
    "sslrootcert",
    "host",
    "hostaddr",
    "port",
    "connect_timeout",
    "tcp_user_timeout",
    "keepalives",
    "keepalives_idle",
    "keepalives_interval",
    "keepalives_retries",
    "target_session_attrs",
    "channel_binding",
    "load_balance_hosts",
];

/// What is wrong with a connection string. The texts never contain a value
/// from the string, and name a key only when [`key_name`] allows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConnError {
    /// An option tokio-postgres does not know (name when printable).
    UnknownOption(String),
    /// A key=value or `?k=v` syntax error.
    Syntax(String),
    /// `@` after the user name and password: an unencoded `@` in them.
    AtInCredentials,
}

impl fmt::Display for ConnError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConnError::UnknownOption(k) => write!(f, "unknown option {k}"),
            ConnError::Syntax(m) => f.write_str(m),
            ConnError::AtInCredentials => {
                f.write_str("`@` after the user name and password; write an `@` in them as %40")
            }
        }
    }
}

/// One option: the key (percent-decoded in a URL) and its value (decoded).
#[derive(Clone)]
struct Param {
    key: String,
    value: String,
    /// A URL's `k=v` as written, for rebuilding it unchanged.
    raw: Option<String>,
}

/// A connection string split into its options.
#[derive(Clone)]
pub struct ConnString {
    /// URLs: `postgresql://` plus everything up to the `?`; `None` for a
    /// key=value string.
    url_base: Option<String>,
    params: Vec<Param>,
}

impl ConnString {
    /// Split a URL (`postgres://`, `postgresql://`, any case) or a key=value
    /// string.
    pub fn split(s: &str) -> Result<ConnString, ConnError> {
        match url_rest(s) {
            Some(rest) => split_url(rest),
            None if !s.contains('=') => Err(ConnError::Syntax(
                "neither a postgres:// URL nor key=value pairs".into(),
            )),
            None => Ok(ConnString {
                url_base: None,
                params: key_values(s).map_err(|(_, e)| e)?,
            }),
        }
    }

    /// Remove every `key` option; the value of the last one (libpq: the
    /// last one wins).
    pub fn take(&mut self, key: &str) -> Option<String> {
        let mut found = None;
        self.params.retain(|p| {
            if p.key == key {
                found = Some(p.value.clone());
                false
            } else {
                true
            }
        });
        found
    }

    /// Refuse options tokio-postgres would refuse with the key in its
    /// message, and a connection string given as `dbname` (libpq expands
    /// one there; tokio-postgres would send it, password and all, as the
    /// database name, which messages and the server's "does not exist"
    /// then quote).
    pub fn check_keys(&self) -> Result<(), ConnError> {
        if let Some(p) = self
            .params
            .iter()
            .find(|p| !KNOWN.contains(&p.key.as_str()))
        {
            return Err(ConnError::UnknownOption(key_name(&p.key)));
        }
        if self
            .params
            .iter()
            .any(|p| p.key == "dbname" && nested(&p.value))
        {
            return Err(ConnError::Syntax(
                "dbname holds a connection string; give that string itself instead".into(),
            ));
        }
        Ok(())
    }

    /// The string for tokio-postgres: a URL as written (lower-case scheme,
    /// minus the taken options), or key=value pairs with every value quoted.
    pub fn to_libpq(&self) -> String {
        match &self.url_base {
            Some(base) => {
                let query: Vec<&str> = self
                    .params
                    .iter()
                    .filter_map(|p| p.raw.as_deref())
                    .collect();
                if query.is_empty() {
                    base.clone()
                } else {
                    format!("{base}?{}", query.join("&"))
                }
            }
            None => self
                .params
                .iter()
                .map(|p| {
                    format!(
                        "{}='{}'",
                        p.key,
                        p.value.replace('\\', "\\\\").replace('\'', "\\'")
                    )
                })
                .collect::<Vec<_>>()
                .join(" "),
        }
    }
}

/// After `postgres://` / `postgresql://` (case-insensitive), if a URL.
fn url_rest(s: &str) -> Option<&str> {
    ["postgresql://", "postgres://"].iter().find_map(|p| {
        let head = s.get(..p.len())?;
        head.eq_ignore_ascii_case(p).then(|| &s[p.len()..])
    })
}

/// Whether `s` is a `postgres://` / `postgresql://` URL (any case).
pub fn is_url(s: &str) -> bool {
    url_rest(s).is_some()
}

/// Userinfo, host part, and query of a URL, split the way tokio-postgres
/// does: the userinfo ends at the first `@` anywhere (so a password may
/// hold `/`, `?`, `#` and `:`); the query starts at the next `?`.
struct UrlParts<'a> {
    creds: Option<&'a str>,
    /// Host, port and path, without `?`.
    host_path: &'a str,
    query: Option<&'a str>,
}

fn url_parts(rest: &str) -> Result<UrlParts<'_>, ConnError> {
    let (creds, after) = match rest.split_once('@') {
        Some((c, a)) => (Some(c), a),
        None => (None, rest),
    };
    let (host_path, query) = match after.split_once('?') {
        Some((h, q)) => (h, Some(q)),
        None => (after, None),
    };
    let authority = host_path.split('/').next().unwrap_or("");
    if creds.is_some() && authority.contains('@') {
        return Err(ConnError::AtInCredentials);
    }
    Ok(UrlParts {
        creds,
        host_path,
        query,
    })
}

fn split_url(rest: &str) -> Result<ConnString, ConnError> {
    let parts = url_parts(rest)?;
    let mut base = String::from("postgresql://");
    if let Some(c) = parts.creds {
        base.push_str(c);
        base.push('@');
    }
    base.push_str(parts.host_path);
    let mut params = Vec::new();
    for kv in parts
        .query
        .unwrap_or("")
        .split('&')
        .filter(|kv| !kv.is_empty())
    {
        let Some((k, v)) = kv.split_once('=') else {
            return Err(ConnError::Syntax(format!(
                "query parameter {} without `=`",
                key_name(&percent_decode(kv))
            )));
        };
        params.push(Param {
            key: percent_decode(k),
            value: percent_decode(v),
            raw: Some(kv.to_string()),
        });
    }
    Ok(ConnString {
        url_base: Some(base),
        params,
    })
}

/// libpq's key=value grammar (as tokio-postgres parses it): `key = value`,
/// values quoted with `'…'` or bare, `\` escaping the next character.
/// On error, the pairs read so far come with it (for [`redact`]).
fn key_values(s: &str) -> Result<Vec<Param>, (Vec<Param>, ConnError)> {
    let mut out = Vec::new();
    let mut it = s.chars().peekable();
    loop {
        while it.next_if(|c| c.is_whitespace()).is_some() {}
        let mut key = String::new();
        while let Some(c) = it.next_if(|c| !c.is_whitespace() && *c != '=') {
            key.push(c);
        }
        if key.is_empty() {
            if it.peek().is_some() {
                return Err((out, ConnError::Syntax("`=` without a key".into())));
            }
            return Ok(out);
        }
        while it.next_if(|c| c.is_whitespace()).is_some() {}
        if it.next_if_eq(&'=').is_none() {
            let m = format!("expected `=` after {}", key_name(&key));
            return Err((out, ConnError::Syntax(m)));
        }
        while it.next_if(|c| c.is_whitespace()).is_some() {}
        let mut value = String::new();
        if it.next_if_eq(&'\'').is_some() {
            loop {
                match it.next() {
                    Some('\'') => break,
                    Some('\\') => value.extend(it.next()),
                    Some(c) => value.push(c),
                    None => {
                        let m = format!("unterminated quoted value of {}", key_name(&key));
                        return Err((out, ConnError::Syntax(m)));
                    }
                }
            }
        } else {
            let mut any = false;
            while let Some(c) = it.next_if(|c| !c.is_whitespace()) {
                any = true;
                if c == '\\' {
                    value.extend(it.next());
                } else {
                    value.push(c);
                }
            }
            if !any {
                let m = format!("no value for {}", key_name(&key));
                return Err((out, ConnError::Syntax(m)));
            }
        }
        out.push(Param {
            key,
            value,
            raw: None,
        });
    }
}

/// A key for a message: `` `name` `` when it looks like an option name,
/// else a description. A password pasted where a URL was expected, or an
/// upper-case `POSTGRES://u:pw@…` read as one long key, must not be shown.
pub fn key_name(key: &str) -> String {
    let lower = key.to_ascii_lowercase();
    let plausible = !key.is_empty()
        && key.len() <= 32
        && key.bytes().all(|b| b.is_ascii_lowercase() || b == b'_');
    if KNOWN.contains(&key) || plausible {
        format!("`{key}`")
    } else if KNOWN.contains(&lower.as_str()) {
        format!("`{key}` (option names are lower-case: `{lower}`)")
    } else {
        "(a name not shown: it may be a password)".into()
    }
}

/// Whether a value of `key` may be shown in a message (else `***`).
fn shows(key: &str, value: &str) -> bool {
    SHOWN.contains(&key) && !(key == "dbname" && nested(value))
}

/// A connection string where a database name was expected.
fn nested(value: &str) -> bool {
    is_url(value) || value.contains('=')
}

/// `s` for a message: the password and every value that might be one
/// replaced by `***`, keys that are not option-like left out. Unparsable
/// tails are shown as `…`.
pub fn redact(s: &str) -> String {
    let shown_key = |k: &str| {
        if key_name(k).starts_with('`') {
            k.to_string()
        } else {
            "…".to_string()
        }
    };
    match url_rest(s) {
        Some(rest) => {
            let mut out = String::from("postgresql://");
            let (creds, host_path, query) = match url_parts(rest) {
                Ok(p) => (p.creds, p.host_path, p.query),
                // `@` in the password: the credentials run to the last
                // `@` before the host part ends.
                Err(_) => {
                    let first = rest.find('@').unwrap_or(0);
                    let after = &rest[first + 1..];
                    let end = after.find(['/', '?']).unwrap_or(after.len());
                    let last = first + 1 + after[..end].rfind('@').unwrap_or(0);
                    let tail = &rest[last + 1..];
                    let (h, q) = match tail.split_once('?') {
                        Some((h, q)) => (h, Some(q)),
                        None => (tail, None),
                    };
                    (Some(&rest[..last]), h, q)
                }
            };
            if let Some(c) = creds {
                match c.split_once(':') {
                    Some((user, _)) => out.push_str(&format!("{user}:***@")),
                    None => out.push_str(&format!("{c}@")),
                }
            }
            out.push_str(host_path);
            if let Some(q) = query {
                let shown: Vec<String> = q
                    .split('&')
                    .filter(|kv| !kv.is_empty())
                    .map(|kv| match kv.split_once('=') {
                        Some((k, v)) => {
                            let k = percent_decode(k);
                            let v = if shows(&k, &percent_decode(v)) {
                                v
                            } else {
                                "***"
                            };
                            format!("{}={v}", shown_key(&k))
                        }
                        None => shown_key(&percent_decode(kv)),
                    })
                    .collect();
                out.push('?');
                out.push_str(&shown.join("&"));
            }
            out
        }
        None => {
            let (params, complete) = match key_values(s) {
                Ok(p) => (p, true),
                Err((p, _)) => (p, false),
            };
            let mut shown: Vec<String> = params
                .iter()
                .map(|p| {
                    let v = if shows(&p.key, &p.value) {
                        p.value.clone()
                    } else {
                        "***".into()
                    };
                    let v = if v.is_empty() || v.contains([' ', '\'', '\\']) {
                        format!("'{}'", v.replace('\\', "\\\\").replace('\'', "\\'"))
                    } else {
                        v
                    };
                    format!("{}={v}", shown_key(&p.key))
                })
                .collect();
            if !complete {
                shown.push("…".into());
            }
            shown.join(" ")
        }
    }
}

/// `text` (a message written by someone else: clap's "unexpected argument
/// 'postgres://u:pw@h'") with every `'…'`-quoted connection string in it
/// replaced by [`redact`]. Other quoted words are left alone.
pub fn redact_quoted(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('\'') {
        let Some(len) = rest[open + 1..].find('\'') else {
            break;
        };
        let quoted = &rest[open + 1..open + 1 + len];
        out.push_str(&rest[..=open]);
        if looks_like_conn(quoted) {
            out.push_str(&redact(quoted));
        } else {
            out.push_str(quoted);
        }
        out.push('\'');
        rest = &rest[open + len + 2..];
    }
    out.push_str(rest);
    out
}

/// A URL, or key=value pairs with at least one libpq option (any case).
fn looks_like_conn(s: &str) -> bool {
    let has_option = |params: &[Param]| {
        params
            .iter()
            .any(|p| KNOWN.contains(&p.key.to_ascii_lowercase().as_str()))
    };
    is_url(s)
        || match key_values(s) {
            Ok(p) => has_option(&p),
            Err((p, _)) => has_option(&p) || s.to_ascii_lowercase().contains("password"),
        }
}

/// `%XX` decoded (invalid escapes kept as written), lossy UTF-8.
pub fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The cause of a tokio-postgres parse error, safe to show: its texts
/// name a fixed option (`invalid value for option `port``) or a byte
/// position, except the ones that quote the input, which are generalised.
pub fn describe_parse_error(e: &tokio_postgres::Error) -> String {
    let cause = std::error::Error::source(e).map(ToString::to_string);
    match cause {
        Some(c) if c.starts_with("invalid value for option `") => c,
        Some(c) if !c.contains('`') => c,
        _ => "invalid connection string".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PW: &str = "Zq7pw";

    fn no_pw(s: &str) {
        let r = redact(s);
        assert!(!r.contains(PW) && !r.contains("q7p"), "{s} -> {r}");
    }

    #[test]
    fn redact_hides_every_spelling_of_a_password() {
        for s in [
            "postgres://u:Zq7pw@h/db",
            "POSTGRESQL://u:Zq7pw@h/db",
            "postgres://u:Zq7%40pw@h/db",
            "postgres://u:Zq7@pw@h/db",
            "postgres://u:a/b?Zq7pw@h/db",
            "postgres://u@h/db?password=Zq7pw&sslmode=require",
            "postgres://u@h/db?PASSWORD=Zq7pw",
            "postgres://u@h/db?sslpassword=Zq7pw",
            "postgres://u@h/db?pass%77ord=Zq7pw",
            "postgres://u@h/db?Zq7pw",
            "host=h password=Zq7pw",
            "host=h password='a Zq7pw b' port=1",
            "host=h password = Zq7pw",
            "host=h PASSWORD=Zq7pw",
            "host=h pasword=Zq7pw",
            "host=h password Zq7pw",
            "host=h password='Zq7pw",
            "host=h password=\\'Zq7pw",
            "host=h Zq7pw",
            "Zq7pw",
            "POSTGRES://u:Zq7pw@h/db?x=1",
            "dbname=postgres://u:Zq7pw@h/db",
            "dbname='host=h password=Zq7pw'",
            "postgres://h/db?dbname=host%3Dh%20password%3DZq7pw",
        ] {
            no_pw(s);
        }
        assert_eq!(
            redact("postgres://u:Zq7pw@h:5/db?sslmode=require&password=x"),
            "postgresql://u:***@h:5/db?sslmode=require&password=***"
        );
        assert_eq!(
            redact("host=h port=5 password='a b' bogus=1"),
            "host=h port=5 password=*** bogus=***"
        );
        assert_eq!(redact("postgres://u:a@b@h/db"), "postgresql://u:***@h/db");
        assert_eq!(redact("host=h password x"), "host=h …");
    }

    #[test]
    fn options_are_taken_token_by_token() {
        let mut c =
            ConnString::split("host=h password='x sslmode=disable  y' sslmode=require").unwrap();
        assert_eq!(c.take("sslmode").as_deref(), Some("require"));
        assert_eq!(c.to_libpq(), "host='h' password='x sslmode=disable  y'");
        let mut c =
            ConnString::split("postgres://u:a?sslmode=x@h/db?sslmode=require&port=5").unwrap();
        assert_eq!(c.take("sslmode").as_deref(), Some("require"));
        assert_eq!(c.to_libpq(), "postgresql://u:a?sslmode=x@h/db?port=5");
        let mut c = ConnString::split("postgres://h/db?sslrootcert=%2Fca.pem").unwrap();
        assert_eq!(c.take("sslrootcert").as_deref(), Some("/ca.pem"));
        assert_eq!(c.to_libpq(), "postgresql://h/db");
    }

    #[test]
    fn quoting_round_trips_through_tokio_postgres() {
        let c = ConnString::split(r"host=h password='it\'s a \\ test'").unwrap();
        let cfg: tokio_postgres::Config = c.to_libpq().parse().unwrap();
        assert_eq!(cfg.get_password(), Some(&b"it's a \\ test"[..]));
    }

    #[test]
    fn quoted_connection_strings_in_other_messages_are_redacted() {
        assert_eq!(
            redact_quoted("error: unexpected argument 'postgres://u:Zq7pw@h/db' found"),
            "error: unexpected argument 'postgresql://u:***@h/db' found"
        );
        assert_eq!(
            redact_quoted("invalid value 'host=h password=Zq7pw' for '--target <N>': x"),
            "invalid value 'host=h password=***' for '--target <N>': x"
        );
        let keep = "invalid value 'MW=mw' for '--map <M>'; 'it's'";
        assert_eq!(redact_quoted(keep), keep);
    }

    /// Every string of up to four pieces: no panic (slicing), and a piece
    /// after `password=` / `:` never survives redaction.
    #[test]
    fn no_input_panics_or_leaks() {
        let pieces = [
            "postgres://",
            "u",
            ":",
            "@",
            "/",
            "?",
            "&",
            "=",
            "'",
            "\\",
            " ",
            "%4",
            "%40",
            "é",
            "password=",
            "Zq7pw",
            "host=h",
        ];
        let n = pieces.len();
        for i in 0..n.pow(4) {
            let mut s = String::new();
            let mut k = i;
            for _ in 0..4 {
                s.push_str(pieces[k % n]);
                k /= n;
            }
            let r = redact(&s);
            let _ = redact_quoted(&format!("'{s}'"));
            if let Ok(mut c) = ConnString::split(&s) {
                let _ = c.take("sslmode");
                let _ = c.check_keys();
                let _ = c.to_libpq().parse::<tokio_postgres::Config>();
            }
            // Where a password goes (not: a host named `password=…`).
            let in_password = if is_url(&s) {
                ["postgres://u:Zq7pw@", "?password=Zq7pw"]
                    .iter()
                    .any(|m| s.contains(m))
            } else {
                s.starts_with("password=Zq7pw")
                    || s.contains(" password=Zq7pw")
                    || s.contains(" password='Zq7pw")
            };
            if in_password {
                assert!(!r.contains("Zq7pw"), "{s:?} -> {r:?}");
            }
        }
    }

    #[test]
    fn an_at_sign_in_the_password_is_refused() {
        assert_eq!(
            ConnString::split("postgres://u:a@b@h/db").err(),
            Some(ConnError::AtInCredentials)
        );
        assert!(ConnString::split("postgres://u:a%40b@h/db").is_ok());
    }

    #[test]
    fn unknown_keys_are_named_only_when_they_look_like_options() {
        let e = |s: &str| {
            ConnString::split(s)
                .unwrap()
                .check_keys()
                .unwrap_err()
                .to_string()
        };
        assert_eq!(e("host=h bogus=1"), "unknown option `bogus`");
        assert!(!e("host=h Zq7pw=1").contains(PW));
        assert!(!e("POSTGRES:/u:Zq7pw@h=1").contains(PW));
    }
}
