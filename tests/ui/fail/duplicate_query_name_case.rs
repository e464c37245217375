use apim_client::{ApimClient, Result, apim_operation};

trait Api {
    // ARM reads query names case-insensitively: these would be one parameter sent twice.
    #[apim_operation(GET, "/things")]
    async fn list(
        &self,
        #[query("$filter")] filter: Option<&str>,
        #[query("$Filter")] other: Option<&str>,
    ) -> Result<()>;
}

impl Api for ApimClient {}

fn main() {}
