use apim_client::{ApimClient, Result, apim_operation};

trait Api {
    // HTTP header names are case-insensitive: these would be one header sent twice.
    #[apim_operation(DELETE, "/things/<id>")]
    async fn delete(
        &self,
        id: &str,
        #[header("If-Match")] if_match: &str,
        #[header("if-match")] again: &str,
    ) -> Result<()>;
}

impl Api for ApimClient {}

fn main() {}
