//! `apim-emulator [--port N] [--lro-retry-after S]`: serves the emulator on 127.0.0.1
//! until Ctrl-C.

use std::process::ExitCode;

use apim_emulator::Emulator;

const USAGE: &str = "usage: apim-emulator [--port N] [--lro-retry-after S]
  --port N             N = 0 picks a free port; only 127.0.0.1 is bound
  --lro-retry-after S  the Retry-After seconds of long-running operations (default 1)";

/// The command line.
#[derive(Debug, PartialEq, Eq)]
struct Args {
    port: u16,
    /// `None`: the emulator's default.
    lro_retry_after: Option<u64>,
}

/// The arguments, or `None` for `--help`.
fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    let mut parsed = Args {
        port: 0,
        lro_retry_after: None,
    };
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) => (flag.to_owned(), Some(value.to_owned())),
            None => (arg, None),
        };
        let mut value = |name: &str| {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or(format!("{name} needs a value"))
        };
        match flag.as_str() {
            "--port" | "-p" => {
                let text = value("--port")?;
                parsed.port = text.parse().map_err(|_| format!("invalid port '{text}'"))?;
            }
            "--lro-retry-after" => {
                let text = value("--lro-retry-after")?;
                let seconds = text
                    .parse()
                    .map_err(|_| format!("invalid number of seconds '{text}'"))?;
                parsed.lro_retry_after = Some(seconds);
            }
            "--help" | "-h" => return Ok(None),
            other => return Err(format!("unexpected argument '{other}'")),
        }
    }
    Ok(Some(parsed))
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(Some(args)) => args,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("apim-emulator: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let port = args.port;
    let emulator = match Emulator::start_on_port(port).await {
        Ok(emulator) => emulator,
        Err(error) => {
            eprintln!("apim-emulator: cannot listen on 127.0.0.1:{port}: {error}");
            return ExitCode::FAILURE;
        }
    };
    if let Some(seconds) = args.lro_retry_after {
        emulator.set_lro_retry_after(Some(seconds));
    }
    println!("endpoint: {}", emulator.endpoint());
    println!("token: {}", emulator.token());
    println!("Serving until Ctrl-C.");
    if let Err(error) = tokio::signal::ctrl_c().await {
        eprintln!("apim-emulator: cannot wait for Ctrl-C: {error}");
    }
    emulator.shutdown().await;
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::{Args, parse_args};

    fn parse(args: &[&str]) -> Result<Option<u16>, String> {
        parse_args(args.iter().map(std::string::ToString::to_string)).map(|a| a.map(|a| a.port))
    }

    #[test]
    fn port_flag() {
        assert_eq!(parse(&[]), Ok(Some(0)));
        assert_eq!(parse(&["--port", "8080"]), Ok(Some(8080)));
        assert_eq!(parse(&["--port=8081"]), Ok(Some(8081)));
        assert_eq!(parse(&["-p", "0"]), Ok(Some(0)));
        assert_eq!(parse(&["--help"]), Ok(None));
        assert!(parse(&["--port"]).is_err());
        assert!(parse(&["--port", "65536"]).is_err());
        assert!(parse(&["8080"]).is_err());
    }

    #[test]
    fn lro_retry_after_flag() {
        let args = |list: &[&str]| parse_args(list.iter().map(std::string::ToString::to_string));
        assert_eq!(
            args(&["--lro-retry-after", "0", "--port", "1"]),
            Ok(Some(Args {
                port: 1,
                lro_retry_after: Some(0)
            }))
        );
        assert_eq!(
            args(&["--lro-retry-after=5"]).map(|a| a.map(|a| a.lro_retry_after)),
            Ok(Some(Some(5)))
        );
        assert!(args(&["--lro-retry-after", "soon"]).is_err());
    }
}
