//! The texts in the browser: the page language's table that the server wrote
//! into the page (`<script type="application/json" id="portal-i18n">`), read
//! once. The WebAssembly carries no catalogue of its own.

use std::sync::OnceLock;

use super::BrowserTable;

static TABLE: OnceLock<BrowserTable> = OnceLock::new();

/// Reads the page's table, once; `hydrate` calls it before hydrating, and
/// the first text asked for would otherwise.
pub fn load() {
    table();
}

fn table() -> &'static BrowserTable {
    TABLE.get_or_init(read_page)
}

#[cfg(feature = "hydrate")]
fn read_page() -> BrowserTable {
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(super::BROWSER_TABLE_ID))
        .and_then(|e| e.text_content())
        .and_then(|json| serde_json::from_str(&json).ok())
        .unwrap_or_default()
}

#[cfg(not(feature = "hydrate"))]
fn read_page() -> BrowserTable {
    BrowserTable::default()
}

/// The text of the `index`th `Msg`.
pub(super) fn msg(index: usize) -> &'static str {
    table().msg.get(index).map_or("", String::as_str)
}

/// The name of a RULES-API code.
pub(super) fn code(code: &str) -> Option<&'static str> {
    table().code.get(code).map(String::as_str)
}

/// The words of a refusal code.
pub(super) fn refusal(code: &str) -> Option<&'static str> {
    table().refusal.get(code).map(String::as_str)
}
