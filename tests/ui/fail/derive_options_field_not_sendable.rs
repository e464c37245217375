use apim_client::OperationOptions;

pub struct Window {
    pub from: u32,
}

#[derive(Default, OperationOptions)]
pub struct ListOptions {
    #[query("window")]
    pub window: Option<Window>,
}

impl Default for Window {
    fn default() -> Self {
        Window { from: 0 }
    }
}

fn main() {}
