use apim_client::{ApimClient, Result, apim_operation};

#[derive(Default)]
pub struct ListOptions {
    pub top: Option<u32>,
}

trait Api {
    #[apim_operation(GET, "/things")]
    async fn list(&self, #[options] options: Option<ListOptions>) -> Result<()>;
}

impl Api for ApimClient {}

fn main() {}
