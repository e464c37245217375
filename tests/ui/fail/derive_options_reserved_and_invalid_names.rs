use apim_client::OperationOptions;

#[derive(Default, OperationOptions)]
pub struct ListOptions {
    #[query("api-version")]
    pub version: Option<String>,
    #[header("Authorization")]
    pub token: Option<String>,
    #[query("a b")]
    pub spaced: Option<String>,
    #[header("If Match")]
    pub if_match: Option<String>,
}

fn main() {}
