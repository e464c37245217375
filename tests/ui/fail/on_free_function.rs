use apim_client::{Result, apim_operation};

#[apim_operation(GET, "/things/<id>")]
async fn get(id: &str) -> Result<()> {
    let _ = id;
    Ok(())
}

/// The function is still there: the rest of the crate type-checks.
#[allow(dead_code)]
async fn call() -> Result<()> {
    get("x").await
}

fn main() {}
