use apim_client::{ApimClient, OperationOptions, Result, apim_operation};

#[derive(Default, OperationOptions)]
pub struct ListOptions {
    #[query("$top")]
    pub top: Option<u32>,
}

trait Api {
    #[apim_operation(GET, "/things")]
    async fn list(&self, #[options(ListOptions)] options: Option<ListOptions>) -> Result<()>;
}

impl Api for ApimClient {}

fn main() {}
