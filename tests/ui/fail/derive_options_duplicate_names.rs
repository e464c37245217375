use apim_client::OperationOptions;

#[derive(Default, OperationOptions)]
pub struct ListOptions {
    #[query("$filter")]
    pub filter: Option<String>,
    // ARM reads query parameter names case-insensitively: one parameter.
    #[query("$Filter")]
    pub filter_again: Option<String>,
    #[header("If-Match")]
    pub if_match: Option<String>,
    #[header("if-match")]
    pub if_match_again: Option<String>,
}

fn main() {}
