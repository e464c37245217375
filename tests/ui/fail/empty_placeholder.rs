use apim_client::{ApimClient, Result, apim_operation};

trait Api {
    #[apim_operation(GET, "/things/<>")]
    async fn get(&self, id: &str) -> Result<()>;
}

impl Api for ApimClient {}

fn main() {}
