use apim_client::{ApimClient, Result, apim_operation};

trait Api {
    #[apim_operation(GET, "/things/<id>")]
    async fn get(&self, id: &str, #[header("Accept")] value: &str) -> Result<()>;
}

impl Api for ApimClient {}

fn main() {}
