use apim_client::{Result, apim_operation};

struct Things;

impl Things {
    #[apim_operation(GET, "/things/<id>")]
    pub async fn get(&self, id: &str) -> Result<()> {
        let _ = id;
        Ok(())
    }
}

/// The method is still there: the rest of the crate type-checks.
#[allow(dead_code)]
async fn call(things: &Things) -> Result<()> {
    things.get("x").await
}

fn main() {}
