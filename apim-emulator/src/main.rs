//! `apim-emulator [FLAGS]`: serves the emulator on 127.0.0.1 until Ctrl-C (or SIGTERM's
//! default). Every knob of the in-process API is a flag; `--help` lists them.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use apim_emulator::{Bucket, Emulator, EmulatorOptions, Fault, LroFault, ThrottleOptions};

const USAGE: &str = "usage: apim-emulator [FLAGS]

Serves an emulator of the Azure API Management management API (2024-05-01) on 127.0.0.1
and prints `endpoint: http://127.0.0.1:PORT` and `token: TOKEN` (then `ready`). Send
`Authorization: Bearer TOKEN` and `?api-version=2024-05-01`. By default the service
/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg1/providers/Microsoft.ApiManagement/service/apimService1
exists, with what APIM creates in a new instance.

  --port N                 N = 0 (default) picks a free port; only 127.0.0.1 is bound
  --empty                  no default service, and services created without built-ins
  --no-default-service     start without the default service
  --no-built-ins           services get no built-in groups, products, APIs, templates...
  --seed FILE              seed the resources of a JSON file: an array of
                           {\"path\": \"...\", \"properties\": {...}}, or {path: properties}
  --request-log FILE       write each answered request to FILE as one JSON line
  --lro-polls N            polls a long-running operation answers InProgress (default 2)
  --lro-retry-after S|none Retry-After seconds of long-running operations (default 0)
  --fault SPEC[*COUNT]     the next COUNT (default 1) requests get a fault; repeatable,
                           used in order. SPEC: throttle:S (429, Retry-After S),
                           unavailable:S (503), status:CODE[:S], retry-after-ms:CODE:MS,
                           delay:MS (then handled), drop (connection closed)
  --lro-fault SPEC[*COUNT] the next COUNT long-running operations get a fault; repeatable.
                           SPEC: failed:CODE[:MESSAGE], canceled, not-found:N (the first N
                           polls answer 404)
  --throttle arm|CAP/RATE  throttle as ARM does: per subscription, principal and kind,
                           429 SubscriptionRequestsThrottled with Retry-After when a
                           bucket is empty, x-ms-ratelimit-remaining-* on every answer.
                           arm: ARM's sizes (reads 250/25, writes and deletes 200/10:
                           capacity/refill per second); CAP/RATE: that size for all
  --throttle-reads CAP/RATE, --throttle-writes CAP/RATE, --throttle-deletes CAP/RATE
                           one kind's bucket (throttling on, ARM's sizes for the others)
  -h, --help               this text";

/// The command line.
#[derive(Debug, Default)]
struct Args {
    options: EmulatorOptions,
    seed: Option<PathBuf>,
    faults: Vec<(Fault, usize)>,
    lro_faults: Vec<(LroFault, usize)>,
}

/// The arguments, or `None` for `--help`.
fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    let mut parsed = Args::default();
    while let Some(arg) = args.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((flag, value)) if flag.starts_with("--") => {
                (flag.to_owned(), Some(value.to_owned()))
            }
            _ => (arg, None),
        };
        let mut value = |name: &str| {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or(format!("{name} needs a value"))
        };
        match flag.as_str() {
            "--port" | "-p" => parsed.options.port = number(&value("--port")?, "port")?,
            "--empty" => {
                parsed.options.default_service = false;
                parsed.options.built_ins = false;
            }
            "--no-default-service" => parsed.options.default_service = false,
            "--no-built-ins" => parsed.options.built_ins = false,
            "--seed" => parsed.seed = Some(PathBuf::from(value("--seed")?)),
            "--request-log" => {
                parsed.options.request_log = Some(PathBuf::from(value("--request-log")?));
            }
            "--lro-polls" => {
                parsed.options.lro_polls = number(&value("--lro-polls")?, "number of polls")?;
            }
            "--lro-retry-after" => {
                let text = value("--lro-retry-after")?;
                parsed.options.lro_retry_after = match text.as_str() {
                    "none" => None,
                    seconds => Some(number(seconds, "number of seconds")?),
                };
            }
            "--fault" => parsed.faults.push(counted(&value("--fault")?, fault)?),
            "--lro-fault" => parsed
                .lro_faults
                .push(counted(&value("--lro-fault")?, lro_fault)?),
            "--throttle" => {
                let text = value("--throttle")?;
                parsed.options.throttle = Some(if text == "arm" {
                    ThrottleOptions::arm()
                } else {
                    let size = bucket(&text)?;
                    ThrottleOptions::uniform(size.capacity, size.per_second)
                });
            }
            "--throttle-reads" | "--throttle-writes" | "--throttle-deletes" => {
                let size = bucket(&value(&flag)?)?;
                let throttle = parsed
                    .options
                    .throttle
                    .get_or_insert_with(ThrottleOptions::arm);
                match flag.as_str() {
                    "--throttle-reads" => throttle.reads = size,
                    "--throttle-writes" => throttle.writes = size,
                    _ => throttle.deletes = size,
                }
            }
            "--help" | "-h" => return Ok(None),
            other => return Err(format!("unexpected argument '{other}'")),
        }
    }
    Ok(Some(parsed))
}

