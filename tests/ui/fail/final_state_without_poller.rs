use apim_client::{ApimClient, Result, apim_operation};

trait Api {
    #[apim_operation(DELETE, "/things/<id>", status = [200, 204], final_state = "location")]
    async fn delete(&self, id: &str) -> Result<()>;
}

impl Api for ApimClient {}

fn main() {}
