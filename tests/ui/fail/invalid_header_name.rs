use apim_client::{ApimClient, Result, apim_operation};

trait Api {
    #[apim_operation(DELETE, "/things/<id>")]
    async fn delete(&self, id: &str, #[header("If Match")] if_match: &str) -> Result<()>;
}

impl Api for ApimClient {}

fn main() {}
