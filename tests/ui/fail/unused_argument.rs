use apim_client::{ApimClient, Result, apim_operation};

trait Api {
    #[apim_operation(GET, "/things/<thing_id>")]
    async fn get(&self, thing_id: &str, verbose: bool) -> Result<()>;
}

impl Api for ApimClient {}

fn main() {}
