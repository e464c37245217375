use apim_client::{ApimClient, OperationOptions, Result, apim_operation};

#[derive(Default, OperationOptions)]
pub struct ListOptions {
    #[query("$top")]
    pub top: Option<u32>,
}

trait Api {
    #[apim_operation(GET, "/things/<thing_id>/items")]
    async fn list(&self, #[options] options: Option<ListOptions>, thing_id: &str) -> Result<()>;
}

impl Api for ApimClient {}

fn main() {}
