use apim_client::{ApimClient, Result, apim_operation};

trait Api {
    #[apim_operation(GET, "/things", operation_id = "Thing Get")]
    async fn get(&self) -> Result<()>;

    #[apim_operation(GET, "/other", operation_id = Thing_Get)]
    async fn other(&self) -> Result<()>;
}

impl Api for ApimClient {}

fn main() {}
