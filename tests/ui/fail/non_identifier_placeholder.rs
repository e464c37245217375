use apim_client::{ApimClient, Result, apim_operation};

trait Api {
    #[apim_operation(GET, "/backends/<backend-id>")]
    async fn get(&self, backend_id: &str) -> Result<()>;
}

impl Api for ApimClient {}

fn main() {}
