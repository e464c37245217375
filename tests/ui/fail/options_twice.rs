use apim_client::{ApimClient, OperationOptions, Result, apim_operation};

#[derive(Default, OperationOptions)]
pub struct Filter {
    #[query("$filter")]
    pub filter: Option<String>,
}

#[derive(Default, OperationOptions)]
pub struct Top {
    #[query("$top")]
    pub top: Option<u32>,
}

trait Api {
    #[apim_operation(GET, "/things")]
    async fn list(&self, #[options] filter: Option<Filter>, #[options] top: Option<Top>) -> Result<()>;
}

impl Api for ApimClient {}

fn main() {}
