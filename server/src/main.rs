//! `portal`: the server binary. `portal help` lists the subcommands.

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    match server::cli::run(args).await {
        Ok(code) => code,
        Err(e) => {
            eprintln!("portal: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
