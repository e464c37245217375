use apim_client::{ApimClient, Result, apim_operation};

trait Api {
    #[apim_operation(GET, "/things/<thing>", status = [])]
    async fn get(&mut self, thing_id: &str) -> Result<()>;
}

impl Api for ApimClient {}

fn main() {}
