use apim_client::{ApimClient, Result, apim_operation};

trait Api {
    #[apim_operation(GET, "/things/<id>/name")]
    async fn name(&self, id: &str) -> Result<&str>;
}

impl Api for ApimClient {}

fn main() {}
