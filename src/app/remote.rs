//! The Schema Registry client a use case talks to, from the options, the environment and
//! schemapipe.yaml.

use crate::registry::{Auth, Client, Secret, Settings};
use crate::workspace::{UsageError, Workspace};
use std::time::Duration;

/// Registry settings given on the command line.
#[derive(Clone, Debug, Default)]
pub struct RegistryOptions {
    /// The registry URL (else SCHEMAPIPE_REGISTRY_URL, else `registry.url`).
    pub url: Option<String>,
}

/// The client for the configured registry: URL from the options, the environment or the
/// config; credentials from the environment variables the config names.
pub fn client(ws: &Workspace, opts: &RegistryOptions) -> Result<Client, UsageError> {
    let cfg = &ws.config.registry;
    let url = opts
        .url
        .clone()
        .or_else(|| std::env::var("SCHEMAPIPE_REGISTRY_URL").ok().filter(|s| !s.is_empty()))
        .or_else(|| cfg.url.clone())
        .ok_or_else(|| {
            UsageError::new(
                "no Schema Registry URL",
                "pass --registry-url, set SCHEMAPIPE_REGISTRY_URL, or set `registry.url` in schemapipe.yaml",
            )
        })?;
    let env = |name: &str| std::env::var(name).ok().filter(|s| !s.is_empty());
    let auth = match (env(&cfg.username_env), env(&cfg.password_env), env(&cfg.token_env)) {
        (Some(username), Some(password), _) => Auth::Basic { username, password: Secret::new(password) },
        (_, _, Some(token)) => Auth::Bearer(Secret::new(token)),
        (Some(_), None, None) => {
            return Err(UsageError::new(
                format!("{} is set but {} is not", cfg.username_env, cfg.password_env),
                "set both for basic authentication",
            ))
        }
        _ => Auth::None,
    };
    let base = ws.config_path.as_deref().and_then(|p| p.parent()).unwrap_or(&ws.cwd).to_path_buf();
    let settings = Settings {
        url,
        auth,
        ca_cert: cfg.ca_cert.as_ref().map(|p| base.join(p)),
        client_cert: cfg.client_cert.as_ref().map(|p| base.join(p)),
        client_key: cfg.client_key.as_ref().map(|p| base.join(p)),
        timeout: Duration::from_secs(cfg.timeout_seconds),
        attempts: cfg.retries + 1,
        backoff: Duration::from_millis(200),
        normalize: cfg.normalize,
        max_response_bytes: cfg.max_response_bytes,
    };
    Client::new(settings).map_err(|m| UsageError::new(m, "check the registry settings in schemapipe.yaml"))
}
