use apim_client::{ApimClient, Result, apim_operation};

trait Api {
    #[apim_operation(GET, "/things/<id>")]
    async fn get(&self, id: &str, #[header("content-type")] value: &str) -> Result<()>;
}

impl Api for ApimClient {}

fn main() {}