fn number<T: std::str::FromStr>(text: &str, what: &str) -> Result<T, String> {
    text.parse().map_err(|_| format!("invalid {what} '{text}'"))
}

/// `CAPACITY/PER_SECOND`, e.g. `20/100`.
fn bucket(text: &str) -> Result<Bucket, String> {
    let (capacity, per_second) = text
        .split_once('/')
        .ok_or_else(|| format!("invalid bucket '{text}': use CAPACITY/PER_SECOND, e.g. 20/100"))?;
    let per_second: f64 = number(per_second, "refill rate")?;
    if !(per_second.is_finite() && per_second > 0.0) {
        return Err(format!(
            "invalid refill rate '{per_second}': a positive number"
        ));
    }
    Ok(Bucket {
        capacity: number(capacity, "bucket capacity")?,
        per_second,
    })
}

/// `SPEC` or `SPEC*COUNT`.
fn counted<T>(text: &str, parse: fn(&str) -> Result<T, String>) -> Result<(T, usize), String> {
    match text.rsplit_once('*') {
        Some((spec, count)) => Ok((parse(spec)?, number(count, "count")?)),
        None => Ok((parse(text)?, 1)),
    }
}

fn fault(spec: &str) -> Result<Fault, String> {
    let parts: Vec<&str> = spec.split(':').collect();
    let status = |code: &str, retry_after| -> Result<Fault, String> {
        Ok(Fault::Status {
            status: number(code, "status code")?,
            retry_after,
        })
    };
    match parts.as_slice() {
        ["throttle", seconds] => Ok(Fault::throttle(number(seconds, "number of seconds")?)),
        ["unavailable", seconds] => Ok(Fault::unavailable(number(seconds, "number of seconds")?)),
        ["status", code] => status(code, None),
        ["status", code, seconds] => status(
            code,
            Some(apim_emulator::RetryAfter::Seconds(number(
                seconds,
                "number of seconds",
            )?)),
        ),
        ["retry-after-ms", code, millis] => status(
            code,
            Some(apim_emulator::RetryAfter::Millis(number(
                millis,
                "milliseconds",
            )?)),
        ),
        ["delay", millis] => Ok(Fault::Delay(Duration::from_millis(number(
            millis,
            "milliseconds",
        )?))),
        ["drop"] => Ok(Fault::DropConnection),
        _ => Err(format!(
            "invalid fault '{spec}': use throttle:S, unavailable:S, status:CODE[:S], \
             retry-after-ms:CODE:MS, delay:MS or drop"
        )),
    }
}

fn lro_fault(spec: &str) -> Result<LroFault, String> {
    let mut parts = spec.splitn(3, ':');
    match (parts.next(), parts.next(), parts.next()) {
        (Some("failed"), Some(code), message) if !code.is_empty() => Ok(LroFault::Failed {
            code: code.to_string(),
            message: message
                .unwrap_or("The operation failed (injected).")
                .to_string(),
        }),
        (Some("canceled"), None, None) => Ok(LroFault::Canceled),
        (Some("not-found"), Some(polls), None) => {
            Ok(LroFault::StatusNotFound(number(polls, "number of polls")?))
        }
        _ => Err(format!(
            "invalid long-running fault '{spec}': use failed:CODE[:MESSAGE], canceled or \
             not-found:N"
        )),
    }
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
    let seed = match &args.seed {
        Some(path) => match std::fs::read(path)
            .map_err(|e| e.to_string())
            .and_then(|bytes| {
                serde_json::from_slice::<serde_json::Value>(&bytes).map_err(|e| e.to_string())
            }) {
            Ok(document) => Some(document),
            Err(error) => {
                eprintln!(
                    "apim-emulator: cannot read the seed {}: {error}",
                    path.display()
                );
                return ExitCode::from(2);
            }
        },
        None => None,
    };
    let port = args.options.port;
    let emulator = match Emulator::start_with(args.options).await {
        Ok(emulator) => emulator,
        Err(error) => {
            eprintln!("apim-emulator: cannot start on 127.0.0.1:{port}: {error}");
            return ExitCode::FAILURE;
        }
    };
    if let Some(document) = seed
        && let Err(error) = emulator.seed(&document)
    {
        eprintln!("apim-emulator: {error}");
        return ExitCode::from(2);
    }
    for (fault, count) in args.faults {
        emulator.inject(fault, count);
    }
    for (fault, count) in args.lro_faults {
        emulator.inject_lro(fault, count);
    }
    println!("endpoint: {}", emulator.endpoint());
    println!("token: {}", emulator.token());
    println!("ready");
    println!("Serving until Ctrl-C.");
    if let Err(error) = tokio::signal::ctrl_c().await {
        eprintln!("apim-emulator: cannot wait for Ctrl-C: {error}");
    }
    emulator.shutdown().await;
    ExitCode::SUCCESS
}

