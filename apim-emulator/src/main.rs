//! `apim-emulator [--port N]`: serves the emulator on 127.0.0.1 until Ctrl-C.

use std::process::ExitCode;

use apim_emulator::Emulator;

const USAGE: &str =
    "usage: apim-emulator [--port N]   (N = 0 picks a free port; only 127.0.0.1 is bound)";

fn parse_port(mut args: impl Iterator<Item = String>) -> Result<Option<u16>, String> {
    let mut port = None;
    while let Some(arg) = args.next() {
        let value = match arg.as_str() {
            "--port" | "-p" => args.next().ok_or("--port needs a value")?,
            "--help" | "-h" => return Ok(None),
            other => match other.strip_prefix("--port=") {
                Some(value) => value.to_string(),
                None => return Err(format!("unexpected argument '{other}'")),
            },
        };
        port = Some(
            value
                .parse::<u16>()
                .map_err(|_| format!("invalid port '{value}'"))?,
        );
    }
    Ok(Some(port.unwrap_or(0)))
}

#[tokio::main]
async fn main() -> ExitCode {
    let port = match parse_port(std::env::args().skip(1)) {
        Ok(Some(port)) => port,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("apim-emulator: {message}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let emulator = match Emulator::start_on_port(port).await {
        Ok(emulator) => emulator,
        Err(error) => {
            eprintln!("apim-emulator: cannot listen on 127.0.0.1:{port}: {error}");
            return ExitCode::FAILURE;
        }
    };
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
    use super::parse_port;

    fn parse(args: &[&str]) -> Result<Option<u16>, String> {
        parse_port(args.iter().map(std::string::ToString::to_string))
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
}
