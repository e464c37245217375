use apim_client::{ApimClient, OperationOptions, Result, apim_operation};

#[derive(Default, OperationOptions)]
pub struct ListOptions {
    #[query("$Top")]
    pub top: Option<u32>,
}

trait Api {
    #[apim_operation(GET, "/things")]
    async fn list(&self, #[query("$top")] limit: u32, #[options] options: Option<ListOptions>) -> Result<()>;
}

impl Api for ApimClient {}

fn main() {}