#[cfg(test)]
mod tests {
    use super::{Bucket, Fault, LroFault, ThrottleOptions, parse_args};

    fn parse(args: &[&str]) -> Result<Option<super::Args>, String> {
        parse_args(args.iter().map(std::string::ToString::to_string))
    }

    #[test]
    fn port_flag() {
        let port = |args: &[&str]| parse(args).map(|a| a.map(|a| a.options.port));
        assert_eq!(port(&[]), Ok(Some(0)));
        assert_eq!(port(&["--port", "8080"]), Ok(Some(8080)));
        assert_eq!(port(&["--port=8081"]), Ok(Some(8081)));
        assert_eq!(port(&["-p", "0"]), Ok(Some(0)));
        assert_eq!(port(&["--help"]), Ok(None));
        assert!(parse(&["--port"]).is_err());
        assert!(parse(&["--port", "65536"]).is_err());
        assert!(parse(&["8080"]).is_err());
    }

    #[test]
    fn service_seed_log_and_timing_flags() {
        let args = parse(&[
            "--empty",
            "--seed",
            "s.json",
            "--request-log=log.jsonl",
            "--lro-polls",
            "0",
            "--lro-retry-after",
            "none",
        ])
        .unwrap()
        .unwrap();
        assert!(!args.options.default_service && !args.options.built_ins);
        assert_eq!(args.seed.as_deref(), Some(std::path::Path::new("s.json")));
        assert_eq!(
            args.options.request_log.as_deref(),
            Some(std::path::Path::new("log.jsonl"))
        );
        assert_eq!(args.options.lro_polls, 0);
        assert_eq!(args.options.lro_retry_after, None);
        let defaults = parse(&["--lro-retry-after", "3"]).unwrap().unwrap();
        assert!(defaults.options.default_service && defaults.options.built_ins);
        assert_eq!(defaults.options.lro_retry_after, Some(3));
        assert!(parse(&["--lro-retry-after", "soon"]).is_err());
        let no_service = parse(&["--no-default-service"]).unwrap().unwrap();
        assert!(!no_service.options.default_service && no_service.options.built_ins);
    }

    #[test]
    fn fault_flags() {
        let args = parse(&[
            "--fault",
            "throttle:2*3",
            "--fault=status:500",
            "--fault",
            "retry-after-ms:503:250",
            "--fault",
            "delay:100",
            "--fault",
            "drop*2",
            "--lro-fault",
            "failed:BackupFailed:The storage account refused it.",
            "--lro-fault=canceled*2",
            "--lro-fault",
            "not-found:1",
        ])
        .unwrap()
        .unwrap();
        let faults: Vec<String> = args
            .faults
            .iter()
            .map(|(f, n)| format!("{f:?}*{n}"))
            .collect();
        assert_eq!(
            faults,
            [
                "Status { status: 429, retry_after: Some(Seconds(2)) }*3",
                "Status { status: 500, retry_after: None }*1",
                "Status { status: 503, retry_after: Some(Millis(250)) }*1",
                "Delay(100ms)*1",
                "DropConnection*2",
            ]
        );
        assert!(matches!(
            &args.faults[0].0,
            Fault::Status { status: 429, .. }
        ));
        assert_eq!(
            args.lro_faults,
            [
                (
                    LroFault::Failed {
                        code: "BackupFailed".into(),
                        message: "The storage account refused it.".into()
                    },
                    1
                ),
                (LroFault::Canceled, 2),
                (LroFault::StatusNotFound(1), 1),
            ]
        );
        for bad in ["throttle", "status:x", "drop*x", "explode"] {
            assert!(parse(&["--fault", bad]).is_err(), "{bad}");
        }
        for bad in ["failed", "canceled:1", "not-found:x"] {
            assert!(parse(&["--lro-fault", bad]).is_err(), "{bad}");
        }
    }

    #[test]
    fn throttle_flags() {
        let throttle = |args: &[&str]| parse(args).unwrap().unwrap().options.throttle;
        assert_eq!(throttle(&[]), None);
        assert_eq!(
            throttle(&["--throttle", "arm"]),
            Some(ThrottleOptions::arm())
        );
        assert_eq!(
            throttle(&["--throttle=20/100"]),
            Some(ThrottleOptions::uniform(20, 100.0))
        );
        let one_kind = throttle(&["--throttle-writes", "5/0.5"]).unwrap();
        assert_eq!(one_kind.reads, ThrottleOptions::arm().reads);
        assert_eq!(
            one_kind.writes,
            Bucket {
                capacity: 5,
                per_second: 0.5
            }
        );
        for bad in ["20", "x/1", "20/0", "20/-1", "20/inf"] {
            assert!(parse(&["--throttle", bad]).is_err(), "{bad}");
        }
    }
}
